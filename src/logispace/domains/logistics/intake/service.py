"""Intake (数据接入): DCSA Track & Trace events and vehicle GPS CSV captured as EPCIS events.

The adapters (``adapters/dcsa.py``, ``adapters/gps_csv.py``) map the input; this service refuses
it whole when any item cannot be mapped (422 naming each item: ``event i`` or ``line n``), then
captures the mapped events through the EPCIS capture service for the caller's party, in documents
of at most the capture limit, all in the caller's one transaction: all or nothing.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput
from logispace.domains.identity import Principal
from logispace.domains.logistics.epcis import service
from logispace.domains.logistics.epcis.models import CaptureJob
from logispace.domains.logistics.intake.adapters import Issue, Mapped, dcsa, gps_csv

MAX_REPORTED = 100
"""Most refused items listed in one problem (the count gives the rest)."""


class IntakeRefused(InvalidInput):
    """Items that cannot be mapped (无法接入的数据): the input is refused whole, each item named."""

    code = "intake-refused"
    title = "Some items cannot be taken in"


@dataclass
class IntakeResult:
    """The capture jobs of one intake, the events taken in and the warnings kept."""

    jobs: list[CaptureJob] = field(default_factory=list)
    events: int = 0
    stored: int = 0
    warnings: list[Issue] = field(default_factory=list)


def _loc(issue: Issue) -> list[str | int]:
    """``"line 7"`` -> ``["line", 7]``; ``"event 2"`` -> ``["event", 2]``."""
    kind, _, number = issue.where.partition(" ")
    return [kind, int(number)] if number.isdigit() else [issue.where]


def _refuse(what: str, errors: list[Issue]) -> IntakeRefused:
    shown = errors[:MAX_REPORTED]
    listed = "; ".join(f"{e.where}: {e.message}" for e in shown[:5])
    more = f" and {len(errors) - 5} more" if len(errors) > 5 else ""
    return IntakeRefused(
        f"{len(errors)} {what} cannot be taken in, nothing was captured: {listed}{more}",
        errors=[{"loc": _loc(e), "msg": e.message, "type": "intake"} for e in shown],
        refused=len(errors),
    )


def _capture(session: Session, principal: Principal, mapped: Mapped, settings: Settings) -> IntakeResult:
    """Capture the mapped events in documents of at most the capture limit (one transaction)."""
    service.party_of(principal)
    events: list[dict[str, Any]] = mapped.document["epcisBody"]["eventList"]
    result = IntakeResult(warnings=list(mapped.warnings), events=len(events))
    size = settings.epcis_capture_limit
    for start in range(0, len(events), size):
        doc = {**mapped.document, "epcisBody": {"eventList": events[start : start + size]}}
        job = service.capture(session, principal, json.dumps(doc).encode(), settings)
        result.jobs.append(job)
        result.stored += job.stored_count
    return result


def intake_dcsa(session: Session, principal: Principal, body: bytes, settings: Settings) -> IntakeResult:
    """DCSA Track & Trace 2.x events (a JSON list) as EPCIS events of the caller's party.

    A container number failing ISO 6346 is kept, with a warning; planned and estimated events
    are warnings too (not captured); an event that cannot be mapped refuses the whole list."""
    service.party_of(principal)
    try:
        events = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise IntakeRefused(
            f"the body is not JSON: {exc}", errors=[{"loc": ["body"], "msg": str(exc), "type": "json"}]
        ) from None
    if not isinstance(events, list):
        raise IntakeRefused(
            "the body must be a JSON list of DCSA events",
            errors=[{"loc": ["body"], "msg": "not a JSON list", "type": "json"}],
        )
    mapped = dcsa.map_events(events, _now())
    if mapped.errors:
        raise _refuse("events", mapped.errors)
    return _capture(session, principal, mapped, settings)


def intake_gps(session: Session, principal: Principal, body: bytes, settings: Settings) -> IntakeResult:
    """Vehicle GPS points (CSV ``plate,time,longitude,latitude,speed``) as EPCIS events of the
    caller's party; a bad row (plate, time, coordinate or speed) refuses the whole file."""
    service.party_of(principal)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise IntakeRefused(
            f"the CSV is not UTF-8: {exc}", errors=[{"loc": ["body"], "msg": str(exc), "type": "encoding"}]
        ) from None
    try:
        mapped = gps_csv.map_csv(text, _now())
    except csv.Error as exc:
        raise IntakeRefused(
            f"the CSV cannot be read: {exc}", errors=[{"loc": ["body"], "msg": str(exc), "type": "csv"}]
        ) from None
    if mapped.errors:
        raise _refuse("rows", mapped.errors)
    return _capture(session, principal, mapped, settings)


def _now() -> str:
    return utcnow().isoformat()
