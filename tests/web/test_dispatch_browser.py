"""The dispatcher's board (调度看板) in a real browser: the demo carrier's day, its accepted match run
with the empty-running report, the route map drawn by ECharts, and a new match run from the form; then
the main flow through the forms: post a load, register a vehicle, match, accept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser


def test_a_dispatcher_reads_the_board_and_runs_matching(page: Page) -> None:
    log_in(page, "carrier")
    page.goto("/dispatch")
    expect(page.get_by_role("heading", name="调度看板")).to_be_visible()
    # the demo's accepted chained run: every proposal accepted, and the saved km shown in Chinese
    states = page.get_by_test_id("proposal-state")
    expect(states.first).to_have_text("已接受")
    assert set(states.all_inner_texts()) == {"已接受"}
    expect(page.get_by_test_id("dispatch-saved")).to_contain_text("节约里程")
    expect(page.get_by_test_id("dispatch-report")).to_contain_text("匹配前")
    # the route plan is drawn from coordinates (an SVG inside the map)
    expect(page.get_by_test_id("route-map").locator("svg")).to_be_visible()
    expect(page.get_by_test_id("plan-total")).to_contain_text("总里程")
    # six trucks, the open loads left over (the 40 t load no truck can take)
    expect(page.get_by_test_id("dispatch-vehicle")).to_have_count(6)
    expect(page.get_by_test_id("dispatch-loads")).to_contain_text("HY-D11")
    # a new run, one load per vehicle: the heavy load is listed with its reason
    page.get_by_label("匹配方式").select_option("single")
    with page.expect_navigation():
        page.get_by_test_id("run-button").click()
    expect(page.get_by_test_id("dispatch-unassigned")).to_contain_text("没有载重或容积足够的车辆")


def test_a_shipper_posts_a_load_and_a_carrier_registers_a_truck_matches_and_accepts(
    new_context: NewContext,
) -> None:
    """The main flow through the forms: a 36 t dangerous-goods tank load no demo truck can carry is
    posted, a 39 t tanker registered, a one-load-per-vehicle run proposes the pair, and it is accepted."""
    shipper = new_context().new_page()
    log_in(shipper, "shipper01")
    shipper.goto("/dispatch")
    with shipper.expect_navigation():
        shipper.get_by_test_id("new-load").click()
    form = shipper.get_by_test_id("load-form")
    form.get_by_label("货源编号").fill("HY-FLOW-1")
    for label, value in (("装货地经度", "108.37"), ("装货地纬度", "22.82"), ("卸货地经度", "108.65")):
        form.get_by_label(label).fill(value)
    form.get_by_label("卸货地纬度").fill("21.98")
    form.get_by_label("重量（吨）").fill("36")
    form.get_by_label("所需车型").select_option("tank")
    form.get_by_label("所需资质").select_option("DG")
    with shipper.expect_navigation():
        shipper.get_by_test_id("load-submit").click()
    expect(shipper.get_by_test_id("dispatch-loads")).to_contain_text("HY-FLOW-1")

    carrier = new_context().new_page()
    log_in(carrier, "carrier")
    carrier.goto("/dispatch/vehicles/new")
    truck = carrier.get_by_test_id("vehicle-form")
    truck.get_by_label("车牌号").fill("桂A9F001")
    truck.get_by_label("车型").select_option("tank")
    truck.get_by_label("载重（吨）").fill("39")  # not the 40 t demo load
    truck.get_by_label("道路运输证", exact=True).check()
    truck.get_by_label("危险货物运输").check()
    truck.get_by_label("道路运输证有效期至").fill("2099-12-31")
    truck.get_by_label("驾驶员从业资格有效").check()
    truck.get_by_label("登记位置经度").fill("108.36")
    truck.get_by_label("登记位置纬度").fill("22.81")
    with carrier.expect_navigation():
        carrier.get_by_test_id("vehicle-submit").click()
    expect(carrier.get_by_test_id("dispatch-vehicles")).to_contain_text("桂A9F001")

    carrier.get_by_label("匹配方式").select_option("single")
    with carrier.expect_navigation():
        carrier.get_by_test_id("run-button").click()
    row = carrier.get_by_test_id("dispatch-proposal").filter(has_text="HY-FLOW-1")
    expect(row).to_contain_text("桂A9F001")
    with carrier.expect_navigation():
        row.get_by_test_id("accept").click()
    row = carrier.get_by_test_id("dispatch-proposal").filter(has_text="HY-FLOW-1")
    expect(row.get_by_test_id("proposal-state")).to_have_text("已接受")
