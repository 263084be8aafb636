"""Party isolation (主体隔离): another party's records answer 404 exactly like missing ones and leak
nothing; lists show nothing of them; those who may see them do."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Actor, World
from tests.factories.identity import PASSWORD
from tests.identity.support import JSON, Browser, PartyB, assert_problem, fill, leaked, snapshot


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
