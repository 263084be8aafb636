"""CKAN actions beyond the dataset and organization reads (issue 15 point 5): site status, tags,
groups (the top categories of 数据资源分类), licenses, resources, help, autocomplete and activity,
each by GET and POST in CKAN's envelope, over published public data only."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.catalog import service
from logispace.domains.catalog.schemas import ResourceUpdate
from logispace.domains.identity import SYSTEM
from tests.catalog.test_ckan_api import API, PUBLISHED, failed, ok, org_name
from tests.catalog.test_ckan_api import codes as codes  # the fixture
from tests.conftest import World


def both(client: TestClient, action: str, **params: Any) -> Any:
    """The action's result by GET (query string) and by POST (JSON body), which must agree."""
    got = ok(client.get(f"{API}/{action}", params=params), action)
    posted = ok(client.post(f"{API}/{action}", json=params), action)
    assert got == posted
    return got


def test_status_show_and_site_read(client: TestClient) -> None:
    status = both(client, "status_show")
    assert set(status) >= {
        "ckan_version",
        "site_url",
        "site_title",
        "site_description",
        "locale_default",
        "extensions",
    }
    assert status["ckan_version"].startswith("2.10")
    assert status["site_url"] == "http://testserver"
    assert isinstance(status["extensions"], list)
    assert both(client, "site_read") is True
    assert ok(client.post("/api/action/site_read"), "site_read") is True  # no body, the ckanapi path


def test_tag_list_show_and_autocomplete(client: TestClient, codes: dict[str, str]) -> None:
    assert both(client, "tag_list") == sorted(["集装箱", "港口", "道路运输证", "危险货物", "船舶"])
    assert both(client, "tag_list", query="道路") == ["道路运输证"]
    [tag] = both(client, "tag_list", query="船", all_fields=True)
    assert set(tag) >= {"id", "name", "vocabulary_id"} and tag["name"] == "船舶"
    shown = both(client, "tag_show", id="船舶")
    assert shown["id"] == tag["id"] and shown["name"] == "船舶"
    assert both(client, "tag_show", id=tag["id"])["name"] == "船舶"
    with_data = both(client, "tag_show", id="道路运输证", include_datasets=True)
    assert sorted(p["name"] for p in with_data["packages"]) == sorted(
        codes[k].lower() for k in ("conditional", "no_data")
    )
    failed(client.get(f"{API}/tag_show", params={"id": "没有这个标签"}), 404, "Not Found Error")
    assert both(client, "tag_autocomplete", q="运输") == ["道路运输证"]
    assert len(both(client, "tag_autocomplete", q="", limit=2)) <= 2


def test_group_list_maps_the_top_categories(client: TestClient, codes: dict[str, str]) -> None:
    names = both(client, "group_list")
    assert "veh" in names and "veh-vehicle" not in names
    groups = both(client, "group_list", all_fields=True)
    assert [g["name"] for g in groups] == names
    veh = next(g for g in groups if g["name"] == "veh")
    assert veh["title"] == "车船注册" and veh["type"] == "group" and veh["is_organization"] is False
    assert veh["package_count"] == len(PUBLISHED)  # the draft and the withdrawn one are not counted
    no_count = both(client, "group_list", all_fields=True, include_dataset_count=False)
    assert all("package_count" not in g for g in no_count)
    assert both(client, "group_list", sort="name asc") == sorted(names)
    assert both(client, "group_list", sort="name desc") == sorted(names, reverse=True)
    by_count = both(client, "group_list", sort="package_count desc")
    assert by_count[0] == "veh"
    assert both(client, "group_list", sort="name asc", limit=2, offset=1) == sorted(names)[1:3]
    failed(client.get(f"{API}/group_list", params={"sort": "popularity"}), 409, "Validation Error")

    shown = both(client, "group_show", id="veh", include_datasets=True)
    assert shown["name"] == "veh" and shown["package_count"] == len(PUBLISHED)
    assert sorted(p["name"] for p in shown["packages"]) == sorted(codes[k].lower() for k in PUBLISHED)
    assert "packages" not in both(client, "group_show", id=veh["id"])
    # a dataset's groups name its category and the category's ancestors: each of them can be shown
    assert both(client, "group_show", id="veh-vessel")["package_count"] == 1
    failed(client.get(f"{API}/group_show", params={"id": "no-such-group"}), 404, "Not Found Error")
    assert both(client, "group_autocomplete", q="车船") == [
        {"id": veh["id"], "name": "veh", "title": "车船注册"}
    ]


def test_license_list_and_resource_show(client: TestClient, codes: dict[str, str]) -> None:
    licenses = both(client, "license_list")
    assert [lic["id"] for lic in licenses] == ["cc-by", "other-closed"]
    assert all({"id", "title", "url", "od_conformance", "osd_conformance"} <= set(lic) for lic in licenses)
    package = ok(client.get(f"{API}/package_show", params={"id": codes["open"]}), "package_show")
    for resource in package["resources"]:
        assert both(client, "resource_show", id=resource["id"]) == resource
    failed(client.get(f"{API}/resource_show", params={"id": package["id"]}), 404, "Not Found Error")
    failed(client.post(f"{API}/resource_show", json={}), 409, "Validation Error")


def test_help_show_answers_every_actions_help_link(client: TestClient) -> None:
    for action in ("package_search", "group_list", "status_show", "help_show"):
        text = both(client, "help_show", name=action)
        assert isinstance(text, str) and text.strip()
    # every response's help link is help_show of its own action, and it answers
    link = client.get(f"{API}/tag_list").json()["help"]
    assert link == "http://testserver/api/3/action/help_show?name=tag_list"
    assert ok(client.get(link), "help_show")
    failed(client.get(f"{API}/help_show", params={"name": "package_create"}), 404, "Not Found Error")


def test_autocomplete_actions(client: TestClient, db: Session, codes: dict[str, str], world: World) -> None:
    [found] = both(client, "package_autocomplete", q="delta")
    assert found["name"] == codes["vessel"].lower() and found["match_field"] == "title"
    assert set(found) == {"name", "title", "match_field", "match_displayed"}
    assert both(client, "package_autocomplete", q=codes["open"].lower())[0]["match_field"] == "name"
    assert len(both(client, "package_autocomplete", q="a", limit=1)) == 1
    organizations = both(client, "organization_autocomplete", q="乙港口")
    assert organizations == [
        {
            "id": str(world.b_admin.party_id),
            "name": org_name(db, world.b_admin.party_id),
            "title": "乙港口公司",
        }
    ]
    assert both(client, "format_autocomplete", q="c") == ["csv"]
    assert both(client, "format_autocomplete", q="par") == ["parquet"]
    failed(client.get(f"{API}/package_autocomplete", params={"limit": 5}), 409, "Validation Error")


def test_activity_lists_come_from_the_ledger(client: TestClient, codes: dict[str, str], db: Session) -> None:
    service.update_resource(db, SYSTEM, codes["vessel"], ResourceUpdate(description="新的说明"))
    db.commit()
    activities = both(client, "package_activity_list", id=codes["vessel"])
    assert [a["activity_type"] for a in activities] == ["changed package", "new package"]
    package_id = ok(client.get(f"{API}/package_show?id={codes['vessel']}"), "package_show")["id"]
    assert all(a["object_id"] == package_id for a in activities)
    assert all(
        {"id", "timestamp", "user_id", "object_id", "activity_type", "data"} <= set(a) for a in activities
    )
    assert activities[0]["timestamp"] >= activities[1]["timestamp"]
    assert both(client, "package_activity_list", id=codes["vessel"], offset=1, limit=1) == activities[1:]

    recent = both(client, "recently_changed_packages_activity_list")
    assert recent[0] == activities[0]
    assert {a["data"]["package"]["name"] for a in recent} == {codes[k].lower() for k in PUBLISHED}
    assert len(recent) == len(PUBLISHED) + 1
    assert len(both(client, "recently_changed_packages_activity_list", limit=2, offset=1)) == 2
    failed(client.get(f"{API}/package_activity_list?limit=101&id={codes['vessel']}"), 409, "Validation Error")


@pytest.mark.parametrize("key", ["draft", "withdrawn"])
def test_no_new_action_reveals_drafts_withdrawn_or_private_data(
    client: TestClient, codes: dict[str, str], world: World, key: str
) -> None:
    code = codes[key]
    word = "zzdraft" if key == "draft" else "zzwithdrawn"
    for action in ("tag_show", "package_activity_list"):
        failed(
            client.get(f"{API}/{action}", params={"id": code if "package" in action else word}),
            404,
            "Not Found Error",
        )
    failed(client.get(f"{API}/package_activity_list", params={"id": code.lower()}), 404, "Not Found Error")
    calls = [
        ("tag_list", {}),
        ("tag_list", {"all_fields": True}),
        ("tag_autocomplete", {"q": "zz"}),
        ("package_autocomplete", {"q": "zz"}),
        ("package_autocomplete", {"q": code[:4]}),
        ("group_list", {"all_fields": True}),
        ("group_show", {"id": "veh", "include_datasets": True}),
        ("group_show", {"id": "veh-vehicle", "include_datasets": True}),
        ("organization_autocomplete", {"q": ""}),
        ("group_autocomplete", {"q": ""}),
        ("format_autocomplete", {"q": ""}),
        ("recently_changed_packages_activity_list", {"limit": 100}),
        ("status_show", {}),
        ("license_list", {}),
    ]
    secrets = [word, code, code.lower(), "测试数据局"]
    for actor in (world.a_admin, world.b_admin, world.reviewer, world.authority_admin):
        secrets += [str(actor.user_id), actor.username]
    for action, params in calls:
        text = json.dumps(both(client, action, **params), ensure_ascii=False)
        for secret in secrets:
            assert secret not in text, (action, secret)


def test_unknown_actions_still_answer_400_in_ckans_envelope(client: TestClient) -> None:
    for action in ("package_create", "group_create", "user_list", "member_list"):
        error = failed(client.get(f"{API}/{action}"), 400, "Bad request")
        assert error["message"] == f"Bad request - Action name not known: {action}"
        failed(client.post(f"/api/action/{action}", json={}), 400, "Bad request")
