"""Several objections in one publicity (异议, 004:800; 004:5418), through the API.

Anyone may object during the whole publicity, also while earlier objections are under review; each
objection has its own review deadline (Q-5, 10 WD from its filing); upholding one terminates and closes
the others with a note; dismissing the last one issues after publicity_end and resumes the publicity
before it. Dates over March 2026 (no holiday): publicity from Mon 03-02 ends Mon 03-16.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from logispace.core.config import RuleProfile
from tests.conftest import World
from tests.factories.registration import API, file_application, initial_body, registrable_resource
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import act, ledger_kind

BOTH = pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
JSON = dict[str, Any]


def _in_publicity(client: TestClient, world: World, clock: TravelClock) -> JSON:
    b, auth = world.b_admin.headers, world.reviewer.headers
    clock.to("2026-03-02")
    application = file_application(client, b, initial_body(registrable_resource(client, b)))
    act(client, b, application["id"], "submit")
    act(client, auth, application["id"], "accept")
    passed = act(client, auth, application["id"], "review/pass")
    assert (passed["publicity_start"], passed["publicity_end"]) == ("2026-03-02", "2026-03-16")
    return passed


def _object(client: TestClient, actor: Any, app_id: str, name: str) -> Any:
    return client.post(
        f"{API}/applications/{app_id}/objections",
        json={"objector_real_name": name, "evidence": [f"{name} 的权属证明"]},
        headers=actor.headers,
    )


def _read(client: TestClient, world: World, app_id: str) -> JSON:
    return dict(client.get(f"{API}/applications/{app_id}", headers=world.reviewer.headers).json())


def _decide(client: TestClient, world: World, app_id: str, objection_id: str, outcome: str) -> JSON:
    body = {"outcome": outcome, "note": f"复核: {outcome}"}
    return act(client, world.reviewer.headers, app_id, f"objections/{objection_id}/handle", body)


@BOTH
def test_two_objectors_in_one_publicity_dismissed_one_by_one(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    app_id = _in_publicity(client, world, clock)["id"]
    clock.to("2026-03-03")
    first = _object(client, world.a_admin, app_id, "张三")
    assert first.status_code == 201, first.text
    clock.to("2026-03-05")  # the first is under review: a second party still has the right (004:800)
    second = _object(client, world.a_analyst, app_id, "李四")
    assert second.status_code == 201, second.text
    # each its own review deadline, 10 WD from its filing: 03-03 -> 03-17, 03-05 -> 03-19
    assert (first.json()["review_due"], second.json()["review_due"]) == ("2026-03-17", "2026-03-19")
    review = _read(client, world, app_id)
    assert review["state"] == "objection_review" and review["deadline"]["due"] == "2026-03-17"
    assert [o["outcome"] for o in review["objections"]] == [None, None]

    # dismissing one of two: still in review, now running on the other one's deadline
    clock.to("2026-03-06")
    one = _decide(client, world, app_id, first.json()["id"], "dismissed")
    assert one["state"] == "objection_review" and one["deadline"]["due"] == "2026-03-19"
    assert ledger_kind(client, one["steps"][-1]["ledger_index"]) == "registration.objection_dismissed"
    assert "registration_id" not in one or one["registration_id"] is None

    # dismissing the last one before publicity_end: the same publicity resumes
    clock.to("2026-03-09")
    resumed = _decide(client, world, app_id, second.json()["id"], "dismissed")
    assert resumed["state"] == "in_publicity"
    assert (resumed["deadline"]["rule"], resumed["deadline"]["due"]) == ("publicity", "2026-03-16")
    assert ledger_kind(client, resumed["steps"][-1]["ledger_index"]) == "registration.publicity_resumed"

    # so a late objector keeps the right until publicity_end inclusive ...
    clock.to("2026-03-16")
    third = _object(client, world.a_admin, app_id, "王五")
    assert third.status_code == 201, third.text
    # ... and not a day after, even while another objection is under review (409, nothing filed)
    clock.to("2026-03-17")
    late = assert_problem(_object(client, world.a_analyst, app_id, "赵六"), 409)
    assert "publicity closed on 2026-03-16" in late["detail"] and late["state"] == "objection_review"
    assert len(_read(client, world, app_id)["objections"]) == 3

    # dismissing the last one after publicity_end issues
    issued = _decide(client, world, app_id, third.json()["id"], "dismissed")
    assert issued["state"] == "issued" and issued["registration_id"]
    assert ledger_kind(client, issued["steps"][-1]["ledger_index"]) == "registration.result_issued"


def test_upholding_one_of_two_terminates_and_closes_the_other_with_a_note(
    client: TestClient, world: World, clock: TravelClock, request: pytest.FixtureRequest
) -> None:
    app_id = _in_publicity(client, world, clock)["id"]
    clock.to("2026-03-03")
    first = _object(client, world.a_admin, app_id, "张三").json()
    clock.to("2026-03-05")
    second = _object(client, world.a_analyst, app_id, "李四").json()

    # overdue per objection: on 03-18 only the first (due 03-17) is late, on 03-20 both
    clock.to("2026-03-18")
    overdue = client.get(f"{API}/overdue", headers=world.reviewer.headers).json()
    mine = [o for o in overdue if o["application_id"] == app_id]
    assert [(o["objection_id"], o["deadline"]["due"]) for o in mine] == [(first["id"], "2026-03-17")]
    assert mine[0]["deadline"]["rule"] == "objection_review" and mine[0]["deadline"]["overdue"]
    clock.to("2026-03-20")
    overdue = client.get(f"{API}/overdue", headers=world.reviewer.headers).json()
    mine = [o for o in overdue if o["application_id"] == app_id]
    assert {(o["objection_id"], o["deadline"]["due"]) for o in mine} == {
        (first["id"], "2026-03-17"),
        (second["id"], "2026-03-19"),
    }
    authority: Any = request.getfixturevalue("log_in")(world.reviewer)
    queue = authority.get("/registration/review")
    assert queue.status_code == 200 and queue.text.count('data-testid="overdue-objection"') == 2

    terminated = _decide(client, world, app_id, second["id"], "upheld")
    assert terminated["state"] == "terminated"
    by_id = {o["id"]: o for o in terminated["objections"]}
    assert by_id[second["id"]]["outcome"] == "upheld"
    closed = by_id[first["id"]]
    assert (closed["outcome"], closed["handled_on"]) == ("closed", "2026-03-20")
    assert second["id"] in closed["handling_note"] and "终止登记" in closed["handling_note"]
    assert ledger_kind(client, terminated["steps"][-1]["ledger_index"]) == "registration.terminated"

    # the closed one is not decided again, and nothing else changes on a refused request
    again = assert_problem(
        client.post(
            f"{API}/applications/{app_id}/objections/{first['id']}/handle",
            json={"outcome": "dismissed", "note": "再议"},
            headers=world.reviewer.headers,
        ),
        409,
    )
    assert "closed already" in again["detail"]
    assert _read(client, world, app_id)["objections"] == terminated["objections"]
    # "closed" is recorded, never decided
    bad = client.post(
        f"{API}/applications/{app_id}/objections/{first['id']}/handle",
        json={"outcome": "closed", "note": "x"},
        headers=world.reviewer.headers,
    )
    assert bad.status_code == 422
    overdue = client.get(f"{API}/overdue", headers=world.reviewer.headers).json()
    assert app_id not in {o["application_id"] for o in overdue}


def test_dismissing_the_only_objection_after_publicity_end_issues(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    app_id = _in_publicity(client, world, clock)["id"]
    clock.to("2026-03-13")
    objection = _object(client, world.a_admin, app_id, "张三").json()
    clock.to("2026-03-18")
    issued = _decide(client, world, app_id, objection["id"], "dismissed")
    assert issued["state"] == "issued" and issued["registration_id"]
