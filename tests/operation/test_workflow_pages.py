"""The plan, selection and agreement steps through the page forms, by the same action rows as the API:
the implementing body drafts the plan (a missing section named in Chinese), records both approvals, the
authority files it; the body opens a selection, records the candidate's checks and the expert review,
selects the operator and signs (a term over five years refused in Chinese naming the articles, nothing
written); the authority files the agreement; the operator builds and delivers a product; the body
suspends and resumes. No page shows a code, a source line or an English word of the rules."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session

from logispace.core.calendar import add_years
from logispace.domains.identity import party_uscc
from tests.conftest import LogIn
from tests.operation.conftest import SECTIONS, TODAY, Ops, counts

pytestmark = pytest.mark.db

RAW = ("004:", "OPS-", "PRICE-", "operation-", "drafted", "negotiation", "None")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def _text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def _done(response: Any, path: str) -> str:
    assert response.status_code == 303, _text(response.text)
    location = str(response.headers["location"])
    assert re.fullmatch(rf"{path}\?done=\w+", location), location
    return location.split("?")[0]


def _clean(text: str) -> None:
    assert not any(raw in text for raw in RAW), text


def test_plan_to_product_through_the_pages(db: Session, ops: Ops, log_in: LogIn) -> None:
    body, authority, operator = log_in(ops.body), log_in(ops.authority), log_in(ops.operator)
    form: dict[str, Any] = {
        "plan_name": "交通运输公共数据授权运营实施方案",
        "authorization_mode": "by_domain",
        "data_scope": ops.codes,
        "term_years": "3",
        "governance_products": "货运场站分布指数",
        "industry_products": "公路运力供需指数接口",
        **SECTIONS,
    }
    before = counts(db)
    refused = body.post("/operation/plans", {**form, "exit_mechanism": ""})
    assert refused.status_code == 422
    assert "退出机制安排：必须填写。" in _text(refused.text)
    assert counts(db) == before
    plan = _done(body.post("/operation/plans", form), rf"/operation/plans/{UUID}")
    approval = {"approving_body": "局党组会议", "approved_on": TODAY.isoformat(), "document": "纪要"}
    _done(body.post(f"{plan}/approve_internal", approval), plan)
    out_of_order = body.post(f"{plan}/approve_internal", approval)
    assert out_of_order.status_code == 409 and "已集体审议" in _text(out_of_order.text)
    _done(body.post(f"{plan}/approve_government", approval), plan)
    assert body.post(f"{plan}/file_plan", {"filed_on": TODAY.isoformat()}).status_code == 403
    _done(authority.post(f"{plan}/file_plan", {"filed_on": TODAY.isoformat()}), plan)
    opening = {"selection_method": "negotiation", "notice": "遴选公告"}
    selection = _done(body.post(f"{plan}/create_selection", opening), rf"/operation/selections/{UUID}")
    uscc = party_uscc(db, ops.operator.party_id)
    candidate = {"uscc": uscc, "checks": ["credit", "team", "experience", "security"]}
    _done(body.post(f"{selection}/add_candidate", candidate), selection)
    review = {"experts": "张专家\n李专家", "opinion": "综合评审通过", "reviewed_on": TODAY.isoformat()}
    _done(body.post(f"{selection}/expert_review", review), selection)
    pick = {"candidate": str(ops.operator.party_id), "selected_on": TODAY.isoformat()}
    _done(body.post(f"{selection}/select_operator", pick), selection)
    assert "测试数据运营有限公司" in _text(body.get(selection).text)
    signing = {
        "selection": selection.rsplit("/", 1)[-1],
        "scope": ops.codes,
        "term_start": TODAY.isoformat(),
        "term_end": (TODAY + timedelta(days=700)).isoformat(),
        "agreement_products": "货运场站分布指数\n公路运力供需指数接口",
        "security_duties": "原始数据不出域",
        "exit_terms": "撤销权限并删除平台留存数据",
        "signed_on": TODAY.isoformat(),
    }
    before = counts(db)
    too_long = body.post(
        f"{plan}/create_agreement",
        {**signing, "term_end": (add_years(TODAY, 5) + timedelta(days=1)).isoformat()},
    )
    assert too_long.status_code == 422
    assert 'data-testid="create_agreement-form"' in too_long.text  # shown on the selection's page
    text = _text(too_long.text)
    assert "第十四条" in text and "第八条" in text
    _clean(text)
    assert counts(db) == before
    agreement = _done(body.post(f"{plan}/create_agreement", signing), rf"/operation/agreements/{UUID}")
    _done(authority.post(f"{agreement}/file_agreement", {"filed_on": TODAY.isoformat()}), agreement)
    product = {
        "product_name": "货运场站分布指数",
        "product_form": "indicator",
        "use_class": "governance_welfare",
        "scenario": "货运场站布局规划",
        "resources": [ops.codes[0]],
    }
    _done(operator.post(f"{agreement}/products", product), agreement)
    outside = operator.post(f"{agreement}/products", {**product, "resources": [ops.other]})
    assert outside.status_code == 409 and "第二十一条" in _text(outside.text)
    page = operator.get(agreement)
    product_id = re.search(rf"/operation/products/({UUID})/delivery", page.text)
    assert product_id, "the operator is offered the delivery"
    delivered = operator.post(
        f"/operation/products/{product_id.group(1)}/delivery", {"delivered_on": TODAY.isoformat()}
    )
    _done(delivered, agreement)
    shown = _text(body.get(agreement).text)
    assert "已交付" in shown and "公共数据产品和服务" in shown  # the product's registration duty
    _done(body.post(f"{agreement}/suspend_agreement", {"reason": "整改"}), agreement)
    assert "已暂停" in _text(body.get(agreement).text)
    _done(body.post(f"{agreement}/resume_agreement", {"reason": "整改完成"}), agreement)
    for page_url in (plan, selection, agreement, "/operation"):
        _clean(_text(body.get(page_url).text))
    outsider = log_in(ops.outsider)
    assert outsider.get(plan).status_code == 404
    assert outsider.post(f"{agreement}/suspend_agreement", {"reason": "x"}).status_code == 404
    assert outsider.post(f"{plan}/no_such_step", {}).status_code == 404
