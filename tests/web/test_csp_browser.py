"""The Content-Security-Policy breaks no page (issue 15, point 10): the main pages, with HTMX and
ECharts, load in chromium without a single console error or policy violation."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Page

from tests.conftest import LiveServer
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

PAGES = (
    "/",
    "/verify",
    "/help",
    "/dashboard",
    "/catalog",
    "/catalog?q=运单",
    "/registry",
    "/registry/publicity",
    "/registry/statistics?year=2026&quarter=4",
    "/registration",
    "/admin/parties",
    "/account",
    "/account/tokens",
)


def test_pages_run_under_the_policy_without_console_errors(page: Page, live_server: LiveServer) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: page error {error}"))
    first = page.goto("/login")
    assert first is not None and "script-src 'self'" in first.headers["content-security-policy"]
    log_in(page, "bank", open_form=False)
    page.wait_for_url("**/dashboard")
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    page.goto("/registry/statistics?year=2026&quarter=4")
    assert page.locator("#chart-data").count() == 1
    assert page.locator("svg").count() > 0, "ECharts drew its charts"
    assert problems == []
