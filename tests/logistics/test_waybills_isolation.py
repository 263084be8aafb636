"""Party isolation on every waybill and container route: a party that is not on a waybill sees it
exactly like a missing one (404), and lists leak nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.factories.logistics import container_number, waybill_body, waybill_number
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor, Member, create, done

ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/waybills/{number}", None),
    ("GET", "/api/v1/waybills/{number}/custody", None),
    ("POST", "/api/v1/waybills/{number}/actions", {"action": "hand_over"}),
    ("POST", "/api/v1/waybills/{number}/actions", {"action": "issue"}),
]


def _same_problem(theirs: dict[str, Any], missing: dict[str, Any]) -> None:
    assert {k: v for k, v in theirs.items() if k not in ("detail", "instance")} == {
        k: v for k, v in missing.items() if k not in ("detail", "instance")
    }


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p} {b}" for m, p, b in ROUTES])
def test_a_waybill_of_others_answers_like_a_missing_one(
    client: TestClient, corridor: Corridor, world: World, method: str, path: str, body: dict[str, Any] | None
) -> None:
    number = create(client, corridor.shipper, corridor.body())["number"]
    done(client, corridor.shipper, number, "issue")
    for stranger in (corridor.outsider.headers, world.authority_admin.headers, world.b_admin.headers):
        theirs = client.request(method, path.format(number=number), json=body, headers=stranger)
        missing = client.request(method, path.format(number=waybill_number()), json=body, headers=stranger)
        _same_problem(assert_problem(theirs, 404, "waybill-not-found"), assert_problem(missing, 404))
        assert corridor.shipper.uscc not in theirs.text
    after = client.get(f"/api/v1/waybills/{number}", headers=corridor.shipper.headers).json()
    assert after["status"] == "issued" and len(after["transitions"]) == 2


def test_every_party_on_the_waybill_sees_it_and_no_one_else(client: TestClient, corridor: Corridor) -> None:
    c = corridor
    # Created by the road carrier for the shipper (a forwarder's draft): the creator sees it too.
    number = create(client, c.road, c.body())["number"]
    on_it: list[Member] = [c.shipper, c.road, c.rail, c.last_mile, c.consignee]
    for member in on_it:
        listed = client.get("/api/v1/waybills", headers=member.headers).json()
        assert [w["number"] for w in listed["items"]] == [number] and listed["total"] == 1
        assert client.get(f"/api/v1/waybills/{number}", headers=member.headers).status_code == 200
        assert client.get(f"/api/v1/waybills/{number}/custody", headers=member.headers).status_code == 200
    listed = client.get("/api/v1/waybills", headers=c.outsider.headers).json()
    assert (listed["items"], listed["total"]) == ([], 0)
    assert client.get("/api/v1/waybills?status=draft", headers=c.shipper.headers).json()["total"] == 1
    assert client.get("/api/v1/waybills?status=issued", headers=c.shipper.headers).json()["total"] == 0


def test_a_container_of_others_answers_like_a_missing_one(client: TestClient, corridor: Corridor) -> None:
    c = corridor
    box = container_number()
    registered = container_number()
    create(client, c.shipper, c.body(containers=[box]))
    client.post(
        "/api/v1/containers", json={"number": registered, "size_type": "22G1"}, headers=c.rail.headers
    )
    for number in (box, registered):
        theirs = client.get(f"/api/v1/containers/{number}", headers=c.outsider.headers)
        missing = client.get(f"/api/v1/containers/{container_number()}", headers=c.outsider.headers)
        _same_problem(assert_problem(theirs, 404, "container-not-found"), assert_problem(missing, 404))
    # The owner and the parties of the waybill see the box.
    assert client.get(f"/api/v1/containers/{registered}", headers=c.rail.headers).status_code == 200
    for member in (c.shipper, c.consignee, c.last_mile):
        assert client.get(f"/api/v1/containers/{box}", headers=member.headers).status_code == 200


def test_another_partys_waybill_number_answers_like_a_never_used_one(
    client: TestClient, corridor: Corridor
) -> None:
    """Waybill numbers are unique per issuing party: a number of a waybill the caller cannot see is free to
    it, so creating one answers exactly as for a never-used number (no 409 revealing that it exists)."""
    theirs = create(client, corridor.shipper, corridor.body())["number"]
    mine = waybill_body(
        consignor=corridor.outsider.uscc, consignee=corridor.outsider.uscc, carriers=[corridor.outsider.uscc]
    )
    for number in (waybill_number(), theirs):
        made = client.post(
            "/api/v1/waybills",
            json={**mine, "waybill_no": number, "containers": [container_number()]},
            headers=corridor.outsider.headers,
        )
        assert made.status_code == 201, made.text
        assert made.json()["created_by_party_id"] == str(corridor.outsider.actor.party_id)
    again = client.post(
        "/api/v1/waybills",
        json={**mine, "waybill_no": theirs, "containers": [container_number()]},
        headers=corridor.outsider.headers,
    )
    assert_problem(again, 409, "waybill-number-taken")
    read_by_outsider = client.get(f"/api/v1/waybills/{theirs}", headers=corridor.outsider.headers).json()
    read_by_shipper = client.get(f"/api/v1/waybills/{theirs}", headers=corridor.shipper.headers).json()
    assert read_by_outsider["consignor_uscc"] == corridor.outsider.uscc
    assert read_by_shipper["consignor_uscc"] == corridor.shipper.uscc


def test_a_box_in_use_on_another_partys_waybill_does_not_name_that_waybill(
    client: TestClient, corridor: Corridor
) -> None:
    c = corridor
    box = container_number()
    theirs = create(client, c.shipper, c.body(containers=[box]))["number"]
    done(client, c.shipper, theirs, "issue")
    body = waybill_body(
        consignor=c.outsider.uscc, consignee=c.consignee.uscc, carriers=[c.road.uscc], containers=[box]
    )
    refused = client.post("/api/v1/waybills", json=body, headers=c.outsider.headers)
    problem = assert_problem(refused, 409, "container-in-transit")
    assert "waybillNo" not in problem and theirs not in refused.text
    # a party on the holding waybill learns which one holds the box
    again = client.post("/api/v1/waybills", json=c.body(containers=[box]), headers=c.shipper.headers)
    assert assert_problem(again, 409, "container-in-transit")["waybillNo"] == theirs
