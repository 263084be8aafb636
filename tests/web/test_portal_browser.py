"""Journeys 1 and 5 in the browser, each test a script a person could follow (issue 17).

1. A visitor opens the portal home: figures, featured open data with charts, a search into the
   catalogue, the registry's publicity, verification of a certificate by its code and of a document
   by its file, and the portal footer.
5. The data authority works from its dashboard: the to-do list with counts and links, grading review
   with a reason (the holder reads the decision), the waybills and documents of its jurisdiction;
   a bank's analyst cannot open those pages.
And the top menu, grouped by role, stays on one line at 1280 px for every demo role.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

PORT = "北部湾国际港务示范集团有限公司"


# -- journey 1: a visitor on the portal home ---------------------------------------------------------


def test_a_visitor_finds_data_and_verifies_from_the_portal_home(page: Page, live_server: LiveServer) -> None:
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    # The visitor opens the platform's address and lands on the portal, not on a login box.
    page.goto("/")
    expect(page.get_by_test_id("portal-hero")).to_contain_text("物流可信数据空间")
    expect(page.get_by_test_id("portal-login")).to_be_visible()

    # Four figures say what the platform holds.
    for key in ("resources", "open", "registrations", "documents"):
        figure = page.get_by_test_id(f"figure-{key}").locator("strong")
        expect(figure).to_have_text(re.compile(r"^[1-9][\d,]*$"))

    # Featured open data, with its row counts drawn by ECharts (a static script: no inline code).
    expect(page.get_by_test_id("featured-card")).to_have_count(4)
    expect(page.locator("#chart-rows[data-drawn=true] svg")).to_have_count(1)
    expect(page.locator("#chart-categories[data-drawn=true] svg")).to_have_count(1)

    # The registry's publicity is on the home page.
    expect(page.get_by_test_id("portal-publicity").get_by_role("listitem").first).to_contain_text("公示期")

    # The footer names the operator, the contact, the ICP filing and the help.
    footer = page.get_by_test_id("portal-footer")
    expect(footer).to_contain_text("运营单位")
    expect(footer).to_contain_text("ICP备案号：待备案")
    footer.get_by_test_id("footer-help").click()
    expect(page.get_by_test_id("help-title")).to_have_text("使用帮助")

    # Searching from the home page opens the catalogue's results.
    page.goto("/")
    page.get_by_test_id("portal-search").get_by_role("searchbox").fill("港口")
    page.get_by_test_id("portal-search").get_by_role("button", name="检索").click()
    expect(page).to_have_url(re.compile(r"/catalog\?q="))

    # A certificate is verified by its code, as printed on it.
    page.goto("/registry")
    code_link = page.get_by_role("link", name=re.compile(r"^DJR-")).first
    code = code_link.inner_text().strip()
    page.goto("/")
    form = page.get_by_test_id("verify-certificate-form")
    form.get_by_role("textbox").fill(code.lower())
    form.get_by_role("button", name="核验证书").click()
    expect(page).to_have_url(f"{live_server.url}/registry/certificates/{code}")
    expect(page.get_by_text(code).first).to_be_visible()

    # A file that was never notarized is reported as such, in Chinese.
    page.goto("/")
    page.get_by_test_id("verify-file-link").click()
    page.get_by_test_id("verify-file-form").locator("input[type=file]").set_input_files(
        files=[{"name": "发票.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 never notarized"}]
    )
    page.get_by_test_id("verify-file-form").get_by_role("button", name="核验").click()
    expect(page.get_by_test_id("verdict")).to_have_text("未找到存证")
    assert problems == []


def test_a_logged_in_user_reaches_the_dashboard_from_the_portal(page: Page, live_server: LiveServer) -> None:
    log_in(page, "port")
    page.goto("/")
    page.get_by_test_id("enter-workbench").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard")


# -- journey 5: the data authority ---------------------------------------------------------------------


def test_the_authority_works_through_its_to_do_list(
    page: Page, new_context: NewContext, live_server: LiveServer
) -> None:
    # The data authority's administrator logs in and sees what waits, with counts.
    log_in(page, "admin")
    todo = page.get_by_test_id("todo-list")
    for key in ("verify-parties", "grading", "list-version"):
        expect(todo.get_by_test_id(f"todo-{key}").get_by_test_id("todo-count")).to_have_text(
            re.compile(r"^\d+$")
        )
    waiting = int(todo.get_by_test_id("todo-grading").get_by_test_id("todo-count").inner_text())
    assert waiting > 0

    # Grading review: the administrator opens the queue and a resource of the port.
    todo.get_by_test_id("todo-grading").get_by_role("link", name="待审核分级").click()
    expect(page.get_by_test_id("grading-title")).to_have_text("分级审核")
    row = page.get_by_test_id("grading-row").filter(has_text=PORT).first
    resource_name = row.locator("td").first.inner_text()
    row.get_by_role("button", name="审核").click()

    # Raising it to 重要数据 is refused while the resource is opened without conditions: the form
    # says why, and nothing changes.
    form = page.get_by_test_id("grading-form")
    grade = page.get_by_test_id("current-grade").locator("strong").inner_text()
    form.locator("select[name=grade]").select_option(label="重要数据")
    form.get_by_label("审核理由").fill("涉及港口作业的生产数据")
    form.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("共享、开放条件不符")
    expect(page.get_by_test_id("current-grade")).to_contain_text(grade)

    # The grade is approved as it is, with a reason; the decision is saved and notarized.
    form.locator("select[name=grade]").select_option(label=f"{grade}（维持当前分级）")
    form.get_by_label("审核理由").fill("分级依据充分，维持原分级，按一般数据管理")
    form.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_test_id("grading-saved")).to_be_visible()
    expect(page.get_by_test_id("grading-decisions")).to_contain_text("确认分级")

    # The to-do count went down by one.
    page.get_by_test_id("nav-dashboard").click()
    expect(page.get_by_test_id("todo-grading").get_by_test_id("todo-count")).to_have_text(str(waiting - 1))

    # The jurisdiction's waybills, from the logistics menu, filtered by status.
    page.get_by_test_id("nav-trace").hover()
    page.get_by_test_id("nav-jurisdiction-waybills").click()
    expect(page.get_by_test_id("jurisdiction-title")).to_have_text("辖区运单")
    expect(page.get_by_test_id("jurisdiction-waybills").locator("tbody tr").first).to_be_visible()
    page.get_by_test_id("waybill-filters").locator("select[name=status]").select_option(label="已关闭")
    page.get_by_test_id("waybill-filters").get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(r"status=closed"))
    statuses = page.get_by_test_id("jurisdiction-waybills").locator("tbody tr td:nth-child(2)")
    for text in statuses.all_inner_texts():
        assert text in ("已关闭", "暂无数据") or text == "", text

    # The jurisdiction's documents, searched by title.
    page.goto("/authority/documents")
    page.get_by_test_id("document-filters").get_by_role("textbox").fill("运单")
    page.get_by_test_id("document-filters").get_by_role("button", name="筛选").click()
    expect(page.get_by_test_id("jurisdiction-documents").locator("tbody tr").first).to_contain_text("运单")

    # The port's data steward reads the decision on its own dashboard.
    holder = new_context().new_page()
    log_in(holder, "port")
    decisions = holder.get_by_test_id("grading-decisions-received")
    expect(decisions).to_contain_text(resource_name)
    expect(decisions).to_contain_text("按一般数据管理")

    # A bank's analyst cannot open the authority's pages: a Chinese refusal.
    bank = new_context().new_page()
    log_in(bank, "bank")
    for path in ("/catalog/grading", "/authority/waybills", "/authority/documents"):
        bank.goto(path)
        expect(bank.get_by_test_id("error-page")).to_contain_text("无权办理")


# -- the top menu --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username", ["", "admin", "reviewer", "registrar", "port", "carrier", "bank", "shipper01"]
)
def test_the_menu_stays_on_one_line_at_1280_px(page: Page, live_server: LiveServer, username: str) -> None:
    if username:
        log_in(page, username)
    else:
        page.goto("/")
    assert page.viewport_size == {"width": 1280, "height": 900}
    items = page.locator("ul.mainmenu > li")
    tops = {round(box["y"]) for box in (items.nth(i).bounding_box() for i in range(items.count())) if box}
    assert max(tops) - min(tops) <= 8, f"the menu wraps: item tops {sorted(tops)}"
    last = items.nth(items.count() - 1).bounding_box()
    assert last is not None and last["x"] + last["width"] <= 1280, f"the menu runs past the window: {last}"
    topbar = page.locator("header.topbar nav").bounding_box()
    assert topbar is not None and topbar["height"] < 80, topbar
    # a group's pages open below it on hover, and every button keeps its text on one line
    page.get_by_test_id("menu-catalog").hover()
    expect(page.get_by_test_id("nav-lists")).to_be_visible()
    wrapped = page.evaluate(WRAPPED_BUTTONS)
    assert wrapped == [], f"buttons whose text wraps: {wrapped}"


WRAPPED_BUTTONS = """() => [...document.querySelectorAll("button, [role=button]")].filter((el) => {
  const s = getComputedStyle(el);
  if (el.offsetParent === null) { return false; }
  const line = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.5;
  const text = el.clientHeight - parseFloat(s.paddingTop) - parseFloat(s.paddingBottom);
  return text > 1.5 * line;
}).map((el) => el.innerText)"""
"""The visible buttons whose text takes more than one line (a button wrapping vertically)."""
