"""Operation pages through the same services as the API: the public disclosure page, the agreement page
with the cap set by the implementing body and the price by the operator, a price above the cap refused in
Chinese naming the document and article (no code, no source line), and an outsider sees none of it."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import LogIn
from tests.operation.conftest import API, TODAY, Ops, active_agreement, counts, make_product, ok

pytestmark = pytest.mark.db

RAW = ("004:", "PRICE-", "OPS-", "industry", "trial", "governance_welfare")


def _visible(html: str) -> str:
    body = html.split("<main", 1)[-1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_cap_price_and_disclosure(client: TestClient, db: Session, ops: Ops, log_in: LogIn) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"])
    free = make_product(
        client,
        ops,
        agreement["id"],
        name="货运场站分布指数",
        use_class="governance_welfare",
        billing_unit=None,
    )
    ok(
        client.post(
            f"{API}/products/{free['id']}/delivery",
            json={"delivered_on": TODAY.isoformat()},
            headers=ops.operator.headers,
        )
    )
    body = log_in(ops.body)
    page = f"/operation/agreements/{agreement['id']}"
    assert body.get(page).status_code == 200
    done = body.post(
        f"/operation/products/{product['id']}/cap", {"price_cap_yuan": "0.50", "billing_unit": "call"}
    )
    assert (done.status_code, done.headers["location"]) == (303, f"{page}?done=price")
    assert "收费标准已更新。" in body.get(done.headers["location"]).text
    operator = log_in(ops.operator)
    before = counts(db)
    refused = operator.post(f"/operation/products/{product['id']}/price", {"price_yuan": "0.51"})
    assert refused.status_code == 409
    text = _visible(refused.text)
    assert "价格形成机制的通知》第二条" in text
    assert not any(raw in text for raw in RAW), text
    assert counts(db) == before
    assert (
        operator.post(f"/operation/products/{product['id']}/price", {"price_yuan": "0.40"}).status_code == 303
    )
    ok(
        client.post(
            f"{API}/products/{product['id']}/delivery",
            json={"delivered_on": TODAY.isoformat()},
            headers=ops.operator.headers,
        )
    )
    shown = operator.get(page)
    assert "0.50" in shown.text and "0.40" in shown.text and "试行收费标准" in shown.text
    public = client.get("/operation/disclosure")
    assert public.status_code == 200
    text = _visible(public.text)
    assert "测试交通运输局" in text and "测试数据运营有限公司" in text
    assert "公路运力供需指数接口" in text and "货运场站分布指数" in text and "免费" in text and "0.40" in text
    assert not any(raw in text for raw in RAW), text
    outsider = log_in(ops.outsider)
    assert outsider.get(page).status_code == 404
    assert (
        outsider.post(f"/operation/products/{product['id']}/price", {"price_yuan": "0.10"}).status_code == 404
    )
    overview = outsider.get("/operation")
    assert overview.status_code == 200 and "测试数据运营有限公司" not in overview.text


def test_disclosure_page_when_nothing_is_disclosed(client: TestClient) -> None:
    page = client.get("/operation/disclosure")
    assert page.status_code == 200 and "尚无公开的授权运营信息。" in page.text
