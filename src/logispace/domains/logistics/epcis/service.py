"""EPCIS capture and query (EPCIS采集与查询). Services never commit: a capture is one transaction,
all events or none, with one ledger entry for the document."""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import PermissionDenied
from logispace.core.events import bus
from logispace.domains import ledger
from logispace.domains.identity import Principal
from logispace.domains.logistics.epcis import document, repository
from logispace.domains.logistics.epcis.errors import (
    CaptureLimitExceeded,
    EpcisResourceNotFound,
    EventIdConflict,
    InvalidEpcisQuery,
)
from logispace.domains.logistics.epcis.events import CapturedEvent, EventsCaptured
from logispace.domains.logistics.epcis.hashing import timestamp
from logispace.domains.logistics.epcis.models import CaptureJob, EpcisEvent
from logispace.domains.logistics.epcis.repository import EventFilter
from logispace.domains.logistics.epcis.schemas import CaptureJobRead, SkippedEvent

LEDGER_KIND = "epcis.capture"
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def party_of(principal: Principal) -> uuid.UUID:
    """The party the caller acts for; EPCIS events always belong to a party."""
    if principal.party_id is None:
        raise PermissionDenied("EPCIS capture and query need a user of a party")
    return principal.party_id


def _event_count(doc: Any) -> int:
    if isinstance(doc, dict) and isinstance(doc.get("epcisBody"), dict):
        events = doc["epcisBody"].get("eventList")
        if isinstance(events, list):
            return len(events)
    return 0


def capture(session: Session, principal: Principal, body: bytes, settings: Settings) -> CaptureJob:
    """Validate and store one EPCIS document for the caller's party, whole or not at all."""
    party_id = party_of(principal)
    doc = document.parse(body)
    count = _event_count(doc)
    if count > settings.epcis_capture_limit:
        raise CaptureLimitExceeded(
            f"the document has {count} events; one capture accepts at most {settings.epcis_capture_limit}",
            limit=settings.epcis_capture_limit,
        )
    document.validate_schema(doc)
    now = utcnow()
    tolerance = timedelta(seconds=settings.epcis_future_tolerance_seconds)
    events = document.events_of(doc, now, tolerance)
    fresh, skipped = _new_events(session, party_id, events)

    job = CaptureJob(
        id=uuid.uuid4(),
        party_id=party_id,
        user_id=principal.user_id,
        created_at=now,
        finished_at=now,
        running=False,
        success=True,
        error_behaviour="rollback",
        errors=[],
        event_count=len(events),
        stored_count=len(fresh),
        skipped=skipped,
        document_sha256=hashlib.sha256(body).hexdigest(),
    )
    session.add(job)
    session.flush()
    stored = [e for _, e in fresh]
    try:
        with session.begin_nested():
            ids = repository.insert_events(session, party_id, job.id, now, stored)
    except repository.DuplicateEventRow:
        # A concurrent capture stored one of these events after the lookup above.
        raise EventIdConflict(
            "an event of this document was stored by another capture at the same time; "
            "send the document again: events already stored are then reported as skipped",
            pointer="/epcisBody/eventList",
        ) from None
    receipt = ledger.append(
        session,
        kind=LEDGER_KIND,
        subject=f"epcis-capture:{job.id}",
        payload={
            "sha256": job.document_sha256,
            "events": len(events),
            "stored": len(fresh),
            "skipped": len(skipped),
        },
        actor=party_id,
    )
    job.ledger_index = receipt.entry_id
    session.flush()
    if stored and bus.has_handlers(EventsCaptured):
        captured = tuple(
            CapturedEvent(pk, e.event_time, e.event_type, e.action, e.biz_step, e.read_point, e.body)
            for pk, e in zip(ids, stored, strict=True)
        )
        bus.publish(session, EventsCaptured(party_id, job.id, captured))
    return job


def _skip(
    where: str, event: document.ParsedEvent, reason: str, stored_id: str, detail: str
) -> dict[str, str]:
    return {
        "pointer": where,
        "eventID": event.event_id,
        "reason": reason,
        "storedEventID": stored_id,
        "detail": detail,
    }


def _new_events(
    session: Session, party_id: uuid.UUID, events: list[document.ParsedEvent]
) -> tuple[list[tuple[int, document.ParsedEvent]], list[dict[str, str]]]:
    """The events to store (with their index) and the events not stored, each with its reason.

    An event whose hash is already stored (earlier, or earlier in this document) is the same
    event: it is not stored again and is reported as skipped, when it declares no eventID or the
    stored one's. It is refused (409) when it declares another eventID, and so is an eventID that
    already names a different event.
    """
    stored = repository.existing(session, party_id, events)
    first_in_document: dict[str, str] = {}
    fresh: list[tuple[int, document.ParsedEvent]] = []
    skipped: list[dict[str, str]] = []
    for i, event in enumerate(events):
        where = document.pointer(["epcisBody", "eventList", i])
        known_id = stored.get(event.event_hash)
        if known_id is not None:
            if event.declared_id and known_id != event.event_id:
                raise EventIdConflict(
                    f"{where}: this event is already stored under eventID {known_id}", pointer=where
                )
            earlier = first_in_document.get(event.event_hash)
            if earlier is not None:
                reason, detail = "duplicate-in-document", f"the same event as {earlier} of this document"
            elif "errorDeclaration" in event.body:
                reason = "error-declaration-of-stored-event"
                detail = (
                    "an error declaration of a stored event is not stored: the repository keeps "
                    "one event per eventID; capture the corrective events instead"
                )
            else:
                reason, detail = "already-stored", f"the same event is already stored as {known_id}"
            skipped.append(_skip(where, event, reason, known_id, detail))
            continue
        if "id:" + event.event_id in stored:
            raise EventIdConflict(
                f"{where}: eventID {event.event_id} already names a different event", pointer=where
            )
        stored[event.event_hash] = event.event_id
        stored["id:" + event.event_id] = event.event_hash
        first_in_document[event.event_hash] = where
        fresh.append((i, event))
    return fresh, skipped


def capture_job(session: Session, principal: Principal, capture_id: str) -> CaptureJob:
    """A capture job of the caller's party; another party's job answers like a missing one."""
    party_id = party_of(principal)
    try:
        job = session.get(CaptureJob, uuid.UUID(capture_id))
    except ValueError:
        job = None
    if job is None or job.party_id != party_id:
        raise EpcisResourceNotFound(f"no capture job {capture_id}")
    return job


# -- query -----------------------------------------------------------------------------------


def encode_page_token(last_pk: int) -> str:
    return base64.urlsafe_b64encode(f"e:{last_pk}".encode()).decode().rstrip("=")


def decode_page_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, _, value = text.partition(":")
        if kind != "e" or not value.isdigit():
            raise ValueError(token)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidEpcisQuery("nextPageToken is not valid", parameter="nextPageToken") from None


@dataclass
class EventPage:
    events: list[EpcisEvent]
    next_token: str | None


def query_events(
    session: Session, principal: Principal, f: EventFilter, per_page: int, token: str | None
) -> EventPage:
    """One page of the caller's events matching ``f``."""
    party_id = party_of(principal)
    after = decode_page_token(token) if token else None
    rows = list(session.scalars(repository.query(party_id, f, after).limit(per_page + 1)))
    more = len(rows) > per_page
    rows = rows[:per_page]
    return EventPage(rows, encode_page_token(rows[-1].id) if more and rows else None)


def event(session: Session, principal: Principal, event_id: str) -> EpcisEvent:
    row = repository.event_by_id(session, party_of(principal), event_id)
    if row is None:
        raise EpcisResourceNotFound(f"no event {event_id}")
    return row


def stored_values(session: Session, principal: Principal, column: Any) -> list[str]:
    return repository.distinct_values(session, party_of(principal), column)


def event_json(row: EpcisEvent) -> dict[str, Any]:
    """The event as captured, with its eventID and the repository's recordTime."""
    return {**row.body, "recordTime": _iso(row.record_time)}


def _iso(moment: datetime) -> str:
    return timestamp(moment.isoformat())


def query_document(rows: list[EpcisEvent], now: datetime) -> dict[str, Any]:
    """An EPCISQueryDocument holding ``rows``."""
    return {
        "@context": [EPCIS_CONTEXT],
        "type": "EPCISQueryDocument",
        "schemaVersion": "2.0",
        "creationDate": _iso(now),
        "epcisBody": {
            "queryResults": {
                "queryName": "SimpleEventQuery",
                "resultsBody": {"eventList": [event_json(r) for r in rows]},
            }
        },
    }


def event_ids(session: Session, pks: list[int]) -> dict[int, str]:
    """The eventIDs of stored events by row id (what the control tower's alerts link to)."""
    return repository.event_ids(session, pks)


def event_count(session: Session, principal: Principal) -> int:
    """How many events the caller's party has stored."""
    return repository.event_count(session, party_of(principal))


def job_read(job: CaptureJob) -> CaptureJobRead:
    """A capture job as the EPCIS capture API and the intake routes answer it (捕获任务)."""
    return CaptureJobRead(
        captureID=str(job.id),
        createdAt=job.created_at,
        finishedAt=job.finished_at,
        running=job.running,
        success=job.success,
        captureErrorBehaviour=job.error_behaviour,
        errors=list(job.errors),
        eventCount=job.event_count,
        storedCount=job.stored_count,
        skippedCount=len(job.skipped or []),
        skipped=[SkippedEvent(**entry) for entry in job.skipped or []],
        documentSha256=job.document_sha256,
        ledgerIndex=job.ledger_index,
    )
