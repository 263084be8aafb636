"""The simple event query: each parameter against a hand-made table, pagination, discovery."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from logispace.domains.logistics.epcis.identifiers import epc_to_digital_link
from tests.conftest import World
from tests.identity.support import assert_problem
from tests.logistics.conftest import CUSTOM_STEP, LOCATION, PARENT, READ_POINT, sgtin
from tests.logistics.support import captured, document, object_event, query, query_all

ALL = {"e1", "e2", "e3", "e4", "e5"}

CASES: list[tuple[str, set[str]]] = [
    ("", ALL),
    ("eventType=ObjectEvent", {"e1", "e2"}),
    ("eventType=AggregationEvent,TransactionEvent", {"e3", "e5"}),
    ("eventType=AggregationEvent&eventType=TransactionEvent", {"e3", "e5"}),
    ("GE_eventTime=2026-02-01T00:00:00Z", {"e3", "e4", "e5"}),
    ("GE_eventTime=2026-02-01T08:00:00%2B08:00", {"e3", "e4", "e5"}),
    ("LT_eventTime=2026-02-01T00:00:00Z", {"e1", "e2"}),
    ("GE_eventTime=2026-02-01T00:00:00Z&LT_eventTime=2026-04-01T00:00:00Z", {"e3", "e4"}),
    ("GE_recordTime=2026-06-02T00:00:00Z", {"e3", "e4", "e5"}),
    ("LT_recordTime=2026-06-02T00:00:00Z", {"e1", "e2"}),
    ("EQ_bizStep=shipping", {"e1", "e5"}),
    ("EQ_bizStep=" + quote("https://ref.gs1.org/cbv/BizStep-shipping", safe=""), {"e1", "e5"}),
    ("EQ_bizStep=urn:epcglobal:cbv:bizstep:receiving", {"e2"}),
    ("EQ_bizStep=" + quote(CUSTOM_STEP, safe=""), {"e4"}),
    ("EQ_disposition=in_transit", {"e1"}),
    ("EQ_disposition=in_transit,in_progress", {"e1", "e2"}),
    ("EQ_readPoint=" + READ_POINT, {"e1"}),
    ("EQ_readPoint=" + quote(epc_to_digital_link(READ_POINT), safe=""), {"e1"}),
    ("EQ_bizLocation=" + LOCATION, {"e1"}),
    ("EQ_bizLocation=" + READ_POINT, set()),
    ("MATCH_epc=" + sgtin(1), {"e1"}),
    ("MATCH_epc=" + sgtin(3), {"e3"}),
    ("MATCH_epc=" + sgtin(4), set()),
    ("MATCH_epc=" + quote(epc_to_digital_link(sgtin(6)), safe=""), {"e5"}),
    ("MATCH_anyEPC=" + sgtin(4), {"e4"}),
    ("MATCH_anyEPC=" + sgtin(5), {"e4"}),
    ("MATCH_anyEPC=" + PARENT, {"e3"}),
    ("MATCH_anyEPC=" + sgtin(1) + "," + sgtin(3), {"e1", "e3"}),
    ("MATCH_parentID=" + PARENT, {"e3"}),
    ("MATCH_parentID=" + sgtin(1), set()),
    ("EQ_action=ADD", {"e2", "e3"}),
    ("EQ_action=DELETE", {"e5"}),
    ("EQ_action=OBSERVE", {"e1"}),
    ("eventType=ObjectEvent&EQ_action=ADD", {"e2"}),
    ("EQ_bizStep=shipping&GE_eventTime=2026-02-01T00:00:00Z", {"e5"}),
]


@pytest.mark.parametrize(("params", "expected"), CASES, ids=[c[0] or "(none)" for c in CASES])
def test_simple_query_parameter(client: TestClient, table: World, params: str, expected: set[str]) -> None:
    events = query_all(client, table.a_admin, f"/epcis/events?{params}")
    names = [e["ex:name"] for e in events]
    assert len(names) == len(set(names))
    assert set(names) == expected


def test_events_by_epc_in_urn_or_digital_link_form(client: TestClient, table: World) -> None:
    for epc in (PARENT, epc_to_digital_link(PARENT)):
        events, _ = query(client, table.a_admin, f"/epcis/epcs/{quote(epc, safe='')}/events")
        assert [e["ex:name"] for e in events] == ["e3"]
    events, _ = query(client, table.a_admin, f"/epcis/epcs/{quote(sgtin(4), safe='')}/events")
    assert [e["ex:name"] for e in events] == ["e4"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ("GE_eventTime=yesterday", "GE_eventTime"),
        ("LT_recordTime=2026-13-01T00:00:00Z", "LT_recordTime"),
        ("nextPageToken=not-a-token", "nextPageToken"),
    ],
)
def test_bad_query_parameters_are_problems(
    client: TestClient, table: World, params: str, parameter: str
) -> None:
    body = assert_problem(client.get(f"/epcis/events?{params}", headers=table.a_admin.headers), 400)
    assert body["epcisException"] == "epcisException:QueryParameterException"
    assert body["parameter"] == parameter


def test_bad_action_and_page_size(client: TestClient, table: World) -> None:
    bad_action = client.get("/epcis/events?EQ_action=WATCH", headers=table.a_admin.headers)
    assert assert_problem(bad_action, 400)["epcisException"] == "epcisException:QueryParameterException"
    assert_problem(client.get("/epcis/events?perPage=0", headers=table.a_admin.headers), 422)
    assert_problem(client.get("/epcis/events?perPage=1001", headers=table.a_admin.headers), 422)


def test_pagination_follows_next_page_token(client: TestClient, world: World) -> None:
    actor = world.a_admin
    events = [object_event(n, **{"ex:name": f"p{n}"}) for n in range(7)]
    events.append(object_event(99, bizStep="receiving", **{"ex:name": "other"}))
    captured(client, actor, document(*events))
    pages = []
    url: str | None = "/epcis/events?EQ_bizStep=shipping&perPage=3"
    while url:
        page, url = query(client, actor, url)
        pages.append([e["ex:name"] for e in page])
        if url:
            assert "EQ_bizStep=shipping" in url
            assert "perPage=3" in url
    assert pages == [["p0", "p1", "p2"], ["p3", "p4", "p5"], ["p6"]]


def test_event_types_and_biz_steps(client: TestClient, table: World) -> None:
    types = client.get("/epcis/eventTypes", headers=table.a_admin.headers).json()
    assert types["type"] == "Collection"
    assert set(types["member"]) == {
        "ObjectEvent",
        "AggregationEvent",
        "TransactionEvent",
        "TransformationEvent",
        "AssociationEvent",
    }
    steps = client.get("/epcis/bizSteps", headers=table.a_admin.headers).json()["member"]
    assert {"shipping", "receiving", "packing"} <= set(steps)
    assert CUSTOM_STEP in steps
    assert "https://ref.gs1.org/cbv/BizStep-shipping" not in steps
