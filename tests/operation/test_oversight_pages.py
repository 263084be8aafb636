"""The oversight steps on the pages, through the same action rows as the API: the annual evaluation with
its exit shown (grants revoked, platform copies deleted, registrations flagged), the platform copies with
their deletion, the trial -> formal price form, the staff records with each one's sandbox state, and the
exclusion marks. Each refusal is shown in Chinese (the rule's document and article, never its code or
source line) and writes nothing; a party outside the agreement gets 404."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.domains.catalog import get_resource
from logispace.domains.identity import SYSTEM
from logispace.domains.operation.models import (
    Evaluation,
    OperationExclusion,
    OperatorStaff,
    PlatformCopy,
    Product,
)
from tests.conftest import LogIn
from tests.identity.support import Browser
from tests.operation.conftest import API, TODAY, Ops, active_agreement, make_product, ok

pytestmark = pytest.mark.db

RAW = ("004:", "OPS-", "PRICE-", "operation-", "None", "public_interest", "national_security", "rectify")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    assert not any(raw in text for raw in RAW), text
    assert not re.search(UUID, text), text
    return text


def _rows(db: Session, model: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def _refused(db: Session, browser: Browser, url: str, form: dict[str, str], status: int, said: str) -> None:
    before = [_rows(db, m) for m in (Evaluation, PlatformCopy, OperatorStaff, OperationExclusion)]
    response = browser.post(url, form)
    assert response.status_code == status, _text(response.text)
    assert said in _text(response.text)
    db.expire_all()
    assert [_rows(db, m) for m in (Evaluation, PlatformCopy, OperatorStaff, OperationExclusion)] == before


def _evaluation(result: str, **changes: str) -> dict[str, str]:
    form = {
        "evaluation_year": str(TODAY.year),
        "evaluator": "示范省数据局",
        "result": result,
        "evaluation_opinion": "按年度考核评估",
        "evaluated_on": TODAY.isoformat(),
    }
    return {**form, **changes}


def test_evaluation_fail_shows_the_exit(client: TestClient, db: Session, ops: Ops, log_in: LogIn) -> None:
    aid = active_agreement(client, ops)["id"]
    page = f"/operation/agreements/{aid}"
    body = log_in(ops.body)
    kept = body.post(f"{page}/provision_copy", {"copy_resource": ops.codes[0]})
    assert kept.headers["location"] == f"{page}?done=provision_copy"
    assert "未删除" in _text(body.get(page).text)
    _refused(db, body, f"{page}/provision_copy", {"copy_resource": ops.other}, 409, "第二十一条")
    product = make_product(client, ops, aid, use_class="governance_welfare", billing_unit=None)
    delivered = {"delivered_on": TODAY.isoformat()}
    ok(client.post(f"{API}/products/{product['id']}/delivery", json=delivered, headers=ops.operator.headers))
    authority = log_in(ops.authority)
    for who, form, status, said in (
        (authority, _evaluation("fail", evaluator=""), 422, "评估机构：必须填写。"),
        (authority, _evaluation("maybe"), 422, "评估结果：填写的内容不符合要求。"),
        (body, _evaluation("fail"), 403, "您没有办理此事项的权限。"),
    ):
        _refused(db, who, f"{page}/evaluate", form, status, said)
    assert log_in(ops.outsider).post(f"{page}/evaluate", _evaluation("fail")).status_code == 404
    done = authority.post(f"{page}/evaluate", _evaluation("fail"))
    assert done.headers["location"] == f"{page}?done=evaluate"
    text = _text(authority.get(done.headers["location"]).text)
    assert "年度考核评估结果已记录。" in text and "未通过评估" in text and "已终止" in text
    for effect in ("数据使用授权0项", "已删除平台留存数据1份", "须复核的产品登记1项"):
        assert effect in text, effect
    assert "未删除" not in text and "须复核" in text
    assert "evaluate-form" not in authority.get(page).text  # an ended agreement is not evaluated again


def test_formal_price_form_refusals(client: TestClient, db: Session, ops: Ops, log_in: LogIn) -> None:
    aid = active_agreement(client, ops)["id"]
    product = make_product(client, ops, aid)
    price = {"price_fen": 40}
    ok(client.post(f"{API}/products/{product['id']}/price", json=price, headers=ops.operator.headers))
    body = log_in(ops.body)
    page = f"/operation/agreements/{aid}"
    assert "set_formal_price-form" in body.get(page).text
    assert "set_formal_price-form" not in log_in(ops.operator).get(page).text
    url = f"/operation/products/{product['id']}/set_formal_price"
    form = {
        "cost": "1000000",
        "subsidy": "200000",
        "bond_yield": "1.7",
        "rate": "7.7",
        "tax": "50000",
        "price_cap_yuan": "0.50",
        "expected_volume": "100000",
    }
    for changes, status, said in (
        ({"cost": ""}, 422, "经营成本（元）：必须填写。"),
        ({"price_cap_yuan": "五角"}, 422, "上限收费标准（元）：填写的内容不符合要求。"),
        ({}, 409, "试行满一个完整运营年度"),
    ):
        _refused(db, body, url, {**form, **changes}, status, said)
    db.expire_all()
    assert db.get(Product, uuid.UUID(product["id"])).price_state.value == "trial"  # type: ignore[union-attr]
    assert log_in(ops.outsider).post(url, form).status_code == 404


def test_staff_records_and_sandbox_state(client: TestClient, db: Session, ops: Ops, log_in: LogIn) -> None:
    active_agreement(client, ops)
    operator = log_in(ops.operator)
    own = operator.get("/operation/staff")
    assert own.status_code == 200 and "register_staff-form" in own.text
    registered = operator.post(
        "/operation/staff",
        {
            "staff_user": str(ops.staff.user_id),
            "real_name_verified_on": TODAY.isoformat(),
            "confidentiality_signed_on": TODAY.isoformat(),
        },
    )
    where = f"/operation/staff?operator={ops.operator_party}&done=register_staff"
    assert registered.headers["location"] == where
    text = _text(operator.get(where).text)
    assert "数据加工人员已登记。" in text and "不得进入沙箱，缺少：备案、审查" in text
    staff_id = db.scalar(select(OperatorStaff.id).where(OperatorStaff.user_id == ops.staff.user_id))
    url = f"/operation/staff/{staff_id}/update_staff"
    filing = {"staff_user": str(ops.staff.user_id), "filed_on": str(TODAY), "vetted_on": str(TODAY)}
    _refused(db, operator, url, filing, 403, "您没有办理此事项的权限。")
    _refused(db, operator, "/operation/staff", {"staff_user": str(ops.staff.user_id)}, 409, "当前")
    body = log_in(ops.body)
    assert "测试数据运营有限公司" in _text(body.get(f"/operation/staff?operator={ops.operator_party}").text)
    assert body.post(url, filing).status_code == 303
    assert "可在沙箱中加工数据" in _text(body.get(f"/operation/staff?operator={ops.operator_party}").text)
    outsider = log_in(ops.outsider)
    assert outsider.get(f"/operation/staff?operator={ops.operator_party}").status_code == 404
    assert outsider.post(url, filing).status_code == 404


def test_exclusion_marks(client: TestClient, db: Session, ops: Ops, log_in: LogIn) -> None:
    authority = log_in(ops.authority)
    assert "mark_exclusion-form" in authority.get("/operation/exclusions").text
    mark = {"excluded_resource": ops.other, "ground": "public_interest", "note": "涉及公共利益"}
    for who, form, status, said in (
        (authority, {**mark, "excluded_resource": ops.core}, 409, "第三十三条"),
        (authority, {**mark, "ground": "whim"}, 422, "不得运营的情形：填写的内容不符合要求。"),
        (authority, {**mark, "excluded_resource": ""}, 422, "数据资源目录编码：必须填写。"),
        (log_in(ops.body), mark, 403, "您没有办理此事项的权限。"),
    ):
        _refused(db, who, "/operation/exclusions", form, status, said)
    done = authority.post("/operation/exclusions", mark)
    assert done.headers["location"] == "/operation/exclusions?done=mark_exclusion"
    name = get_resource(db, SYSTEM, ops.other).name
    text = _text(authority.get(done.headers["location"]).text)
    assert name in text and "可能损害公共利益" in text
    holder = log_in(ops.body)
    assert name in _text(holder.get("/operation/exclusions").text)  # the holder sees marks on its data
    shown = log_in(ops.outsider).get("/operation/exclusions")
    assert name not in _text(shown.text) and "mark_exclusion-form" not in shown.text


def test_annual_report_records_and_csv(client: TestClient, db: Session, ops: Ops, log_in: LogIn) -> None:
    aid = active_agreement(client, ops)["id"]
    paid = make_product(client, ops, aid)
    free = make_product(
        client, ops, aid, name="货运场站分布指数", use_class="governance_welfare", billing_unit=None
    )
    ok(
        client.post(
            f"{API}/products/{paid['id']}/price", json={"price_fen": 40}, headers=ops.operator.headers
        )
    )
    page = f"/operation/agreements/{aid}"
    url = f"{page}/record_report_line"
    year = str(TODAY.year)
    line = {"line_year": year, "line_product": paid["id"], "volume": "100000", "revenue": "110000.01"}
    body = log_in(ops.body)
    assert body.post(url, {**line, "max_allowed_revenue": "100000"}).status_code == 303
    assert body.post(url, {**line, "line_product": free["id"], "revenue": "0"}).status_code == 303
    for who, form, status, said in (
        (body, line, 409, "当前"),  # the product's record on the year exists
        (body, {**line, "line_year": str(TODAY.year - 1)}, 409, "当前"),  # not an operating year
        (body, {**line, "revenue": ""}, 422, "收入（元）：必须填写。"),
        (log_in(ops.operator), line, 403, "您没有办理此事项的权限。"),
    ):
        _refused(db, who, url, form, status, said)
    assert log_in(ops.outsider).post(url, line).status_code == 404
    text = _text(body.get(page).text)
    assert "10.00" in text and "授权主体调整上限收费标准" in text and "未核定正式收费标准，不计算偏离" in text
    csv_url = f"{page}/annual-reports/{year}.csv"
    zh = body.get(f"{csv_url}?headers=zh").text.lstrip("\ufeff").splitlines()
    assert zh[0].startswith("报告年度,产品和服务名称,收费阶段") and "授权主体调整上限收费标准" in zh[1]
    named = body.get(csv_url).text.lstrip("\ufeff").splitlines()
    assert named[0].endswith("deviation_percent,adjuster")
    assert named[1].endswith("110000.01,100000.00,10.000010,authorizing_subject_caps"), named
    assert log_in(ops.outsider).get(csv_url).status_code == 404
    api = ok(client.get(f"{API}/agreements/{aid}/annual-reports/{year}/lines", headers=ops.operator.headers))
    assert [(x["adjuster"], x["deviation_percent"]) for x in api] == [
        ("authorizing_subject_caps", "10.000010"),
        (None, None),
    ]
