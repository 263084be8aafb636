"""Catalogue search through the API: Chinese and English, synonyms, partial words, filters, facets."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.catalog.search import service as search_service
from tests.catalog.test_api import API, create, publish
from tests.conftest import World


def search(client: TestClient, **params: Any) -> dict[str, Any]:
    response = client.get(f"{API}/resources", params=params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.fixture
def indexed(client: TestClient, world: World) -> dict[str, str]:
    b = world.b_admin.headers
    codes = {}
    for key, name, description, keywords in [
        ("truck", "载货汽车轨迹数据", "重型载货汽车北斗定位 truck positions", ["北斗", "轨迹"]),
        ("box", "集装箱堆场作业信息", "港口集装箱进出场记录 container yard moves", ["港口", "堆场"]),
        ("waybill", "托运单电子化信息", "道路货物托运单 consignment notes", ["电子运单"]),
    ]:
        codes[key] = publish(
            client,
            b,
            create(client, b, name=name, description=description, keywords=keywords)["catalog_code"],
        )["catalog_code"]
    codes["draft"] = create(client, b, name="货柜草稿资源", description="未发布 draft")["catalog_code"]
    return codes


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("载货汽车", {"truck"}),
        ("货车", {"truck"}),  # synonym of 载货汽车
        ("货柜", {"box"}),  # synonym of 集装箱; the draft titled 货柜 is not searchable
        ("装箱", {"box"}),  # a part of a word
        ("运单", {"waybill"}),  # synonym group 运单/托运单
        ("container", {"box"}),
        ("consign", {"waybill"}),  # English prefix
        ("北斗 truck", {"truck"}),
        ("no-such-thing", set()),
        ('"(*', {"truck", "box", "waybill"}),  # no searchable term: lists all, never a syntax error
    ],
)
def test_full_text_queries(client: TestClient, indexed: dict[str, str], q: str, expected: set[str]) -> None:
    body = search(client, q=q)
    found = {key for key, code in indexed.items() if code in {i["catalog_code"] for i in body["items"]}}
    assert found == expected
    assert body["total"] == len(expected)
    assert body["facets"] is not None
    assert body["total_exact"] is True
    assert body["facets_exact"] is True


def test_filters_and_facet_counts(client: TestClient, world: World, indexed: dict[str, str]) -> None:
    body = search(client, q="", holder=str(world.b_admin.party_id))
    assert body["total"] == 3
    grades = {f["value"]: f["count"] for f in body["facets"]["grade"]}
    assert grades == {"general_sensitive": 3}
    categories = {f["value"] for f in body["facets"]["category"]}
    assert {"VEH.VEHICLE", "VEH"} <= categories  # a category counts for its ancestors too
    assert search(client, q="", category="VEH", holder=str(world.b_admin.party_id))["total"] == 3
    assert search(client, q="集装箱", open_type="unconditional")["total"] == 0
    assert search(client, q="集装箱", frequency="daily")["total"] == 1


def test_withdrawn_resources_leave_the_index(
    client: TestClient, world: World, indexed: dict[str, str]
) -> None:
    response = client.post(
        f"{API}/resources/{indexed['box']}/withdraw",
        json={"reason": "停止更新"},
        headers=world.b_admin.headers,
    )
    assert response.status_code == 200, response.text
    assert search(client, q="集装箱")["total"] == 0


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"q": "x", "status": "draft"}, ["query", "status"]),
        ({"q": "x", "category": "NOPE"}, ["query", "category"]),
        ({"q": "x", "sort": "price"}, ["query", "sort"]),
        ({"q": "x" * 201}, ["query", "q"]),
    ],
)
def test_bad_search_input_is_422_naming_the_parameter(
    client: TestClient, params: dict[str, str], loc: list[str]
) -> None:
    response = client.get(f"{API}/resources", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == loc


def test_a_search_past_its_count_limit_says_its_total_and_facets_are_not_exact(
    db: Session, indexed: dict[str, str]
) -> None:
    def hits(count_limit: int, q: str = "") -> search_service.ResourceHits:
        return search_service.search_resources(
            db, q=q, filters={}, sort="relevance", limit=10, offset=0, count_limit=count_limit
        )

    capped = hits(1, q="信息")
    assert (capped.total, capped.total_exact, capped.facets_exact) == (1, False, False)
    assert len(capped.resources) == 2  # the page goes on past the counted window
    assert sum(n for _, n in capped.facets["grade"]) == 1
    exact = hits(2, q="信息")
    assert (exact.total, exact.total_exact, exact.facets_exact) == (2, True, True)
    listing = hits(1)  # no text and no filters: the kept counts, always exact
    assert (listing.total, listing.total_exact) == (3, True)
