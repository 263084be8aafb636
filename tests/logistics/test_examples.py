"""All 47 GS1 example documents: valid against the schema, captured, and every event queried back
with the same meaning.

Normalisation before comparing (what the repository changes, all allowed by EPCIS 2.0):
- ``recordTime`` is the repository's capture time, never the sender's;
- an event without ``eventID`` gets its CBV 2.0 event hash ID;
- the document's extra ``@context`` entries (prefixes of user extensions) move onto each event,
  since a query document mixes events from many captures; the standard context stays on the
  query document.
Everything else comes back exactly as sent (same keys, same values, same compact IRIs).
The one EPCISQueryDocument example is captured as the EPCISDocument holding its events.
"""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.identity import Role
from logispace.domains.logistics import event_hash_id
from logispace.domains.logistics.epcis import document
from logispace.domains.logistics.epcis.hashing import context_prefixes
from tests.conftest import Actor, World
from tests.factories.identity import make_party, make_token, make_user
from tests.logistics.support import (
    EPCIS_CONTEXT,
    JSON,
    as_capture_document,
    captured,
    event_url,
    events_of,
    example_paths,
    load,
    query,
    query_all,
)


def _expected(event: JSON, doc: JSON) -> JSON:
    prefixes = context_prefixes(doc["@context"])
    out = {k: v for k, v in event.items() if k != "recordTime"}
    out.setdefault("eventID", event_hash_id(event, prefixes))
    return out


def new_actor(db: Session) -> Actor:
    user = make_user(db, make_party(db), Role.PARTY_ADMIN)
    actor = Actor(user.id, user.party_id, user.username, make_token(db, user))
    db.commit()
    return actor


def test_every_example_document_validates_captures_and_queries_back(client: TestClient, db: Session) -> None:
    paths = example_paths()
    assert len(paths) == 47
    checked_events = 0
    for path in paths:
        original = load(path)
        document.validate_schema(original)
        doc = as_capture_document(original)
        extra = [c for c in doc["@context"] if c != EPCIS_CONTEXT]
        # Each document for its own party: some examples reuse another's eventID with other content.
        actor = new_actor(db)
        job = captured(client, actor, doc)
        assert job["success"] is True
        assert job["eventCount"] == len(events_of(doc))
        status = client.get(f"/epcis/capture/{job['captureID']}", headers=actor.headers).json()
        assert status == job
        listed = query_all(client, actor, "/epcis/events?perPage=1")
        assert len(listed) == job["storedCount"] == len(events_of(doc)), path.name
        for event in events_of(doc):
            expected = _expected(event, doc)
            found, _ = query(client, actor, event_url(expected["eventID"]))
            assert len(found) == 1, path.name
            got = dict(found[0])
            assert "recordTime" in got
            got.pop("recordTime")
            assert got.pop("@context", []) == extra, path.name
            assert got == expected, path.name
            checked_events += 1
    assert checked_events == 56


def test_query_documents_returned_are_valid_epcis(client: TestClient, world: World) -> None:
    doc = load(next(p for p in example_paths() if p.name == "object_event_all_possible_fields.jsonld"))
    captured(client, world.a_admin, doc)
    response = client.get("/epcis/events", headers=world.a_admin.headers)
    document.validate_schema(response.json())
