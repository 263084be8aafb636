"""Bad input and refusals of the registration API: evidence, duplicates, out-of-order actions (409),
the wrong role (403), objections without real name or evidence (422) or after publicity (409), overdue
steps and their explanations; a refused request writes nothing."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile, Settings
from logispace.domains.identity import SYSTEM
from logispace.domains.registration import Clock
from logispace.domains.registration.review import service as review_service
from logispace.storage import LocalObjectStore
from tests.conftest import World
from tests.factories.catalog import resource_body
from tests.factories.registration import (
    API,
    Registrable,
    attach,
    file_application,
    initial_body,
    later_body,
    registrable_resource,
)
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import act, register

JSON = dict[str, Any]


def ledger_size(client: TestClient) -> int:
    return int(client.get("/api/v1/ledger/tree-head").json()["tree_size"])


@pytest.fixture
def resource(client: TestClient, world: World, clock: TravelClock) -> Registrable:
    clock.to("2026-03-02")
    return registrable_resource(client, world.b_admin.headers)


# -- evidence (存证) ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "evidence"),
    [("unrelated entry", "other"), ("no such entry", 10**9), ("missing", None)],
)
def test_submission_must_cite_a_receipt_committing_to_the_content_hash(
    client: TestClient, world: World, resource: Registrable, case: str, evidence: object
) -> None:
    b = world.b_admin.headers
    other = registrable_resource(client, b)  # its receipt commits to another hash
    index = other.ledger_index if evidence == "other" else evidence
    if case == "missing":
        draft = file_application(client, b, initial_body(resource, evidence_ledger_index=None))
        size = ledger_size(client)
        refused = client.post(f"{API}/applications/{draft['id']}/submit", headers=b)
        assert_problem(refused, 409, "registration-evidence-mismatch")
        assert client.get(f"{API}/applications/{draft['id']}", headers=b).json()["state"] == "draft"
        assert ledger_size(client) == size
        return
    created = client.post(
        f"{API}/applications", json=initial_body(resource, evidence_ledger_index=index), headers=b
    )
    problem = assert_problem(created, 409, "registration-evidence-mismatch")
    assert problem["evidence_ledger_index"] == index
    assert client.get(f"{API}/applications", headers=b).json()["total"] == 0


def test_a_notarized_document_of_the_uploaded_file_is_evidence_too(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    """The subject notarizes the file it uploads (单证存证); that receipt commits to the source hash."""
    b = world.b_admin.headers
    clock.to("2026-03-02")
    data = "plate_no,vehicle_type\n桂A12345,货车\n".encode()
    created = client.post("/api/v1/catalog/resources", json=resource_body(), headers=b).json()
    code = created["catalog_code"]
    uploaded = client.post(
        f"/api/v1/catalog/resources/{code}/distributions?filename=d.csv",
        content=data,
        headers={**b, "Content-Type": "text/csv"},
    )
    assert uploaded.status_code == 201, uploaded.text
    notarized = client.post(
        "/api/v1/documents",
        data={"title": "数据存证"},
        files={"file": ("d.csv", data, "text/csv")},
        headers=b,
    )
    assert notarized.status_code == 201, notarized.text
    resource = Registrable(code, uploaded.json()["object_sha256"], "", notarized.json()["ledger_index"])
    application = file_application(client, b, initial_body(resource))
    assert act(client, b, application["id"], "submit")["state"] == "submitted"
    # the same kind of receipt for other bytes is refused
    other = client.post(
        "/api/v1/documents",
        data={"title": "别的文件"},
        files={"file": ("x.csv", b"x", "text/csv")},
        headers=b,
    ).json()
    refused = client.patch(
        f"{API}/applications/{application['id']}",
        json={"evidence_ledger_index": other["ledger_index"]},
        headers=b,
    )
    assert_problem(refused, 409)


# -- duplicates and the initial registration ---------------------------------------------------------


def test_a_second_initial_registration_of_the_same_content_and_holder_is_a_duplicate(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    b = world.b_admin.headers
    first, _ = register(client, world, clock)
    resource = Registrable(first["catalog_code"], first["content_sha256"], "", first["evidence_ledger_index"])
    second = file_application(client, b, initial_body(resource))
    refused = client.post(f"{API}/applications/{second['id']}/submit", headers=b)
    problem = assert_problem(refused, 409, "registration-duplicate")
    assert problem["content_sha256"] == first["content_sha256"]


def test_two_pending_initial_applications_of_the_same_content_are_duplicates(
    client: TestClient, world: World, resource: Registrable
) -> None:
    b = world.b_admin.headers
    first = file_application(client, b, initial_body(resource))
    second = file_application(client, b, initial_body(resource))
    act(client, b, first["id"], "submit")
    assert_problem(
        client.post(f"{API}/applications/{second['id']}/submit", headers=b), 409, "registration-duplicate"
    )


@pytest.mark.parametrize("kind", ["change", "correction", "cancellation"])
def test_later_applications_need_an_existing_initial_registration(
    client: TestClient, world: World, resource: Registrable, kind: str
) -> None:
    b = world.b_admin.headers
    body = later_body(kind, "00000000-0000-4000-8000-000000000000")
    del body["registration_id"]
    assert_problem(
        client.post(f"{API}/applications", json=body, headers=b), 409, "registration-initial-required"
    )
    unknown = client.post(
        f"{API}/applications", json=later_body(kind, "00000000-0000-4000-8000-000000000000"), headers=b
    )
    assert_problem(unknown, 404, "not-found")


def test_an_interested_party_files_only_corrections(
    client: TestClient, world: World, resource: Registrable
) -> None:
    body = initial_body(resource, as_interested_party=True)
    assert_problem(client.post(f"{API}/applications", json=body, headers=world.b_admin.headers), 403)


# -- out of order (409) and the wrong role (403) -----------------------------------------------------


def test_actions_out_of_order_name_the_state_and_the_allowed_actions(
    client: TestClient, world: World, resource: Registrable
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    draft = file_application(client, b, initial_body(resource))
    size = ledger_size(client)
    for action in ("accept", "review/pass", "issue", "cancellation/complete"):
        problem = assert_problem(
            client.post(f"{API}/applications/{draft['id']}/{action}", headers=auth),
            409,
            "registration-action-not-allowed",
        )
        assert problem["state"] == "draft" and problem["allowed_actions"] == ["submit"]
        assert "allowed actions: submit" in problem["detail"]
    act(client, b, draft["id"], "submit")
    again = assert_problem(client.post(f"{API}/applications/{draft['id']}/submit", headers=b), 409)
    assert again["state"] == "submitted"
    assert set(again["allowed_actions"]) == {"request_supplement", "accept", "refuse"}
    # the subject may not accept its own application: 403 naming who does
    own = assert_problem(client.post(f"{API}/applications/{draft['id']}/accept", headers=b), 403)
    assert "authority" in own["detail"]
    # a submitted file no longer changes
    edit = client.patch(f"{API}/applications/{draft['id']}", json={"content_summary": "改"}, headers=b)
    assert_problem(edit, 409, "registration-action-not-allowed")
    assert ledger_size(client) == size + 1  # the one submission


def test_refusal_needs_grounds_and_reasons(client: TestClient, world: World, resource: Registrable) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    draft = file_application(client, b, initial_body(resource))
    act(client, b, draft["id"], "submit")
    url = f"{API}/applications/{draft['id']}/refuse"
    problem = assert_problem(client.post(url, json={}, headers=auth), 422)
    assert {e["loc"][-1] for e in problem["errors"]} == {"refusal_grounds", "reason"}
    refused = act(
        client, auth, draft["id"], "refuse", {"grounds": ["ownership_dispute"], "reason": "权属争议"}
    )
    assert refused["state"] == "not_accepted" and refused["refusal_grounds"] == ["ownership_dispute"]
    assert refused["allowed_actions"] == []


@pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
def test_objecting_after_publicity_closed_is_409(
    client: TestClient, world: World, resource: Registrable, clock: TravelClock, profile: RuleProfile
) -> None:
    b, a, auth = world.b_admin.headers, world.a_admin.headers, world.reviewer.headers
    draft = file_application(client, b, initial_body(resource))
    act(client, b, draft["id"], "submit")
    act(client, auth, draft["id"], "accept")
    passed = act(client, auth, draft["id"], "review/pass")
    url = f"{API}/applications/{draft['id']}/objections"
    body = {"objector_real_name": "李四", "evidence": ["权属证明"]}
    # the applicant does not object to its own application (403: another role files objections)
    assert_problem(client.post(url, json=body, headers=b), 403, "registration-actor-not-allowed")
    clock.to(passed["publicity_end"])
    clock.forward(1)
    late = assert_problem(client.post(url, json=body, headers=a), 409, "registration-action-not-allowed")
    assert f"publicity closed on {passed['publicity_end']}" in late["detail"]
    act(client, auth, draft["id"], "issue")
    closed = assert_problem(client.post(url, json=body, headers=a), 409)
    assert closed["state"] == "issued" and closed["allowed_actions"] == []


# -- overdue steps (超期) ------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
def test_the_authority_lists_overdue_steps_and_records_the_explanation(
    client: TestClient, world: World, resource: Registrable, clock: TravelClock, profile: RuleProfile
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    late = file_application(client, b, initial_body(resource))
    act(client, b, late["id"], "submit")  # Mon 03-02: acceptance due Thu 03-05
    in_time = file_application(client, b, initial_body(registrable_resource(client, b)))
    clock.to("2026-03-05")
    act(client, b, in_time["id"], "submit")
    assert client.get(f"{API}/overdue", headers=auth).json() == []  # the due day itself is in time

    not_yet = client.post(
        f"{API}/applications/{late['id']}/overrun-explanations", json={"explanation": "x"}, headers=auth
    )
    assert "not overdue" in assert_problem(not_yet, 409)["detail"]

    clock.to("2026-03-09")  # Mon: two working days late (03-06, 03-09)
    (row,) = client.get(f"{API}/overdue", headers=auth).json()
    assert row["application_id"] == late["id"] and row["state"] == "submitted"
    assert row["deadline"]["due"] == "2026-03-05" and row["deadline"]["working_days_overdue"] == 2
    assert row["overrun_flags"] == ["acceptance_overdue"] and row["explained"] is False
    assert_problem(client.get(f"{API}/overdue", headers=b), 403)
    # the applicant sees the flag on its own file
    assert client.get(f"{API}/applications/{late['id']}", headers=b).json()["overrun_flags"] == [
        "acceptance_overdue"
    ]

    explained = client.post(
        f"{API}/applications/{late['id']}/overrun-explanations",
        json={"explanation": "系统故障"},
        headers=auth,
    )
    assert explained.status_code == 201, explained.text
    assert explained.json()["working_days_overdue"] == 2
    assert client.get(f"{API}/overdue", headers=auth).json()[0]["explained"] is True

    # an overrun of the formal review: national explains to the subject (explain_delay step), NM decides
    act(client, auth, late["id"], "accept")  # 03-09 + 20 WD = 04-07 (清明 04-04..04-06 off)
    clock.to("2026-04-08")
    overdue = {r["application_id"]: r for r in client.get(f"{API}/overdue", headers=auth).json()}
    flag = "delay_explanation_due" if profile is RuleProfile.NATIONAL else "review_decision_due"
    assert overdue[late["id"]]["overrun_flags"] == sorted(["review_overdue", flag])
    explanation = client.post(
        f"{API}/applications/{late['id']}/overrun-explanations",
        json={"explanation": "材料核验中"},
        headers=auth,
    )
    assert explanation.status_code == 201
    steps = [
        s["action"] for s in client.get(f"{API}/applications/{late['id']}", headers=auth).json()["steps"]
    ]
    assert ("explain_delay" in steps) is (profile is RuleProfile.NATIONAL)


def test_attachments_only_of_this_applications_materials(
    client: TestClient, world: World, resource: Registrable, settings: Settings
) -> None:
    b = world.b_admin.headers
    draft = file_application(client, b, initial_body(resource), complete=False)
    response = client.post(
        f"{API}/applications/{draft['id']}/attachments?material=change_application_form",
        content=b"%PDF",
        headers={**b, "Content-Type": "application/pdf"},
    )
    assert_problem(response, 422)
    empty = client.post(
        f"{API}/applications/{draft['id']}/attachments?material=other",
        content=b"",
        headers={**b, "Content-Type": "application/pdf"},
    )
    assert_problem(empty, 422)
    # the refused upload leaves no object behind (its transaction rolled back)
    empty_sha = hashlib.sha256(b"").hexdigest()
    assert not LocalObjectStore.from_settings(settings).exists(empty_sha)
    stored = attach(client, b, draft["id"], "other", "补充说明")
    assert LocalObjectStore.from_settings(settings).exists(stored["sha256"])
    assert stored["sha256"] == hashlib.sha256("补充说明".encode()).hexdigest()


def test_a_scheduled_task_issues_when_publicity_ends_without_objection(
    client: TestClient,
    world: World,
    resource: Registrable,
    clock: TravelClock,
    settings: Settings,
    db: Session,
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    draft = file_application(client, b, initial_body(resource))
    act(client, b, draft["id"], "submit")
    act(client, auth, draft["id"], "accept")
    passed = act(client, auth, draft["id"], "review/pass")
    clock.to(passed["publicity_end"])
    assert review_service.close_due_publicity(db, SYSTEM, Clock.now(settings)) == []  # its last day: in time
    clock.forward(1)
    (closed,) = review_service.close_due_publicity(db, SYSTEM, Clock.now(settings))
    db.commit()
    assert str(closed) == draft["id"]
    issued = client.get(f"{API}/applications/{draft['id']}", headers=b).json()
    assert issued["state"] == "issued" and issued["steps"][-1]["actor_role"] == "system"
    assert client.get(f"{API}/records/{issued['registration_id']}", headers=b).json()["state"] == "valid"


@pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
def test_formal_review_failure_and_late_refusal_only_under_inner_mongolia(
    client: TestClient, world: World, resource: Registrable, profile: RuleProfile
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    draft = file_application(client, b, initial_body(resource))
    act(client, b, draft["id"], "submit")
    accepted = act(client, auth, draft["id"], "accept")
    nm = profile is RuleProfile.INNER_MONGOLIA
    assert ("fail_review" in accepted["allowed_actions"]) is nm
    assert ("refuse" in accepted["allowed_actions"]) is nm  # 不予办理 after acceptance (004:5422-5427)
    url = f"{API}/applications/{draft['id']}/review/fail"
    failed = client.post(url, json={"reason": "基本信息表与目录不一致"}, headers=auth)
    if nm:
        assert failed.status_code == 200, failed.text
        body = failed.json()
        assert (body["state"], body["reasons"], body["decided_on"]) == (
            "review_failed",
            "基本信息表与目录不一致",
            "2026-03-02",
        )
    else:
        problem = assert_problem(failed, 409, "registration-action-not-allowed")
        assert problem["state"] == "under_review" and "fail_review" not in problem["allowed_actions"]
