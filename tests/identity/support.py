"""Helpers of the identity authorization tests: problems, a logged-in page user, party B."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from logispace.core.errors import PROBLEM_MEDIA_TYPE
from tests.conftest import World
from tests.factories.identity import PASSWORD

JSON = dict[str, Any]


def is_api_path(path: str) -> bool:
    """The paths whose errors are problem documents (as ``logispace.web.errors`` decides)."""
    return path in ("/api", "/epcis") or path.startswith(("/api/", "/openapi.json", "/epcis/"))


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


_CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


def login_form_token(client: TestClient) -> str:
    """Open the login page as a browser would: the client keeps its pre-session cookie and this
    returns the form's CSRF token, which a login POST must carry."""
    page = client.get("/login")
    assert page.status_code == 200, page.text
    match = _CSRF_INPUT.search(page.text)
    assert match, "no csrf_token input on the login page"
    return match.group(1)


class Browser:
    """A person logged in through ``POST /login``, sending the page's CSRF token with each form."""

    def __init__(self, client: TestClient, username: str) -> None:
        self.client = client
        response = client.post(
            "/login",
            data={
                "username": username,
                "password": PASSWORD,
                "next": "/account/tokens",
                "csrf_token": login_form_token(client),
            },
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


@dataclass
class PartyB:
    """Party B's records, and every string by which they could leak."""

    party_id: str
    user_id: str  # an analyst of B, the target of user routes
    token_id: str  # a spare token of B's administrator, the target of token routes
    secrets: list[str]


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
