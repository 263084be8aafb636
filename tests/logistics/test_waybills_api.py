"""Multimodal waybills end to end (一单制): every state through the API, the 409s and 403s."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.identity import Role
from logispace.domains.identity.models import Party
from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent
from tests.factories.identity import bearer, make_token, make_user
from tests.factories.logistics import container_number
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor, Member, act, create, done


def test_a_waybill_goes_through_every_state_with_a_signed_step_each(
    client: TestClient, corridor: Corridor
) -> None:
    c = corridor
    created = create(client, c.shipper, c.body())
    number = created["number"]
    assert (created["status"], created["current_leg"], created["leg_count"]) == ("draft", None, 3)
    assert created["allowed_actions"] == ["issue", "cancel"]
    assert created["dangerous_goods_class"] == "9"
    assert created["temperature"] == {"min_c": -20, "max_c": -15}
    assert [leg["carrier_uscc"] for leg in created["legs"]] == [m.uscc for m in c.carriers]

    # (who, action, status, leg, allowed actions afterwards)
    steps: list[tuple[Member, str, str, int | None, list[str]]] = [
        (c.shipper, "issue", "issued", None, ["cancel", "pick_up"]),
        (c.road, "pick_up", "in_transit", 1, ["hand_over", "report_delay", "report_damage"]),
        (c.road, "report_delay", "delayed", 1, ["resume", "report_damage"]),
        (c.road, "resume", "in_transit", 1, ["hand_over", "report_delay", "report_damage"]),
        (c.rail, "hand_over", "in_transit", 2, ["hand_over", "report_delay", "report_damage"]),
        (c.rail, "report_damage", "damaged", 2, ["resume", "close"]),
        (c.rail, "resume", "in_transit", 2, ["hand_over", "report_delay", "report_damage"]),
        (c.last_mile, "hand_over", "in_transit", 3, ["deliver", "report_delay", "report_damage"]),
        (c.last_mile, "deliver", "delivered", None, ["accept", "refuse"]),
        (c.consignee, "refuse", "refused", None, ["redeliver", "close"]),
        (c.last_mile, "redeliver", "delivered", None, ["accept", "refuse"]),
        (c.consignee, "accept", "closed", None, []),
    ]
    for who, action, status, leg, allowed in steps:
        body = done(client, who, number, action)
        assert (body["status"], body["current_leg"]) == (status, leg), action
        assert body["allowed_actions"] == allowed, action
        last = body["transitions"][-1]
        assert (last["action"], last["actor_uscc"], last["to_status"], last["to_leg"]) == (
            action,
            who.uscc,
            status,
            leg,
        )
        assert last["document_id"] and last["document_version"] == 1 and last["ledger_index"] is not None

    final = client.get(f"/api/v1/waybills/{number}", headers=c.consignee.headers).json()
    transitions = final["transitions"]
    assert [t["sequence"] for t in transitions] == list(range(1, len(steps) + 2))
    assert transitions[0]["action"] == "create" and transitions[0]["document_id"]
    assert len({t["document_id"] for t in transitions}) == len(transitions)
    ledger = [t["ledger_index"] for t in transitions]
    assert ledger == sorted(ledger)
    # Each step's document names its signer: the acting party, as its public page shows.
    handover = next(t for t in transitions if t["action"] == "hand_over")
    page = client.get(handover["document_url"]).json()
    assert page["issuer_party_id"] == str(c.rail.actor.party_id)
    assert page["reference"] == number
    assert page["versions"][0]["signature_valid"] is True

    report = client.get(f"/api/v1/waybills/{number}/custody", headers=c.shipper.headers).json()
    assert report["verdict"] == "authentic" and report["status_matches"] is True
    assert [s["action"] for s in report["steps"]] == ["create"] + [s[1] for s in steps]
    assert all(s["verdict"] == "authentic" and not s["problems"] for s in report["steps"])


@pytest.mark.parametrize(
    ("path", "end"),
    [
        ([("shipper", "cancel")], "cancelled"),
        ([("shipper", "issue"), ("shipper", "cancel")], "cancelled"),
        (
            [("shipper", "issue"), ("road", "pick_up"), ("road", "report_damage"), ("shipper", "close")],
            "closed",
        ),
        (
            [("shipper", "issue"), ("road", "pick_up"), ("road", "report_delay"), ("road", "report_damage")],
            "damaged",
        ),
    ],
)
def test_the_other_ends(
    client: TestClient, corridor: Corridor, path: list[tuple[str, str]], end: str
) -> None:
    number = create(client, corridor.shipper, corridor.body())["number"]
    for who, action in path:
        body = done(client, getattr(corridor, who), number, action)
    assert body["status"] == end


@pytest.mark.parametrize(
    ("before", "action", "state", "allowed"),
    [
        ([], "deliver", "draft", ["issue", "cancel"]),
        ([], "pick_up", "draft", ["issue", "cancel"]),
        ([("shipper", "issue")], "hand_over", "issued", ["cancel", "pick_up"]),
        (
            [("shipper", "issue"), ("road", "pick_up")],
            "deliver",
            "in_transit",
            ["hand_over", "report_delay", "report_damage"],
        ),
        (
            [("shipper", "issue"), ("road", "pick_up")],
            "accept",
            "in_transit",
            ["hand_over", "report_delay", "report_damage"],
        ),
        ([("shipper", "cancel")], "issue", "cancelled", []),
    ],
)
def test_an_action_out_of_order_is_409_naming_the_state_and_the_allowed_actions(
    client: TestClient,
    corridor: Corridor,
    before: list[tuple[str, str]],
    action: str,
    state: str,
    allowed: list[str],
) -> None:
    number = create(client, corridor.shipper, corridor.body())["number"]
    for who, step in before:
        done(client, getattr(corridor, who), number, step)
    problem = assert_problem(act(client, corridor.shipper, number, action), 409, "waybill-action-not-allowed")
    assert problem["state"] == state and problem["allowedActions"] == allowed
    assert f"{action} is not allowed" in problem["detail"]
    assert ("allowed actions: " + (", ".join(allowed) or "none")) in problem["detail"]
    after = client.get(f"/api/v1/waybills/{number}", headers=corridor.shipper.headers).json()
    assert after["status"] == state and len(after["transitions"]) == len(before) + 1


def test_a_handover_by_a_party_that_is_not_the_next_carrier_is_refused(
    client: TestClient, corridor: Corridor
) -> None:
    c = corridor
    number = create(client, c.shipper, c.body())["number"]
    done(client, c.shipper, number, "issue")
    done(client, c.road, number, "pick_up")
    for wrong in (c.last_mile, c.road, c.shipper):
        problem = assert_problem(act(client, wrong, number, "hand_over"), 403, "waybill-actor-not-allowed")
        assert problem["expected"] == c.rail.uscc and problem["role"] == "next_carrier"
        assert wrong.uscc in problem["detail"]
    assert_problem(act(client, c.outsider, number, "hand_over"), 404, "waybill-not-found")
    body = client.get(f"/api/v1/waybills/{number}", headers=c.road.headers).json()
    assert (body["status"], body["current_leg"], len(body["transitions"])) == ("in_transit", 1, 3)
    assert done(client, c.rail, number, "hand_over")["current_leg"] == 2


def test_only_the_consignor_issues_and_an_analyst_cannot_sign(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    c = corridor
    number = create(client, c.shipper, c.body())["number"]
    problem = assert_problem(act(client, c.consignee, number, "issue"), 403, "waybill-actor-not-allowed")
    assert problem["expected"] == c.shipper.uscc
    analyst = make_user(db, db.get_one(Party, c.shipper.actor.party_id), Role.ANALYST)
    token = make_token(db, analyst)
    db.commit()
    refused = client.post(
        f"/api/v1/waybills/{number}/actions", json={"action": "issue"}, headers=bearer(token)
    )
    assert_problem(refused, 403, "permission-denied")
    # The analyst reads the party's waybills all the same.
    assert client.get(f"/api/v1/waybills/{number}", headers=bearer(token)).status_code == 200
    assert done(client, c.shipper, number, "issue")["status"] == "issued"


def test_a_wrong_container_check_digit_is_422_naming_the_container(
    client: TestClient, corridor: Corridor
) -> None:
    response = client.post(
        "/api/v1/waybills", json=corridor.body(containers=["CSQU3054384"]), headers=corridor.shipper.headers
    )
    problem = assert_problem(response, 422)
    assert "CSQU3054384" in response.text and "expected 3, got 4" in response.text
    assert problem["errors"][0]["loc"][:2] == ["body", "containers"]


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"consignor_uscc": "91450700MA0000001X"}, "consignor_uscc"),
        ({"consignee_uscc": "not-a-code"}, "consignee_uscc"),
        ({"cargo": []}, "cargo"),
        ({"temperature": {"min_c": 5, "max_c": -5}}, "temperature"),
        ({"waybill_no": "x"}, "waybill_no"),
    ],
)
def test_bad_drafts_are_422_naming_the_field(
    client: TestClient, corridor: Corridor, changes: dict[str, object], named: str
) -> None:
    response = client.post(
        "/api/v1/waybills", json=corridor.body(**changes), headers=corridor.shipper.headers
    )
    problem = assert_problem(response, 422)
    assert any(named in [str(x) for x in e["loc"]] for e in problem["errors"]), problem


def test_a_waybill_number_is_used_once(client: TestClient, corridor: Corridor) -> None:
    body = corridor.body()
    create(client, corridor.shipper, body)
    again = client.post(
        "/api/v1/waybills", json=corridor.body(number=body["waybill_no"]), headers=corridor.road.headers
    )
    assert_problem(again, 409, "waybill-number-taken")


def test_a_container_in_transit_cannot_be_claimed_by_a_second_waybill(
    client: TestClient, corridor: Corridor
) -> None:
    c = corridor
    first = c.body()
    box = first["containers"][0]
    create(client, c.shipper, first)
    # Two drafts may name the same box: nothing moves yet.
    second = create(client, c.shipper, c.body(containers=[box]))["number"]
    done(client, c.shipper, first["waybill_no"], "issue")
    done(client, c.road, first["waybill_no"], "pick_up")
    problem = assert_problem(act(client, c.shipper, second, "issue"), 409, "container-in-transit")
    assert (problem["container"], problem["waybillNo"]) == (box, first["waybill_no"])
    assert box in problem["detail"] and first["waybill_no"] in problem["detail"]
    third = client.post("/api/v1/waybills", json=c.body(containers=[box]), headers=c.shipper.headers)
    problem = assert_problem(third, 409, "container-in-transit")
    assert problem["waybillNo"] == first["waybill_no"]
    assert client.get(f"/api/v1/waybills/{second}", headers=c.shipper.headers).json()["status"] == "draft"

    for who, action in [(c.rail, "hand_over"), (c.last_mile, "hand_over"), (c.last_mile, "deliver")]:
        done(client, who, first["waybill_no"], action)
    assert_problem(act(client, c.shipper, second, "issue"), 409, "container-in-transit")
    done(client, c.consignee, first["waybill_no"], "accept")
    assert done(client, c.shipper, second, "issue")["status"] == "issued"


def test_a_waybills_containers_keep_the_order_the_draft_listed_them(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    c = corridor
    boxes = [container_number() for _ in range(6)]
    drafted = [boxes[i] for i in (3, 0, 5, 1, 4, 2)]  # neither sorted by number nor by chance
    number = create(client, c.shipper, c.body(containers=drafted))["number"]
    issued = done(client, c.shipper, number, "issue")
    assert issued["containers"] == drafted
    shown = client.get(f"/api/v1/waybills/{number}", headers=c.shipper.headers).json()
    assert shown["containers"] == drafted
    listed = client.get("/api/v1/waybills", headers=c.shipper.headers).json()
    assert [w["containers"] for w in listed["items"] if w["number"] == number] == [drafted]
    # each signed step lists them as the draft did (the snapshot of a later step too)
    snapshots = db.scalars(
        select(WaybillEvent.snapshot)
        .join(Waybill, Waybill.id == WaybillEvent.waybill_id)
        .where(Waybill.number == number)
        .order_by(WaybillEvent.sequence)
    ).all()
    assert [s["containers"] for s in snapshots] == [drafted, drafted]
