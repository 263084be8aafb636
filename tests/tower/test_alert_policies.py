"""The alert rules' pure parts, on hand-made inputs with exact expected values: what an event says,
distances from the planned route, cold-chain breaches, thresholds, webhook URLs and signatures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from logispace.domains.tower.alerts.enums import RuleKind
from logispace.domains.tower.alerts.policies import (
    celsius,
    delay_hours,
    event_facts,
    geo,
    off_route_km,
    overdue,
    place_code,
    surely_on_route,
    temperature_breach,
)
from logispace.domains.tower.webhooks import signing
from logispace.domains.tower.webhooks.errors import WebhookUrlRefused
from logispace.domains.tower.webhooks.targets import check_url

T0 = datetime(2026, 6, 1, tzinfo=UTC)


def test_an_aggregation_event_names_its_waybill_boxes_means_and_place() -> None:
    body: dict[str, Any] = {
        "parentID": "urn:logispace:vehicle:%E6%A1%82N12345",
        "childEPCs": ["urn:logispace:container:CSQU3054383", "urn:epc:id:sgtin:0614141.107346.1"],
        "bizLocation": {"id": "urn:logispace:unlocode:CNQZH"},
        "bizTransactionList": [
            {"type": "bol", "bizTransaction": "urn:logispace:waybill:LHX26000001"},
            {"type": "po", "bizTransaction": "urn:epcglobal:cbv:bt:0614141073467:1"},
        ],
    }
    facts = event_facts("AggregationEvent", "ADD", "loading", body)
    assert facts.waybill_numbers == ("LHX26000001",)
    assert facts.containers == ("CSQU3054383",)
    assert facts.parent == "urn:logispace:vehicle:%E6%A1%82N12345"
    assert (facts.place, facts.position, facts.loading, facts.unloading) == ("CNQZH", None, True, False)
    off = event_facts("AggregationEvent", "DELETE", "https://ref.gs1.org/cbv/BizStep-unloading", body)
    assert (off.loading, off.unloading) == (False, True)
    # An ObjectEvent never loads, whatever its step.
    assert event_facts("ObjectEvent", "ADD", "loading", body).loading is False


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("geo:21.70000,108.61000", (21.7, 108.61)),
        ("geo:-33.8,151.2;u=35", (-33.8, 151.2)),
        ("geo:91,0", None),
        ("geo:abc", None),
        ("urn:logispace:unlocode:CNQZH", None),
        (None, None),
    ],
)
def test_geo_uris(uri: str | None, expected: tuple[float, float] | None) -> None:
    assert geo(uri) == expected


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("urn:logispace:unlocode:CNQZH", "CNQZH"),
        ("urn:logispace:division:500112", "500112"),
        ("geo:21.7,108.6", None),
        (None, None),
    ],
)
def test_place_codes(uri: str | None, expected: str | None) -> None:
    assert place_code(uri) == expected


@pytest.mark.parametrize(
    ("value", "uom", "expected"),
    [
        (-18.0, "CEL", -18.0),
        (-18.0, None, -18.0),
        (212.0, "FAH", 100.0),
        (273.15, "KEL", 0.0),
        (5.0, "KGM", None),
    ],
)
def test_temperatures_in_celsius(value: float, uom: str | None, expected: float | None) -> None:
    assert celsius(value, uom) == expected


def test_sensor_reports_give_every_temperature_reading() -> None:
    body = {
        "sensorElementList": [
            {
                "sensorReport": [
                    {"type": "gs1:Temperature", "value": -10.0, "uom": "CEL"},
                    {"type": "gs1:RelativeHumidity", "value": 80.0, "uom": "A93"},
                ]
            },
            {"sensorReport": [{"type": "gs1:Temperature", "minValue": 14.0, "maxValue": 23.0, "uom": "FAH"}]},
            # Both spellings of the GS1 Web vocabulary's term (the reference hash writes ref.gs1.org).
            {"sensorReport": [{"type": "https://ref.gs1.org/voc/Temperature", "value": 2.0, "uom": "CEL"}]},
            {"sensorReport": [{"type": "https://gs1.org/voc/Temperature", "value": 3.0, "uom": "CEL"}]},
        ]
    }
    assert event_facts("ObjectEvent", "OBSERVE", None, body).temperatures == (-10.0, -10.0, -5.0, 2.0, 3.0)


@pytest.mark.parametrize(
    ("point", "expected_km"),
    [
        ((0.5, 1.0), 55.597),  # half a degree of latitude off the middle of the segment
        ((0.0, 1.0), 0.0),  # on it
        ((0.0, 3.0), 111.195),  # past the end: distance to the end
        ((0.0, -1.0), 111.195),  # behind the start: distance to the start
    ],
)
def test_distance_from_the_planned_route(point: tuple[float, float], expected_km: float) -> None:
    assert round(off_route_km(point, (0.0, 0.0), (0.0, 2.0)), 3) == expected_km


@pytest.mark.parametrize(
    ("reading", "low", "high", "tolerance", "expected"),
    [
        (-10.0, -20.0, -15.0, 0.0, 5.0),
        (-15.0, -20.0, -15.0, 0.0, None),
        (-14.5, -20.0, -15.0, 1.0, None),
        (-13.5, -20.0, -15.0, 1.0, 1.5),
        (-25.0, -20.0, -15.0, 0.0, 5.0),
        (30.0, None, 25.0, 0.0, 5.0),
        (-30.0, None, 25.0, 0.0, None),
    ],
)
def test_cold_chain_breaches(
    reading: float, low: float | None, high: float | None, tolerance: float, expected: float | None
) -> None:
    assert temperature_breach(reading, low, high, tolerance) == expected


@pytest.mark.parametrize(
    ("kind", "threshold", "elapsed", "expected"),
    [
        (RuleKind.DWELL, 6, timedelta(hours=6), False),
        (RuleKind.DWELL, 6, timedelta(hours=6, seconds=1), True),
        (RuleKind.GPS_SILENCE, 30, timedelta(minutes=30), False),
        (RuleKind.GPS_SILENCE, 30, timedelta(minutes=31), True),
        (RuleKind.DELAY, 0, timedelta(seconds=1), True),
    ],
)
def test_time_thresholds_are_exceeded_strictly(
    kind: RuleKind, threshold: float, elapsed: timedelta, expected: bool
) -> None:
    assert overdue(T0, T0 + elapsed, kind, threshold) is expected


@pytest.mark.parametrize(
    ("promised_h", "predicted_h", "now_h", "late_h", "fires_at_2h"),
    [
        (10, None, 9, -1.0, False),  # no prediction, promise ahead: judged by now
        (10, None, 12, 2.0, False),  # 2 hours past the promise: not more than 2
        (10, None, 12.5, 2.5, True),  # 2.5 hours past it
        (10, 13, 5, 3.0, True),  # predicted 3 hours late, raised before the promise passes
        (10, 12, 5, 2.0, False),  # predicted exactly at the tolerance
        (10, 9, 5, -1.0, False),  # predicted early
        (10, 9, 13, 3.0, True),  # a prediction already in the past: now counts (not arrived yet)
        (10, 20, 15, 10.0, True),  # the prediction is later than now: it counts
    ],
)
def test_the_delay_is_the_predicted_arrival_past_the_promise(
    promised_h: float, predicted_h: float | None, now_h: float, late_h: float, fires_at_2h: bool
) -> None:
    hour = timedelta(hours=1)
    predicted = T0 + predicted_h * hour if predicted_h is not None else None
    late = delay_hours(T0 + promised_h * hour, predicted, T0 + now_h * hour)
    assert late == late_h
    assert (late > 2) is fires_at_2h


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ((21.95, 108.62), (21.70, 108.61)),  # 450702 -> 钦州港, 28 km
        ((21.70, 108.61), (29.52, 106.45)),  # 钦州港 -> 重庆, beyond the planar span: never claimed
        ((45.0, 126.0), (47.0, 129.0)),  # far north, where a degree of longitude is short
        ((30.0, 100.0), (30.0, 100.0)),  # a leg that starts where it ends
    ],
)
def test_the_cheap_on_route_check_never_clears_a_point_off_the_route(
    start: tuple[float, float], end: tuple[float, float]
) -> None:
    cleared = 0
    for i in range(-30, 31):
        for j in range(-30, 31):
            point = (start[0] + i * 0.1, start[1] + j * 0.1)
            for limit in (5.0, 20.0, 30.0, 100.0):
                if surely_on_route(point, start, end, limit):
                    cleared += 1
                    assert off_route_km(point, start, end) < limit, (point, limit)
    assert cleared > 0 or abs(start[0] - end[0]) > 5


def resolver(table: dict[str, list[str]]) -> Any:
    return lambda host, port: table.get(host, [])


PUBLIC_DNS = resolver(
    {"hooks.example.com": ["93.184.216.34"], "inside.example.com": ["93.184.216.34", "10.1.2.3"]}
)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://hooks.example.com/x",
        "file:///etc/passwd",
        "hooks.example.com/x",
        "http://127.0.0.1/x",
        "http://10.0.0.8:8080/x",
        "http://172.16.5.4/x",
        "http://192.168.1.1/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "http://[fd00::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://224.0.0.1/x",
        "http://0.0.0.0/x",
        "http://100.64.0.1/x",
        "http://inside.example.com/x",
        "http://nowhere.example.com/x",
        "http://user:pw@hooks.example.com/x",
        "http://hooks.example.com:99999/x",
    ],
)
def test_webhook_urls_refused(url: str) -> None:
    with pytest.raises(WebhookUrlRefused) as caught:
        check_url(url, (), PUBLIC_DNS)
    assert caught.value.extensions == {"field": "url"}


def test_webhook_urls_accepted_and_an_operator_allowed_host() -> None:
    assert check_url("https://hooks.example.com/alerts", (), PUBLIC_DNS) == "https://hooks.example.com/alerts"
    assert check_url("http://93.184.216.34/x", (), PUBLIC_DNS) == "http://93.184.216.34/x"
    assert check_url("http://inside.example.com/x", {"inside.example.com"}, PUBLIC_DNS)


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"a":1}'
    expected = "v1=6d204545ff126a339c00513d93603299c984074ce1331c3537c3f6c976b49019"
    assert signing.signature("whsec_test", 1767225600, body) == expected
    assert signing.verify("whsec_test", 1767225600, body, expected, now=1767225600 + 300)
    assert not signing.verify("whsec_test", 1767225600, body, expected, now=1767225600 + 301)
    assert not signing.verify("whsec_other", 1767225600, body, expected, now=1767225600)
