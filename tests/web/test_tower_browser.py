"""The control-tower pages (控制塔) in headless chromium on the live server, over the demo's week of
corridor traffic: a shipper's corridor dashboard, a carrier following a waybill's ETA, and the
authority's cost and carbon across parties."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import text

from logispace.core.db import make_engine
from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

CARRIER_USCC_START = "91500000MA0000005"


def open_waybill(server: LiveServer) -> str:
    """A waybill of the demo's road carrier that is still under way."""
    engine = make_engine(server.env["LOGISPACE_DATABASE_URL"], pool=False)
    try:
        with engine.connect() as connection:
            number = connection.execute(
                text(
                    "SELECT w.number FROM waybills w JOIN waybill_legs l ON l.waybill_id = w.id "
                    "WHERE w.status IN ('in_transit', 'delayed') AND l.carrier_uscc LIKE :carrier "
                    "ORDER BY w.number LIMIT 1"
                ),
                {"carrier": CARRIER_USCC_START + "%"},
            ).scalar_one()
    finally:
        engine.dispose()
    return str(number)


def test_a_shipper_reads_its_corridor_dashboard(page: Page, live_server: LiveServer) -> None:
    log_in(page, "shipper01")
    page.get_by_test_id("nav-tower").click()
    expect(page).to_have_url(f"{live_server.url}/tower")
    expect(page.get_by_test_id("tower-tile")).to_have_count(10)
    expect(page.locator('[data-kpi="otif"]')).to_contain_text("准时足额交付率")
    expect(page.locator("#tower-distribution svg")).to_have_count(1)
    expect(page.locator("#tower-network svg")).to_have_count(1)
    expect(page.get_by_test_id("tower-alert-feed")).to_be_visible()
    page.locator('select[name="mode"]').select_option("rail")
    page.get_by_test_id("tower-filter-submit").click()
    expect(page).to_have_url(f"{live_server.url}/tower?corridor=&mode=rail&period_from=&period_to=")
    expect(page.get_by_test_id("tower-tile")).to_have_count(10)
    expect(page.locator('select[name="mode"]')).to_have_value("rail")


def test_a_carrier_follows_the_eta_of_a_waybill_under_way(
    page: Page, live_server: LiveServer, new_context: NewContext
) -> None:
    number = open_waybill(live_server)
    log_in(page, "carrier")
    page.goto("/tower")
    page.get_by_label("运单预计到达查询").fill(number)
    page.get_by_role("button", name="查询预计到达").click()
    expect(page).to_have_url(f"{live_server.url}/tower/eta/{number}")
    expect(page.get_by_test_id("eta-status")).to_contain_text("运输中")
    expect(page.get_by_test_id("eta-arrival")).not_to_contain_text("暂无")
    predicted = page.get_by_test_id("eta-predicted").filter(has_not_text="—")
    expect(predicted.first).to_be_visible()
    expect(page.get_by_test_id("eta-history-row").first).to_be_visible()
    bank = new_context().new_page()
    log_in(bank, "bank")
    response = bank.goto(f"/tower/eta/{number}")
    assert response is not None and response.status == 404


def test_the_authority_compares_cost_and_carbon_across_parties(
    page: Page, live_server: LiveServer, new_context: NewContext
) -> None:
    log_in(page, "admin")
    page.goto("/tower")
    page.get_by_test_id("tower-authority-link").click()
    expect(page).to_have_url(f"{live_server.url}/tower/authority")
    expect(
        page.get_by_test_id("tower-party-row").filter(has_text="陆海新通道示范物流有限公司")
    ).to_have_count(1)
    rows = page.get_by_test_id("tower-party-row")
    assert rows.count() >= 5
    expect(page.get_by_test_id("tower-by-mode")).to_contain_text("铁路")
    expect(page.get_by_test_id("tower-by-corridor")).to_contain_text("新加坡")
    expect(page.get_by_test_id("tower-factors")).to_contain_text("全球物流排放理事会")
    carrier = new_context().new_page()
    log_in(carrier, "carrier")
    response = carrier.goto("/tower/authority")
    assert response is not None and response.status == 403
