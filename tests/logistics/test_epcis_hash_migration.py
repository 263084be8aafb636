"""The migration that follows the corrected event hash: stored hashes and EPC links are recomputed
from each event's stored JSON, the eventID never changes, a hash already taken is left as it was.

The rows are written into a database at the revision before it, into its tables as that database
has them (reflected, not copied from the migration), and the real migration path runs on them.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from logispace import migrations
from logispace.core import events
from logispace.domains.logistics import event_hash_id, pre_hash
from tests.databases import migrated_to, reflected
from tests.factories.identity import make_party


@pytest.fixture(autouse=True)
def _no_ledger_at_the_old_revision(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parties are made at a revision before the ledger admitted entries by id: the identity
    events that would append to it are left unheard (the migration under test is not the ledger's)."""
    monkeypatch.setattr(events.bus, "_handlers", defaultdict(list))


BEFORE = "120da998d760"
PREFIXES = {"ex": "https://ns.example.com/"}
CONTEXT = [{"ex": "https://ns.example.com/"}]
EPC = "urn:epc:id:gsin:4012345.999987654"
AT = datetime(2026, 1, 1, tzinfo=UTC)


def _event(reading: int, **fields: object) -> dict[str, object]:
    return {
        "@context": CONTEXT,
        "type": "ObjectEvent",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": [EPC],
        "action": "OBSERVE",
        "ex:sensor": {"reading": reading},
        **fields,
    }


def _store_then_upgrade(url: str, engine: Engine, stored: list[tuple[dict[str, Any], str]]) -> dict[str, Any]:
    """Store each (event body, hash the old algorithm gave it) of one capture of one party, with its
    EPC link, at :data:`BEFORE`; run the migrations to head; return the tables after."""
    with Session(engine) as db:
        party_id = make_party(db).id
        db.commit()
    jobs, events, links = reflected(engine, "epcis_capture_jobs", "epcis_events", "epcis_event_epcs")
    job_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            jobs.insert().values(
                id=job_id,
                party_id=party_id,
                created_at=AT,
                running=False,
                success=True,
                error_behaviour="rollback",
                errors=[],
                event_count=len(stored),
                stored_count=len(stored),
                document_sha256="0" * 64,
                # a later revision added this column, NOT NULL without a server default
                **({"skipped": []} if "skipped" in jobs.c else {}),
            )
        )
        for pk, (body, old_hash) in enumerate(stored, 1):
            conn.execute(
                events.insert().values(
                    id=pk,
                    party_id=party_id,
                    capture_id=job_id,
                    event_id=body["eventID"],
                    event_hash=old_hash,
                    event_type="ObjectEvent",
                    event_time=AT,
                    record_time=AT,
                    body=body,
                )
            )
            conn.execute(
                links.insert().values(event_pk=pk, role="epc", epc=EPC, party_id=party_id, event_time=AT)
            )
    migrations.upgrade(url)
    jobs, events, links = reflected(engine, "epcis_capture_jobs", "epcis_events", "epcis_event_epcs")
    with engine.connect() as conn:
        return {
            "events": conn.execute(
                sa.select(events.c.event_id, events.c.event_hash).order_by(events.c.id)
            ).all(),
            "epcs": sorted(conn.execute(sa.select(links.c.event_pk, links.c.epc)).all()),
            "skipped": conn.execute(sa.select(jobs.c.skipped)).scalar_one(),
        }


def test_stored_hashes_and_links_are_recomputed(tmp_path: Path) -> None:
    five, forty = _event(5, eventID="ni:///old-hash-a"), _event(40, eventID="ni:///old-hash-b")
    # What the old algorithm stored: the same hash for both would have been refused, so they hold two
    # old hash strings (one as its eventID, captured without one).
    with migrated_to(tmp_path, BEFORE) as (url, engine):
        after = _store_then_upgrade(url, engine, [(five, "ni:///old-hash-a"), (forty, "ni:///old-2")])
    stored = after["events"]
    assert [row.event_id for row in stored] == ["ni:///old-hash-a", "ni:///old-hash-b"]
    assert [row.event_hash for row in stored] == [
        event_hash_id(five, PREFIXES),
        event_hash_id(forty, PREFIXES),
    ]
    assert stored[0].event_hash != stored[1].event_hash
    assert after["epcs"] == [
        (1, "https://id.gs1.org/402/40123459999876541"),
        (2, "https://id.gs1.org/402/40123459999876541"),
    ]
    skipped = after["skipped"]
    assert json.loads(skipped) == [] if isinstance(skipped, str) else skipped == []


def test_a_hash_already_taken_by_another_event_is_left_as_it_was(tmp_path: Path) -> None:
    original = _event(5, eventID="urn:uuid:a")
    # The same event declared erroneous: the new hash leaves errorDeclaration out.
    declared = _event(5, eventID="urn:uuid:b", errorDeclaration={"declarationTime": "2026-02-01T00:00:00Z"})
    with migrated_to(tmp_path, BEFORE) as (url, engine):
        after = _store_then_upgrade(url, engine, [(original, "ni:///old-1"), (declared, "ni:///old-2")])
    assert [row.event_hash for row in after["events"]] == [event_hash_id(original, PREFIXES), "ni:///old-2"]


def test_the_reference_vocabulary_migration_recomputes_sensor_and_cbvmda_hashes(tmp_path: Path) -> None:
    """Issue 15 point 2: from the revision before the gs1:/cbvmda namespaces of the reference."""
    sensor = _event(
        5,
        eventID="urn:uuid:s",
        sensorElementList=[{"sensorReport": [{"type": "Temperature", "value": 5}]}],
        ilmd={"cbvmda:lotNumber": "L1"},
    )
    plain = _event(6, eventID="urn:uuid:p")
    with migrated_to(tmp_path, "c4d8e2f6a1b3") as (url, engine):
        after = _store_then_upgrade(url, engine, [(sensor, "ni:///old-s"), (plain, "ni:///old-p")])
    assert [row.event_hash for row in after["events"]] == [
        event_hash_id(sensor, PREFIXES),
        event_hash_id(plain, PREFIXES),
    ]
    assert "https://ref.gs1.org/voc/Temperature" in pre_hash(sensor, PREFIXES)
