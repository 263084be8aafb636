"""Party isolation (主体隔离) in the catalogue: another party's drafts answer 404 exactly like missing
ones and leak nothing; its published resources are readable but not writable (403); lists show
nothing of its drafts."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.factories.catalog import resource_body
from tests.identity.support import JSON, assert_problem, fill

API = "/api/v1/catalog"
MISSING = "WL00000000000"


@dataclass
class PartyBCatalog:
    draft: str
    published: str
    secrets: list[str]


@pytest.fixture
def b_catalog(client: TestClient, world: World) -> PartyBCatalog:
    b = world.b_admin.headers
    secret_body = resource_body(
        name="乙方未发布的集装箱堆存数据秘",
        description="乙方草稿描述机密",
        keywords=["乙方秘密关键词"],
        contact_email="secret-contact@port-b.example",
    )
    draft = client.post(f"{API}/resources", json=secret_body, headers=b).json()
    published = client.post(
        f"{API}/resources", json=resource_body(name="乙方公开的船舶靠港数据"), headers=b
    ).json()
    assert client.post(f"{API}/resources/{published['catalog_code']}/publish", headers=b).status_code == 200
    item = client.post(
        f"{API}/data-items",
        json={
            "code": "yard_stock",
            "name": "堆存",
            "category": "CUS.PORT",
            "resource_code": draft["catalog_code"],
        },
        headers=b,
    )
    assert item.status_code == 201, item.text
    assert client.post(f"{API}/lists", json={}, headers=world.authority_admin.headers).status_code == 201
    return PartyBCatalog(
        draft=draft["catalog_code"],
        published=published["catalog_code"],
        secrets=[
            draft["catalog_code"],
            "乙方未发布的集装箱堆存数据秘",
            "乙方草稿描述机密",
            "乙方秘密关键词",
            "secret-contact@port-b.example",
        ],
    )


@dataclass(frozen=True)
class Foreign:
    method: str
    path: str  # with {code}
    owner_status: int
    body: JSON | None = None

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


DRAFT_ROUTES = [
    Foreign("GET", "/resources/{code}", 200),
    Foreign("GET", "/resources/{code}/distributions", 200),
    Foreign("GET", "/resources/{code}/preview", 404),  # the owner has uploaded no data yet
    Foreign("GET", "/resources/{code}/download.csv", 404),
    Foreign("GET", "/resources/{code}/download.parquet", 404),
    Foreign("PATCH", "/resources/{code}", 200, {"name": "甲方改的名字"}),
    Foreign("POST", "/resources/{code}/publish", 200),
    Foreign("POST", "/resources/{code}/withdraw", 409, {"reason": "甲方撤回"}),
    Foreign(
        "POST",
        "/data-items",
        409,
        {"code": "planted_item", "name": "卧底", "category": "VEH", "resource_code": "{code}"},
    ),
]

INTRUDERS = ["a_admin", "a_analyst"]


def snapshot(client: TestClient, world: World, cat: PartyBCatalog) -> JSON:
    b = world.b_admin.headers
    return {
        "draft": client.get(f"{API}/resources/{cat.draft}", headers=b).json(),
        "published": client.get(f"{API}/resources/{cat.published}", headers=b).json(),
        "items": client.get(f"{API}/data-items", headers=b).json(),
    }


def leaked(text: str, cat: PartyBCatalog, echoed: str | None = None) -> list[str]:
    text = text.replace(echoed, "<echoed>") if echoed else text
    return [s for s in cat.secrets if s != echoed and (s in text or json.dumps(s)[1:-1] in text)]


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize("request_", DRAFT_ROUTES, ids=str)
def test_another_partys_draft_is_404_like_a_missing_one(
    client: TestClient, world: World, b_catalog: PartyBCatalog, request_: Foreign, intruder: str
) -> None:
    headers = getattr(world, intruder).headers

    def call(code: str, as_headers: dict[str, str]) -> Any:
        url = API + request_.path.format(code=code)
        return client.request(
            request_.method, url, json=fill(request_.body, {"code": code}), headers=as_headers
        )

    before = snapshot(client, world, b_catalog)
    foreign = call(b_catalog.draft, headers)
    assert_problem(foreign, 404, "not-found")
    assert not leaked(foreign.text, b_catalog, echoed=b_catalog.draft)
    absent = call(MISSING, headers)
    assert_problem(absent, 404, "not-found")
    assert foreign.json() == json.loads(absent.text.replace(MISSING, b_catalog.draft))
    assert snapshot(client, world, b_catalog) == before

    owner = call(b_catalog.draft, world.b_admin.headers)
    assert owner.status_code == request_.owner_status, owner.text


PUBLISHED_ROUTES = [
    Foreign("PATCH", "/resources/{code}", 200, {"name": "甲方改的名字"}),
    Foreign("POST", "/resources/{code}/publish", 409),
    Foreign("POST", "/resources/{code}/withdraw", 200, {"reason": "甲方撤回"}),
    Foreign(
        "POST",
        "/data-items",
        201,
        {"code": "planted_item", "name": "卧底", "category": "VEH", "resource_code": "{code}"},
    ),
]


@pytest.mark.parametrize("intruder", INTRUDERS)
@pytest.mark.parametrize("request_", PUBLISHED_ROUTES, ids=str)
def test_another_partys_published_resource_is_read_only(
    client: TestClient, world: World, b_catalog: PartyBCatalog, request_: Foreign, intruder: str
) -> None:
    url = API + request_.path.format(code=b_catalog.published)
    body = fill(request_.body, {"code": b_catalog.published})
    before = snapshot(client, world, b_catalog)
    refused = client.request(request_.method, url, json=body, headers=getattr(world, intruder).headers)
    assert_problem(refused, 403)
    assert not leaked(refused.text, b_catalog)
    assert snapshot(client, world, b_catalog) == before
    readable = client.get(f"{API}/resources/{b_catalog.published}", headers=getattr(world, intruder).headers)
    assert readable.status_code == 200, readable.text
    owner = client.request(request_.method, url, json=body, headers=world.b_admin.headers)
    assert owner.status_code == request_.owner_status, owner.text


LISTS = [
    "/resources",
    "/resources?limit=200",
    "/resources?holder={party}",
    "/resources?status=draft",
    "/resources?category=CUS",
    "/resources?category=VEH&grade=general_sensitive",
    "/data-items",
    "/lists",
    "/lists/1",
]


@pytest.mark.parametrize("caller", [*INTRUDERS, "anonymous"])
@pytest.mark.parametrize("url", LISTS)
def test_lists_show_nothing_of_another_partys_drafts(
    client: TestClient, world: World, b_catalog: PartyBCatalog, url: str, caller: str
) -> None:
    headers = {} if caller == "anonymous" else getattr(world, caller).headers
    response = client.get(API + url.format(party=world.b_admin.party_id), headers=headers)
    if caller == "anonymous" and url.startswith("/data-items"):
        assert_problem(response, 401)
        return
    assert response.status_code == 200, response.text
    assert not leaked(response.text, b_catalog)
    body = response.json()
    if url.startswith("/resources"):
        codes = [r["catalog_code"] for r in body["items"]]
        assert all(r["status"] != "draft" for r in body["items"])
        if "status=draft" in url or "category=CUS" in url:
            assert codes == []
        else:
            assert codes == [b_catalog.published]
    if url == "/lists/1":
        assert [e["catalog_code"] for e in body["entries"]] == [b_catalog.published]
    if url == "/data-items":
        (item,) = body["items"]
        assert item["source_resources"] == []
        assert item["source_party"]["name"] == "乙港口公司"


@pytest.mark.parametrize("viewer", ["b_admin", "authority_admin", "reviewer"])
def test_holder_and_authority_see_the_draft(
    client: TestClient, world: World, b_catalog: PartyBCatalog, viewer: str
) -> None:
    headers = getattr(world, viewer).headers
    assert client.get(f"{API}/resources/{b_catalog.draft}", headers=headers).status_code == 200
    listed = client.get(f"{API}/resources?status=draft", headers=headers).json()
    assert b_catalog.draft in [r["catalog_code"] for r in listed["items"]]
    items = client.get(f"{API}/data-items", headers=headers).json()["items"]
    assert items[0]["source_resources"] == [b_catalog.draft]
