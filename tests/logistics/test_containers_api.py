"""Containers (一箱制): master data, the waybill holding a container now, its history across
waybills, legs and carriers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from logispace.domains.logistics.containers.policies import check_size_type, describe_size_type
from tests.factories.logistics import container_number
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor, create, done


@pytest.mark.parametrize(
    ("code", "described"),
    [
        ("22G1", "20 ft, 8 ft 6 in, general purpose (通用箱)"),
        ("45g1", "40 ft, 9 ft 6 in, general purpose (通用箱)"),
        ("22R1", "20 ft, 8 ft 6 in, refrigerated (冷藏箱)"),
        ("L5G1", "45 ft, 9 ft 6 in, general purpose (通用箱)"),
        ("22T6", "20 ft, 8 ft 6 in, tank (罐式箱)"),
    ],
)
def test_size_type_codes(code: str, described: str) -> None:
    assert describe_size_type(check_size_type(code)) == described


@pytest.mark.parametrize("code", ["", "22G", "22GG", "92G1", "2XG1", "22Q1", "22G1X"])
def test_bad_size_type_codes(code: str) -> None:
    with pytest.raises(ValueError, match="size-type code"):
        check_size_type(code)


def test_register_a_container_and_read_it(client: TestClient, corridor: Corridor) -> None:
    number = container_number("CSQU")
    response = client.post(
        "/api/v1/containers", json={"number": number, "size_type": "45R1"}, headers=corridor.road.headers
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["number"] == number and body["owner_code"] == "CSQU"
    assert body["owner_party_id"] == str(corridor.road.actor.party_id)
    assert body["size_type_description"] == "40 ft, 9 ft 6 in, refrigerated (冷藏箱)"
    assert (body["current_waybill"], body["history"]) == (None, [])
    spaced = f"{number[:4]} {number[4:10]} {number[10]}"
    assert (
        client.get(f"/api/v1/containers/{spaced}", headers=corridor.road.headers).json()["number"] == number
    )
    again = client.post(
        "/api/v1/containers", json={"number": number, "size_type": "22G1"}, headers=corridor.road.headers
    )
    assert_problem(again, 409, "container-already-registered")  # the caller's own registration


def test_a_second_party_registering_a_box_learns_nothing_of_the_first(
    client: TestClient, corridor: Corridor
) -> None:
    """Issue 15 point 11: registering a number another party registered answered 409 while reading it
    answered 404. Each party keeps its own record now, answered exactly as a first registration."""
    c = corridor
    fresh, taken = container_number("CSQU"), container_number("CSQU")
    first = client.post(
        "/api/v1/containers", json={"number": taken, "size_type": "45R1"}, headers=c.road.headers
    )
    assert first.status_code == 201, first.text
    owners_waybill = create(client, c.shipper, c.body(containers=[taken], legs=c.body()["legs"][1:2]))[
        "number"
    ]
    done(client, c.shipper, owners_waybill, "issue")
    assert_problem(client.get(f"/api/v1/containers/{taken}", headers=c.outsider.headers), 404)

    answers = {}
    for number in (fresh, taken):
        created = client.post(
            "/api/v1/containers", json={"number": number, "size_type": "22G1"}, headers=c.outsider.headers
        )
        assert created.status_code == 201, created.text
        read = client.get(f"/api/v1/containers/{number}", headers=c.outsider.headers)
        assert read.status_code == 200, read.text
        answers[number] = (created.json(), read.json())
    for created, read in (answers[fresh], answers[taken]):
        for body in (created, read):
            assert body["owner_party_id"] == str(c.outsider.actor.party_id)
            assert (body["size_type"], body["current_waybill"], body["history"]) == ("22G1", None, [])
    shape = [
        {k: v for k, v in body.items() if k not in ("number", "registered_at")} for body in answers[fresh]
    ]
    assert [
        {k: v for k, v in body.items() if k not in ("number", "registered_at")} for body in answers[taken]
    ] == shape
    assert_problem(
        client.post(
            "/api/v1/containers", json={"number": taken, "size_type": "22G1"}, headers=c.outsider.headers
        ),
        409,
        "container-already-registered",
    )
    # The first party's record and sight of its box are unchanged; a party with no part still gets 404.
    owner = client.get(f"/api/v1/containers/{taken}", headers=c.road.headers).json()
    assert (owner["owner_party_id"], owner["size_type"]) == (str(c.road.actor.party_id), "45R1")
    assert [u["waybill_no"] for u in owner["history"]] == [owners_waybill]
    assert_problem(client.get(f"/api/v1/containers/{taken}", headers=c.last_mile.headers), 404)


def test_a_wrong_check_digit_is_422_naming_the_container(client: TestClient, corridor: Corridor) -> None:
    bad = client.post(
        "/api/v1/containers",
        json={"number": "CSQU3054384", "size_type": "22G1"},
        headers=corridor.road.headers,
    )
    assert_problem(bad, 422)
    assert "CSQU3054384" in bad.text and "expected 3" in bad.text
    got = client.get("/api/v1/containers/CSQU3054384", headers=corridor.road.headers)
    assert_problem(got, 422)
    assert "container CSQU3054384: the ISO 6346 check digit is wrong (expected 3, got 4)" in got.text
    size = client.post(
        "/api/v1/containers",
        json={"number": "CSQU3054383", "size_type": "99Z9"},
        headers=corridor.road.headers,
    )
    assert_problem(size, 422)
    assert "size-type code '99Z9'" in size.text


@pytest.mark.parametrize(
    ("number", "part"),
    [("ÄBCU3054383", "owner code"), ("123U3054380", "owner code"), ("CSQR3054381", "equipment category")],
)
def test_a_number_outside_iso_6346_is_422_naming_the_part(
    client: TestClient, corridor: Corridor, number: str, part: str
) -> None:
    """Not "substring not found" (python-stdnum's alphabet) nor accepted (its pattern takes R and digits)."""
    created = client.post(
        "/api/v1/containers", json={"number": number, "size_type": "22G1"}, headers=corridor.road.headers
    )
    assert_problem(created, 422)
    assert f"container {number}: the {part}" in created.json()["errors"][0]["msg"], created.text
    assert_problem(client.get(f"/api/v1/containers/{number}", headers=corridor.road.headers), 422)


def test_a_container_history_across_waybills_legs_and_carriers(
    client: TestClient, corridor: Corridor
) -> None:
    c = corridor
    box = container_number("TGHU")
    assert (
        client.post(
            "/api/v1/containers", json={"number": box, "size_type": "22R1"}, headers=c.rail.headers
        ).status_code
        == 201
    )
    first = create(client, c.shipper, c.body(containers=[box]))["number"]
    for who, action in [
        (c.shipper, "issue"),
        (c.road, "pick_up"),
        (c.rail, "hand_over"),
        (c.last_mile, "hand_over"),
    ]:
        done(client, who, first, action)
    seen = client.get(f"/api/v1/containers/{box}", headers=c.shipper.headers).json()
    assert seen["current_waybill"] == first
    done(client, c.last_mile, first, "deliver")
    done(client, c.consignee, first, "accept")
    # The box is free again: a second waybill (two legs) takes it.
    second = create(
        client, c.shipper, c.body(containers=[box], legs=c.body()["legs"][:2], consignee_uscc=c.outsider.uscc)
    )["number"]
    done(client, c.shipper, second, "issue")
    done(client, c.road, second, "pick_up")

    owner = client.get(f"/api/v1/containers/{box}", headers=c.rail.headers).json()
    assert owner["current_waybill"] == second
    assert [(u["waybill_no"], u["status"]) for u in owner["history"]] == [
        (first, "closed"),
        (second, "in_transit"),
    ]
    assert owner["history"][0]["released_at"] is not None and owner["history"][1]["released_at"] is None
    legs = owner["history"][0]["legs"]
    assert [leg["carrier_uscc"] for leg in legs] == [m.uscc for m in c.carriers]
    handovers = [t["actor_uscc"] for t in owner["history"][0]["transitions"] if t["action"] == "hand_over"]
    assert handovers == [c.rail.uscc, c.last_mile.uscc]

    # The consignee of the first waybill sees that waybill only; the outsider, consignee of the
    # second, sees the second only.
    consignee = client.get(f"/api/v1/containers/{box}", headers=c.consignee.headers).json()
    assert [u["waybill_no"] for u in consignee["history"]] == [first]
    assert consignee["current_waybill"] is None
    outsider = client.get(f"/api/v1/containers/{box}", headers=c.outsider.headers).json()
    assert [u["waybill_no"] for u in outsider["history"]] == [second]
    assert outsider["current_waybill"] == second


def test_a_container_first_seen_on_a_waybill_is_claimed_by_its_owner(
    client: TestClient, corridor: Corridor
) -> None:
    c = corridor
    box = container_number("MSKU")
    number = create(client, c.shipper, c.body(containers=[box]))["number"]
    unowned = client.get(f"/api/v1/containers/{box}", headers=c.shipper.headers).json()
    assert (unowned["owner_party_id"], unowned["size_type"]) == (None, None)
    assert [u["waybill_no"] for u in unowned["history"]] == [number]
    claimed = client.post(
        "/api/v1/containers", json={"number": box, "size_type": "22G1"}, headers=c.outsider.headers
    )
    assert claimed.status_code == 201, claimed.text
    # Claiming the box does not open the waybills it was on before; later ones the owner sees.
    assert claimed.json()["history"] == [] and claimed.json()["current_waybill"] is None
    done(client, c.shipper, number, "cancel")
    later = create(client, c.shipper, c.body(containers=[box]))["number"]
    seen = client.get(f"/api/v1/containers/{box}", headers=c.outsider.headers).json()
    assert [u["waybill_no"] for u in seen["history"]] == [later]
    assert [
        u["waybill_no"]
        for u in client.get(f"/api/v1/containers/{box}", headers=c.shipper.headers).json()["history"]
    ] == [number, later]
