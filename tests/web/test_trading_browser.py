"""Data trading through the pages, in headless chromium, on the demo: the bank finds the carrier's waybill
dataset in the market (search and filter), opens a negotiation with its offer; the carrier drafts the
contract with its mandatory contents; the bank signs and pays into escrow; the carrier signs, delivers;
the bank accepts and releases the escrow; the trade voucher shows its code, amount and QR code."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

DATASET = "多式联运一单制运单明细数据集（供应链金融）"


def test_list_negotiate_sign_settle_voucher(new_context: NewContext, live_server: LiveServer) -> None:
    bank = new_context().new_page()
    log_in(bank, "bank")
    bank.get_by_test_id("nav-trading").click()
    expect(bank.get_by_role("heading", name="交易大厅")).to_be_visible()
    bank.get_by_test_id("filter-q").fill("运单")
    bank.get_by_test_id("filter-purpose").select_option("supply_chain_finance")
    bank.get_by_role("button", name="筛选").click()
    row = bank.get_by_test_id("listing-row").filter(has_text=DATASET)
    expect(row).to_have_count(1)
    row.get_by_test_id("object-link").click()
    form = bank.get_by_test_id("request-form").first
    form.get_by_label("报价（元）").fill("255000")
    form.get_by_role("button", name="发起磋商").click()
    expect(bank.get_by_test_id("negotiation-state")).to_have_text("需求方已报价")
    thread = bank.url.split("?")[0]

    carrier = new_context().new_page()
    log_in(carrier, "carrier")
    carrier.goto(thread)
    agree = carrier.get_by_test_id("step-agree")
    agree.get_by_label("数据内容").fill("多式联运一单制运单明细（脱敏）")
    agree.get_by_label("数据质量").fill("完整率不低于99%")
    agree.get_by_label("交易方式").fill("场内协商交易，沙箱内使用")
    agree.get_by_label("安全责任").fill("仅用于供应链金融核验，不得转授权")
    agree.get_by_label("保密条款").fill("双方保密五年")
    agree.get_by_role("button", name="拟定合同").click()
    expect(carrier.get_by_test_id("negotiation-state")).to_have_text("合同已拟定")

    bank.reload()
    bank.get_by_test_id("step-verify").get_by_role("button").click()
    expect(bank.get_by_test_id("negotiation-state")).to_have_text("需求方已签署并托管价款")
    carrier.reload()
    carrier.get_by_test_id("step-finalize").get_by_role("button").click()
    expect(carrier.get_by_test_id("negotiation-state")).to_have_text("合同已生效")
    carrier.get_by_test_id("contract-link").click()
    expect(carrier.get_by_test_id("escrow")).to_have_text("255000.00")
    carrier.get_by_test_id("deliver-form").get_by_role("button").click()
    expect(carrier.get_by_test_id("contract-state")).to_have_text("已交付，待验收")

    bank.goto(carrier.url.split("?")[0])
    bank.get_by_test_id("release-form").get_by_role("button", name="验收并放款").click()
    expect(bank.get_by_test_id("contract-state")).to_have_text("已结算")
    expect(bank.get_by_test_id("escrow")).to_have_text("0.00")
    bank.get_by_test_id("voucher-link").click()
    expect(bank.get_by_test_id("voucher-code")).to_have_text(re.compile(r"^JYPZ-"))
    expect(bank.get_by_test_id("voucher-amount")).to_have_text("255000.00")
    expect(bank.get_by_test_id("voucher-qr").locator("svg")).to_be_visible()
