"""Joint applications (共同申请, 004:771; 004:5319, V-REG-10): an application naming co-subjects is filed
jointly (each co-subject confirms it itself) or by one subject after agreement (the evidence of the
agreement attached). A missing confirmation or agreement is an item of the one-time supplement notice
and blocks acceptance; co-subjects read the application and the record, nobody else does; the
certificate lists every subject and still verifies."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile
from logispace.domains.identity import Role
from logispace.domains.registration.certificates.policies import differences
from tests.conftest import Actor, World
from tests.factories.identity import make_party, make_token, make_user
from tests.factories.registration import (
    API,
    attach,
    attach_missing,
    file_application,
    initial_body,
    registrable_resource,
)
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import act

BOTH = pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
JSON = dict[str, Any]


@pytest.fixture
def party_c(db: Session) -> Actor:
    """A third party, named on nothing."""
    party = make_party(db, name="丙货运公司")
    user = make_user(db, party, Role.PARTY_ADMIN)
    actor = Actor(user.id, user.party_id, user.username, make_token(db, user))
    db.commit()
    return actor


def joint_body(client: TestClient, world: World, mode: str, **overrides: Any) -> JSON:
    resource = registrable_resource(client, world.b_admin.headers)
    return initial_body(
        resource, co_subject_party_ids=[str(world.a_admin.party_id)], joint_mode=mode, **overrides
    )


def confirmation_key(world: World) -> str:
    return f"co_subject_confirmed:{world.a_admin.party_id}"


@BOTH
def test_joint_application_end_to_end_to_issuance(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile, party_c: Actor
) -> None:
    a, b, auth = world.a_admin.headers, world.b_admin.headers, world.reviewer.headers
    clock.to("2026-03-02")
    application = file_application(client, b, joint_body(client, world, "joint"))
    app_id = application["id"]
    assert application["joint_mode"] == "joint"
    assert [(c["party"]["name"], c["confirmed_at"]) for c in application["co_subjects"]] == [
        ("甲物流公司", None)
    ]
    assert [m["key"] for m in application["missing_items"]] == [confirmation_key(world)]

    # the co-subject reads it and finds it in its list; a third party does not
    assert client.get(f"{API}/applications/{app_id}", headers=a).status_code == 200
    assert [x["id"] for x in client.get(f"{API}/applications", headers=a).json()["items"]] == [app_id]
    assert_problem(client.get(f"{API}/applications/{app_id}", headers=party_c.headers), 404)
    assert client.get(f"{API}/applications", headers=party_c.headers).json()["total"] == 0

    # submitted without the confirmation: it cannot be accepted; the one-time notice names the co-subject
    act(client, b, app_id, "submit")
    refused = client.post(f"{API}/applications/{app_id}/accept", headers=auth)
    assert (
        confirmation_key(world) in assert_problem(refused, 409, "registration-materials-incomplete")["detail"]
    )
    notice = act(client, auth, app_id, "supplement-request", {})
    (step,) = [s for s in notice["steps"] if s["action"] == "request_supplement"]
    assert [row["key"] for row in step["notice"]] == [confirmation_key(world)]
    assert "甲物流公司" in step["notice"][0]["title"] and step["notice"][0]["source"] == "004:771; 004:5319"

    # who may confirm: the co-subject itself, once; not the applicant, the authority or a third party
    assert_problem(client.post(f"{API}/applications/{app_id}/co-subjects/confirm", headers=b), 409)
    assert_problem(client.post(f"{API}/applications/{app_id}/co-subjects/confirm", headers=auth), 409)
    assert_problem(
        client.post(f"{API}/applications/{app_id}/co-subjects/confirm", headers=party_c.headers), 404
    )
    analyst = client.post(f"{API}/applications/{app_id}/co-subjects/confirm", headers=world.a_analyst.headers)
    assert_problem(analyst, 403)
    confirmed = act(client, a, app_id, "co-subjects/confirm")
    (co,) = confirmed["co_subjects"]
    assert co["confirmed_at"] is not None and confirmed["missing_items"] == []
    entry = client.get(f"/api/v1/ledger/entries/{co['ledger_index']}").json()
    assert entry["kind"] == "registration.co_subject_confirmed"
    again = client.post(f"{API}/applications/{app_id}/co-subjects/confirm", headers=a)
    assert_problem(again, 409, "registration-co-subject-conflict")

    # the co-subject cannot act on the file as if it were the applicant
    assert_problem(client.post(f"{API}/applications/{app_id}/resubmit", headers=a, json={}), 404)
    act(client, b, app_id, "resubmit", {})
    act(client, auth, app_id, "accept")
    passed = act(client, auth, app_id, "review/pass")
    clock.to(passed["publicity_end"])
    clock.forward(1)
    issued = act(client, auth, app_id, "issue")

    # the record lists every subject and is readable by the co-subject; the certificate too, and verifies
    record_id = issued["registration_id"]
    record = client.get(f"{API}/records/{record_id}", headers=a)
    assert record.status_code == 200, record.text
    assert [s["name"] for s in record.json()["co_subjects"]] == ["甲物流公司"]
    assert [r["id"] for r in client.get(f"{API}/records", headers=a).json()["items"]] == [record_id]
    assert_problem(client.get(f"{API}/records/{record_id}", headers=party_c.headers), 404)
    code = record.json()["certificate_code"]
    verified = client.get(f"{API}/certificates/{code}").json()
    assert verified["verdict"] == "valid", verified["reasons"]
    assert verified["statement"]["co_subjects"] == [
        {"party_id": str(world.a_admin.party_id), "name": "甲物流公司"}
    ]


def test_a_statement_without_co_subjects_is_unchanged() -> None:
    """Certificates signed before joint applications carry no ``co_subjects``; a record without them
    gives the same statement, so they keep verifying; a dropped co-subject is a difference."""
    signed = {"holder": {"party_id": "h"}, "code": "c"}
    assert differences(signed, {"holder": {"party_id": "h"}, "code": "c"}) == []
    with_co = {**signed, "co_subjects": [{"party_id": "x", "name": "X"}]}
    assert differences(with_co, {"holder": {"party_id": "h"}, "code": "c"}) == ["co_subjects"]
    assert differences(with_co, {**with_co, "co_subjects": [{"party_id": "x", "name": "改名"}]}) == []


@BOTH
def test_sole_applicant_must_attach_the_agreement(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    a, b, auth = world.a_admin.headers, world.b_admin.headers, world.reviewer.headers
    clock.to("2026-03-02")
    created = client.post(
        f"{API}/applications", json=joint_body(client, world, "sole_with_agreement"), headers=b
    )
    assert created.status_code == 201, created.text
    app_id = created.json()["id"]
    missing = {m["key"]: m for m in created.json()["missing_items"]}
    assert missing["co_subject_agreement"]["kind"] == "attachment"
    assert confirmation_key(world) not in missing

    # attach every other material, submit: the notice names the missing agreement
    for key, item in missing.items():
        if item["kind"] == "attachment" and key != "co_subject_agreement":
            attach(client, b, app_id, key.split(" | ")[0])
    act(client, b, app_id, "submit")
    notice = act(client, auth, app_id, "supplement-request", {})
    (step,) = [s for s in notice["steps"] if s["action"] == "request_supplement"]
    assert [row["key"] for row in step["notice"]] == ["co_subject_agreement"]

    # a sole filing takes no confirmation; the agreement is attached and the file is complete
    no_confirm = client.post(f"{API}/applications/{app_id}/co-subjects/confirm", headers=a)
    assert_problem(no_confirm, 409, "registration-co-subject-conflict")
    attach(client, b, app_id, "co_subject_agreement")
    act(client, b, app_id, "resubmit", {})
    assert act(client, auth, app_id, "accept")["state"] == "under_review"


@pytest.mark.parametrize(
    ("patch", "fields"),
    [
        ({"co_subject_party_ids": [str(uuid.UUID(int=5))], "joint_mode": "joint"}, ["co_subject_party_ids"]),
        ({"joint_mode": "joint"}, ["co_subject_party_ids"]),
        ({"co_subject_party_ids": ["{a}"]}, ["joint_mode"]),
        ({"co_subject_party_ids": ["{b}"], "joint_mode": "joint"}, ["co_subject_party_ids"]),
        ({"co_subject_party_ids": ["not-a-uuid"], "joint_mode": "joint"}, ["co_subject_party_ids", 0]),
        ({"co_subject_party_ids": ["{a}"], "joint_mode": "together"}, ["joint_mode"]),
    ],
)
def test_bad_co_subjects_are_a_problem_naming_the_field(
    client: TestClient, world: World, clock: TravelClock, patch: JSON, fields: list[Any]
) -> None:
    b = world.b_admin.headers
    ids = {"{a}": str(world.a_admin.party_id), "{b}": str(world.b_admin.party_id)}
    if "co_subject_party_ids" in patch:
        patch = {**patch, "co_subject_party_ids": [ids.get(x, x) for x in patch["co_subject_party_ids"]]}
    resource = registrable_resource(client, b)
    response = client.post(f"{API}/applications", json=initial_body(resource, **patch), headers=b)
    problem = assert_problem(response, 422)
    assert any(e["loc"][1 : 1 + len(fields)] == fields for e in problem["errors"]), problem["errors"]
    assert client.get(f"{API}/applications", headers=b).json()["total"] == 0


def test_co_subjects_are_changed_by_update_but_a_confirmed_one_stays(
    client: TestClient, world: World, clock: TravelClock, party_c: Actor
) -> None:
    a, b = world.a_admin.headers, world.b_admin.headers
    application = file_application(client, b, joint_body(client, world, "joint"))
    url = f"{API}/applications/{application['id']}"
    both = client.patch(
        url, json={"co_subject_party_ids": [str(world.a_admin.party_id), str(party_c.party_id)]}, headers=b
    )
    assert both.status_code == 200 and len(both.json()["co_subjects"]) == 2
    assert len([m for m in both.json()["missing_items"] if m["key"].startswith("co_subject_confirmed")]) == 2
    act(client, a, application["id"], "co-subjects/confirm")
    dropped = client.patch(url, json={"co_subject_party_ids": [str(party_c.party_id)]}, headers=b)
    assert (
        str(world.a_admin.party_id)
        in assert_problem(dropped, 409, "registration-co-subject-conflict")["detail"]
    )
    only_a = client.patch(url, json={"co_subject_party_ids": [str(world.a_admin.party_id)]}, headers=b)
    assert [c["party"]["id"] for c in only_a.json()["co_subjects"]] == [str(world.a_admin.party_id)]
    assert_problem(client.get(url, headers=party_c.headers), 404)  # taken off: no longer a reader
    # a co-subject does not edit the file
    assert_problem(client.patch(url, json={"content_summary": "甲方改的"}, headers=a), 404)


def test_materials_attach_missing_still_works_with_co_subjects(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    b = world.b_admin.headers
    application = file_application(
        client, b, joint_body(client, world, "sole_with_agreement"), complete=False
    )
    assert "co_subject_agreement" in attach_missing(client, b, application)
