"""Authorized operation through the pages, in headless chromium, on the demo: a visitor reads the public
disclosure (the transport bureau's agreement, the free and the paid product with its price); the
implementing body raises the paid product's cap on the agreement page; the operator's price above the cap is
refused in Chinese naming the document and article; its price under the cap is taken and disclosed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

PAID = "公路运力供需指数接口"


def test_disclosure_cap_and_price(new_context: NewContext, live_server: LiveServer) -> None:
    visitor = new_context().new_page()
    visitor.goto("/")
    visitor.get_by_test_id("nav-operation").click()
    expect(visitor.get_by_role("heading", name="授权运营信息公开")).to_be_visible()
    agreement = visitor.get_by_test_id("disclosed-agreement").first
    expect(agreement.get_by_test_id("implementing-body")).to_have_text("示范市交通运输局")
    expect(agreement.get_by_test_id("operator")).to_have_text("示范交通数据运营有限公司")
    paid = agreement.get_by_test_id("disclosed-product").filter(has_text=PAID)
    expect(paid.get_by_test_id("price")).to_have_text("0.40")
    free = agreement.get_by_test_id("disclosed-product").filter(has_text="货运场站分布指数")
    expect(free.get_by_test_id("price")).to_have_text("免费")

    body = new_context().new_page()
    log_in(body, "transport")
    body.goto("/operation")
    body.get_by_test_id("agreement-row").first.get_by_role("link", name="查看协议").click()
    row = body.get_by_test_id("product-row").filter(has_text=PAID)
    row.get_by_test_id("cap-form").get_by_label("上限收费标准（元）").fill("0.60")
    row.get_by_test_id("cap-form").get_by_role("button", name="设定上限收费标准").click()
    expect(body.get_by_test_id("done")).to_be_visible()
    expect(body.get_by_test_id("product-row").filter(has_text=PAID).get_by_test_id("cap")).to_have_text(
        "0.60"
    )
    agreement_url = body.url

    operator = new_context().new_page()
    log_in(operator, "operator")
    operator.goto(agreement_url)
    form = operator.get_by_test_id("product-row").filter(has_text=PAID).get_by_test_id("price-form")
    form.get_by_label("收费标准（元）").fill("0.70")
    form.get_by_role("button", name="设定收费标准").click()
    expect(operator.get_by_test_id("errors")).to_contain_text("价格形成机制的通知》第二条")
    form = operator.get_by_test_id("product-row").filter(has_text=PAID).get_by_test_id("price-form")
    form.get_by_label("收费标准（元）").fill("0.55")
    form.get_by_role("button", name="设定收费标准").click()
    expect(operator.get_by_test_id("done")).to_be_visible()

    visitor.reload()
    paid = (
        visitor.get_by_test_id("disclosed-agreement")
        .first.get_by_test_id("disclosed-product")
        .filter(has_text=PAID)
    )
    expect(paid.get_by_test_id("price")).to_have_text("0.55")
