"""The dispatcher's board (调度看板) in a real browser: the demo carrier's day, its accepted match run
with the empty-running report, the route map drawn by ECharts, and a new match run from the form."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

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
    expect(page.get_by_test_id("dispatch-unassigned")).to_contain_text("没有载重足够的车辆")
