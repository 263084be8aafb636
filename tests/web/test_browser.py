"""The main flows through the real pages in headless chromium, against a live server with demo data.

Each test starts from a fresh, logged-out browser context (its own cookies, as another person would
have) and asserts what a person would see on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import httpx2
import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, Response, expect

from logispace.core.identifiers import uscc_with_check_character
from tests.conftest import LiveServer
from tests.web.conftest import NewContext

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "LogiSpace-demo-2026"
DEMO_PORT_PARTY = "北部湾国际港务示范集团有限公司"
UUID_PATH = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


@dataclass(frozen=True)
class Account:
    """A user to be created through the pages, and then to log in."""

    username: str
    display_name: str
    password: str


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD, *, open_form: bool = True) -> None:
    """Fill in and send the real login form (opening /login first unless already on it)."""
    if open_form:
        page.goto("/login")
    page.get_by_label("用户名", exact=True).fill(username)
    page.get_by_label("密码", exact=True).fill(password)
    # wait for the answer to the form, so the next step never reads the login page that is being left
    with page.expect_navigation():
        page.get_by_test_id("login-submit").click()


def url(server: LiveServer, path: str) -> str:
    return f"{server.url}{path}"


def search_parties(page: Page, text: str) -> None:
    """Use the search form of /admin/parties."""
    page.goto("/admin/parties")
    page.get_by_role("search").get_by_role("textbox").fill(text)
    page.get_by_role("search").get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"/admin/parties\?q="))


def party_id_of(page: Page, name: str) -> str:
    """The id of a party, read from its link in the (authority's) party list."""
    search_parties(page, name)
    link = page.get_by_test_id("parties-table").get_by_role("link", name=name, exact=True)
    href = link.get_attribute("href")
    assert href is not None
    match = re.fullmatch(rf"/admin/parties/({UUID_PATH})", href)
    assert match, href
    return match.group(1)


def submit_party_form(page: Page, name: str, uscc: str) -> None:
    """Fill in the new-party form of /admin/parties (opening it if closed) and send it."""
    form = page.get_by_test_id("party-form")
    if not form.is_visible():
        page.get_by_test_id("new-party").click()
    expect(form).to_be_visible()
    form.get_by_label("名称", exact=True).fill(name)
    form.get_by_label("统一社会信用代码", exact=True).fill(uscc)
    # the select's label also holds the option texts, so it is found by name
    form.locator('select[name="party_type"]').select_option(label="企业")
    form.get_by_label("联系人", exact=True).fill("李经理")
    form.get_by_role("button", name="创建").click()


def create_party(page: Page, server: LiveServer, name: str, uscc: str) -> str:
    """As the authority administrator: create an enterprise party; return its id."""
    page.goto("/admin/parties")
    submit_party_form(page, name, uscc)
    expect(page).to_have_url(re.compile(rf"{re.escape(server.url)}/admin/parties/{UUID_PATH}$"))
    expect(page.get_by_test_id("party-name")).to_have_text(name)
    return page.url.rsplit("/", 1)[1]


def create_user(page: Page, server: LiveServer, party_id: str, user: Account) -> None:
    """On a party's page: create a user with role party_admin."""
    page.goto(f"/admin/parties/{party_id}")
    page.get_by_test_id("new-user").click()
    form = page.get_by_test_id("user-form")
    expect(form).to_be_visible()
    form.get_by_label("用户名", exact=True).fill(user.username)
    form.get_by_label("显示名", exact=True).fill(user.display_name)
    form.get_by_label("密码", exact=True).fill(user.password)
    form.get_by_label("主体管理员", exact=True).check()
    form.get_by_role("button", name="创建").click()
    expect(page).to_have_url(url(server, f"/admin/parties/{party_id}"))
    expect(
        page.get_by_test_id("party-users").get_by_role("row").filter(has_text=user.username)
    ).to_have_count(1)


# -- 1. login ----------------------------------------------------------------------------------


def test_admin_logs_in_through_the_login_page_and_sees_the_dashboard(page: Page, live_server: LiveServer):
    page.goto("/login")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    log_in(page, "admin", open_form=False)

    expect(page).to_have_url(url(live_server, "/dashboard"))
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")
    my_party = page.get_by_test_id("my-party")
    expect(my_party).to_contain_text("示范省数据局")
    expect(my_party).to_contain_text("主管部门管理员")
    expect(page.get_by_test_id("account-link")).to_have_text("数据局管理员")
    page.get_by_test_id("menu-admin").hover()  # the administration pages drop down from their menu
    expect(page.get_by_role("link", name="主体管理")).to_be_visible()


def test_wrong_password_shows_the_login_error_and_stays_on_login(page: Page, live_server: LiveServer):
    page.goto("/login")
    expect(page.get_by_test_id("login-failed")).to_have_count(0)

    log_in(page, "admin", "not-the-password", open_form=False)

    expect(page.get_by_test_id("login-failed")).to_have_text("用户名或密码错误")
    expect(page).to_have_url(url(live_server, "/login"))
    expect(page.get_by_label("用户名", exact=True)).to_have_value("admin")
    expect(page.get_by_test_id("logout")).to_have_count(0)
    # no session was started: the dashboard still sends us to the login page
    page.goto("/dashboard")
    expect(page).to_have_url(url(live_server, "/login?next=%2Fdashboard"))


def test_logged_out_pages_redirect_to_login_and_login_follows_next(page: Page, live_server: LiveServer):
    page.goto("/dashboard")
    expect(page).to_have_url(url(live_server, "/login?next=%2Fdashboard"))
    expect(page.get_by_role("heading", name="登录")).to_be_visible()

    page.goto("/account/tokens")
    expect(page).to_have_url(url(live_server, "/login?next=%2Faccount%2Ftokens"))
    log_in(page, "bank", open_form=False)

    expect(page).to_have_url(url(live_server, "/account/tokens"))
    expect(page.get_by_role("heading", name="访问令牌", exact=True)).to_be_visible()
    expect(page.get_by_test_id("account-link")).to_have_text("银行数据分析员")


# -- 2. language ------------------------------------------------------------------------------


def test_language_switch_between_chinese_and_english(page: Page, live_server: LiveServer):
    log_in(page, "port")
    expect(page).to_have_url(url(live_server, "/dashboard"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")
    expect(page.get_by_test_id("my-party")).to_contain_text("您的主体")

    page.get_by_test_id("lang-en").click()

    expect(page).to_have_url(url(live_server, "/dashboard"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("dashboard-title")).to_have_text("Dashboard")
    expect(page.get_by_test_id("my-party")).to_contain_text("Your party")
    expect(page.get_by_test_id("my-party")).to_contain_text("Party administrator")
    expect(page.get_by_test_id("logout")).to_have_text("Log out")
    # the choice sticks for the next page (in the administration menu)
    page.get_by_test_id("menu-admin").hover()
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()

    page.get_by_test_id("lang-zh").click()

    expect(page).to_have_url(url(live_server, "/account/tokens"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="访问令牌", exact=True)).to_be_visible()
    page.get_by_role("link", name="工作台").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")


# -- 3. the authority administrator onboards a party -------------------------------------------


def test_authority_admin_creates_verifies_and_staffs_a_party(page: Page, live_server: LiveServer):
    name = "示范冷链物流测试有限公司"
    valid_demo_uscc = uscc_with_check_character("91450700MA0000004")
    assert valid_demo_uscc == "91450700MA0000004N"
    wrong_uscc = valid_demo_uscc[:-1] + "X"
    new_uscc = uscc_with_check_character("91450100MA0BT0017")
    log_in(page, "admin")
    page.goto("/admin/parties")
    expect(page.get_by_role("heading", name="主体管理")).to_be_visible()
    expect(page.get_by_test_id("parties-table")).to_contain_text(DEMO_PORT_PARTY)

    # a code whose check character is wrong: the form comes back with an error naming uscc
    submit_party_form(page, name, wrong_uscc)
    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("uscc")
    expect(errors).to_contain_text(f"check character of unified social credit code {wrong_uscc} is wrong")
    expect(page).to_have_url(url(live_server, "/admin/parties"))
    form = page.get_by_test_id("party-form")
    expect(form).to_be_visible()
    expect(form.get_by_label("名称", exact=True)).to_have_value(name)
    # ... and nothing was created
    search_parties(page, name)
    expect(page.get_by_text("共 0 条")).to_be_visible()
    expect(page.get_by_test_id("parties-table")).to_contain_text("暂无数据")

    # a valid code: the party is created and its page shown
    page.goto("/admin/parties")
    submit_party_form(page, name, new_uscc)
    expect(page).to_have_url(re.compile(rf"/admin/parties/{UUID_PATH}$"))
    party_id = page.url.rsplit("/", 1)[1]
    expect(page.get_by_test_id("party-name")).to_have_text(name)
    heading = page.locator("hgroup")
    expect(heading).to_contain_text(new_uscc)
    expect(heading).to_contain_text("企业")
    expect(heading).to_contain_text("未认证")
    history = page.get_by_test_id("verification-history")
    expect(history).to_contain_text("暂无数据")

    # real-name verification: 通过
    verify = page.get_by_test_id("verify-form")
    verify.get_by_label("备注", exact=True).fill("营业执照原件已核对")
    verify.get_by_test_id("verify-yes").click()
    expect(page).to_have_url(url(live_server, f"/admin/parties/{party_id}"))
    rows = history.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("td")).to_have_text(
        ["已认证", re.compile("营业执照核验.*营业执照原件已核对"), "admin", re.compile(r"\d{4}-\d\d-\d\d")]
    )
    expect(heading).to_contain_text("已认证")

    # a user for the party, with role party_admin
    user = Account("lenglian.admin", "冷链公司管理员", "Lenglian-2026-secret")
    create_user(page, live_server, party_id, user)
    row = page.get_by_test_id("party-users").get_by_role("row").filter(has_text=user.username)
    expect(row).to_contain_text(user.display_name)
    expect(row.get_by_label("主体管理员")).to_be_checked()
    expect(row.get_by_label("数据管理员")).not_to_be_checked()
    expect(row.get_by_label("启用")).to_be_checked()
    # authority roles are not offered for an enterprise's users
    expect(page.get_by_test_id("user-form").get_by_label("主管部门管理员")).to_have_count(0)

    # the list shows the new party, verified, exactly once
    search_parties(page, name)
    expect(page.get_by_text("共 1 条")).to_be_visible()
    expect(page.get_by_test_id("parties-table").locator("tbody tr")).to_contain_text([name])
    expect(page.get_by_test_id("parties-table").locator("tbody tr").first).to_contain_text("已认证")


# -- 4. the new party administrator: own party only, API tokens -------------------------------


def test_new_party_admin_sees_only_own_party_and_uses_an_api_token(
    new_context: NewContext, live_server: LiveServer
):
    name = "示范多式联运测试有限公司"
    user = Account("duoshi.admin", "联运公司管理员", "Duoshi-2026-secret")
    admin = new_context().new_page()
    log_in(admin, "admin")
    port_party_id = party_id_of(admin, DEMO_PORT_PARTY)
    admin.goto(f"/admin/parties/{port_party_id}")
    expect(admin.get_by_test_id("party-name")).to_have_text(DEMO_PORT_PARTY)
    party_id = create_party(admin, live_server, name, uscc_with_check_character("91450100MA0BT0025"))
    create_user(admin, live_server, party_id, user)

    page = new_context().new_page()
    log_in(page, user.username, user.password)
    expect(page).to_have_url(url(live_server, "/dashboard"))
    expect(page.get_by_test_id("my-party")).to_contain_text(name)
    expect(page.get_by_test_id("my-party")).to_contain_text("主体管理员")
    # the navigation offers their own party, not the authority's party administration
    expect(page.get_by_role("link", name="主体管理")).to_have_count(0)
    page.get_by_test_id("menu-admin").hover()
    page.get_by_role("link", name="本单位", exact=True).click()
    expect(page).to_have_url(url(live_server, f"/admin/parties/{party_id}"))
    expect(page.get_by_test_id("party-name")).to_have_text(name)
    expect(page.get_by_test_id("verify-form")).to_have_count(0)
    # the party list holds their own party alone
    page.goto("/admin/parties")
    expect(page.get_by_test_id("parties-table").locator("tbody tr")).to_have_text([re.compile(name)])
    expect(page.get_by_test_id("new-party")).to_have_count(0)
    # another party's page is not found
    response = page.goto(f"/admin/parties/{port_party_id}")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_test_id("error-page")).to_contain_text("404")
    expect(page.locator("body")).not_to_contain_text(DEMO_PORT_PARTY)

    # a personal API token, shown once (in the administration menu)
    page.get_by_test_id("menu-admin").hover()
    page.get_by_role("link", name="访问令牌").click()
    expect(page).to_have_url(url(live_server, "/account/tokens"))
    token_form = page.get_by_test_id("token-form")
    token_form.get_by_label("令牌名称", exact=True).fill("报表同步")
    token_form.get_by_label("有效天数", exact=True).fill("30")
    token_form.get_by_role("button", name="创建").click()
    expect(page.get_by_test_id("new-token")).to_contain_text("新令牌只显示这一次")
    shown = page.get_by_test_id("token-value")
    expect(shown).to_have_text(re.compile(r"^lsp_\S{20,}$"))
    token = shown.inner_text().strip()
    token_row = page.get_by_test_id("tokens-table").get_by_role("row").filter(has_text="报表同步")
    expect(token_row).to_contain_text("有效")
    expect(token_row).to_contain_text(token[:10])
    page.goto("/account/tokens")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(token)

    # the token works against the API
    me = httpx2.get(url(live_server, "/api/v1/me"), headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["user"]["username"] == user.username
    assert body["party"] == {
        "id": party_id,
        "name": name,
        "party_type": "enterprise",
        "verification_status": "unverified",
    }
    assert body["authenticated_by"] == "token"

    # revoked on the page, the token no longer works
    token_row.get_by_test_id("revoke").click()
    expect(page).to_have_url(url(live_server, "/account/tokens"))
    expect(token_row).to_contain_text("已吊销")
    expect(token_row.get_by_test_id("revoke")).to_have_count(0)
    after = httpx2.get(
        url(live_server, "/api/v1/me"), headers={"Authorization": f"Bearer {token}"}, timeout=10
    )
    assert after.status_code == 401, after.text
    assert after.headers["content-type"].startswith("application/problem+json")


# -- 5. logout ----------------------------------------------------------------------------------


def test_logout_returns_to_login_and_ends_the_session(page: Page, live_server: LiveServer):
    log_in(page, "bank")
    expect(page).to_have_url(url(live_server, "/dashboard"))
    session_cookies = page.context.cookies()
    assert session_cookies, "logging in set no cookie"

    page.get_by_test_id("logout").click()

    expect(page).to_have_url(url(live_server, "/login"))
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    expect(page.get_by_test_id("logout")).to_have_count(0)
    page.goto("/dashboard")
    expect(page).to_have_url(url(live_server, "/login?next=%2Fdashboard"))
    # the session is ended on the server too, not only forgotten by the browser
    page.context.add_cookies(session_cookies)
    page.goto("/dashboard")
    expect(page).to_have_url(url(live_server, "/login?next=%2Fdashboard"))


# -- 6. API docs --------------------------------------------------------------------------------


def test_api_docs_load_local_swagger_ui_without_console_errors(page: Page, live_server: LiveServer):
    log_in(page, "bank")
    expect(page).to_have_url(url(live_server, "/dashboard"))
    problems: list[str] = []
    requested: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    def on_request_failed(request: Request) -> None:
        problems.append(f"failed {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("request", lambda request: requested.append(request.url))

    page.get_by_test_id("menu-admin").hover()
    page.get_by_role("link", name="接口文档").click()

    expect(page).to_have_url(url(live_server, "/api/docs"))
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("LogiSpace")
    expect(page.locator(".opblock-summary-path").filter(has_text=re.compile(r"^/api/v1/me$"))).to_have_count(
        1
    )
    assert url(live_server, "/static/vendor/swagger-ui/swagger-ui-bundle.js") in requested
    assert url(live_server, "/static/vendor/swagger-ui/swagger-ui.css") in requested
    assert url(live_server, "/openapi.json") in requested
    assert [u for u in requested if not u.startswith(live_server.url)] == []
    assert problems == []
