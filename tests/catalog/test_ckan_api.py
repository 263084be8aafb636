"""CKAN Action API (read subset): CKAN's envelope and dataset shape, published resources only,
search with q/fq/sort/rows/start and facets, organizations, and CKAN-style errors for bad input."""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.catalog import service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.identity import SYSTEM
from logispace.domains.identity.models import Party
from logispace.storage import LocalObjectStore, UploadFormat
from tests.conftest import World
from tests.factories.catalog import make_resource

API = "/api/3/action"
OPEN = {
    "grade": "general_other",
    "fields": [{"name": "plate_no", "title": "车牌号码", "type": "string"}],
    "sharing_type": "unconditional",
    "sharing_conditions": None,
    "open_type": "unconditional",
    "open_conditions": None,
}
CSV = "plate_no,city\n桂A12345,南宁\n渝B54321,重庆\n".encode()
PACKAGE_KEYS = {
    "id",
    "name",
    "title",
    "notes",
    "url",
    "author",
    "author_email",
    "maintainer",
    "maintainer_email",
    "license_id",
    "license_title",
    "license_url",
    "isopen",
    "version",
    "state",
    "private",
    "type",
    "metadata_created",
    "metadata_modified",
    "creator_user_id",
    "owner_org",
    "organization",
    "tags",
    "groups",
    "resources",
    "extras",
    "num_resources",
    "num_tags",
    "relationships_as_object",
    "relationships_as_subject",
}


@pytest.fixture
def codes(db: Session, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Published: open with data (party b), conditional with data and one without data (party a),
    a 船舶 one (party b); a draft (a) and a withdrawn (b) that must never show."""
    monkeypatch.setenv("LOGISPACE_OBJECTS_DIR", str(tmp_path / "objects"))
    store = LocalObjectStore(tmp_path / "objects")
    a, b = world.a_admin.party_id, world.b_admin.party_id
    made = {
        "open": make_resource(
            db, b, publish=True, name="Alpha 港口集装箱吞吐量", keywords=["集装箱", "港口"], **OPEN
        ).catalog_code,
        "conditional": make_resource(
            db, a, publish=True, name="Bravo 营运车辆道路运输证", keywords=["道路运输证"]
        ).catalog_code,
        "no_data": make_resource(
            db, a, publish=True, name="Charlie 危险货物车辆", keywords=["危险货物", "道路运输证"]
        ).catalog_code,
        "vessel": make_resource(
            db, b, publish=True, name="Delta 船舶登记", category="VEH.VESSEL", keywords=["船舶"]
        ).catalog_code,
        "draft": make_resource(db, a, name="Echo 草稿资源 zzdraft", keywords=["zzdraft"]).catalog_code,
        "withdrawn": make_resource(
            db, b, publish=True, name="Foxtrot 撤回资源 zzwithdrawn", keywords=["zzwithdrawn"]
        ).catalog_code,
    }
    service.withdraw_resource(db, SYSTEM, made["withdrawn"], "并入其他资源")
    for key in ("open", "conditional"):
        distribution_service.upload(
            db, SYSTEM, made[key], io.BytesIO(CSV), fmt=UploadFormat.CSV, store=store, max_bytes=1 << 20
        )
    db.commit()
    return made


PUBLISHED = ("open", "conditional", "no_data", "vessel")


def org_name(db: Session, party_id: uuid.UUID) -> str:
    """An organization's CKAN name: its party's unified social credit code in lower case."""
    return db.get_one(Party, party_id).uscc.lower()


def ok(response: Any, action: str) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"help", "success", "result"}
    assert body["success"] is True
    assert body["help"] == f"http://testserver/api/3/action/help_show?name={action}"
    return body["result"]


def failed(response: Any, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"help", "success", "error"}
    assert body["success"] is False
    assert body["error"]["__type"] == error_type, body
    return dict(body["error"])


def search(client: TestClient, **params: Any) -> Any:
    return ok(client.get(f"{API}/package_search", params=params), "package_search")


def names(result: Any) -> list[str]:
    return [p["name"] for p in result["results"]]


def test_package_list_lists_exactly_the_published_datasets_by_get_and_post(
    client: TestClient, codes: dict[str, str]
) -> None:
    expected = sorted(codes[k].lower() for k in PUBLISHED)
    assert ok(client.get(f"{API}/package_list"), "package_list") == expected
    assert ok(client.post(f"{API}/package_list", json={}), "package_list") == expected
    assert ok(client.post(f"{API}/package_list"), "package_list") == expected
    assert ok(client.get(f"{API}/package_list?limit=2&offset=1"), "package_list") == expected[1:3]
    assert ok(client.get("/api/action/package_list"), "package_list") == expected  # the ckanapi path


def test_package_show_has_ckans_dataset_shape(
    client: TestClient, codes: dict[str, str], world: World
) -> None:
    code = codes["open"]
    package = ok(client.get(f"{API}/package_show", params={"id": code}), "package_show")
    assert set(package) == PACKAGE_KEYS
    assert package["name"] == code.lower()
    assert package["title"] == "Alpha 港口集装箱吞吐量"
    assert package["type"] == "dataset"
    assert package["state"] == "active"
    assert package["private"] is False
    assert (package["license_id"], package["isopen"]) == ("cc-by", True)
    assert package["owner_org"] == str(world.b_admin.party_id)
    assert package["organization"]["id"] == package["owner_org"]
    assert package["organization"]["title"] == "乙港口公司"
    assert package["organization"]["is_organization"] is True
    assert [t["name"] for t in package["tags"]] == ["港口", "集装箱"]
    assert package["num_tags"] == 2
    assert [g["name"] for g in package["groups"]] == ["veh", "veh-vehicle"]
    assert {"key": "identifier", "value": code} in package["extras"]
    assert all(isinstance(e["value"], str) for e in package["extras"])
    assert package["metadata_created"] and "+" not in package["metadata_modified"]
    resources = package["resources"]
    assert package["num_resources"] == 2
    assert [r["format"] for r in resources] == ["CSV", "Parquet"]
    assert all(r["package_id"] == package["id"] for r in resources)
    csv_url = resources[0]["url"]
    assert csv_url == f"http://testserver/api/v1/catalog/resources/{code}/download.csv"
    assert resources[1]["hash"].startswith("sha256:")
    assert resources[1]["size"] > 0

    # the same dataset by its name, its id, and by POST
    assert ok(client.get(f"{API}/package_show", params={"id": code.lower()}), "package_show") == package
    assert ok(client.get(f"{API}/package_show", params={"id": package["id"]}), "package_show") == package
    assert ok(client.post(f"{API}/package_show", json={"id": code}), "package_show") == package


def test_conditional_data_links_to_its_page_and_no_data_has_no_resources(
    client: TestClient, codes: dict[str, str]
) -> None:
    conditional = ok(client.get(f"{API}/package_show?id={codes['conditional']}"), "package_show")
    assert (conditional["license_id"], conditional["isopen"]) == ("other-closed", False)
    [resource] = conditional["resources"]
    assert resource["url"] == f"http://testserver/catalog/resources/{codes['conditional']}"
    assert resource["format"] == ""
    no_data = ok(client.get(f"{API}/package_show?id={codes['no_data']}"), "package_show")
    assert no_data["resources"] == [] and no_data["num_resources"] == 0


@pytest.mark.parametrize("key", ["draft", "withdrawn"])
def test_drafts_and_withdrawn_resources_never_appear(
    client: TestClient, codes: dict[str, str], key: str
) -> None:
    code = codes[key]
    error = failed(client.get(f"{API}/package_show", params={"id": code}), 404, "Not Found Error")
    assert code in error["message"]
    assert code.lower() not in ok(client.get(f"{API}/package_list"), "package_list")
    word = "zzdraft" if key == "draft" else "zzwithdrawn"
    assert search(client, q=word)["count"] == 0
    assert search(client, fq=f"tags:{word}")["count"] == 0
    everything = search(client, rows=1000, sort="title_string asc")
    assert code.lower() not in names(everything)
    organizations = ok(client.get(f"{API}/organization_list?all_fields=true"), "organization_list")
    assert sum(o["package_count"] for o in organizations) == len(PUBLISHED)


def test_package_search_has_ckans_result_shape(client: TestClient, codes: dict[str, str]) -> None:
    result = search(client)
    assert set(result) == {"count", "sort", "facets", "search_facets", "results"}
    assert result["count"] == len(PUBLISHED)
    assert result["sort"] == "score desc, metadata_modified desc"
    assert result["facets"] == {} and result["search_facets"] == {}
    assert sorted(names(result)) == sorted(codes[k].lower() for k in PUBLISHED)
    assert all(set(p) == PACKAGE_KEYS for p in result["results"])
    assert search(client, q="*:*")["count"] == len(PUBLISHED)


def test_package_search_free_text_and_filters(
    client: TestClient, codes: dict[str, str], world: World
) -> None:
    name = {k: codes[k].lower() for k in codes}
    assert names(search(client, q="集装箱")) == [name["open"]]
    assert names(search(client, q="货柜")) == [name["open"]]  # a synonym
    a, b = world.a_admin.party_id, world.b_admin.party_id
    assert sorted(names(search(client, fq=f"organization:{a}"))) == sorted(
        [name["conditional"], name["no_data"]]
    )
    assert sorted(names(search(client, fq=f'owner_org:"{b}"'))) == sorted([name["open"], name["vessel"]])
    assert names(search(client, fq="groups:veh-vessel")) == [name["vessel"]]
    assert search(client, fq="groups:veh")["count"] == len(PUBLISHED)  # a parent group finds its children
    assert sorted(names(search(client, fq="tags:道路运输证"))) == sorted(
        [name["conditional"], name["no_data"]]
    )
    assert names(search(client, fq="res_format:CSV")) == [name["open"]]
    assert names(search(client, fq="res_format:parquet")) == [name["open"]]
    assert names(search(client, fq="license_id:cc-by")) == [name["open"]]
    assert search(client, fq="license_id:other-closed")["count"] == 3
    assert sorted(names(search(client, fq="tags:(船舶 OR 港口)"))) == sorted([name["open"], name["vessel"]])
    combined = search(client, fq=f"+organization:{a} AND tags:危险货物 +dataset_type:dataset")
    assert names(combined) == [name["no_data"]]
    assert search(client, fq="organization:nobody")["count"] == 0
    assert search(client, fq="groups:no-such-group")["count"] == 0
    assert search(client, fq="dataset_type:harvest")["count"] == 0
    assert names(search(client, q="危险货物", fq=f"organization:{a}")) == [name["no_data"]]
    assert search(client, q="危险货物", fq=f"organization:{b}")["count"] == 0


def test_package_search_sorts_and_pages(client: TestClient, codes: dict[str, str]) -> None:
    titles = sorted(
        ["Alpha 港口集装箱吞吐量", "Bravo 营运车辆道路运输证", "Charlie 危险货物车辆", "Delta 船舶登记"]
    )
    by_title = search(client, sort="title_string asc")
    assert [p["title"] for p in by_title["results"]] == titles
    assert by_title["sort"] == "title_string asc"
    assert [p["title"] for p in search(client, sort="title_string desc")["results"]] == titles[::-1]
    assert [
        p["title"] for p in search(client, sort="title_string asc", rows=2, start=1)["results"]
    ] == titles[1:3]
    modified = search(client, sort="metadata_modified desc")["results"]
    stamps = [p["metadata_modified"] for p in modified]
    assert stamps == sorted(stamps, reverse=True)
    assert [p["name"] for p in search(client, sort="name asc")["results"]] == sorted(
        codes[k].lower() for k in PUBLISHED
    )
    # a page beyond the index's own page size takes the other path and gives the same order
    assert names(search(client, sort="metadata_modified desc", rows=1000)) == [p["name"] for p in modified]
    page = search(client, sort="metadata_modified desc", rows=2, start=2)
    assert page["count"] == len(PUBLISHED)
    assert names(page) == [p["name"] for p in modified][2:4]
    assert search(client, rows=0)["results"] == []
    assert search(client, rows=0)["count"] == len(PUBLISHED)
    assert search(client, start=50)["results"] == []


def test_package_search_by_post_equals_get(
    client: TestClient, db: Session, codes: dict[str, str], world: World
) -> None:
    params = {"q": "危险货物", "sort": "title_string asc", "rows": 5, "facet.field": ["organization", "tags"]}
    posted = ok(client.post(f"{API}/package_search", json=params), "package_search")
    got = search(client, **{**params, "facet.field": json.dumps(params["facet.field"])})
    assert posted == got
    assert posted["count"] == 1
    assert posted["facets"]["organization"] == {org_name(db, world.a_admin.party_id): 1}


def test_facet_counts_as_ckan_returns_them(
    client: TestClient, db: Session, codes: dict[str, str], world: World
) -> None:
    fields = ["organization", "groups", "tags", "res_format", "license_id"]
    result = search(client, **{"facet.field": json.dumps(fields), "rows": 0})
    a, b = org_name(db, world.a_admin.party_id), org_name(db, world.b_admin.party_id)
    assert result["facets"]["organization"] == {a: 2, b: 2}
    assert result["facets"]["license_id"] == {"other-closed": 3, "cc-by": 1}
    assert result["facets"]["res_format"] == {"CSV": 1, "Parquet": 1}
    assert result["facets"]["tags"]["道路运输证"] == 2
    assert result["facets"]["groups"] == {"veh": 4, "veh-vehicle": 3, "veh-vessel": 1}
    organization = result["search_facets"]["organization"]
    assert organization["title"] == "organization"
    assert {i["name"]: i["display_name"] for i in organization["items"]} == {a: "甲物流公司", b: "乙港口公司"}
    counts = [i["count"] for i in result["search_facets"]["tags"]["items"]]
    assert counts == sorted(counts, reverse=True)
    limited = search(client, **{"facet.field": '["tags"]', "facet.limit": 1})
    assert limited["facets"]["tags"] == {"道路运输证": 2}
    filtered = search(client, **{"facet.field": '["organization"]', "fq": "tags:道路运输证"})
    assert filtered["facets"]["organization"] == {a: 2}


def test_metadata_modified_range_for_incremental_harvests(client: TestClient, codes: dict[str, str]) -> None:
    everything = search(client, sort="metadata_modified asc", rows=100)["results"]
    middle = everything[2]["metadata_modified"]
    since = search(client, fq=f"metadata_modified:[{middle}Z TO *]", **{"facet.field": '["license_id"]'})
    assert sorted(names(since)) == sorted(p["name"] for p in everything[2:])
    assert sum(since["facets"]["license_id"].values()) == since["count"]
    assert search(client, fq="metadata_modified:[* TO 2000-01-01T00:00:00Z]")["count"] == 0


def test_organizations_are_the_holders_of_published_resources(
    client: TestClient, db: Session, codes: dict[str, str], world: World
) -> None:
    a, b = org_name(db, world.a_admin.party_id), org_name(db, world.b_admin.party_id)
    listed = ok(client.get(f"{API}/organization_list"), "organization_list")
    assert listed == [name for _, name in sorted([("甲物流公司", a), ("乙港口公司", b)])]  # by title
    detailed = ok(client.get(f"{API}/organization_list?all_fields=true&sort=name asc"), "organization_list")
    assert [o["name"] for o in detailed] == sorted([a, b])
    assert {o["name"]: o["package_count"] for o in detailed} == {a: 2, b: 2}
    assert all(o["title"] and o["is_organization"] for o in detailed)
    posted = ok(client.post(f"{API}/organization_list", json={"organizations": [a]}), "organization_list")
    assert posted == [a]
    assert ok(
        client.post(f"{API}/organization_list", json={"organizations": [str(world.a_admin.party_id)]}),
        "organization_list",
    ) == [a]  # the old id-names still work
    authority = org_name(db, world.authority_admin.party_id)  # holds nothing published
    assert authority not in ok(client.get(f"{API}/organization_list?limit=100"), "organization_list")
    failed(client.get(f"{API}/organization_show?id={authority}"), 404, "Not Found Error")
    failed(client.get(f"{API}/organization_show?id={world.authority_admin.party_id}"), 404, "Not Found Error")
    by_id = ok(client.get(f"{API}/organization_show?id={world.b_admin.party_id}"), "organization_show")
    assert by_id["name"] == b and by_id["id"] == str(world.b_admin.party_id)

    shown = ok(client.get(f"{API}/organization_show?id={b}&include_datasets=true"), "organization_show")
    assert shown["title"] == "乙港口公司" and shown["package_count"] == 2
    assert sorted(p["name"] for p in shown["packages"]) == sorted(
        [codes["open"].lower(), codes["vessel"].lower()]
    )
    plain = ok(client.post(f"{API}/organization_show", json={"id": b}), "organization_show")
    assert "packages" not in plain and plain["package_count"] == 2
    assert all("packages" not in o for o in detailed)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rows": "1001"}, "rows"),
        ({"rows": "ten"}, "rows"),
        ({"start": "-1"}, "start"),
        ({"fq": "organization:"}, "fq"),
        ({"fq": "organization"}, "fq"),
        ({"fq": "nosuchfield:x"}, "fq"),
        ({"fq": "tags:a OR"}, "fq"),
        ({"fq": "(tags:a"}, "fq"),
        ({"fq": "metadata_modified:[yesterday TO *]"}, "fq"),
        ({"fq": 'tags:"unterminated'}, "fq"),
        ({"sort": "popularity desc"}, "sort"),
        ({"sort": "title_string"}, "sort"),
        ({"sort": "title_string upward"}, "sort"),
        ({"facet.field": "[not json"}, "facet.field"),
        ({"facet.field": '["grade"]'}, "facet.field"),
        ({"facet.field": '{"a": 1}'}, "facet.field"),
    ],
)
def test_bad_search_input_is_a_ckan_validation_error(
    client: TestClient, codes: dict[str, str], params: dict[str, str], field: str
) -> None:
    error = failed(client.get(f"{API}/package_search", params=params), 409, "Validation Error")
    assert field in error and isinstance(error[field], list) and error[field], error


def test_other_ckan_errors(client: TestClient, codes: dict[str, str]) -> None:
    missing_id = failed(client.get(f"{API}/package_show"), 409, "Validation Error")
    assert "id" in missing_id
    failed(client.post(f"{API}/package_search", json={"rows": 5000}), 409, "Validation Error")
    failed(client.post(f"{API}/organization_list", json={"sort": "size desc"}), 409, "Validation Error")
    unknown = failed(client.get(f"{API}/package_create"), 400, "Bad request")
    assert unknown["message"] == "Bad request - Action name not known: package_create"
    failed(client.post("/api/action/nothing_here", json={}), 400, "Bad request")
    bad_json = client.post(
        f"{API}/package_search", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert "JSON Error" in failed(bad_json, 400, "Bad request")["message"]
    failed(client.get(f"{API}/organization_show?id=nobody"), 404, "Not Found Error")
    for action, body in [("package_show", {"id": "a\x00b"}), ("package_search", {"fq": "tags:\x00"})]:
        failed(client.post(f"{API}/{action}", json=body), 409, "Validation Error")  # not a database error
    failed(client.put(f"{API}/package_list"), 405, "Method not allowed")


def test_credentials_are_ignored(client: TestClient, codes: dict[str, str]) -> None:
    """Harvesters send their own CKAN API keys; the open catalogue answers them like anyone."""
    for headers in (
        {"Authorization": "some-ckan-api-key"},
        {"X-CKAN-API-Key": "k"},
        {"Authorization": "Bearer x"},
    ):
        assert len(ok(client.get(f"{API}/package_list", headers=headers), "package_list")) == len(PUBLISHED)


def test_organization_names_are_readable_and_every_lookup_agrees(
    client: TestClient, db: Session, codes: dict[str, str], world: World
) -> None:
    """Issue 15 point 5: the name is the USCC in lower case; organization_list, organization_show (by
    name, upper-case code, legacy ``org-`` name or id), package_search ``fq=organization:`` and each
    package's ``owner_org``/``organization`` agree; a ckanapi-style dump (list, then show each)."""
    expected = {org_name(db, world.a_admin.party_id), org_name(db, world.b_admin.party_id)}
    listed = ok(client.get(f"{API}/organization_list"), "organization_list")
    assert set(listed) == expected and len(listed) == len(set(listed))
    assert all(re.fullmatch(r"[a-z0-9_-]{2,100}", name) and not name.startswith("org-") for name in listed)
    dumped = [
        ok(client.get(f"{API}/organization_show", params={"id": n}), "organization_show") for n in listed
    ]
    assert [d["name"] for d in dumped] == listed
    for org in dumped:
        party_id = uuid.UUID(org["id"])
        for alias in (org["name"].upper(), f"org-{party_id.hex[:12]}", org["id"]):
            again = ok(client.get(f"{API}/organization_show", params={"id": alias}), "organization_show")
            assert again["name"] == org["name"], alias
        found = search(client, fq=f"organization:{org['name']}", rows=100)
        assert found["count"] == org["package_count"] == 2
        assert {p["owner_org"] for p in found["results"]} == {org["id"]}
        assert {p["organization"]["name"] for p in found["results"]} == {org["name"]}
        legacy = search(client, fq=f"organization:org-{party_id.hex[:12]}", rows=100)
        assert names(legacy) == names(found)
        assert search(client, fq=f"owner_org:{org['id']}", rows=100)["count"] == 2
