"""Custody against the ledger (运单流转账本核对): the stored steps of a waybill checked against
the steps the ledger holds for it.

Each signed step is notarized as a document (subject ``document:<id>``) and, under the same
signed tree head, recorded as a ``waybill.step`` entry about ``waybill:<waybill id>`` naming the
step (sequence, action, states) and its document. The ledger is append-only, so these entries
are the waybill's history that cannot be cut short: every one must be a stored step, in the same
order, and the waybill's stored state must be the state after the last one. A deleted, added,
reordered or altered step, or a state reset, is a :class:`Finding` naming the step (sequence,
action, ledger index).

A waybill whose ledger holds no step entry at all was recorded before step entries existed
(``checked`` false): its steps are checked against themselves, and its step documents are looked
up by the waybill number (:func:`_legacy_missing`), so a step deleted from it is still named. Steps
of a waybill recorded before its first step entry are left to the check against themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.orm import Session

from logispace.domains import identity, ledger
from logispace.domains.ledger import LedgerRecord, document_service
from logispace.domains.logistics.waybills import repository
from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent

STEP_KIND = "waybill.step"
DOCUMENT_KIND = "document.notarized"
ACTION_TITLES = {
    "create": "运单草稿",
    "issue": "签发",
    "cancel": "作废",
    "pick_up": "起运",
    "hand_over": "交接",
    "deliver": "交付",
    "accept": "签收",
    "refuse": "拒绝签收",
    "report_delay": "报告延误",
    "report_damage": "报告货损",
    "resume": "恢复运输",
    "redeliver": "再次交付",
    "close": "关闭运单",
}
"""The Chinese name of each waybill step: its document's title is ``多式联运运单 <number> · <sequence>
<title>``, and the trace pages show it (its English is in the domain's page strings)."""

Problem = Literal["missing", "extra", "reordered", "altered", "status"]


def step_subject(waybill_id: uuid.UUID) -> str:
    """The ledger subject of a waybill's steps."""
    return f"waybill:{waybill_id}"


def step_payload(waybill: Waybill, event: WaybillEvent) -> dict[str, Any]:
    """What the ledger records of a step beside its document (the document's id is added)."""
    return {
        "waybill_id": str(waybill.id),
        "number": waybill.number,
        "sequence": event.sequence,
        "action": event.action,
        "actor_uscc": event.actor_uscc,
        "from": {"status": event.from_status, "leg": event.from_leg},
        "to": {"status": event.to_status, "leg": event.to_leg},
    }


@dataclass(frozen=True)
class Finding:
    """One way the stored chain differs from the ledger (账本核对问题), naming the step."""

    problem: Problem
    sequence: int | None
    action: str | None
    ledger_index: int | None
    detail: str


@dataclass
class CrossCheck:
    """The outcome: ``checked`` (the ledger holds step entries for the waybill), the findings, and
    the state after the last notarized step."""

    checked: bool
    findings: list[Finding] = field(default_factory=list)
    expected_status: str | None = None
    expected_leg: int | None = None

    @property
    def ok(self) -> bool:
        return not self.findings

    def for_sequence(self, sequence: int) -> list[Finding]:
        return [f for f in self.findings if f.sequence == sequence and f.problem not in ("missing", "status")]


def _key(document_id: object, version: object) -> tuple[str, int] | None:
    if document_id is None or not isinstance(version, int):
        return None
    return str(document_id), version


def _document_of(entry: LedgerRecord) -> tuple[str, int] | None:
    about = entry.payload.get("document")
    return _key(about.get("id"), about.get("version")) if isinstance(about, dict) else None


def _to(entry: LedgerRecord) -> tuple[Any, Any]:
    to = entry.payload.get("to")
    return (to.get("status"), to.get("leg")) if isinstance(to, dict) else (None, None)


def cross_check(session: Session, waybill: Waybill, events: Sequence[WaybillEvent]) -> CrossCheck:
    """Compare the stored steps (in sequence order) with the ledger's step entries for the waybill."""
    entries = ledger.entries_for_subject(session, step_subject(waybill.id), kinds=[STEP_KIND])
    if not entries:
        return CrossCheck(checked=False, findings=_legacy_missing(session, waybill, events))
    by_document = {k: e for e in entries if (k := _document_of(e)) is not None}
    matched = [by_document.get(_key(ev.document_id, ev.document_version) or ("", -1)) for ev in events]
    earliest = min(
        (ev.ledger_index for ev, e in zip(events, matched, strict=True) if e and ev.ledger_index),
        default=None,
    )
    stored: list[tuple[int, str]] = []
    checked: list[WaybillEvent] = []
    for ev, entry in zip(events, matched, strict=True):
        if entry is not None:
            link = (entry.entry_id, STEP_KIND)
        elif ev.ledger_index is not None and earliest is not None and ev.ledger_index < earliest:
            continue  # recorded before the waybill's step entries: checked against itself only
        else:
            link = (ev.ledger_index if ev.ledger_index is not None else -1, DOCUMENT_KIND)
        stored.append(link)
        checked.append(ev)
    gaps = ledger.compare_chain(entries, stored)
    findings: list[Finding] = []
    for e in gaps.missing:
        sequence = e.payload.get("sequence")
        findings.append(
            Finding(
                "missing",
                sequence if isinstance(sequence, int) else None,
                str(e.payload.get("action") or "") or None,
                e.entry_id,
                f"step {sequence} ({e.payload.get('action')}) is notarized in ledger entry {e.entry_id} "
                "but missing from the stored chain",
            )
        )
    for position in gaps.extra_at:
        ev = checked[position]
        findings.append(
            Finding(
                "extra",
                ev.sequence,
                ev.action,
                ev.ledger_index,
                f"step {ev.sequence} ({ev.action}) is not a step the ledger holds for this waybill",
            )
        )
    reordered, extra, at = set(gaps.reordered_at), set(gaps.extra_at), {e.entry_id: e for e in entries}
    for position, (link, ev) in enumerate(zip(stored, checked, strict=True)):
        if link[1] != STEP_KIND or position in extra:
            continue
        entry = at[link[0]]
        recorded = entry.payload.get("sequence")
        if position in reordered or recorded != ev.sequence:
            findings.append(
                Finding(
                    "reordered",
                    ev.sequence,
                    ev.action,
                    entry.entry_id,
                    f"step {ev.sequence} ({ev.action}) is step {recorded} in ledger entry {entry.entry_id}",
                )
            )
        elif (entry.payload.get("action"), _to(entry)) != (ev.action, (ev.to_status, ev.to_leg)):
            findings.append(
                Finding(
                    "altered",
                    ev.sequence,
                    ev.action,
                    entry.entry_id,
                    f"step {ev.sequence} ({ev.action}) differs from ledger entry {entry.entry_id}",
                )
            )
    last = entries[-1]
    status, leg = _to(last)
    if (status, leg) != (waybill.status, waybill.current_leg):
        findings.append(
            Finding(
                "status",
                last.payload.get("sequence") if isinstance(last.payload.get("sequence"), int) else None,
                str(last.payload.get("action") or "") or None,
                last.entry_id,
                f"the waybill is {waybill.status} (leg {waybill.current_leg}), but after the last notarized "
                f"step (ledger entry {last.entry_id}) it is {status} (leg {leg})",
            )
        )
    findings.sort(key=lambda f: (f.sequence if f.sequence is not None else 1 << 30, f.problem))
    return CrossCheck(True, findings, status if isinstance(status, str) else None, leg)


def step_title(number: str, sequence: int, action: str) -> str:
    """The title of a step's notarized document."""
    return f"多式联运运单 {number} · {sequence} {ACTION_TITLES.get(action, action)}"


def _legacy_missing(session: Session, waybill: Waybill, events: Sequence[WaybillEvent]) -> list[Finding]:
    """For a waybill recorded before step entries: its step documents found by reference (the
    waybill number) among those its parties notarized, titled as one of its steps, whose ledger
    entries carry that title and reference; each that no stored step names is ``missing``. Weaker
    than the step entries (a party could notarize a document titled so through the documents API),
    so only these waybills use it."""
    legs = repository.legs_of(session, [waybill.id])[waybill.id]
    usccs = {waybill.consignor_uscc, waybill.consignee_uscc, *(leg.carrier_uscc for leg in legs)}
    issuers = {*identity.party_ids_by_uscc(session, usccs).values(), waybill.created_by_party_id}
    found = document_service.with_reference(session, waybill.number, sorted(issuers))
    stored = {(str(ev.document_id), ev.document_version) for ev in events}
    prefix = f"多式联运运单 {waybill.number} · "
    candidates = []
    for document, version in found:
        if (str(document.id), version.version) in stored or not document.title.startswith(prefix):
            continue
        sequence_text, _, title = document.title[len(prefix) :].partition(" ")
        action = next((a for a, t in ACTION_TITLES.items() if t == title), None)
        if not sequence_text.isdigit() or action is None:
            continue
        candidates.append((document, version, int(sequence_text), action))
    # another waybill with the same number (numbers are unique per issuer) names its own documents
    elsewhere = repository.documents_in_steps(session, [d.id for d, _, _, _ in candidates])
    candidates = [c for c in candidates if c[0].id not in elsewhere]
    if not candidates:
        return []
    by_subject = {f"document:{d.id}": d for d, _, _, _ in candidates}
    confirmed = {
        (e.subject, e.entry_id)
        for e in ledger.entries_for_subjects(session, list(by_subject), kinds=[DOCUMENT_KIND])
        if document_service.described_by(e.payload, by_subject[e.subject])
    }
    return [
        Finding(
            "missing",
            sequence,
            action,
            version.ledger_index,
            f"step {sequence} ({action}) is notarized in ledger entry {version.ledger_index} "
            "but missing from the stored chain",
        )
        for document, version, sequence, action in candidates
        if (f"document:{document.id}", version.ledger_index) in confirmed
    ]
