"""Journey 3, registration (公共数据资源登记), end to end through the pages, in headless chromium.

The demo's 交通运输局 files its 公路货运价格指数 resource with the ledger receipt of its upload as
evidence (the form shows the fields of the chosen type only), sends its materials several at once and
is warned before submitting an incomplete file; the registration centre opens the materials (another
party cannot), accepts, passes the formal review and so starts the 10-working-day publicity, during
which 赋码发证 is not offered; once the clock has passed the publicity's last day the centre issues it,
and the registration is found in the public registry by its number.

The server is the live server's database and object store served by a second process whose clock the
test sets (``tests/web/clocked_server.py``): working days need time to pass. The walk runs in
November 2026, inside the years the PRC working-day calendar covers.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import cast

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, BrowserContext, FilePayload, Page, expect
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from logispace.domains.identity.models import User
from tests.conftest import LiveServer
from tests.factories.identity import bearer, make_token
from tests.factories.registration import file_application, initial_body, registrable_resource
from tests.live_server import serving
from tests.registration.test_api_flows import act
from tests.web.clocked_server import CLOCK_FILE
from tests.web.clocked_server import command as clocked_command
from tests.web.conftest import TIMEOUT_MS
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "registration-browser"  # screenshots of each step, to look at
RESOURCE = "公路货运价格指数"
HOLDER = "示范市交通运输局"


@dataclass
class ClockedServer:
    url: str
    clock_file: Path

    def set_day(self, day: str) -> None:
        """10:00 China time (02:00 UTC) of ``day``."""
        self.clock_file.write_text(f"{day}T02:00:00+00:00", encoding="utf-8")


@pytest.fixture
def clocked_server(live_server: LiveServer, tmp_path: Path) -> Iterator[ClockedServer]:
    """The live server's data served by a process whose clock the test sets."""
    clock_file = tmp_path / "clock.txt"
    server = ClockedServer("", clock_file)
    server.set_day("2026-11-02")
    env = {**live_server.env, CLOCK_FILE: str(clock_file)}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")])
    with serving(env, tmp_path / "clocked.log", clocked_command) as url:
        server.url = url
        yield server


def context_on(browser: Browser, server: ClockedServer) -> BrowserContext:
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1280, "height": 900}, locale="zh-CN"
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pdf(name: str) -> FilePayload:
    return {"name": f"{name}.pdf", "mimeType": "application/pdf", "buffer": f"%PDF-1.7 {name}".encode()}


def choose_materials(page: Page, materials: list[str]) -> None:
    """Choose a file for each of ``materials`` in the one materials form (several at once)."""
    form = page.get_by_test_id("materials-form")
    for material in materials:
        row = form.locator(f'[data-testid="material-row"][data-material="{material}"]')
        row.get_by_test_id("material-file").set_input_files(files=[pdf(material)])


def test_an_initial_registration_from_filing_to_the_public_registry(
    browser: Browser, clocked_server: ClockedServer
) -> None:
    """Journey 3: the holder files (the form shows the chosen type's fields only), sends its materials
    several at once, is warned before submitting an incomplete file; the registration centre opens the
    materials, is offered only the steps the state allows, and issues after the publicity; anyone finds
    the registration by its number."""
    contexts = [context_on(browser, clocked_server) for _ in range(4)]
    try:
        holder, centre, visitor, outsider = (c.new_page() for c in contexts)

        # the holder opens a new application: the form shows the fields of the chosen type only
        log_in(holder, "transport")
        holder.get_by_test_id("nav-registration").click()
        expect(holder).to_have_url(f"{clocked_server.url}/registration")
        holder.get_by_test_id("new-application").click()
        form = holder.get_by_test_id("new-application-form")
        holder.get_by_test_id("type-cancellation").click()
        expect(form.get_by_test_id("cancellation-ground")).to_be_visible()
        expect(form.get_by_test_id("catalog-code")).to_have_count(0)
        expect(form.get_by_test_id("info-sheet")).to_have_count(0)
        holder.get_by_test_id("type-initial").click()
        expect(holder.get_by_test_id("type-help")).to_contain_text("首次登记")
        expect(form.get_by_test_id("registration-id")).to_have_count(0)
        expect(form.get_by_test_id("cancellation-ground")).to_have_count(0)

        # its resource, the ledger receipt of the upload, the information sheet
        resource_option = form.get_by_test_id("catalog-code").locator("option", has_text=RESOURCE)
        code = resource_option.get_attribute("value")
        assert code
        form.get_by_test_id("catalog-code").select_option(code)
        receipt = form.get_by_test_id("evidence").locator(f'option[data-code="{code}"]').first
        form.get_by_test_id("evidence").select_option(receipt.get_attribute("value"))
        form.get_by_test_id("business-review").check()
        form.get_by_test_id("info-industry").fill("交通运输")
        form.get_by_test_id("content-summary").fill("全省公路货运价格指数，按周发布")
        shot(holder, "1-new-application")
        form.get_by_test_id("create-application").click()
        expect(holder.get_by_test_id("application-title")).to_have_text(RESOURCE)
        expect(holder.get_by_test_id("state")).to_have_text("草稿")
        application_url = holder.url.split("?")[0]

        # two materials go up together in one form
        missing = holder.get_by_test_id("missing-items").locator("li")
        expect(missing).to_have_count(6)
        keys = [k.split(" | ")[0] for k in (li.get_attribute("data-key") or "" for li in missing.all())]
        choose_materials(holder, keys[:2])
        holder.get_by_test_id("upload").click()
        expect(holder.get_by_test_id("done")).to_be_visible()
        expect(holder.get_by_test_id("attachments-table").get_by_test_id("attachment-row")).to_have_count(2)
        expect(holder.get_by_test_id("missing-items").locator("li")).to_have_count(4)

        # submitting now asks first, naming the four materials still missing; the holder goes back
        holder.get_by_test_id("submit").click()
        confirm = holder.get_by_test_id("confirm-incomplete")
        expect(confirm.get_by_test_id("confirm-missing").locator("li")).to_have_count(4)
        expect(confirm).to_contain_text("数据安全风险评估")
        expect(holder.get_by_test_id("state")).to_have_text("草稿")
        shot(holder, "2-incomplete-warning")
        confirm.get_by_test_id("back-to-materials").click()
        choose_materials(holder, keys[2:])
        holder.get_by_test_id("upload").click()
        expect(holder.get_by_test_id("missing-items")).to_have_count(0)
        expect(holder.get_by_test_id("attachments-table").get_by_test_id("attachment-row")).to_have_count(6)
        holder.get_by_test_id("submit").click()  # complete: no question asked
        expect(holder.get_by_test_id("state")).to_have_text("已提交待受理")
        expect(holder.get_by_test_id("deadline")).to_contain_text("2026-11-05")  # 3 working days
        shot(holder, "3-submitted")

        # the registration centre finds it in its queue and opens a material
        log_in(centre, "registrar")
        centre.goto("/registration/review?state=submitted")
        row = centre.get_by_test_id("queue-row").filter(has_text=RESOURCE)
        expect(row).to_contain_text("2026-11-05")
        row.get_by_test_id("application-link").click()
        opened = centre.get_by_test_id("open-material")
        expect(opened).to_have_count(6)
        link = opened.first.get_attribute("href")
        assert link
        material = centre.context.request.get(link)
        assert material.status == 200 and material.body().startswith(b"%PDF-1.7")
        # another party cannot open it: 404 as if there were none
        log_in(outsider, "port")
        assert outsider.context.request.get(link).status == 404

        # only the steps the state allows are offered: accept, then pass the formal review
        expect(centre.get_by_test_id("issue")).to_have_count(0)
        centre.get_by_test_id("accept").click()
        expect(centre.get_by_test_id("state")).to_have_text("形式审核中")
        expect(centre.get_by_test_id("deadline")).to_contain_text("2026-11-30")  # 20 working days
        expect(centre.get_by_test_id("accept")).to_have_count(0)
        centre.get_by_test_id("pass-review").click()
        expect(centre.get_by_test_id("state")).to_have_text("公示中")
        expect(centre.get_by_test_id("publicity-period").first).to_contain_text("2026-11-02 ~ 2026-11-16")

        # during publicity 赋码发证 is not offered; the page says until when
        expect(centre.get_by_test_id("issue")).to_have_count(0)
        expect(centre.get_by_test_id("publicity-running")).to_contain_text("公示期至 2026-11-16")
        shot(centre, "4-publicity-no-issue")

        # anyone reads the publicity list with the period
        visitor.goto("/registry/publicity")
        item = visitor.get_by_test_id("publicity-item").filter(has_text=RESOURCE)
        expect(item.get_by_test_id("publicity-period")).to_contain_text("2026-11-02 ~ 2026-11-16")

        # the day after the publicity's last day the centre issues the registration
        clocked_server.set_day("2026-11-17")
        log_in(centre, "registrar")  # the old session has expired
        centre.goto(application_url)
        centre.get_by_test_id("issue").click()
        expect(centre.get_by_test_id("state")).to_have_text("已登记")
        record = centre.get_by_test_id("record")
        expect(record).to_contain_text("2026-11-17 ~ 2029-11-16")  # to its last valid day
        number = record.get_by_test_id("record-code").inner_text().strip()
        steps = centre.get_by_test_id("step")
        expect(steps).to_have_count(4)
        assert [s.get_attribute("data-action") for s in steps.all()] == [
            "submit",
            "accept",
            "pass_review",
            "close_publicity",
        ]
        shot(centre, "5-issued")

        # the public registry finds it by its registration number, and by name and industry
        visitor.goto("/registry")
        search = visitor.get_by_test_id("registry-search")
        search.get_by_role("searchbox").fill(number)
        search.get_by_role("button", name="搜索").click()
        found = visitor.get_by_test_id("registry-row")
        expect(found).to_have_count(1)
        expect(found).to_contain_text(RESOURCE)
        expect(found).to_contain_text(HOLDER)
        expect(found).to_contain_text("有效")
        search.get_by_role("searchbox").fill("货运价格")
        search.get_by_label("所属行业").select_option("交通运输")
        search.get_by_role("button", name="搜索").click()
        expect(visitor.get_by_test_id("registry-row").filter(has_text=RESOURCE)).to_have_count(1)
        expect(visitor.get_by_test_id("publicity-item").filter(has_text=RESOURCE)).to_have_count(0)
        shot(visitor, "6-registry")

        # the statistics of the quarter count it
        visitor.goto("/registry/statistics?year=2026&quarter=4")
        expect(visitor.get_by_test_id("total-issued")).not_to_have_text("0")
        expect(visitor.get_by_test_id("chart-type").locator("svg")).to_have_count(1)
    finally:
        for context in contexts:
            context.close()


def api_tokens(server: LiveServer, *usernames: str) -> list[dict[str, str]]:
    """API tokens of demo users, minted in the live server's database; used only in November 2026."""
    engine = create_engine(server.env["LOGISPACE_DATABASE_URL"])
    try:
        with Session(engine) as db:
            headers = []
            for name in usernames:
                user = db.scalars(select(User).where(User.username == name)).one()
                headers.append(bearer(make_token(db, user, days=300)))
            db.commit()
            return headers
    finally:
        engine.dispose()


def test_the_holder_applies_for_renewal_and_the_centre_approves_it(
    browser: Browser, clocked_server: ClockedServer, live_server: LiveServer
) -> None:
    """A fresh resource is registered through the API (fast); in its renewal window the holder applies
    for renewal (申请续展) on its registrations page and the centre approves it from its queue."""
    holder_api, centre_api = api_tokens(live_server, "transport", "registrar")
    with httpx.Client(base_url=clocked_server.url, timeout=30) as http:
        api = cast(TestClient, http)
        resource = registrable_resource(api, holder_api, name=f"续展演示数据 {time.time_ns()}")
        application = file_application(api, holder_api, initial_body(resource))
        act(api, holder_api, application["id"], "submit")
        act(api, centre_api, application["id"], "accept")
        passed = act(api, centre_api, application["id"], "review/pass")
        clocked_server.set_day((date.fromisoformat(passed["publicity_end"]) + timedelta(days=1)).isoformat())
        record_id = act(api, centre_api, application["id"], "issue")["registration_id"]
        record = http.get(f"/api/v1/registration/records/{record_id}", headers=holder_api).json()
    valid_to = date.fromisoformat(record["valid_to"])
    clocked_server.set_day((valid_to - timedelta(days=10)).isoformat())

    holder_ctx, centre_ctx = (context_on(browser, clocked_server) for _ in range(2))
    try:
        holder, centre = holder_ctx.new_page(), centre_ctx.new_page()
        log_in(holder, "transport")
        holder.goto("/registration")
        cell = holder.locator(f'[data-testid="renewal-cell"][data-id="{record_id}"]')
        cell.get_by_test_id("renewal-open").click()
        cell.get_by_test_id("renewal-note").fill("仍需继续使用")
        cell.get_by_test_id("renewal-submit").click()
        expect(holder.get_by_test_id("done")).to_be_visible()
        expect(holder.locator(f'[data-testid="renewal-cell"][data-id="{record_id}"]')).to_contain_text(
            "续展申请待审核"
        )
        shot(holder, "9-renewal-requested")

        log_in(centre, "registrar")
        centre.goto("/registration/review")
        row = centre.get_by_test_id("renewal-request-row").filter(has_text=record["certificate_code"])
        expect(row).to_contain_text(record["data_name"])
        row.get_by_test_id("renewal-approve").click()
        expect(centre.get_by_test_id("done")).to_have_text("已准予续展。")
        expect(
            centre.get_by_test_id("renewal-request-row").filter(has_text=record["certificate_code"])
        ).to_have_count(0)
        shot(centre, "10-renewal-approved")

        renewed_to = date(valid_to.year + 3, valid_to.month, valid_to.day).isoformat()
        holder.goto("/registration")
        last_day = date.fromisoformat(renewed_to) - timedelta(days=1)  # pages show the last valid day
        expect(holder.get_by_test_id("records-table")).to_contain_text(f"{valid_to} ~ {last_day.isoformat()}")
    finally:
        for context in (holder_ctx, centre_ctx):
            context.close()
