"""The migration that follows the corrected event hash: stored hashes and EPC links are recomputed
from each event's stored JSON, the eventID never changes, a hash already taken is left as it was."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from logispace import migrations
from logispace.core.db import make_engine
from logispace.domains.logistics import event_hash_id
from tests.databases import throwaway_database
from tests.factories.identity import make_party

BEFORE = "120da998d760"
PREFIXES = {"ex": "https://ns.example.com/"}
CONTEXT = [{"ex": "https://ns.example.com/"}]
jobs = sa.table(
    "epcis_capture_jobs",
    sa.column("id", sa.Uuid()),
    sa.column("party_id", sa.Uuid()),
    sa.column("created_at", sa.DateTime()),
    sa.column("running", sa.Boolean()),
    sa.column("success", sa.Boolean()),
    sa.column("error_behaviour", sa.String()),
    sa.column("errors", sa.JSON()),
    sa.column("event_count", sa.Integer()),
    sa.column("stored_count", sa.Integer()),
    sa.column("document_sha256", sa.String()),
)
events = sa.table(
    "epcis_events",
    sa.column("id", sa.BigInteger()),
    sa.column("party_id", sa.Uuid()),
    sa.column("capture_id", sa.Uuid()),
    sa.column("event_id", sa.String()),
    sa.column("event_hash", sa.String()),
    sa.column("event_type", sa.String()),
    sa.column("event_time", sa.DateTime()),
    sa.column("record_time", sa.DateTime()),
    sa.column("body", sa.JSON()),
)
links = sa.table(
    "epcis_event_epcs",
    sa.column("event_pk", sa.BigInteger()),
    sa.column("role", sa.String()),
    sa.column("epc", sa.String()),
    sa.column("party_id", sa.Uuid()),
    sa.column("event_time", sa.DateTime()),
)


def _event(reading: int, **fields: object) -> dict[str, object]:
    return {
        "@context": CONTEXT,
        "type": "ObjectEvent",
        "eventTime": "2026-01-01T00:00:00Z",
        "eventTimeZoneOffset": "+00:00",
        "epcList": ["urn:epc:id:gsin:4012345.999987654"],
        "action": "OBSERVE",
        "ex:sensor": {"reading": reading},
        **fields,
    }


def test_stored_hashes_and_links_are_recomputed(tmp_path: Path) -> None:
    with throwaway_database(tmp_path) as url:
        migrations.upgrade(url, BEFORE)
        engine = make_engine(url, pool=False)
        try:
            with Session(engine) as db:
                party_id = make_party(db).id
                db.commit()
            at = datetime(2026, 1, 1, tzinfo=UTC)
            job_id = uuid.uuid4()
            five, forty = _event(5, eventID="ni:///old-hash-a"), _event(40, eventID="ni:///old-hash-b")
            # What the old algorithm stored: the same hash for both would have been refused, so
            # they hold two old hash strings (one as its eventID, captured without one).
            with engine.begin() as conn:
                conn.execute(
                    jobs.insert().values(
                        id=job_id,
                        party_id=party_id,
                        created_at=at,
                        running=False,
                        success=True,
                        error_behaviour="rollback",
                        errors=[],
                        event_count=2,
                        stored_count=2,
                        document_sha256="0" * 64,
                    )
                )
                for pk, (body, old) in enumerate([(five, "ni:///old-hash-a"), (forty, "ni:///old-2")], 1):
                    conn.execute(
                        events.insert().values(
                            id=pk,
                            party_id=party_id,
                            capture_id=job_id,
                            event_id=body["eventID"],
                            event_hash=old,
                            event_type="ObjectEvent",
                            event_time=at,
                            record_time=at,
                            body=body,
                        )
                    )
                    conn.execute(
                        links.insert().values(
                            event_pk=pk,
                            role="epc",
                            epc="urn:epc:id:gsin:4012345.999987654",
                            party_id=party_id,
                            event_time=at,
                        )
                    )
            migrations.upgrade(url)
            with engine.connect() as conn:
                stored = conn.execute(
                    sa.select(events.c.event_id, events.c.event_hash).order_by(events.c.id)
                ).all()
                epcs = sorted(conn.execute(sa.select(links.c.event_pk, links.c.epc)).all())
                skipped = conn.execute(sa.text("SELECT skipped FROM epcis_capture_jobs")).scalar_one()
        finally:
            engine.dispose()
    assert [row.event_id for row in stored] == ["ni:///old-hash-a", "ni:///old-hash-b"]
    assert [row.event_hash for row in stored] == [
        event_hash_id(five, PREFIXES),
        event_hash_id(forty, PREFIXES),
    ]
    assert stored[0].event_hash != stored[1].event_hash
    assert epcs == [
        (1, "https://id.gs1.org/402/40123459999876541"),
        (2, "https://id.gs1.org/402/40123459999876541"),
    ]
    assert json.loads(skipped) == [] if isinstance(skipped, str) else skipped == []


def test_a_hash_already_taken_by_another_event_is_left_as_it_was(tmp_path: Path) -> None:
    with throwaway_database(tmp_path) as url:
        migrations.upgrade(url, BEFORE)
        engine = make_engine(url, pool=False)
        try:
            with Session(engine) as db:
                party_id = make_party(db).id
                db.commit()
            at = datetime(2026, 1, 1, tzinfo=UTC)
            job_id = uuid.uuid4()
            original = _event(5, eventID="urn:uuid:a")
            # The same event declared erroneous: the new hash leaves errorDeclaration out.
            declared = _event(
                5, eventID="urn:uuid:b", errorDeclaration={"declarationTime": "2026-02-01T00:00:00Z"}
            )
            with engine.begin() as conn:
                conn.execute(
                    jobs.insert().values(
                        id=job_id,
                        party_id=party_id,
                        created_at=at,
                        running=False,
                        success=True,
                        error_behaviour="rollback",
                        errors=[],
                        event_count=2,
                        stored_count=2,
                        document_sha256="0" * 64,
                    )
                )
                for pk, body in enumerate([original, declared], 1):
                    conn.execute(
                        events.insert().values(
                            id=pk,
                            party_id=party_id,
                            capture_id=job_id,
                            event_id=body["eventID"],
                            event_hash=f"ni:///old-{pk}",
                            event_type="ObjectEvent",
                            event_time=at,
                            record_time=at,
                            body=body,
                        )
                    )
            migrations.upgrade(url)
            with engine.connect() as conn:
                hashes = conn.execute(sa.select(events.c.event_hash).order_by(events.c.id)).scalars().all()
        finally:
            engine.dispose()
    assert hashes == [event_hash_id(original, PREFIXES), "ni:///old-2"]
