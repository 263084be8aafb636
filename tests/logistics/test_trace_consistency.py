"""The waybill page and the container page tell the same story (issue 17, consistency bugs seen in
the demo): a handover at one time on both (it was the truck's unloading scan on the container page
and the signed handover on the waybill page, hours apart); a ship's (here a train's) loading scanned
a moment before its carrier signed the handover listed under its own leg, not the road leg; a
closed waybill whose latest status reads closed, not the "in progress" of its last scan."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from logispace.web.templates import beijing_time
from tests.conftest import LogIn
from tests.factories.logistics import container_number
from tests.logistics.conftest import Clock
from tests.logistics.support import captured, document
from tests.logistics.waybill_support import Corridor
from tests.logistics.waybill_trace_support import (
    ACCEPT,
    DELIVER,
    HAND_OVER,
    JSON,
    LATER,
    PICK_UP,
    TRAIN,
    TRUCK,
    _aggregation,
    _event,
    carry,
)

MINUTE = timedelta(minutes=1)


@pytest.fixture
def scanned_close(client: TestClient, corridor: Corridor, clock: Clock) -> tuple[str, str]:
    """The two-leg waybill of the trace tests, its container scanned as ports do: the truck unloaded
    two hours before the railway signed for the box, the train loaded 30 seconds before it signed,
    and the last scan (unloading, in progress) before the consignee signed and the waybill closed."""
    container = container_number()
    number = carry(client, corridor, clock, container)
    clock.now = LATER
    captured(
        client,
        corridor.road.actor,
        document(
            _aggregation("road-load", PICK_UP + MINUTE, container, "ADD", TRUCK, "loading"),
            _aggregation("road-unload", HAND_OVER - 120 * MINUTE, container, "DELETE", TRUCK, "unloading"),
        ),
    )
    captured(
        client,
        corridor.rail.actor,
        document(
            _aggregation("rail-load", HAND_OVER - MINUTE / 2, container, "ADD", TRAIN, "loading"),
            _aggregation("rail-unload", DELIVER - 60 * MINUTE, container, "DELETE", TRAIN, "unloading"),
            _event(
                "rail-yard", DELIVER + 30 * MINUTE, container, bizStep="unloading", disposition="in_progress"
            ),
        ),
    )
    return number, container


def _get(client: TestClient, path: str, headers: dict[str, str]) -> JSON:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    body: JSON = response.json()
    return body


def test_a_loading_scanned_before_its_carrier_signed_is_on_that_carriers_leg(
    client: TestClient, corridor: Corridor, scanned_close: tuple[str, str]
) -> None:
    number, _ = scanned_close
    body = _get(client, f"/api/v1/trace/waybills/{number}", corridor.shipper.headers)
    road, rail = body["legs"]
    assert [(e["bizStep"], e["parentID"]) for e in road["events"]] == [
        ("loading", TRUCK),
        ("unloading", TRUCK),
    ]
    assert [(e["bizStep"], e["parentID"]) for e in rail["events"]][:2] == [
        ("loading", TRAIN),
        ("unloading", TRAIN),
    ]
    assert road["means"] == [TRUCK] and rail["means"] == [TRAIN]


def test_a_handover_has_one_time_on_the_waybill_and_on_the_container(
    client: TestClient, corridor: Corridor, scanned_close: tuple[str, str]
) -> None:
    number, container = scanned_close
    waybill = _get(client, f"/api/v1/trace/waybills/{number}", corridor.shipper.headers)
    box = _get(client, f"/api/v1/trace/containers/{container}", corridor.shipper.headers)
    assert len(waybill["handovers"]) == len(box["handovers"]) == 1
    signed, seen = waybill["handovers"][0], box["handovers"][0]
    assert signed["time"].startswith("2026-06-01T18:00") and seen["time"] == signed["time"]
    assert seen["documentId"] == signed["documentId"] is not None
    # the container's legs still say when the box left the truck and boarded the train
    assert box["legs"][0]["unloadedAt"].startswith("2026-06-01T16:00")
    assert box["legs"][1]["loadedAt"].startswith("2026-06-01T17:59:30")


def test_a_closed_waybill_reads_closed(
    client: TestClient, corridor: Corridor, scanned_close: tuple[str, str]
) -> None:
    number, container = scanned_close
    latest = _get(client, f"/api/v1/trace/waybills/{number}", corridor.consignee.headers)["latest"]
    assert (latest["waybillAction"], latest["waybillStatus"], latest["place"]) == (
        "accept",
        "closed",
        "CNCKG",
    )
    assert latest["time"].startswith(ACCEPT.isoformat()[:16])
    # the container itself still reads its last scan
    status = _get(client, f"/api/v1/trace/containers/{container}", corridor.consignee.headers)["status"]
    assert (status["bizStep"], status["disposition"]) == ("unloading", "in_progress")


def _text(html: str, testid: str) -> list[str]:
    found = re.findall(rf'data-testid="{testid}">(.*?)</(?:article|li)>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", part).split()) for part in found]


def test_the_pages_show_the_same_handover_time_and_the_closed_status(
    log_in: LogIn, corridor: Corridor, scanned_close: tuple[str, str]
) -> None:
    number, container = scanned_close
    page = log_in(corridor.shipper.actor).client
    waybill_html = page.get(f"/trace/waybills/{number}").text
    container_html = page.get(f"/trace/containers/{container}").text
    signed = beijing_time(HAND_OVER)
    assert signed == "2026-06-02 02:00"
    [on_waybill] = _text(waybill_html, "timeline-handover")
    [on_container] = _text(container_html, "timeline-handover")
    assert signed in on_waybill and signed in on_container
    [latest] = _text(waybill_html, "trace-latest")
    assert "签收 · 已关闭" in latest and "作业中" not in latest
