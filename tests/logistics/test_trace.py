"""The trace of a container or EPC from a small generated traffic: events in time order, legs cut by
the aggregations, handovers, position, status, and who sees what."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.demo.traffic import Traffic
from logispace.domains.identity import Role
from logispace.domains.logistics.trace import service as trace_service
from logispace.domains.logistics.trace.repository import Scope, Window
from tests.conftest import Actor, World
from tests.factories.identity import make_party, make_token, make_user
from tests.identity.support import assert_problem
from tests.logistics.conftest import Clock
from tests.logistics.trace_support import (
    END,
    capture_traffic,
    container_urn,
    events_naming,
    expected_legs,
    gps_between,
    small_traffic,
)

DONE = "TCNU5125876"  # LHX26000003: road 渝北 -> 团结村, rail -> 钦州港, vessel -> 海防, all done
UNDER_WAY = "FCIU7966357"  # LHX26000002: road 南宁 -> 钦州港 done, at sea to Singapore
JSON = dict[str, Any]


@pytest.fixture(scope="module")
def traffic() -> Traffic:
    return small_traffic()


@pytest.fixture
def loaded(client: TestClient, world: World, clock: Clock, traffic: Traffic) -> World:
    """Party A captured the carriers' events, party B the port's."""
    clock.now = END
    capture_traffic(client, traffic, world.a_admin, world.b_admin)
    return world


def trace(client: TestClient, actor: Actor, number: str, status: int = 200, track: bool = False) -> JSON:
    query = "?track=true" if track else ""
    response = client.get(f"/api/v1/trace/containers/{number}{query}", headers=actor.headers)
    assert response.status_code == status, response.text
    body: JSON = response.json()
    return body


def at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def ms(moment: datetime | None) -> datetime | None:
    """Event times are stored to the millisecond (half-up), as the event hash writes them."""
    if moment is None:
        return None
    return (moment + timedelta(microseconds=500)).replace(
        microsecond=(moment.microsecond + 500) // 1000 * 1000 % 1_000_000
    )


def test_a_finished_container_shows_its_legs_handovers_and_events_in_time_order(
    client: TestClient, loaded: World, traffic: Traffic
) -> None:
    body = trace(client, loaded.authority_admin, DONE, track=True)
    assert body["container"] == DONE and body["epc"] == container_urn(DONE)
    assert body["warnings"] == []
    expected = expected_legs(traffic, DONE)
    assert [leg["mode"] for leg in body["legs"]] == ["road", "rail", "water"]
    assert [leg["means"] for leg in body["legs"]] == [leg.means for leg in expected]
    for leg, want in zip(body["legs"], expected, strict=True):
        assert at(leg["loadedAt"]) == ms(want.loaded_at)
        assert at(leg["unloadedAt"]) == ms(want.unloaded_at)
        assert (leg["loadedPlace"], leg["unloadedPlace"]) == (want.origin, want.destination)
    # The truck's GPS points during the road leg, all of them and only those.
    road = expected[0]
    gps = gps_between(traffic, road.means, road.loaded_at, road.unloaded_at)
    assert gps
    assert [at(p["time"]) for p in body["legs"][0]["track"]] == [
        ms(datetime.fromisoformat(e["eventTime"])) for e in gps
    ]
    assert body["legs"][1]["track"] == body["legs"][2]["track"] == []
    # Handovers at 团结村 (truck -> train) and 钦州港 (train -> vessel).
    assert [(h["place"], h["fromMeans"], h["toMeans"]) for h in body["handovers"]] == [
        (expected[0].destination, expected[0].means, expected[1].means),
        (expected[1].destination, expected[1].means, expected[2].means),
    ]
    # Every event naming the container, in time order, each placed on its leg.
    times = [at(e["eventTime"]) for e in body["events"]]
    assert times == sorted(times)
    assert len(body["events"]) == len(events_naming(traffic, container_urn(DONE)))
    steps = [e["bizStep"] for e in body["events"]]
    assert steps[0] == "loading" and steps[-1] == "unloading"
    assert "receiving" in steps and "shipping" in steps  # the port's gate-in and gate-out
    assert {e["leg"] for e in body["events"] if e["bizStep"] in ("departing", "arriving")} == {1, 2, 3}
    assert body["status"]["bizStep"] == "unloading" and body["status"]["place"] == expected[-1].destination
    assert body["waybills"] == ["LHX26000003"]
    assert body["position"]["eventID"] == body["legs"][0]["track"][-1]["eventID"]
    assert body["eventsTruncated"] is False
    # Without track=true: the same chain, each leg with its last point only.
    short = trace(client, loaded.authority_admin, DONE)
    assert [leg["track"] for leg in short["legs"]] == [[], [], []]
    assert {k: v for k, v in short.items() if k != "legs"} == {k: v for k, v in body.items() if k != "legs"}
    assert short["position"] == body["position"]  # found leg by leg from the latest back


def test_a_leg_under_way_has_no_unloading_and_the_status_is_the_latest_event(
    client: TestClient, loaded: World, traffic: Traffic
) -> None:
    body = trace(client, loaded.authority_admin, UNDER_WAY)
    legs = body["legs"]
    assert [leg["mode"] for leg in legs] == ["road", "water"]
    assert legs[0]["unloadedAt"] is not None and legs[1]["unloadedAt"] is None
    assert body["status"]["bizStep"] == "departing"
    assert body["status"]["disposition"] == "in_transit"
    last_gps = gps_between(traffic, legs[0]["means"], at(legs[0]["loadedAt"]), at(legs[0]["unloadedAt"]))[-1]
    assert at(body["position"]["time"]) == ms(datetime.fromisoformat(last_gps["eventTime"]))
    assert body["position"]["latitude"] == pytest.approx(float(last_gps["readPoint"]["id"][4:].split(",")[0]))


def test_the_epc_route_gives_the_same_chain_and_a_truck_has_its_own(
    client: TestClient, loaded: World, traffic: Traffic
) -> None:
    a = loaded.authority_admin
    by_number = trace(client, a, DONE)
    response = client.get("/api/v1/trace/epcs/" + quote(container_urn(DONE), safe=""), headers=a.headers)
    assert response.status_code == 200, response.text
    by_epc = response.json()
    assert by_epc["container"] is None
    assert {k: v for k, v in by_epc.items() if k != "container"} == {
        k: v for k, v in by_number.items() if k != "container"
    }
    truck = by_number["legs"][0]["means"]
    own_response = client.get("/api/v1/trace/epcs/" + quote(truck, safe=""), headers=a.headers)
    assert own_response.status_code == 200, own_response.text
    own = own_response.json()
    assert own["legs"] == []
    assert {"parent", "epc"} <= {r for e in own["events"] for r in e["roles"]}
    assert len(own["events"]) == len(events_naming(traffic, truck))
    # the truck's last GPS point: after unloading it drives back empty (demo.traffic.RETURN_EMPTY)
    points = [e for e in own["events"] if (e["readPoint"] or "").startswith("geo:")]
    assert own["position"]["eventID"] == points[-1]["eventID"]
    unloading = next(i for i, e in enumerate(own["events"]) if e["bizStep"] == "unloading")
    assert own["events"][unloading + 1 :] and all(e in points for e in own["events"][unloading + 1 :])


def test_a_party_sees_only_the_events_it_captured(client: TestClient, db: Session, loaded: World) -> None:
    everything = trace(client, loaded.authority_admin, DONE)
    carrier = trace(client, loaded.a_admin, DONE)
    port = trace(client, loaded.b_admin, DONE)
    assert {e["capturedBy"] for e in carrier["events"]} == {str(loaded.a_admin.party_id)}
    assert {e["capturedBy"] for e in port["events"]} == {str(loaded.b_admin.party_id)}
    assert len(carrier["events"]) + len(port["events"]) == len(everything["events"])
    assert [e["bizStep"] for e in port["events"]] == ["receiving", "shipping"]
    assert port["legs"] == [] and port["position"] is None
    assert len(carrier["legs"]) == 3
    # The party's analyst sees what the party captured; another party sees nothing, as if missing.
    assert trace(client, loaded.a_analyst, DONE)["events"] == carrier["events"]
    outsider_party = make_party(db, name="丙货代公司")
    user = make_user(db, outsider_party, Role.PARTY_ADMIN)
    outsider = Actor(user.id, user.party_id, user.username, make_token(db, user))
    db.commit()
    theirs = assert_problem(
        client.get(f"/api/v1/trace/containers/{DONE}", headers=outsider.headers), 404, "trace-not-found"
    )
    missing = assert_problem(
        client.get("/api/v1/trace/containers/CSQU3054383", headers=outsider.headers), 404, "trace-not-found"
    )
    assert theirs["title"] == missing["title"]
    epc = assert_problem(
        client.get("/api/v1/trace/epcs/" + quote(container_urn(DONE), safe=""), headers=outsider.headers),
        404,
        "trace-not-found",
    )
    assert epc["title"] == missing["title"]


def test_windows_of_the_scope_bound_the_other_partys_events(db: Session, loaded: World) -> None:
    """The seam for waybill sharing: a window over another party's events by event time."""
    a, b = loaded.a_admin.party_id, loaded.b_admin.party_id
    assert isinstance(a, type(b))
    full = trace_service.build(db, container_urn(DONE), Scope(sees_all=True))
    gate_in = next(e for e in full.events if e.bizStep == "receiving")
    scope = Scope(
        sees_all=False,
        windows=(Window(b, start=gate_in.eventTime, end=gate_in.eventTime), Window(a, end=gate_in.eventTime)),  # type: ignore[arg-type]
    )
    bounded = trace_service.build(db, container_urn(DONE), scope)
    assert bounded.events[-1].eventID == gate_in.eventID
    assert [e.eventID for e in bounded.events] == [
        e.eventID for e in full.events if e.eventTime <= gate_in.eventTime
    ]
    assert len(bounded.legs) == 2 and bounded.legs[1].unloadedAt is not None
    assert (
        trace_service.build(db, container_urn(DONE), Scope(sees_all=True, windows=())).events == full.events
    )
    with pytest.raises(trace_service.TraceNotFound):
        trace_service.build(db, container_urn(DONE), Scope(sees_all=False))


@pytest.mark.parametrize("number", ["CSQU305438", "1234567890X", "CSQU30543834", "CS QU3054383"])
def test_a_malformed_container_number_is_a_validation_error(
    client: TestClient, world: World, number: str
) -> None:
    assert_problem(client.get(f"/api/v1/trace/containers/{number}", headers=world.a_admin.headers), 422)


def test_a_spaced_or_lower_case_number_finds_the_container(client: TestClient, loaded: World) -> None:
    spaced = trace(client, loaded.a_admin, DONE[:4].lower() + " " + DONE[4:10] + " " + DONE[10])
    assert spaced["container"] == DONE and spaced["legs"]
