"""Authorized operation through the pages, in headless chromium, on the demo: a visitor reads the public
disclosure (the transport bureau's agreement, the free and the paid product with its price); the
implementing body raises the paid product's cap on the agreement page; the operator's price above the cap is
refused in Chinese naming the document and article; its price under the cap is taken and disclosed. Then
the whole way from a plan to a product: the transport bureau drafts and approves a plan, the data
authority files it, the bureau selects the operator and signs, the authority files the agreement and the
operator builds a product under it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from logispace.core.identifiers import uscc_with_check_character
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
    agreement = visitor.get_by_test_id("disclosed-agreement").filter(has_text=PAID)
    expect(agreement.get_by_test_id("implementing-body")).to_have_text("示范市交通运输局")
    expect(agreement.get_by_test_id("operator")).to_have_text("示范交通数据运营有限公司")
    paid = agreement.get_by_test_id("disclosed-product").filter(has_text=PAID)
    expect(paid.get_by_test_id("price")).to_have_text("0.40")
    free = agreement.get_by_test_id("disclosed-product").filter(has_text="货运场站分布指数")
    expect(free.get_by_test_id("price")).to_have_text("免费")

    body = new_context().new_page()
    log_in(body, "transport")
    body.goto("/operation")
    body.get_by_test_id("agreement-row").last.get_by_role("link", name="查看协议").click()
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
        .filter(has_text=PAID)
        .get_by_test_id("disclosed-product")
        .filter(has_text=PAID)
    )
    expect(paid.get_by_test_id("price")).to_have_text("0.55")


def test_plan_selection_agreement_product(new_context: NewContext, live_server: LiveServer) -> None:
    body = new_context().new_page()
    log_in(body, "transport")
    body.goto("/operation")
    body.get_by_test_id("new-plan").click()
    form = body.get_by_test_id("plan-form")
    form.locator('input[name="plan_name"]').fill("交通运输公共数据（第二期）授权运营实施方案")
    form.locator('input[name="term_years"]').fill("3")
    form.locator('input[name="data_scope"]').first.check()
    for area in form.locator("textarea").all():
        area.fill("按实施规范要求编制。")
    form.locator('textarea[name="governance_products"]').fill("货运场站分布指数（第二期）")
    form.locator('textarea[name="industry_products"]').fill("运力指数接口（第二期）")
    form.get_by_role("button", name="保存实施方案").click()
    expect(body.get_by_test_id("done")).to_have_text("实施方案已编制。")
    plan_url = body.url.split("?")[0]
    for action in ("approve_internal", "approve_government"):
        step = body.get_by_test_id(f"{action}-form")
        step.get_by_label("审议审定机关").fill("局党组会议")
        step.get_by_label("文件名称").fill("会议纪要")
        step.get_by_role("button", name="记录审议审定结果").click()
        expect(body.get_by_test_id("done")).to_be_visible()

    authority = new_context().new_page()
    log_in(authority, "admin")
    authority.goto(plan_url)
    authority.get_by_test_id("file_plan-form").get_by_role("button", name="备案").click()
    expect(authority.get_by_test_id("plan-state")).to_have_text("已备案")

    body.goto(plan_url)
    opening = body.get_by_test_id("create_selection-form")
    opening.get_by_label("公告内容").fill("授权运营单位遴选公告")
    opening.get_by_role("button", name="启动选择").click()
    expect(body.get_by_test_id("done")).to_have_text("运营机构选择已启动。")
    candidate = body.get_by_test_id("add_candidate-form")
    candidate.get_by_label("统一社会信用代码").fill(uscc_with_check_character("91450700MA0000012"))
    for box in candidate.locator('input[name="checks"]').all():
        box.check()
    candidate.get_by_role("button", name="记录资格审查结果").click()
    expect(body.get_by_test_id("candidate-row")).to_contain_text("示范交通数据运营有限公司")
    review = body.get_by_test_id("expert_review-form")
    review.get_by_label("评审专家（每行一人）").fill("张专家\n李专家")
    review.get_by_label("评审意见").fill("综合评审通过")
    review.get_by_role("button", name="记录评审意见").click()
    body.get_by_test_id("select_operator-form").get_by_role("button", name="确定运营机构").click()
    expect(body.get_by_test_id("selected")).to_have_text("示范交通数据运营有限公司")
    signing = body.get_by_test_id("create_agreement-form")
    signing.get_by_label("运营期限截止日期").fill("2035-01-01")
    signing.get_by_label("安全责任").fill("原始数据不出域")
    signing.get_by_label("退出机制").fill("撤销权限并删除平台留存数据")
    signing.get_by_role("button", name="签订协议").click()
    expect(body.get_by_test_id("errors")).to_contain_text("最长不超过5年")
    signing = body.get_by_test_id("create_agreement-form")
    signing.get_by_label("运营期限截止日期").fill("2028-12-31")
    signing.get_by_label("安全责任").fill("原始数据不出域")
    signing.get_by_label("退出机制").fill("撤销权限并删除平台留存数据")
    signing.get_by_role("button", name="签订协议").click()
    expect(body.get_by_test_id("agreement-state")).to_have_text("已签订待备案")
    agreement_url = body.url.split("?")[0]

    authority.goto(agreement_url)
    authority.get_by_test_id("file_agreement-form").get_by_role("button", name="备案").click()
    expect(authority.get_by_test_id("agreement-state")).to_have_text("履行中")

    operator = new_context().new_page()
    log_in(operator, "operator")
    operator.goto(agreement_url)
    product = operator.get_by_test_id("product-form")
    product.get_by_label("产品和服务名称").fill("货运场站分布指数（第二期）")
    product.locator('select[name="use_class"]').select_option("governance_welfare")
    product.get_by_label("应用场景").fill("货运场站布局规划")
    product.locator('input[name="resources"]').first.check()
    product.get_by_role("button", name="创建产品和服务").click()
    expect(operator.get_by_test_id("done")).to_have_text("产品和服务已创建。")
    row = operator.get_by_test_id("product-row").filter(has_text="货运场站分布指数（第二期）")
    expect(row).to_contain_text("免费")
