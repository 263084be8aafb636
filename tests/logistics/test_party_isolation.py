"""Party isolation on every EPCIS route: another party's events and jobs are as good as missing."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.conftest import World
from tests.identity.support import assert_problem
from tests.logistics.conftest import CUSTOM_STEP, PARENT
from tests.logistics.support import captured, document, event_url, object_event, query, query_all


def test_queries_return_only_the_callers_events(client: TestClient, table: World) -> None:
    b = table.b_admin
    assert query_all(client, table.a_admin, "/epcis/events")
    assert query_all(client, b, "/epcis/events") == []
    assert query_all(client, b, "/epcis/events?EQ_bizStep=shipping&MATCH_anyEPC=" + PARENT) == []
    events, _ = query(client, b, f"/epcis/epcs/{quote(PARENT, safe='')}/events")
    assert events == []
    assert CUSTOM_STEP not in client.get("/epcis/bizSteps", headers=b.headers).json()["member"]
    # Another party's analyst sees party A's events: events belong to the party, not the user.
    assert len(query_all(client, table.a_analyst, "/epcis/events")) == 5


def test_another_partys_event_and_job_answer_like_missing_ones(client: TestClient, world: World) -> None:
    a, b = world.a_admin, world.b_admin
    event = object_event(1, eventID="urn:uuid:aaaaaaaa-0000-4000-8000-00000000000a")
    job = captured(client, a, document(event))
    theirs = assert_problem(
        client.get(event_url(event["eventID"]), headers=b.headers), 404, "epcis-not-found"
    )
    missing = assert_problem(
        client.get(event_url("urn:uuid:aaaaaaaa-0000-4000-8000-00000000000b"), headers=b.headers),
        404,
        "epcis-not-found",
    )
    assert theirs["epcisException"] == missing["epcisException"] == "epcisException:NoSuchResourceException"
    assert theirs["title"] == missing["title"]
    job_url = f"/epcis/capture/{job['captureID']}"
    their_job = assert_problem(client.get(job_url, headers=b.headers), 404, "epcis-not-found")
    no_job = assert_problem(client.get("/epcis/capture/not-a-job", headers=b.headers), 404, "epcis-not-found")
    assert their_job["title"] == no_job["title"]
    assert client.get(job_url, headers=a.headers).status_code == 200


def test_the_same_event_may_be_captured_by_two_parties(client: TestClient, world: World) -> None:
    doc = document(object_event(1, eventID="urn:uuid:aaaaaaaa-0000-4000-8000-00000000000c"))
    assert captured(client, world.a_admin, doc)["storedCount"] == 1
    assert captured(client, world.b_admin, doc)["storedCount"] == 1
    a_events = query_all(client, world.a_admin, "/epcis/events")
    b_events = query_all(client, world.b_admin, "/epcis/events")
    assert [e["eventID"] for e in a_events] == [e["eventID"] for e in b_events]
