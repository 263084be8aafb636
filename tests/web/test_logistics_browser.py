"""A shipper's clerk and a bank officer in headless chromium on the live server with the demo data.

The journey: the first demo shipper opens 我的运单 from the trace pages, narrows the list, opens one
of its waybills and sees its route and GPS track drawn; it shares the waybill with the demo bank for
a trade authenticity check; the bank officer opens 贸易真实性核验 and finds the waybill with its chain
of custody verified, opens its full trace; the shipper revokes the share and the bank no longer sees
it. 我的集装箱 lists the boxes of the demo's box owner.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from logispace.core.identifiers import uscc_with_check_character
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

BANK = uscc_with_check_character("91450100MA0000006")  # 示范农村商业银行股份有限公司


def test_a_shipper_finds_its_waybill_and_shares_it_with_its_bank(page: Page, new_context: NewContext) -> None:
    log_in(page, "shipper01")
    page.goto("/trace")
    page.get_by_test_id("nav-my-waybills").click()
    expect(page).to_have_url(re.compile(r"/logistics/waybills$"))
    expect(page.get_by_role("heading", name="我的运单")).to_be_visible()
    rows = page.get_by_test_id("waybill-row")
    expect(rows.first).to_be_visible()

    filters = page.get_by_test_id("waybill-filters")
    filters.get_by_label("运单状态").select_option(label="已关闭")
    filters.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"status=closed"))
    expect(rows.first).to_contain_text("已关闭")
    number = rows.first.get_by_role("link").first.inner_text()

    rows.first.get_by_role("link").first.click()
    expect(page.get_by_test_id("waybill-number")).to_have_text(number)
    expect(page.get_by_test_id("trace-map").locator("svg")).to_be_visible()

    share = page.get_by_test_id("share-form")
    share.get_by_label("共享对象统一社会信用代码").fill(BANK)
    share.get_by_label("共享截止日期").fill((datetime.now(UTC) + timedelta(days=30)).date().isoformat())
    share.get_by_role("button", name="共享").click()
    shared_row = page.get_by_test_id("share-row").filter(has_text="示范农村商业银行股份有限公司").first
    expect(shared_row).to_contain_text("有效")

    bank = new_context().new_page()  # another person, in a browser of their own
    log_in(bank, "bank")
    bank.goto("/logistics/shared")
    card = bank.get_by_test_id("shared-waybill").filter(has_text=number)
    expect(card.get_by_test_id("shared-verdict")).to_have_text("单证链真实完整")
    expect(card.get_by_test_id("shared-by")).not_to_be_empty()
    card.get_by_test_id("shared-number").click()
    expect(bank.get_by_test_id("waybill-number")).to_have_text(number)
    expect(bank.get_by_test_id("share-form")).to_have_count(0)

    page.reload()
    page.get_by_test_id("share-row").filter(has_text="有效").first.get_by_test_id("share-revoke").click()
    bank.goto("/logistics/shared")
    expect(bank.get_by_test_id("shared-waybill").filter(has_text=number)).to_have_count(0)


def test_the_box_owner_lists_its_containers(page: Page) -> None:
    log_in(page, "shipping")
    page.goto("/logistics/containers")
    expect(page.get_by_role("heading", name="我的集装箱")).to_be_visible()
    rows = page.get_by_test_id("container-row")
    expect(rows.first).to_be_visible()
    filters = page.get_by_test_id("container-filters")
    filters.get_by_label("使用状态").select_option(label="在途")
    filters.get_by_role("button", name="筛选").click()
    expect(rows.first).to_contain_text("在途")
    rows.first.get_by_role("link").first.click()
    expect(page.get_by_test_id("container-number")).to_be_visible()
