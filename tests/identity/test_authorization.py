"""Authentication on every route, and party isolation (主体隔离) on every record route.

* Every route of the real app, found by walking ``app.routes``, refuses a caller without
  credentials, except the explicit ``PUBLIC`` allowlist. A new route that forgets its login
  dependency fails :func:`test_every_route_requires_authentication_except_the_public_allowlist`.
* A user of party A asking for a record of party B gets the same 404 as for a record that does not
  exist, learns nothing about B, and changes nothing; list routes show A nothing of B. Each such
  request is also made by someone who may see the record, so the 404 cannot come from a broken route.
* Role rules: who may create users, grant roles, decide real-name verification; revoked and expired
  tokens stop working.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.routing import Mount, Route

from logispace.core.clock import utcnow
from logispace.core.errors import PROBLEM_MEDIA_TYPE
from logispace.domains.identity.models import ApiToken
from logispace.web.i18n import LANGUAGE_COOKIE
from tests.conftest import Actor, World
from tests.factories.identity import PASSWORD, bearer, random_name

JSON = dict[str, Any]


def is_api_path(path: str) -> bool:
    """The paths whose errors are problem documents (as ``logispace.web.errors`` decides)."""
    return path == "/api" or path.startswith(("/api/", "/openapi.json"))


def assert_problem(response: Any, status: int, code: str | None = None) -> JSON:
    """``response`` is an RFC 9457 problem with ``status`` (and ``code``); returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM_MEDIA_TYPE), response.headers
    body: JSON = response.json()
    assert body["status"] == status
    assert body["type"].startswith("/problems/")
    if code is not None:
        assert body["code"] == code, body
    if status == 401:
        assert response.headers.get("www-authenticate", "").startswith("Bearer"), response.headers
    return body


# -- a: authentication on every route -----------------------------------------------------------


@dataclass(frozen=True)
class PublicProbe:
    """How to call a public route, and what it answers without credentials."""

    url: str
    status: int
    form: dict[str, str] | None = None


# (method, route path) -> probe. The only routes that answer without a login.
PUBLIC: dict[tuple[str, str], PublicProbe] = {
    ("GET", "/api/v1/health"): PublicProbe("/api/v1/health", 200),
    ("GET", "/login"): PublicProbe("/login", 200),
    ("POST", "/login"): PublicProbe("/login", 401, form={"username": "nobody", "password": "wrong-password"}),
    ("GET", "/lang/{language}"): PublicProbe("/lang/en?next=/admin/parties", 303),
    ("GET", "/problems/{code}"): PublicProbe("/problems/not-found", 200),
    ("GET", "/static"): PublicProbe("/static/app.css", 200),
}

# Routes the walk must find, so that it cannot pass by finding nothing.
KNOWN_PROTECTED = {
    ("GET", "/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/parties/{party_id}"),
    ("PATCH", "/api/v1/users/{user_id}"),
    ("DELETE", "/api/v1/tokens/{token_id}"),
    ("GET", "/"),
    ("GET", "/dashboard"),
    ("GET", "/admin/parties/{party_id}"),
    ("POST", "/admin/parties/{party_id}/verify"),
    ("POST", "/account/tokens/{token_id}/revoke"),
    ("POST", "/logout"),
}

_PATH_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


def walk_routes(app: FastAPI) -> list[tuple[str, str, str]]:
    """``(method, route path, url to call)`` for every route and method of ``app``."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path
        assert path is not None, f"a route without a path: {route!r}"
        if isinstance(route, Mount):
            found.append(("GET", path, f"{path.rstrip('/')}/app.css"))
            continue
        if not isinstance(route, (APIRoute, Route)) or not context.methods:
            raise AssertionError(f"{route!r} is of a kind this test cannot call; teach it (and check auth)")
        url = _PATH_PARAM.sub(lambda _: str(uuid.uuid4()), path)
        found.extend((method, path, url) for method in sorted(context.methods) if method != "HEAD")
    return found


def test_every_route_requires_authentication_except_the_public_allowlist(
    app: FastAPI, client: TestClient
) -> None:
    routes = walk_routes(app)
    walked = {(method, path) for method, path, _ in routes}
    assert walked >= KNOWN_PROTECTED, KNOWN_PROTECTED - walked
    assert set(PUBLIC) <= walked, f"stale PUBLIC entries: {set(PUBLIC) - walked}"

    failures: list[str] = []
    checked = 0
    for method, path, url in routes:
        if (method, path) in PUBLIC:
            continue
        checked += 1
        anonymous = client.request(method, url, follow_redirects=False)
        if is_api_path(path):
            for label, response in [
                ("no credentials", anonymous),
                ("garbage token", client.request(method, url, headers=bearer("lsp_garbage"))),
                ("wrong scheme", client.request(method, url, headers={"Authorization": "Basic YTpi"})),
            ]:
                if not (
                    response.status_code == 401
                    and response.headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE)
                    and response.headers.get("www-authenticate", "").startswith("Bearer")
                ):
                    failures.append(
                        f"{method} {path} ({label}): {response.status_code} {response.text[:120]}"
                    )
        elif method == "GET":
            location = anonymous.headers.get("location", "")
            target = urlsplit(location)
            if not (
                anonymous.status_code == 303
                and target.path == "/login"
                and parse_qs(target.query).get("next") == [url]
            ):
                failures.append(f"{method} {path}: {anonymous.status_code} location={location!r}")
            stale = client.get(
                url, headers={"Cookie": "logispace_session=lss_garbage"}, follow_redirects=False
            )
            if stale.status_code != 303 or not stale.headers.get("location", "").startswith("/login?next="):
                failures.append(f"{method} {path} (garbage session cookie): {stale.status_code}")
        elif anonymous.status_code not in (401, 403):
            failures.append(f"{method} {path}: {anonymous.status_code} {anonymous.text[:120]}")
    assert not failures, "routes answering without authentication:\n" + "\n".join(failures)
    assert checked >= len(KNOWN_PROTECTED)


@pytest.mark.parametrize(("method", "path"), sorted(PUBLIC), ids=[f"{m} {p}" for m, p in sorted(PUBLIC)])
def test_public_routes_answer_without_credentials(client: TestClient, method: str, path: str) -> None:
    probe = PUBLIC[(method, path)]
    response = client.request(method, probe.url, data=probe.form, follow_redirects=False)
    assert response.status_code == probe.status, response.text
    assert not response.headers.get("location", "").startswith("/login?next=")


def test_public_problem_page_and_language_switch_need_no_login(client: TestClient) -> None:
    problem = client.get("/problems/csrf-failed", follow_redirects=False)
    assert problem.status_code == 200
    assert "csrf-failed" in problem.text
    switched = client.get("/lang/en?next=/admin/parties", follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/admin/parties"
    assert switched.headers["set-cookie"].startswith(f"{LANGUAGE_COOKIE}=en;")


# -- logging in through the page ----------------------------------------------------------------

_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A person logged in through ``POST /login``, sending the page's CSRF token with each form."""

    def __init__(self, client: TestClient, username: str) -> None:
        self.client = client
        response = client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "next": "/account/tokens"},
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        assert response.headers["location"] == "/account/tokens"
        page = client.get("/account/tokens")
        assert page.status_code == 200, page.text
        match = _CSRF_INPUT.search(page.text)
        assert match, "no csrf_token input on the page"
        self.csrf_token = match.group(1)

    def get(self, url: str) -> Any:
        return self.client.get(url, follow_redirects=False)

    def post(self, url: str, form: dict[str, Any] | None = None) -> Any:
        return self.client.post(
            url, data={**(form or {}), "csrf_token": self.csrf_token}, follow_redirects=False
        )


@pytest.fixture
def log_in(app: FastAPI) -> Iterator[Callable[[Actor], Browser]]:
    """Log an actor in through the login page, each in a browser (client) of their own."""
    with ExitStack() as stack:

        def open_browser(actor: Actor) -> Browser:
            client = stack.enter_context(TestClient(app, base_url="http://testserver"))
            return Browser(client, actor.username)

        yield open_browser


def test_garbage_and_malformed_bearer_tokens_are_refused(client: TestClient) -> None:
    for headers in (bearer("lsp_garbage"), bearer(""), {"Authorization": "Token abc"}):
        assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_session_cookie_alone_cannot_post_to_the_api(
    world: World, log_in: Callable[[Actor], Browser]
) -> None:
    browser = log_in(world.a_admin)
    me = browser.client.get("/api/v1/me")
    assert me.status_code == 200, me.text
    assert me.json()["authenticated_by"] == "session"

    no_token = browser.client.post("/api/v1/tokens", json={"name": "via cookie"})
    assert_problem(no_token, 403, "csrf-failed")
    wrong_token = browser.client.post(
        "/api/v1/tokens", json={"name": "via cookie"}, headers={"X-CSRF-Token": "not-the-token"}
    )
    assert_problem(wrong_token, 403, "csrf-failed")
    page_form = browser.client.post("/account/tokens", data={"name": "via form"}, follow_redirects=False)
    assert page_form.status_code == 403
    assert all(
        t["name"] not in ("via cookie", "via form") for t in browser.client.get("/api/v1/tokens").json()
    )

    # The same request with the session's CSRF token goes through: the refusals above were CSRF.
    with_token = browser.client.post(
        "/api/v1/tokens", json={"name": "via cookie"}, headers={"X-CSRF-Token": browser.csrf_token}
    )
    assert with_token.status_code == 201, with_token.text


# -- b: party isolation -------------------------------------------------------------------------


@dataclass
class PartyB:
    """Party B's records, and every string by which they could leak."""

    party_id: str
    user_id: str  # an analyst of B, the target of user routes
    token_id: str  # a spare token of B's administrator, the target of token routes
    secrets: list[str]


@pytest.fixture
def party_b(client: TestClient, world: World) -> PartyB:
    admin, b_admin = world.authority_admin.headers, world.b_admin.headers
    party_id = str(world.b_admin.party_id)
    contact = {
        "contact_name": "乙方联系人秘",
        "contact_email": f"{random_name()}@port-b.example",
        "address": "乙港口路 99 号机密仓",
    }
    edited = client.patch(f"/api/v1/parties/{party_id}", json=contact, headers=b_admin)
    assert edited.status_code == 200, edited.text
    note = f"乙方核验备注 {random_name()}"
    decided = client.post(
        f"/api/v1/parties/{party_id}/real-name-verifications",
        json={"status": "verified", "note": note},
        headers=world.reviewer.headers,
    )
    assert decided.status_code == 201, decided.text
    clerk = client.post(
        "/api/v1/users",
        json={
            "party_id": party_id,
            "username": f"bclerk-{random_name()}",
            "display_name": "乙方分析员秘",
            "email": f"{random_name()}@port-b.example",
            "password": PASSWORD,
            "roles": ["analyst"],
        },
        headers=b_admin,
    )
    assert clerk.status_code == 201, clerk.text
    spare = client.post("/api/v1/tokens", json={"name": "乙方备用令牌"}, headers=b_admin)
    assert spare.status_code == 201, spare.text
    party = client.get(f"/api/v1/parties/{party_id}", headers=admin).json()
    b_tokens = client.get("/api/v1/tokens", headers=b_admin).json()
    secrets = [
        party["name"],
        party["uscc"],
        *contact.values(),
        note,
        party_id,
        world.b_admin.username,
        str(world.b_admin.user_id),
        clerk.json()["username"],
        clerk.json()["id"],
        clerk.json()["display_name"],
        clerk.json()["email"],
        *(t["id"] for t in b_tokens),
        *(t["prefix"] for t in b_tokens),
        "乙方备用令牌",
    ]
    return PartyB(party_id=party_id, user_id=clerk.json()["id"], token_id=spare.json()["id"], secrets=secrets)


def leaked(body: str, party: PartyB, echoed: str | None = None) -> list[str]:
    """B's secrets found in ``body``, ignoring ``echoed`` (an id the caller sent in the request)."""
    text = body.replace(echoed, "<echoed>") if echoed else body
    found = []
    for secret in party.secrets:
        if secret == echoed:
            continue
        if secret in text or json.dumps(secret)[1:-1] in text:
            found.append(secret)
    return found


def fill(value: Any, ids: dict[str, str]) -> Any:
    """``value`` with ``{party}``, ``{user}``, ``{token}`` replaced by ``ids``."""
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {key: fill(item, ids) for key, item in value.items()}
    if isinstance(value, list):
        return [fill(item, ids) for item in value]
    return value


def snapshot(client: TestClient, world: World, party: PartyB) -> JSON:
    """What the authority and B's administrator see of B: must not change when A is refused."""
    admin = world.authority_admin.headers
    users = client.get("/api/v1/users", params={"party_id": party.party_id}, headers=admin).json()["items"]
    tokens = client.get("/api/v1/tokens", headers=world.b_admin.headers).json()
    return {
        "party": client.get(f"/api/v1/parties/{party.party_id}", headers=admin).json(),
        "history": client.get(
            f"/api/v1/parties/{party.party_id}/real-name-verifications", headers=admin
        ).json(),
        "users": [{k: v for k, v in u.items() if k != "last_login_at"} for u in users],
        "tokens": [{k: t[k] for k in ("id", "name", "status", "revoked_at")} for t in tokens],
    }


@dataclass(frozen=True)
class Foreign:
    """A request for one of B's records; ``owner`` may make it and gets ``owner_status``."""

    method: str
    path: str  # with {party}, {user} or {token}
    owner: str
    owner_status: int
    body: JSON | None = None

    @property
    def target(self) -> str:
        return next(
            name for name in ("party", "user", "token") if f"{{{name}}}" in json.dumps([self.path, self.body])
        )

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


API_FOREIGN = [
    Foreign("GET", "/api/v1/parties/{party}", "b_admin", 200),
    Foreign(
        "PATCH", "/api/v1/parties/{party}", "b_admin", 200, {"name": "甲方改的名字", "address": "甲方写的"}
    ),
    Foreign("GET", "/api/v1/parties/{party}/real-name-verifications", "b_admin", 200),
    Foreign(
        "POST", "/api/v1/parties/{party}/real-name-verifications", "reviewer", 201, {"status": "rejected"}
    ),
    Foreign("GET", "/api/v1/users/{user}", "b_admin", 200),
    Foreign("PATCH", "/api/v1/users/{user}", "b_admin", 200, {"is_active": False, "display_name": "甲方改"}),
    Foreign(
        "POST",
        "/api/v1/users",
        "b_admin",
        201,
        {"party_id": "{party}", "username": "planted", "display_name": "卧底", "password": PASSWORD},
    ),
    Foreign("DELETE", "/api/v1/tokens/{token}", "b_admin", 204),
]

PAGE_FOREIGN = [
    Foreign("GET", "/admin/parties/{party}", "b_admin", 200),
    Foreign(
        "POST",
        "/admin/parties/{party}/users",
        "b_admin",
        303,
        {"username": "planted", "display_name": "卧底", "password": PASSWORD, "roles": ["analyst"]},
    ),
    Foreign("POST", "/admin/parties/{party}/verify", "authority_admin", 303, {"status": "rejected"}),
    Foreign("POST", "/admin/users/{user}", "b_admin", 303, {"roles": ["data_steward"], "is_active": "on"}),
    Foreign("POST", "/account/tokens/{token}/revoke", "b_admin", 303, {}),
]

INTRUDERS = ["a_admin", "a_analyst"]


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize("request_", API_FOREIGN, ids=str)
def test_api_answers_404_for_another_partys_record_and_leaks_nothing(
    client: TestClient, world: World, party_b: PartyB, request_: Foreign, intruder: str
) -> None:
    ids = {"party": party_b.party_id, "user": party_b.user_id, "token": party_b.token_id}
    missing = {name: str(uuid.uuid4()) for name in ids}
    target, headers = request_.target, getattr(world, intruder).headers

    def call(values: dict[str, str], as_headers: dict[str, str]) -> Any:
        url = request_.path.format(**values)
        return client.request(request_.method, url, json=fill(request_.body, values), headers=as_headers)

    before = snapshot(client, world, party_b)
    foreign = call(ids, headers)
    assert_problem(foreign, 404, "not-found")
    assert not leaked(foreign.text, party_b, echoed=ids[target])
    # Indistinguishable from a record that does not exist.
    absent = call(missing, headers)
    assert_problem(absent, 404, "not-found")
    assert foreign.json() == json.loads(absent.text.replace(missing[target], ids[target]))
    assert snapshot(client, world, party_b) == before

    allowed = call(ids, getattr(world, request_.owner).headers)
    assert allowed.status_code == request_.owner_status, allowed.text


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize("request_", PAGE_FOREIGN, ids=str)
def test_pages_answer_404_for_another_partys_record_and_leak_nothing(
    client: TestClient,
    world: World,
    party_b: PartyB,
    log_in: Callable[[Actor], Browser],
    request_: Foreign,
    intruder: str,
) -> None:
    ids = {"party": party_b.party_id, "user": party_b.user_id, "token": party_b.token_id}
    missing = {name: str(uuid.uuid4()) for name in ids}
    target = request_.target
    browser, owner = log_in(getattr(world, intruder)), log_in(getattr(world, request_.owner))

    def call(as_browser: Browser, values: dict[str, str]) -> Any:
        url = request_.path.format(**values)
        if request_.method == "GET":
            return as_browser.get(url)
        return as_browser.post(url, fill(request_.body, values))

    before = snapshot(client, world, party_b)
    foreign = call(browser, ids)
    assert foreign.status_code == 404, foreign.text
    assert not leaked(foreign.text, party_b, echoed=ids[target])
    absent = call(browser, missing)
    assert absent.status_code == 404
    assert foreign.text == absent.text.replace(missing[target], ids[target])
    assert snapshot(client, world, party_b) == before

    allowed = call(owner, ids)
    assert allowed.status_code == request_.owner_status, allowed.text


@dataclass(frozen=True)
class Listing:
    """A list route; ``own`` names what the caller must find of their own; ``empty``: find nothing."""

    url: str
    own: str | None
    empty: bool = False

    def __str__(self) -> str:
        return self.url


API_LISTS = [
    Listing("/api/v1/parties", "party"),
    Listing("/api/v1/parties?limit=200", "party"),
    Listing("/api/v1/parties?q=乙港", None, empty=True),
    Listing("/api/v1/parties?verification_status=verified", None, empty=True),
    Listing("/api/v1/users", "self"),
    Listing("/api/v1/users?limit=200", "self"),
    Listing("/api/v1/users?party_id={party}", None, empty=True),
    Listing("/api/v1/users?q=bclerk", None, empty=True),
    Listing("/api/v1/tokens", "token"),
]

PAGE_LISTS = [
    Listing("/admin/parties", "party"),
    Listing("/admin/parties?q=乙港", None),
    Listing("/admin/users", "self"),
    Listing("/admin/users?q=bclerk", None),
    Listing("/account/tokens", "token"),
]


def own_marks(client: TestClient, actor: Actor, own: str, *, page: bool) -> list[str]:
    """Strings of the caller's own records that a list must show."""
    if own == "party":
        party = client.get(f"/api/v1/parties/{actor.party_id}", headers=actor.headers).json()
        return [party["name"]] if page else [party["id"], party["name"]]
    if own == "self":
        return [actor.username]
    return [t["prefix"] for t in client.get("/api/v1/tokens", headers=actor.headers).json()]


@pytest.mark.parametrize("caller", INTRUDERS)
@pytest.mark.parametrize("listing", API_LISTS, ids=str)
def test_api_lists_show_nothing_of_another_party(
    client: TestClient, world: World, party_b: PartyB, listing: Listing, caller: str
) -> None:
    actor = getattr(world, caller)
    response = client.get(listing.url.format(party=party_b.party_id), headers=actor.headers)
    assert response.status_code == 200, response.text
    assert not leaked(response.text, party_b)
    body = response.json()
    items = body["items"] if isinstance(body, dict) else body
    if listing.url.startswith("/api/v1/parties"):
        assert all(item["id"] == str(actor.party_id) for item in items)
    if listing.url.startswith("/api/v1/users"):
        assert all(item["party_id"] == str(actor.party_id) for item in items)
    if listing.empty:
        assert items == []
        assert body["total"] == 0
    if listing.own is not None:
        marks = own_marks(client, actor, listing.own, page=False)
        assert marks
        assert all(mark in response.text for mark in marks), marks


@pytest.mark.parametrize("caller", INTRUDERS)
@pytest.mark.parametrize("listing", PAGE_LISTS, ids=str)
def test_page_lists_show_nothing_of_another_party(
    client: TestClient,
    world: World,
    party_b: PartyB,
    log_in: Callable[[Actor], Browser],
    listing: Listing,
    caller: str,
) -> None:
    actor = getattr(world, caller)
    response = log_in(actor).get(listing.url)
    assert response.status_code == 200, response.text
    assert not leaked(response.text, party_b)
    if listing.own is not None:
        marks = own_marks(client, actor, listing.own, page=True)
        assert marks
        assert all(mark in response.text for mark in marks), marks


# -- c: those who may see party B do see it -----------------------------------------------------


@pytest.mark.parametrize("viewer", ["authority_admin", "b_admin"])
def test_authority_and_party_b_see_party_b(
    client: TestClient, world: World, party_b: PartyB, log_in: Callable[[Actor], Browser], viewer: str
) -> None:
    actor = getattr(world, viewer)
    b = client.get(f"/api/v1/parties/{party_b.party_id}", headers=actor.headers)
    assert b.status_code == 200, b.text
    name, uscc = b.json()["name"], b.json()["uscc"]
    assert name == "乙港口公司"

    listed = client.get("/api/v1/parties", params={"limit": 200}, headers=actor.headers).json()
    assert party_b.party_id in [p["id"] for p in listed["items"]]
    users = client.get("/api/v1/users", params={"party_id": party_b.party_id}, headers=actor.headers).json()
    assert party_b.user_id in [u["id"] for u in users["items"]]
    user = client.get(f"/api/v1/users/{party_b.user_id}", headers=actor.headers)
    assert user.status_code == 200
    history = client.get(f"/api/v1/parties/{party_b.party_id}/real-name-verifications", headers=actor.headers)
    assert history.status_code == 200
    assert len(history.json()) == 1

    browser = log_in(actor)
    page = browser.get(f"/admin/parties/{party_b.party_id}")
    assert page.status_code == 200, page.text
    assert name in page.text
    assert uscc in page.text
    assert user.json()["username"] in page.text
    assert name in browser.get("/admin/parties").text
    assert user.json()["username"] in browser.get("/admin/users").text


def test_each_party_sees_only_itself_in_the_party_list(client: TestClient, world: World) -> None:
    for actor in (world.a_admin, world.a_analyst, world.b_admin):
        items = client.get("/api/v1/parties", params={"limit": 200}, headers=actor.headers).json()["items"]
        assert [p["id"] for p in items] == [str(actor.party_id)]
    everyone = client.get("/api/v1/parties", params={"limit": 200}, headers=world.reviewer.headers).json()
    ids = {p["id"] for p in everyone["items"]}
    assert {str(world.a_admin.party_id), str(world.b_admin.party_id), str(world.reviewer.party_id)} <= ids


def test_own_tokens_only(client: TestClient, world: World) -> None:
    a_tokens = client.get("/api/v1/tokens", headers=world.a_admin.headers).json()
    b_tokens = client.get("/api/v1/tokens", headers=world.b_admin.headers).json()
    assert a_tokens
    assert b_tokens
    assert not {t["id"] for t in a_tokens} & {t["id"] for t in b_tokens}


# -- d: role rules ------------------------------------------------------------------------------


def new_user(party_id: object, *roles: str) -> JSON:
    return {
        "party_id": str(party_id),
        "username": f"new-{random_name()}",
        "display_name": "新用户",
        "password": PASSWORD,
        "roles": list(roles),
    }


@pytest.mark.parametrize(
    ("actor", "roles", "status", "code"),
    [
        ("a_analyst", [], 403, "permission-denied"),
        ("a_analyst", ["analyst"], 403, "permission-denied"),
        ("a_admin", ["authority_admin"], 409, "role-not-allowed"),
        ("a_admin", ["reviewer"], 409, "role-not-allowed"),
        ("a_admin", ["analyst", "authority_admin"], 409, "role-not-allowed"),
        ("a_admin", ["analyst", "data_steward"], 201, None),
        ("a_admin", ["party_admin"], 201, None),
    ],
)
def test_who_may_create_users_with_which_roles(
    client: TestClient, world: World, actor: str, roles: list[str], status: int, code: str | None
) -> None:
    acting = getattr(world, actor)
    body = new_user(acting.party_id, *roles)
    response = client.post("/api/v1/users", json=body, headers=acting.headers)
    if code is None:
        assert response.status_code == status, response.text
        assert sorted(response.json()["roles"]) == sorted(roles)
    else:
        assert_problem(response, status, code)
        found = client.get(
            "/api/v1/users", params={"q": body["username"]}, headers=world.authority_admin.headers
        )
        assert found.json()["items"] == []


@pytest.mark.parametrize(
    ("roles", "status", "code"),
    [
        (["authority_admin"], 409, "role-not-allowed"),
        (["reviewer", "analyst"], 409, "role-not-allowed"),
        (["data_steward"], 200, None),
    ],
)
def test_party_admin_cannot_grant_authority_roles_to_a_user(
    client: TestClient, world: World, roles: list[str], status: int, code: str | None
) -> None:
    url = f"/api/v1/users/{world.a_analyst.user_id}"
    response = client.patch(url, json={"roles": roles}, headers=world.a_admin.headers)
    if code is None:
        assert response.status_code == status, response.text
    else:
        assert_problem(response, status, code)
        assert client.get(url, headers=world.a_admin.headers).json()["roles"] == ["analyst"]


def test_analyst_cannot_edit_users_and_party_admin_cannot_create_parties(
    client: TestClient, world: World
) -> None:
    edited = client.patch(
        f"/api/v1/users/{world.a_analyst.user_id}",
        json={"roles": ["party_admin"]},
        headers=world.a_analyst.headers,
    )
    assert_problem(edited, 403, "permission-denied")
    party = {"name": "甲方自建主体", "party_type": "enterprise", "uscc": "91350100M000100Y43"}
    assert_problem(
        client.post("/api/v1/parties", json=party, headers=world.a_admin.headers), 403, "permission-denied"
    )


@pytest.mark.parametrize(
    ("actor", "own_party", "status"),
    [
        ("a_admin", True, 403),
        ("a_analyst", True, 403),
        ("b_admin", True, 403),
        ("reviewer", False, 201),
        ("authority_admin", False, 201),
    ],
)
def test_only_the_authority_records_real_name_verifications(
    client: TestClient, world: World, actor: str, own_party: bool, status: int
) -> None:
    acting = getattr(world, actor)
    party_id = acting.party_id if own_party else world.a_admin.party_id
    url = f"/api/v1/parties/{party_id}/real-name-verifications"
    response = client.post(url, json={"status": "verified"}, headers=acting.headers)
    history = client.get(url, headers=world.authority_admin.headers).json()
    party = client.get(f"/api/v1/parties/{party_id}", headers=world.authority_admin.headers).json()
    if status == 403:
        assert_problem(response, 403, "permission-denied")
        assert history == []
        assert party["verification_status"] == "unverified"
    else:
        assert response.status_code == status, response.text
        assert response.json()["decided_by"] == acting.username
        assert party["verification_status"] == "verified"


def test_party_admin_cannot_verify_own_party_through_the_page(
    client: TestClient, world: World, log_in: Callable[[Actor], Browser]
) -> None:
    party_id = world.a_admin.party_id
    refused = log_in(world.a_admin).post(f"/admin/parties/{party_id}/verify", {"status": "verified"})
    assert refused.status_code == 403
    party = client.get(f"/api/v1/parties/{party_id}", headers=world.a_admin.headers).json()
    assert party["verification_status"] == "unverified"


def test_a_token_cannot_be_revoked_twice_and_stops_working(client: TestClient, world: World) -> None:
    created = client.post("/api/v1/tokens", json={"name": "short-lived"}, headers=world.a_admin.headers)
    assert created.status_code == 201, created.text
    token, token_id = created.json()["token"], created.json()["id"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    first = client.delete(f"/api/v1/tokens/{token_id}", headers=world.a_admin.headers)
    assert first.status_code == 204, first.text
    second = client.delete(f"/api/v1/tokens/{token_id}", headers=world.a_admin.headers)
    assert_problem(second, 409, "token-revoked")
    assert_problem(client.get("/api/v1/me", headers=bearer(token)), 401, "invalid-token")
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=world.a_admin.headers).json()}
    assert listed[token_id]["status"] == "revoked"


def test_an_expired_token_answers_401(client: TestClient, world: World, db: Session) -> None:
    created = client.post("/api/v1/tokens", json={"name": "expiring"}, headers=world.a_admin.headers)
    assert created.status_code == 201, created.text
    token, token_id = created.json()["token"], created.json()["id"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    row = db.get(ApiToken, uuid.UUID(token_id))
    assert row is not None
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.commit()

    assert_problem(client.get("/api/v1/me", headers=bearer(token)), 401, "invalid-token")
    assert_problem(client.get("/api/v1/tokens", headers=bearer(token)), 401, "invalid-token")
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=world.a_admin.headers).json()}
    assert listed[token_id]["status"] == "expired"


def test_login_redirect_keeps_the_query(client: TestClient) -> None:
    response = client.get("/admin/parties?q=甲&offset=0", follow_redirects=False)
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [quote("/admin/parties?q=甲&offset=0", safe="/?=&")]
