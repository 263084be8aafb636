"""Catalogue API: the flows, every bad input, roles, the report CSV, and rollback writing nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.errors import Conflict
from logispace.domains.catalog import policies
from logispace.domains.catalog import service as catalog_service
from logispace.domains.catalog.lists import service as list_service
from logispace.domains.catalog.models import ListVersion
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.ledger.service import append as real_append
from tests.conftest import World
from tests.factories.catalog import resource_body
from tests.identity.support import assert_problem

API = "/api/v1/catalog"


def create(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post(f"{API}/resources", json=resource_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def publish(client: TestClient, headers: dict[str, str], code: str) -> dict[str, Any]:
    response = client.post(f"{API}/resources/{code}/publish", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def ledger_size(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(LedgerEntry)) or 0


def test_resource_lifecycle_over_the_api(client: TestClient, world: World) -> None:
    b = world.b_admin.headers
    draft = create(client, b)
    code = draft["catalog_code"]
    assert policies.is_catalog_code(code)
    assert draft["status"] == "draft"
    assert draft["holder"]["id"] == str(world.b_admin.party_id)
    assert draft["category"]["name_zh"] == "营运车辆"
    assert draft["grade"]["code"] == "general_sensitive"
    assert draft["fields"][0] == {
        "name": "plate_no",
        "title": "车牌号码",
        "type": "string",
        "grade": "general_sensitive",
        "description": None,
    }

    edited = client.patch(f"{API}/resources/{code}", json={"keywords": ["车辆"], "theme": None}, headers=b)
    assert edited.status_code == 200, edited.text
    assert (edited.json()["keywords"], edited.json()["theme"], edited.json()["revision"]) == (
        ["车辆"],
        None,
        2,
    )

    published = publish(client, b, code)
    assert published["status"] == "published"
    assert published["catalog_code"] == code
    assert published["published_ledger_index"] is not None
    entry = client.get(f"/api/v1/ledger/entries/{published['published_ledger_index']}")
    assert entry.status_code == 200, entry.text

    public = client.get(f"{API}/resources/{code}")
    assert public.status_code == 200
    assert public.json()["name"] == draft["name"]

    withdrawn = client.post(f"{API}/resources/{code}/withdraw", json={"reason": "数据源停用"}, headers=b)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["status"] == "withdrawn"
    assert client.get(f"{API}/resources/{code}").json()["withdrawal_reason"] == "数据源停用"
    assert_problem(
        client.patch(f"{API}/resources/{code}", json={"name": "x"}, headers=b), 409, "invalid-transition"
    )
    assert_problem(client.post(f"{API}/resources/{code}/publish", headers=b), 409, "invalid-transition")


def test_who_may_write(client: TestClient, world: World) -> None:
    for actor in (world.a_analyst, world.authority_admin, world.reviewer):
        refused = client.post(f"{API}/resources", json=resource_body(), headers=actor.headers)
        assert_problem(refused, 403, "permission-denied")
    own = create(client, world.a_admin.headers)
    analyst_edit = client.patch(
        f"{API}/resources/{own['catalog_code']}", json={"name": "x"}, headers=world.a_analyst.headers
    )
    assert_problem(analyst_edit, 403, "permission-denied")
    assert (
        client.get(f"{API}/resources/{own['catalog_code']}", headers=world.a_analyst.headers).status_code
        == 200
    )
    # the authority sees every draft but does not edit another party's resource
    assert (
        client.get(f"{API}/resources/{own['catalog_code']}", headers=world.reviewer.headers).status_code
        == 200
    )
    authority_edit = client.patch(
        f"{API}/resources/{own['catalog_code']}", json={"name": "x"}, headers=world.authority_admin.headers
    )
    assert_problem(authority_edit, 403)


BAD_BODIES: list[tuple[str, dict[str, Any], str]] = [
    ("missing name", {"name": None}, "name"),
    ("empty name", {"name": "  "}, "name"),
    ("NUL in name", {"name": "a\x00b"}, "name"),
    ("unknown attribute", {"owner": "me"}, "owner"),
    ("bad sharing type", {"sharing_type": "sometimes"}, "sharing_type"),
    ("bad open type", {"open_type": "yes"}, "open_type"),
    ("bad frequency", {"update_frequency": "often"}, "update_frequency"),
    ("bad right type", {"right_type": "owner"}, "right_type"),
    ("negative count", {"record_count": -1}, "record_count"),
    ("count as text", {"record_count": "many"}, "record_count"),
    ("bad email", {"contact_email": "nobody"}, "contact_email"),
    ("bad phone", {"contact_phone": "call me"}, "contact_phone"),
    ("bad field name", {"fields": [{"name": "车牌", "title": "车牌", "type": "string"}]}, "fields"),
    ("bad field type", {"fields": [{"name": "a", "title": "甲", "type": "money"}]}, "fields"),
    ("field without title", {"fields": [{"name": "a", "type": "string"}]}, "fields"),
    (
        "duplicate fields",
        {
            "fields": [
                {"name": "a", "title": "甲", "type": "string"},
                {"name": "A", "title": "乙", "type": "string"},
            ]
        },
        "repeated: a",
    ),
    (
        "term end before start",
        {"right_term_start": "2026-01-02", "right_term_end": "2026-01-01"},
        "right_term_end",
    ),
    (
        "coverage end before start",
        {"temporal_start": "2026-01-02", "temporal_end": "2025-01-01"},
        "temporal_end",
    ),
    ("bad date", {"temporal_start": "2026-13-01"}, "temporal_start"),
    ("too many keywords", {"keywords": [f"k{i}" for i in range(51)]}, "keywords"),
    ("bad category code", {"category": "VEH VEHICLE"}, "category"),
    ("unknown category", {"category": "VEH.SPACESHIP"}, "unknown category VEH.SPACESHIP"),
    ("unknown grade", {"grade": "top_secret"}, "unknown grade top_secret"),
    (
        "unknown field grade",
        {"fields": [{"name": "a", "title": "甲", "type": "string", "grade": "ultra"}]},
        "unknown grade ultra",
    ),
    ("unknown data item", {"data_item": "no_such_item"}, "unknown data item no_such_item"),
]


@pytest.mark.parametrize(("label", "overrides", "named"), BAD_BODIES, ids=[b[0] for b in BAD_BODIES])
def test_bad_input_is_422_naming_the_field(
    client: TestClient, world: World, db: Session, label: str, overrides: dict[str, Any], named: str
) -> None:
    body = resource_body(**overrides)
    if overrides.get("name", "") is None:
        del body["name"]
    before = ledger_size(db)
    response = client.post(f"{API}/resources", json=body, headers=world.b_admin.headers)
    problem = assert_problem(response, 422, "validation-failed")
    assert named in response.text, problem
    assert problem["errors"]
    assert client.get(f"{API}/resources", headers=world.b_admin.headers).json()["total"] == 0
    assert ledger_size(db) == before


RULES: list[tuple[str, dict[str, Any], str, list[str]]] = [
    (
        "core shared",
        {"grade": "core", "open_type": "not_opened", "open_basis": "国家秘密"},
        "core-data-not-shareable",
        ["core-data-not-shareable"],
    ),
    (
        "core opened",
        {"grade": "core", "sharing_type": "not_shared", "sharing_basis": "国家秘密"},
        "core-data-not-shareable",
        ["core-data-not-openable"],
    ),
    ("above ceiling", {"open_type": "unconditional"}, "catalog-rule-violated", ["grade-ceiling-exceeded"]),
    ("below fields", {"grade": "general_other"}, "catalog-rule-violated", ["grade-below-fields"]),
    ("refusal without basis", {"sharing_type": "not_shared"}, "catalog-rule-violated", ["basis-required"]),
    ("open refusal without basis", {"open_type": "not_opened"}, "catalog-rule-violated", ["basis-required"]),
    ("conditions missing", {"sharing_conditions": " "}, "catalog-rule-violated", ["conditions-required"]),
]


@pytest.mark.parametrize(("label", "overrides", "code", "rules"), RULES, ids=[r[0] for r in RULES])
def test_rule_violations_are_409_with_rule_and_source(
    client: TestClient, world: World, label: str, overrides: dict[str, Any], code: str, rules: list[str]
) -> None:
    response = client.post(f"{API}/resources", json=resource_body(**overrides), headers=world.b_admin.headers)
    problem = assert_problem(response, 409, code)
    assert [v["rule"] for v in problem["violations"]] == rules
    assert all(v["source"] for v in problem["violations"])
    if code == "core-data-not-shareable":
        assert "核心数据" in problem["detail"]
        assert "004:4277" in problem["detail"]


def test_patch_bad_input(client: TestClient, world: World) -> None:
    b = world.b_admin.headers
    code = create(client, b)["catalog_code"]
    for body, status in (
        ({"name": None}, 422),
        ({"fields": None}, 422),
        ({"catalog_code": "WL0"}, 422),
        ({"status": "published"}, 422),
        ({"grade": "nope"}, 422),
        ({"grade": "core"}, 409),
        ({"sharing_type": "not_shared"}, 409),
    ):
        assert_problem(client.patch(f"{API}/resources/{code}", json=body, headers=b), status)
    assert client.get(f"{API}/resources/{code}", headers=b).json()["revision"] == 1
    assert_problem(client.patch(f"{API}/resources/bad-code!", json={}, headers=b), 422)
    assert_problem(client.patch(f"{API}/resources/{'W' * 21}", json={}, headers=b), 422)
    assert_problem(client.patch(f"{API}/resources/WL0000000000", json={}, headers=b), 404)
    assert_problem(client.post(f"{API}/resources/{code}/withdraw", json={}, headers=b), 422)
    assert_problem(client.post(f"{API}/resources/{code}/withdraw", json={"reason": "x"}, headers=b), 409)
    text = client.post(f"{API}/resources", content="name=x", headers={**b, "Content-Type": "text/plain"})
    assert_problem(text, 415)


def test_public_reads(client: TestClient, world: World) -> None:
    b = world.b_admin.headers
    draft = create(client, b, name="乙方草稿资源")
    public = publish(client, b, create(client, b, name="乙方公开资源")["catalog_code"])
    anonymous = client.get(f"{API}/resources")
    assert anonymous.status_code == 200
    assert [r["catalog_code"] for r in anonymous.json()["items"]] == [public["catalog_code"]]
    assert "乙方草稿资源" not in anonymous.text
    assert_problem(client.get(f"{API}/resources/{draft['catalog_code']}"), 404, "not-found")
    assert client.get(f"{API}/categories").json()[0]["code"] == "ENT"
    assert [g["code"] for g in client.get(f"{API}/grades").json()] == [
        "core",
        "important",
        "general_sensitive",
        "general_other",
    ]
    # a bad token on a public route is still refused rather than ignored
    assert_problem(client.get(f"{API}/resources", headers={"Authorization": "Bearer lsp_garbage"}), 401)
    for query in (
        "category=NOPE",
        "grade=NOPE",
        "sharing_type=x",
        "open_type=x",
        "holder=x",
        "status=x",
        "limit=0",
    ):
        assert_problem(client.get(f"{API}/resources?{query}"), 422)
    assert client.get(f"{API}/resources?category=VEH&holder={world.b_admin.party_id}").json()["total"] == 1


def test_one_source_per_data_item_over_the_api(client: TestClient, world: World) -> None:
    b, a = world.b_admin.headers, world.a_admin.headers
    source = publish(client, b, create(client, b)["catalog_code"])
    declared = client.post(
        f"{API}/data-items",
        json={
            "code": "Vehicle_Registration",
            "name": "车辆注册登记",
            "category": "VEH.VEHICLE",
            "resource_code": source["catalog_code"],
        },
        headers=b,
    )
    assert declared.status_code == 201, declared.text
    assert declared.json()["code"] == "vehicle_registration"
    assert declared.json()["source_resources"] == [source["catalog_code"]]

    second = client.post(
        f"{API}/data-items",
        json={"code": "vehicle_registration", "name": "车辆", "category": "VEH.VEHICLE"},
        headers=a,
    )
    problem = assert_problem(second, 409, "source-already-declared")
    assert "乙港口公司" in problem["detail"]
    assert problem["source_party"] == {"id": str(world.b_admin.party_id), "name": "乙港口公司"}

    copy = create(client, a, data_item="vehicle_registration")
    assert copy["data_item"]["is_source"] is False
    assert copy["data_item"]["derived_from"] == [source["catalog_code"]]
    assert copy["data_item"]["source_party"]["name"] == "乙港口公司"

    listed = client.get(f"{API}/data-items", headers=a)
    assert [i["code"] for i in listed.json()["items"]] == ["vehicle_registration"]
    for bad in (
        {"code": "x", "name": "短", "category": "VEH"},
        {"code": "ok_code", "name": "名", "category": "NOPE"},
        {"code": "ok_code", "name": "名", "category": "VEH", "extra": 1},
    ):
        assert_problem(client.post(f"{API}/data-items", json=bad, headers=a), 422)
    assert_problem(
        client.post(
            f"{API}/data-items",
            json={"code": "ok_code", "name": "名", "category": "VEH"},
            headers=world.a_analyst.headers,
        ),
        403,
    )
    assert_problem(client.get(f"{API}/data-items?category=NOPE", headers=a), 422)


def test_list_versions_over_the_api(client: TestClient, world: World) -> None:
    b, admin = world.b_admin.headers, world.authority_admin.headers
    first = publish(client, b, create(client, b, name="港口作业数据")["catalog_code"])
    second = publish(client, b, create(client, b, name="集装箱进出场数据")["catalog_code"])
    for actor in (world.b_admin, world.reviewer, world.a_admin):
        assert_problem(client.post(f"{API}/lists", json={}, headers=actor.headers), 403)
    v1 = client.post(f"{API}/lists", json={"note": "首版"}, headers=admin)
    assert v1.status_code == 201, v1.text
    assert (v1.json()["version"], v1.json()["added"], v1.json()["published_by"]["name"]) == (
        1,
        2,
        "测试数据局",
    )

    client.patch(
        f"{API}/resources/{first['catalog_code']}", json={"open_conditions": "仅向登记企业开放"}, headers=b
    )
    client.post(f"{API}/resources/{second['catalog_code']}/withdraw", json={"reason": "合并"}, headers=b)
    third = publish(client, b, create(client, b, name="堆场库存数据")["catalog_code"])
    v2 = client.post(f"{API}/lists", json={}, headers=admin).json()
    assert (v2["version"], v2["entry_count"], v2["added"], v2["changed"], v2["removed"]) == (2, 2, 1, 1, 1)

    versions = client.get(f"{API}/lists")  # public
    assert [v["version"] for v in versions.json()["items"]] == [2, 1]
    detail = client.get(f"{API}/lists/2").json()
    assert detail["diff"] == {
        "previous_version": 1,
        "added": [third["catalog_code"]],
        "changed": [first["catalog_code"]],
        "removed": [second["catalog_code"]],
    }
    assert {e["catalog_code"] for e in detail["entries"]} == {first["catalog_code"], third["catalog_code"]}
    assert_problem(client.get(f"{API}/lists/3"), 404)
    assert_problem(client.get(f"{API}/lists/0"), 422)
    assert_problem(client.get(f"{API}/lists/x"), 422)

    report = client.get(f"{API}/lists/2/report.csv", headers=world.a_analyst.headers)
    assert report.status_code == 200, report.text
    assert report.headers["content-type"].startswith("text/csv")
    assert "sharing-report-v2.csv" in report.headers["content-disposition"]
    text = report.content.decode("utf-8")
    assert text.startswith("\ufeffholder_name,holder_party_id,listed,")  # machine names unless asked
    lines = text.lstrip("\ufeff").splitlines()
    chinese = client.get(f"{API}/lists/2/report.csv?headers=zh", headers=world.a_analyst.headers)
    zh_lines = chinese.content.decode("utf-8").lstrip("\ufeff").splitlines()
    assert zh_lines[0].startswith("数据持有方,主体标识,清单资源数,无条件共享,") and zh_lines[1:] == lines[1:]
    assert_problem(client.get(f"{API}/lists/2/report.csv?headers=en", headers=world.a_analyst.headers), 422)
    assert len(lines) == 2
    assert lines[1].split(",") == [
        "乙港口公司",
        str(world.b_admin.party_id),
        "2",
        "0",
        "2",
        "0",
        "0",
        "2",
        "0",
        "1",
        "1",
        "1",
    ]
    assert_problem(client.get(f"{API}/lists/2/report.csv"), 401)
    assert_problem(client.get(f"{API}/lists/9/report.csv", headers=admin), 404)


def test_a_failed_request_writes_nothing_not_even_the_ledger(
    client: TestClient, world: World, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    b, admin = world.b_admin.headers, world.authority_admin.headers
    code = create(client, b)["catalog_code"]

    def append_then_fail(*args: Any, **kwargs: Any) -> Any:
        real_append(*args, **kwargs)
        raise Conflict("simulated failure after the ledger append")

    before = ledger_size(db)
    monkeypatch.setattr(catalog_service, "ledger_append", append_then_fail)
    assert_problem(client.post(f"{API}/resources/{code}/publish", headers=b), 409)
    assert ledger_size(db) == before
    assert client.get(f"{API}/resources/{code}", headers=b).json()["status"] == "draft"
    assert_problem(
        client.post(
            f"{API}/data-items", json={"code": "port_calls", "name": "靠港", "category": "CUS"}, headers=b
        ),
        409,
    )
    assert client.get(f"{API}/data-items", headers=b).json()["total"] == 0

    monkeypatch.setattr(list_service, "ledger_append", append_then_fail)
    assert_problem(client.post(f"{API}/lists", json={}, headers=admin), 409)
    assert db.scalar(select(func.count()).select_from(ListVersion)) == 0
    assert ledger_size(db) == before

    monkeypatch.undo()
    assert publish(client, b, code)["status"] == "published"
    assert ledger_size(db) == before + 1


def test_unknown_resource_is_404(client: TestClient, world: World) -> None:
    missing = "WL" + uuid.uuid4().hex[:10].upper()
    for method, path in (("GET", ""), ("PATCH", ""), ("POST", "/publish"), ("POST", "/withdraw")):
        body = {"reason": "x"} if path == "/withdraw" else ({} if method == "PATCH" else None)
        response = client.request(
            method, f"{API}/resources/{missing}{path}", json=body, headers=world.b_admin.headers
        )
        assert_problem(response, 404, "not-found")
