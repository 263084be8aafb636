"""Page security (issue 15, point 10): a Content-Security-Policy without inline script, HSTS
exactly when cookies are secure, login CSRF refused, and the session cookie's flags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import logispace.domains
from logispace.core.config import Settings
from logispace.web.templates import template_folders
from tests.conftest import World
from tests.factories.identity import PASSWORD
from tests.identity.support import _CSRF_INPUT, login_form_token

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"""\son[a-z]+\s*=|\shx-on[:\-=]""", re.IGNORECASE)


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in policy.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.fixture
def secure_client(app: FastAPI, settings: Settings) -> Iterator[TestClient]:
    """A client of the app configured with secure cookies, speaking https as it then must."""
    app.state.settings = settings.model_copy(update={"cookie_secure": True})
    with TestClient(app, base_url="https://testserver") as c:
        yield c


def test_pages_carry_a_content_security_policy_without_inline_script(client: TestClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    policy = _directives(response.headers["content-security-policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]


def test_api_docs_page_has_no_inline_script(client: TestClient, world: World) -> None:
    token = login_form_token(client)
    r = client.post(
        "/login",
        data={"username": world.a_admin.username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = client.get("/api/docs")
    assert page.status_code == 200
    tags = SCRIPT_TAG.findall(page.text)
    assert tags, "the page loads swagger-ui"
    assert all("src=" in attrs or "application/json" in attrs for attrs in tags), tags
    assert "script-src 'self'" in page.headers["content-security-policy"]


def test_no_template_has_inline_script_or_event_handlers(process_app: FastAPI) -> None:
    folders = template_folders()
    domains = Path(logispace.domains.__file__).parent
    # the shell, the app's composed pages and every domain's templates
    assert set(folders) >= {folder for folder in domains.glob("*/templates") if folder.is_dir()}
    found = []
    for folder in folders:
        for path in folder.rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for attrs in SCRIPT_TAG.findall(text):
                if "src=" not in attrs and 'type="application/json"' not in attrs:
                    found.append(f"{path.name}: <script{attrs}>")
            found.extend(f"{path.name}: {m.group(0).strip()}" for m in EVENT_HANDLER.finditer(text))
    assert found == []


def test_no_hsts_while_cookies_are_not_secure(client: TestClient) -> None:
    assert "strict-transport-security" not in client.get("/login").headers


def test_hsts_when_cookies_are_secure(secure_client: TestClient) -> None:
    hsts = secure_client.get("/login").headers["strict-transport-security"]
    assert re.fullmatch(r"max-age=\d+", hsts) and int(hsts.split("=")[1]) >= 31536000


@pytest.mark.parametrize(
    ("fields", "secure"),
    [
        ({}, True),  # a deployment: secure by default
        ({"listen_host": "0.0.0.0"}, True),  # noqa: S104 (a value under test)
        ({"listen_host": "203.0.113.7"}, True),
        ({"listen_host": "127.0.0.1"}, False),  # local development over http (make demo, tests)
        ({"listen_host": "localhost"}, False),
        ({"listen_host": "::1"}, False),
        ({"listen_host": "127.0.0.1", "cookie_secure": True}, True),
        ({"listen_host": "0.0.0.0", "cookie_secure": False}, False),  # noqa: S104
        ({"cookie_secure": False}, False),
    ],
)
def test_cookies_are_secure_unless_served_on_loopback(fields: dict[str, object], secure: bool) -> None:
    assert Settings(**fields).secure_cookies is secure  # type: ignore[arg-type]


def test_login_without_csrf_token_is_refused(client: TestClient, world: World) -> None:
    login_form_token(client)  # the pre-session cookie alone is not enough
    r = client.post(
        "/login", data={"username": world.a_admin.username, "password": PASSWORD}, follow_redirects=False
    )
    assert r.status_code == 403
    assert 'data-testid="login-expired"' in r.text
    assert client.get("/api/v1/me").status_code == 401


def test_login_with_a_wrong_csrf_token_is_refused(client: TestClient, world: World) -> None:
    token = login_form_token(client)
    data = {"username": world.a_admin.username, "password": PASSWORD, "csrf_token": token + "x"}
    r = client.post("/login", data=data, follow_redirects=False)
    assert r.status_code == 403
    assert "set-cookie" not in r.headers or "logispace_session" not in r.headers["set-cookie"]


def test_a_cross_site_login_post_is_refused(app: FastAPI, client: TestClient, world: World) -> None:
    """The attacker's own form token does not fit the victim's pre-session cookie."""
    with TestClient(app, base_url="http://testserver") as attacker:
        stolen = login_form_token(attacker)
    login_form_token(client)  # the victim has a pre-session cookie of their own
    data = {"username": world.a_admin.username, "password": PASSWORD, "csrf_token": stolen}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403
    client.cookies.clear()  # and none at all: refused too
    assert client.post("/login", data=data, follow_redirects=False).status_code == 403


def test_login_with_the_form_token_works_and_sets_the_cookie_flags(client: TestClient, world: World) -> None:
    token = login_form_token(client)
    data = {"username": world.a_admin.username, "password": PASSWORD, "csrf_token": token}
    r = client.post("/login", data=data, follow_redirects=False)
    assert r.status_code == 303
    cookie = r.headers["set-cookie"].lower()
    assert "logispace_session=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # tests run as local development over http


def test_secure_settings_give_a_secure_session_cookie(secure_client: TestClient, world: World) -> None:
    pre = secure_client.get("/login")
    assert "; secure" in pre.headers["set-cookie"].lower()  # the pre-session cookie too
    token = _CSRF_INPUT.search(pre.text).group(1)  # type: ignore[union-attr]
    data = {"username": world.a_admin.username, "password": PASSWORD, "csrf_token": token}
    r = secure_client.post("/login", data=data, follow_redirects=False)
    assert r.status_code == 303
    session_cookie = [c for c in r.headers.get_list("set-cookie") if c.startswith("logispace_session=")]
    assert session_cookie and "secure" in session_cookie[0].lower()
    assert "httponly" in session_cookie[0].lower()
