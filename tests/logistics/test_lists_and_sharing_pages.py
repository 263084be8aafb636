"""我的运单, 我的集装箱, the share form and the bank's 贸易真实性核验 page, through the pages as a
person uses them; and the waybill list's filters on the API."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from logispace.domains.logistics.trace.schemas import Position, WaybillTraceLeg, WaybillTraceRead
from logispace.domains.logistics.trace.trace_map import MAX_POINTS, waybill_map
from tests.identity.support import Browser, assert_problem
from tests.logistics.waybill_support import Corridor, Member, create, done

LogIn = Callable[[Member], Browser]


@pytest.fixture
def log_in(app: FastAPI) -> Iterator[LogIn]:
    with ExitStack() as stack:

        def open_browser(member: Member) -> Browser:
            client = stack.enter_context(TestClient(app, base_url="http://testserver"))
            return Browser(client, member.actor.username)

        yield open_browser


def _beijing_today() -> date:
    return (datetime.now(UTC) + timedelta(hours=8)).date()


def test_the_waybill_list_filters(client: TestClient, corridor: Corridor) -> None:
    c = corridor
    three_legs = create(client, c.shipper, c.body())["number"]
    done(client, c.shipper, three_legs, "issue")
    one_leg = create(client, c.shipper, c.body(legs=[c.body()["legs"][0]]))["number"]
    today = _beijing_today()
    cases: list[tuple[str, set[str]]] = [
        ("", {three_legs, one_leg}),
        ("status=issued", {three_legs}),
        ("status=draft", {one_leg}),
        ("mode=rail", {three_legs}),
        ("mode=water", set()),
        ("origin=450702", {three_legs, one_leg}),
        ("destination=500112", {three_legs}),
        ("destination=cnqzh", {one_leg}),
        (f"created_from={today}", {three_legs, one_leg}),
        (f"created_from={today + timedelta(days=1)}", set()),
        (f"created_to={today - timedelta(days=1)}", set()),
        (f"created_from={today}&created_to={today}&mode=road&status=draft", {one_leg}),
    ]
    for query, expected in cases:
        listed = client.get(f"/api/v1/waybills?{query}", headers=c.shipper.headers)
        assert listed.status_code == 200, (query, listed.text)
        assert {w["number"] for w in listed.json()["items"]} == expected, query
        assert listed.json()["total"] == len(expected)
    row = next(
        w
        for w in client.get("/api/v1/waybills", headers=c.shipper.headers).json()["items"]
        if w["number"] == three_legs
    )
    assert (row["origin"], row["destination"], row["modes"]) == ("450702", "500112", ["road", "rail"])
    for bad in ("origin=%E6%B8%AF", "mode=ship", "created_from=2026-13-01", "status=lost"):
        assert_problem(client.get(f"/api/v1/waybills?{bad}", headers=c.shipper.headers), 422)
    assert client.get("/api/v1/waybills?mode=rail", headers=c.outsider.headers).json()["total"] == 0


def test_my_waybills_and_my_containers_pages(client: TestClient, corridor: Corridor, log_in: LogIn) -> None:
    c = corridor
    body = c.body()
    number = create(client, c.shipper, body)["number"]
    done(client, c.shipper, number, "issue")
    shipper = log_in(c.shipper)
    page = shipper.get("/logistics/waybills")
    assert page.status_code == 200 and number in page.text and "一单制" in page.text
    assert number in shipper.get("/logistics/waybills?status=issued").text
    assert 'data-testid="waybill-none"' in shipper.get("/logistics/waybills?status=closed").text
    refused = shipper.get("/logistics/waybills?origin=%E6%B8%AF%E5%8F%A3")
    assert refused.status_code == 422 and "起运地格式不正确" in refused.text
    boxes = shipper.get("/logistics/containers")
    assert boxes.status_code == 200 and body["containers"][0] in boxes.text and "一箱制" in boxes.text
    assert number in boxes.text  # the box is on the shipper's current waybill
    stranger = log_in(c.outsider)
    assert number not in stranger.get("/logistics/waybills").text
    assert body["containers"][0] not in stranger.get("/logistics/containers").text


def test_a_shipper_shares_a_waybill_with_its_bank_through_the_pages(
    client: TestClient, corridor: Corridor, log_in: LogIn
) -> None:
    c, bank_member = corridor, corridor.outsider
    number = create(client, c.shipper, c.body())["number"]
    done(client, c.shipper, number, "issue")
    done(client, c.road, number, "pick_up")
    shipper, bank = log_in(c.shipper), log_in(bank_member)
    assert 'data-testid="shared-none"' in bank.get("/logistics/shared").text
    assert bank.get(f"/trace/waybills/{number}").status_code == 404

    page = shipper.get(f"/trace/waybills/{number}")
    assert 'data-testid="share-form"' in page.text
    carrier = log_in(c.road).get(f"/trace/waybills/{number}")
    assert carrier.status_code == 200 and 'data-testid="share-form"' not in carrier.text

    until = (_beijing_today() + timedelta(days=30)).isoformat()
    bad = shipper.post(
        f"/logistics/waybills/{number}/shares",
        {"recipient_uscc": "91450100MA5L0TTT9X", "purpose": "融资核验", "valid_until": until},
    )
    assert bad.status_code == 422 and "共享对象须是平台上的其他单位" in bad.text
    late = shipper.post(
        f"/logistics/waybills/{number}/shares",
        {"recipient_uscc": bank_member.uscc, "purpose": "融资核验", "valid_until": "2020-01-01"},
    )
    assert late.status_code == 422 and "共享截止日期须晚于今天" in late.text
    assert 'data-testid="share-row"' not in shipper.get(f"/trace/waybills/{number}").text

    shared = shipper.post(
        f"/logistics/waybills/{number}/shares",
        {"recipient_uscc": bank_member.uscc, "purpose": "供应链金融贸易真实性核验", "valid_until": until},
    )
    assert shared.status_code == 303, shared.text
    assert 'data-testid="share-row"' in shipper.get(f"/trace/waybills/{number}").text

    check = bank.get("/logistics/shared")
    assert (
        number in check.text and "单证链真实完整" in check.text and 'data-verdict="authentic"' in check.text
    )
    trace = bank.get(f"/trace/waybills/{number}")
    assert trace.status_code == 200 and 'data-testid="share-form"' not in trace.text

    share_id = client.get(f"/api/v1/waybills/{number}/shares", headers=c.shipper.headers).json()[0]["id"]
    assert shipper.post(f"/logistics/waybills/{number}/shares/{share_id}/revoke").status_code == 303
    assert 'data-testid="shared-none"' in bank.get("/logistics/shared").text
    assert bank.get(f"/trace/waybills/{number}").status_code == 404


def _leg(sequence: int, points: list[tuple[float, float]]) -> WaybillTraceLeg:
    start = datetime(2026, 5, 1, tzinfo=UTC)
    return WaybillTraceLeg(
        sequence=sequence,
        mode="road",
        carrierUscc="91450100MA5L0TTT9X",
        carrierName=None,
        origin="450702",
        destination="CNQZH",
        startedAt=start,
        endedAt=None,
        means=[],
        events=[],
        track=[
            Position(time=start + timedelta(minutes=i), latitude=lat, longitude=lon, eventID=f"e{i}")
            for i, (lat, lon) in enumerate(points)
        ],
    )


def _trace(legs: list[WaybillTraceLeg]) -> WaybillTraceRead:
    return WaybillTraceRead.model_construct(legs=legs, position=None)


def test_the_map_draws_each_leg_with_points_and_thins_long_tracks() -> None:
    assert waybill_map(_trace([_leg(1, [])])) is None
    drawn = waybill_map(_trace([_leg(1, [(21.68, 108.35), (22.0, 108.5)]), _leg(2, [])]))
    assert (
        drawn is not None
        and '"points": [[108.35, 21.68], [108.5, 22.0]]' in drawn
        and '"sequence": 2' not in drawn
    )
    long = waybill_map(_trace([_leg(1, [(20 + i / 10_000, 108.0) for i in range(MAX_POINTS * 3)])]))
    assert long is not None and long.count("], [") == MAX_POINTS - 1
    assert "[108.0, 20.0]" in long and f"[108.0, {20 + (MAX_POINTS * 3 - 1) / 10_000}]" in long
