"""A registration's history against the ledger (登记历史与存证核对).

Every change of a registration is appended to the ledger in the transaction that makes it: each
step of its applications (subject ``registration:application:<id>``, one :class:`RegistrationStep`
stored per step), each change of the record's state (``registration:record:<id>``) and each signed
certificate statement (``registration:certificate:<code>``, one per revision). The ledger is
append-only, so these entries are the history that cannot be rewritten: every notarized step of
an application must be a stored step, in order, and the application's state the one after its
last step; the record's stored state, version, content and validity must be the last notarized
record change's; the certificate's revision must be its last signed statement. A deleted,
added, reordered or altered change is a :class:`HistoryFinding` naming it (chain, step, ledger
index).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from logispace.domains.ledger import LedgerRecord, compare_chain, entries_for_subject, entries_for_subjects
from logispace.domains.registration.models import (
    RegistrationApplication,
    RegistrationCertificate,
    RegistrationRecord,
    RegistrationStep,
)
from logispace.domains.registration.rules.application_table import APPLICATION_RULES

Chain = Literal["application", "record", "certificate"]
Problem = Literal["missing", "extra", "reordered", "state"]

STEP_KINDS = frozenset(rule.ledger_event for rule in APPLICATION_RULES)
"""The ledger kinds of application steps (the ledger events of state machine A)."""

SIGNED_EVENT = "registration.certificate_signed"


@dataclass(frozen=True)
class HistoryFinding:
    """A change the stored registration does not reflect as the ledger has it (登记历史核对问题)."""

    chain: Chain
    problem: Problem
    ledger_index: int | None
    sequence: int | None
    detail: str


def application_subject(application_id: uuid.UUID) -> str:
    return f"registration:application:{application_id}"


def _step_kind(step: RegistrationStep, recorded: dict[int, str]) -> str:
    """The ledger kind a stored step stands for: its rule's ledger event (several rows of one
    action share their situation's; the one at its index when it is one of them)."""
    candidates = {
        rule.ledger_event
        for rule in APPLICATION_RULES
        if (rule.state, rule.action, rule.role, rule.next_state)
        == (step.from_state, step.action, step.actor_role, step.to_state)
    }
    at_index = recorded.get(step.ledger_index)
    if at_index in candidates:
        return at_index
    return min(candidates) if candidates else "unknown"


def _application(
    application: RegistrationApplication, steps: Sequence[RegistrationStep], entries: list[LedgerRecord]
) -> list[HistoryFinding]:
    recorded = {e.entry_id: e.kind for e in entries}
    stored = [(s.ledger_index, _step_kind(s, recorded)) for s in steps]
    gaps = compare_chain(entries, stored)
    name = f"application {application.id}"
    findings = [
        HistoryFinding(
            "application",
            "missing",
            e.entry_id,
            None,
            f"{name}: the change {e.kind} ({e.payload.get('from')} -> {e.payload.get('to')}) notarized in "
            f"ledger entry {e.entry_id} is missing from its stored history",
        )
        for e in gaps.missing
    ]
    findings += [
        HistoryFinding(
            "application",
            "extra",
            stored[i][0],
            steps[i].seq,
            f"{name}: stored step {steps[i].seq} ({steps[i].action.value}) is not a change the "
            "ledger holds for it",
        )
        for i in gaps.extra_at
    ]
    findings += [
        HistoryFinding(
            "application",
            "reordered",
            stored[i][0],
            steps[i].seq,
            f"{name}: stored step {steps[i].seq} is out of its ledger place (entry {stored[i][0]})",
        )
        for i in gaps.reordered_at
    ]
    last = gaps.last
    if last is not None and last.payload.get("to") != application.state.value:
        findings.append(
            HistoryFinding(
                "application",
                "state",
                last.entry_id,
                None,
                f"{name} is {application.state.value}, but after its last notarized change (ledger entry "
                f"{last.entry_id}) it is {last.payload.get('to')}",
            )
        )
    return findings


RECORD_FIELDS = ("state", "version", "content_sha256", "valid_from", "valid_to")


def _record_state(record: RegistrationRecord) -> dict[str, Any]:
    return {
        "state": record.state.value,
        "version": record.version,
        "content_sha256": record.content_sha256,
        "valid_from": record.valid_from.isoformat(),
        "valid_to": record.valid_to.isoformat(),
    }


def _record(record: RegistrationRecord, entries: list[LedgerRecord]) -> list[HistoryFinding]:
    if not entries:
        return []
    last = entries[-1]
    stored = _record_state(record)
    changed = [f for f in RECORD_FIELDS if last.payload.get(f) != stored[f]]
    if not changed:
        return []
    return [
        HistoryFinding(
            "record",
            "state",
            last.entry_id,
            None,
            f"the stored record differs from its last notarized change (ledger entry {last.entry_id}, "
            f"{last.kind}) in: {', '.join(changed)}",
        )
    ]


def _certificate(certificate: RegistrationCertificate, entries: list[LedgerRecord]) -> list[HistoryFinding]:
    if not entries:
        return []
    last = entries[-1]
    findings = []
    if last.entry_id != certificate.ledger_index:
        revision = (
            last.payload.get("statement", {}).get("revision")
            if isinstance(last.payload.get("statement"), dict)
            else None
        )
        findings.append(
            HistoryFinding(
                "certificate",
                "missing",
                last.entry_id,
                revision if isinstance(revision, int) else None,
                f"the ledger holds a later signed statement (revision {revision}, entry {last.entry_id}) "
                f"than the stored one (revision {certificate.revision}, entry {certificate.ledger_index})",
            )
        )
    if len(entries) != certificate.revision:
        findings.append(
            HistoryFinding(
                "certificate",
                "state",
                certificate.ledger_index,
                certificate.revision,
                f"the certificate says revision {certificate.revision}, the ledger holds {len(entries)} "
                "signed statements for its code",
            )
        )
    return findings


def check(
    session: Session, record: RegistrationRecord, certificate: RegistrationCertificate
) -> list[HistoryFinding]:
    """Every notarized change of the record's applications, of the record and of its certificate
    against what is stored; empty when the stored registration is the ledger's last word."""
    applications = list(
        session.scalars(
            select(RegistrationApplication)
            .where(
                or_(
                    RegistrationApplication.id == record.initial_application_id,
                    RegistrationApplication.initial_application_id == record.initial_application_id,
                )
            )
            .order_by(RegistrationApplication.created_at, RegistrationApplication.id)
        )
    )
    ids = [a.id for a in applications]
    steps: dict[uuid.UUID, list[RegistrationStep]] = {i: [] for i in ids}
    for step in session.scalars(
        select(RegistrationStep)
        .where(RegistrationStep.application_id.in_(ids))
        .order_by(RegistrationStep.seq)
    ):
        steps[step.application_id].append(step)
    entries: dict[str, list[LedgerRecord]] = {application_subject(i): [] for i in ids}
    for entry in entries_for_subjects(session, list(entries), kinds=STEP_KINDS):
        entries[entry.subject].append(entry)
    findings: list[HistoryFinding] = []
    for application in applications:
        findings += _application(
            application, steps[application.id], entries[application_subject(application.id)]
        )
    findings += _record(record, entries_for_subject(session, f"registration:record:{record.id}"))
    findings += _certificate(
        certificate,
        entries_for_subject(session, f"registration:certificate:{certificate.code}", kinds=[SIGNED_EVENT]),
    )
    return findings
