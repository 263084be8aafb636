"""Each application type (首次, 变更, 更正, 注销) end to end through the API, under both rule profiles.

Due dates are counted by hand over the State Council notice for 2026 (国务院办公厅关于2026年部分节假日安排
的通知): 春节 02-15..02-23 off, Saturday 02-14 and Saturday 02-28 worked.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from logispace.core.config import RuleProfile
from tests.conftest import World
from tests.factories.registration import (
    API,
    attach_missing,
    file_application,
    initial_body,
    later_body,
    registrable_resource,
    upload_data,
)
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock

BOTH = pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
JSON = dict[str, Any]


def act(
    client: TestClient, headers: dict[str, str], app_id: str, action: str, body: JSON | None = None
) -> JSON:
    url = f"{API}/applications/{app_id}/{action}"
    response = (
        client.post(url, headers=headers) if body is None else client.post(url, json=body, headers=headers)
    )
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def ledger_kind(client: TestClient, index: int) -> str:
    entry = client.get(f"/api/v1/ledger/entries/{index}")
    assert entry.status_code == 200, entry.text
    return str(entry.json()["kind"])


def register(
    client: TestClient, world: World, clock: TravelClock, start: str = "2026-03-02"
) -> tuple[JSON, JSON]:
    """An initial registration of a fresh resource of party B, issued; returns (application, record)."""
    b, auth = world.b_admin.headers, world.reviewer.headers
    clock.to(start)
    resource = registrable_resource(client, b)
    application = file_application(client, b, initial_body(resource))
    act(client, b, application["id"], "submit")
    act(client, auth, application["id"], "accept")
    passed = act(client, auth, application["id"], "review/pass")
    clock.to(passed["publicity_end"])
    clock.forward(1)
    issued = act(client, auth, application["id"], "issue")
    record = client.get(f"{API}/records/{issued['registration_id']}", headers=b)
    assert record.status_code == 200, record.text
    return issued, record.json()


@BOTH
def test_initial_registration_across_the_2026_spring_festival(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    clock.to("2026-02-12")
    resource = registrable_resource(client, b)
    draft = file_application(client, b, initial_body(resource), complete=False)
    assert draft["state"] == "draft" and draft["rule_profile"] == profile.value
    assert draft["content_sha256"] == resource.object_sha256
    missing_before = {m["key"] for m in draft["missing_items"]}
    assert missing_before and all(m["kind"] == "attachment" for m in draft["missing_items"])

    # Thu 02-12 + 3 WD: 02-13, Sat 02-14 (调休), then after the holiday Tue 02-24
    submitted = act(client, b, draft["id"], "submit")
    assert submitted["state"] == "submitted" and submitted["received_on"] == "2026-02-12"
    assert submitted["deadline"]["rule"] == "acceptance" and submitted["deadline"]["due"] == "2026-02-24"
    assert submitted["deadline"]["source"].startswith(
        "004:794" if profile is RuleProfile.NATIONAL else "004:5412"
    )

    # an incomplete file cannot be accepted; it gets ONE notice naming every missing item
    refused = client.post(f"{API}/applications/{draft['id']}/accept", headers=auth)
    assert_problem(refused, 409, "registration-materials-incomplete")
    clock.to("2026-02-13")
    notice = act(client, auth, draft["id"], "supplement-request", {"noncompliant": ["identity_docs 已过期"]})
    assert notice["state"] == "pending_supplement" and notice["deadline"] is None
    (step,) = [s for s in notice["steps"] if s["action"] == "request_supplement"]
    assert {row["key"] for row in step["notice"] if row["kind"] != "noncompliant"} == missing_before
    assert [row["key"] for row in step["notice"] if row["kind"] == "noncompliant"] == ["identity_docs 已过期"]

    # supplemented and resubmitted Thu 02-26: the clock restarts: 02-27, Sat 02-28 (调休), Mon 03-02
    attach_missing(client, b, notice)
    clock.to("2026-02-26")
    resubmitted = act(client, b, draft["id"], "resubmit", {"note": "已补正"})
    assert resubmitted["deadline"]["due"] == "2026-03-02" and resubmitted["missing_items"] == []

    clock.to("2026-03-02")
    accepted = act(client, auth, draft["id"], "accept")
    assert accepted["state"] == "under_review" and accepted["deadline"]["due"] == "2026-03-30"
    clock.to("2026-03-10")
    publicity = act(client, auth, draft["id"], "review/pass")
    assert publicity["state"] == "in_publicity"
    assert (publicity["publicity_start"], publicity["publicity_end"]) == ("2026-03-10", "2026-03-24")

    # issuing during publicity is out of order: 409 naming the state and the allowed actions
    clock.to("2026-03-24")
    early = client.post(f"{API}/applications/{draft['id']}/issue", headers=auth)
    problem = assert_problem(early, 409, "registration-action-not-allowed")
    assert problem["state"] == "in_publicity" and "publicity runs until 2026-03-24" in problem["detail"]
    assert set(problem["allowed_actions"]) == {"file_objection"}

    clock.to("2026-03-25")
    issued = act(client, auth, draft["id"], "issue")
    assert issued["state"] == "issued" and issued["decided_on"] == "2026-03-25"
    record = client.get(f"{API}/records/{issued['registration_id']}", headers=b).json()
    assert (record["state"], record["version"]) == ("valid", 1)
    assert (record["valid_from"], record["valid_to"]) == ("2026-03-25", "2029-03-25")
    assert record["content_sha256"] == resource.object_sha256

    # every state change is a step with its own ledger entry of the event the rules name
    actions = [s["action"] for s in issued["steps"]]
    assert actions == [
        "submit",
        "request_supplement",
        "resubmit",
        "accept",
        "pass_review",
        "close_publicity",
    ]
    kinds = [ledger_kind(client, s["ledger_index"]) for s in issued["steps"]]
    assert kinds[0] == "registration.application_submitted" and kinds[-1] == "registration.result_issued"
    assert len({s["ledger_index"] for s in issued["steps"]}) == len(actions)
    assert [s["due_on"] for s in issued["steps"]] == [
        "2026-02-24",
        None,
        "2026-03-02",
        "2026-03-30",
        "2026-03-24",
        None,
    ]
    assert ledger_kind(client, record["ledger_index"]) == "registration.record_issued"
    assert all(
        ledger_kind(client, a["ledger_index"]) == "registration.attachment_added"
        for a in issued["attachments"]
    )


@BOTH
def test_change_registration_amends_the_record(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    initial, record = register(client, world, clock)
    new_data = upload_data(client, b, initial["catalog_code"])
    clock.to("2026-04-01")
    change = file_application(
        client, b, later_body("change", record["id"], evidence_ledger_index=new_data.ledger_index)
    )
    assert change["content_sha256"] == new_data.object_sha256 != record["content_sha256"]
    assert change["initial_application_id"] == initial["id"] and change["missing_items"] == []
    submitted = act(client, b, change["id"], "submit")
    assert submitted["deadline"]["due"] == "2026-04-07"  # 04-04..04-06 清明 off
    act(client, auth, change["id"], "accept")
    passed = act(client, auth, change["id"], "review/pass")  # publicity for a change too
    clock.to(passed["publicity_end"])
    clock.forward(1)
    issued = act(client, auth, change["id"], "issue")
    assert issued["registration_id"] == record["id"]
    amended = client.get(f"{API}/records/{record['id']}", headers=b).json()
    assert (amended["version"], amended["content_sha256"]) == (2, new_data.object_sha256)
    assert amended["latest_application_id"] == change["id"] and amended["valid_to"] == record["valid_to"]


@BOTH
def test_correction_by_an_interested_party_with_an_objection(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    a, b, auth = world.a_admin.headers, world.b_admin.headers, world.reviewer.headers
    _, record = register(client, world, clock)
    clock.to("2026-04-13")
    body = later_body("correction", record["id"], as_interested_party=True, info={"data_scale": "约 80 万条"})
    correction = file_application(client, a, body)
    assert correction["applicant_role"] == "interested_party" and correction["holder"]["name"] == "乙港口公司"
    act(client, a, correction["id"], "submit")
    act(client, auth, correction["id"], "accept")
    passed = act(client, auth, correction["id"], "review/pass")
    assert passed["publicity_end"] == "2026-04-27"

    # the holder objects: the real name and the evidence are each required (422 naming the field)
    url = f"{API}/applications/{correction['id']}/objections"
    no_evidence = assert_problem(client.post(url, json={"objector_real_name": "张三"}, headers=b), 422)
    assert [e["loc"] for e in no_evidence["errors"]] == [["body", "evidence"]]
    anonymous = client.post(url, json={"objector_real_name": "  ", "evidence": ["合同"]}, headers=b)
    assert [e["loc"] for e in assert_problem(anonymous, 422)["errors"]] == [["body", "objector_real_name"]]
    # neither is an objection: nothing changed
    assert client.get(f"{API}/applications/{correction['id']}", headers=a).json()["state"] == "in_publicity"

    clock.to("2026-04-20")
    objection = client.post(
        url, json={"objector_real_name": "张三", "evidence": ["原始台账扫描件"]}, headers=b
    )
    assert objection.status_code == 201, objection.text
    review = client.get(f"{API}/applications/{correction['id']}", headers=auth).json()
    assert review["state"] == "objection_review" and review["deadline"]["rule"] == "objection_review"
    # Q-5 default 10 WD from Mon 04-20: 04-21..04-24, 04-27..04-30, 劳动节 05-01..05-05 off, 05-06, 05-07
    assert review["deadline"]["due"] == "2026-05-07"
    handled = act(
        client,
        auth,
        correction["id"],
        f"objections/{objection.json()['id']}/handle",
        {"outcome": "dismissed", "note": "台账与登记一致"},
    )
    # dismissed while the publicity runs: it resumes until its end (others may still object, 004:800)
    assert handled["state"] == "in_publicity" and handled["objections"][0]["outcome"] == "dismissed"
    assert (handled["deadline"]["rule"], handled["deadline"]["due"]) == ("publicity", "2026-04-27")
    clock.to("2026-04-28")
    assert act(client, auth, correction["id"], "issue")["state"] == "issued"
    corrected = client.get(f"{API}/records/{record['id']}", headers=b).json()
    assert corrected["version"] == 2 and corrected["latest_application_id"] == correction["id"]


@BOTH
def test_cancellation_ends_the_record_within_10_working_days(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    _, record = register(client, world, clock)
    clock.to("2026-09-28")
    cancellation = file_application(
        client, b, later_body("cancellation", record["id"], cancellation_ground="rights_ended")
    )
    act(client, b, cancellation["id"], "submit")
    accepted = act(client, auth, cancellation["id"], "accept")
    # 10 WD from Mon 09-28: 09-29, 09-30, 国庆 10-01..10-07 off, 10-08, 10-09, Sat 10-10 (调休), 10-12..10-16
    assert accepted["deadline"]["rule"] == "cancellation" and accepted["deadline"]["due"] == "2026-10-16"
    assert "pass_review" not in accepted["allowed_actions"]  # no publicity for a cancellation
    done = act(client, auth, cancellation["id"], "cancellation/complete")
    assert done["state"] == "cancelled"
    ended = client.get(f"{API}/records/{record['id']}", headers=b).json()
    assert (ended["state"], ended["ended_on"]) == ("cancelled", "2026-09-28")
    # a cancelled registration takes no change
    again = client.post(f"{API}/applications", json=later_body("change", record["id"]), headers=b)
    assert_problem(again, 409, "registration-subject-not-ready")
