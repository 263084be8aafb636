"""A scenario data request end to end through the pages, in headless chromium: the demo bank asks for the
carrier's multimodal waybills, the carrier (holder) and the data authority approve on their review queue,
and the bank runs a sandbox query (a result table) and a refused row-level query (its reason in Chinese).
"""

from __future__ import annotations

import re
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import create_engine, text

from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "access-browser"
RESOURCE = "多式联运一单制运单"
TITLE = "出口信用证项下贸易背景核验"


def _catalog_code(server: LiveServer) -> str:
    engine = create_engine(server.env["LOGISPACE_DATABASE_URL"])
    try:
        with engine.connect() as connection:
            code = connection.scalar(
                text("SELECT catalog_code FROM catalog_resources WHERE name = :n"), {"n": RESOURCE}
            )
    finally:
        engine.dispose()
    assert code, "the demo's waybill resource is missing"
    return str(code)


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _review(page: Page, reasons: str) -> None:
    page.goto("/access")
    page.get_by_test_id("review-queue").get_by_role("link", name=TITLE).click()
    page.get_by_test_id("reasons").fill(reasons)
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("done")).to_be_visible()


def test_request_review_grant_and_sandbox(new_context: NewContext, live_server: LiveServer) -> None:
    code = _catalog_code(live_server)
    today = datetime.now(timezone(timedelta(hours=8))).date()  # the form's dates are Beijing dates
    bank = new_context().new_page()
    log_in(bank, "bank")
    bank.goto(f"/access/requests/new?resource={code}")
    bank.get_by_test_id("scenario").select_option("supply_chain_finance")
    bank.get_by_test_id("title").fill(TITLE)
    bank.get_by_test_id("purpose").fill("核验信用证项下出口运单与实际运输一致")
    bank.get_by_test_id("expected-value").fill("缩短出口企业融资审核时间")
    bank.get_by_test_id("period-start").fill(today.isoformat())
    bank.get_by_test_id("period-end").fill((today + timedelta(days=90)).isoformat())
    bank.get_by_test_id("fields").fill("waybill_no, legs, issued_at")
    bank.get_by_test_id("table-name").fill("waybills")
    bank.get_by_test_id("save-request").click()
    expect(bank.get_by_test_id("request-state")).to_have_attribute("data-state", "draft")
    bank.get_by_test_id("submit-request").click()
    expect(bank.get_by_test_id("request-state")).to_have_attribute("data-state", "submitted")
    request_url = bank.url.split("?")[0]
    _shot(bank, "1-submitted")

    carrier = new_context().new_page()
    log_in(carrier, "carrier")
    _review(carrier, "字段为核验所必需，同意在沙箱内统计使用")
    admin = new_context().new_page()
    log_in(admin, "admin")
    _review(admin, "符合一场景一清单一审定原则")
    _shot(admin, "2-approved")

    bank.goto(request_url)
    expect(bank.get_by_test_id("request-state")).to_have_attribute("data-state", "approved")
    expect(bank.get_by_test_id("review")).to_have_count(2)
    bank.get_by_test_id("grant-link").click()
    expect(bank.get_by_test_id("grant-state")).to_have_attribute("data-state", "active")
    words = bank.get_by_test_id("policy-words")
    expect(words).to_contain_text("供应链金融贸易真实性核验")
    expect(words).to_contain_text("不得以任何形式向第三方提供")
    assert not re.search(r"ls:|odrl|supply_chain_finance", words.inner_text())
    bank.get_by_test_id("open-sandbox").click()
    bank.get_by_test_id("sql").fill("SELECT legs, COUNT(*) AS n FROM waybills GROUP BY legs ORDER BY legs")
    bank.get_by_test_id("run-sql").click()
    expect(bank.get_by_test_id("sandbox-result")).to_be_visible()
    expect(bank.get_by_test_id("result-row")).to_have_count(3)
    expect(bank.get_by_test_id("calls")).to_have_text("1")
    _shot(bank, "3-result")

    bank.get_by_test_id("sql").fill("SELECT waybill_no, legs FROM waybills")
    bank.get_by_test_id("run-sql").click()
    refusal = bank.get_by_test_id("sandbox-refusal")
    expect(refusal).to_be_visible()
    assert re.search(r"[\u4e00-\u9fff]", refusal.inner_text())
    assert "sandbox-" not in refusal.inner_text()
    expect(bank.get_by_test_id("sandbox-result")).to_have_count(0)
    expect(bank.get_by_test_id("calls")).to_have_text("1")
    _shot(bank, "4-refused")
