"""Chain of custody (单证可信流转): the signed waybill JSON of each step and its end-to-end check.

Each step of a waybill (the draft and every action after it) is the waybill's JSON at that step,
signed by the acting party's key and notarized through the ledger's document service in the same
transaction. The JSON names the step (sequence, action, actor, states) and the SHA-256 of the
previous step's notarized document, so the steps form a hash chain.

:func:`verify_chain` re-checks every step (单证认证鉴真): the stored JSON hashes to the notarized
SHA-256, the signature verifies, the signer is the party that acted, the step is in its place
(sequence, states, previous hash, ledger order) and its ledger entry carries the signed statement
and is included under the current signed tree head. The chain is also checked against the
ledger's step entries for the waybill (:mod:`.crosscheck`), so a chain cut short, extended,
reordered or reset is named even when every remaining step verifies.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import DomainError
from logispace.domains.identity import Principal
from logispace.domains.ledger import DocumentFields, document_service
from logispace.domains.logistics.waybills import crosscheck
from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent, WaybillLeg
from logispace.domains.logistics.waybills.policies import Status
from logispace.domains.logistics.waybills.schemas import CustodyFinding, CustodyReport, CustodyStep

SNAPSHOT_TYPE = "logispace:MultimodalWaybill"
ACTION_TITLES = crosscheck.ACTION_TITLES


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def snapshot(
    waybill: Waybill,
    legs: Sequence[WaybillLeg],
    containers: Sequence[str],
    event: WaybillEvent,
    previous_sha256: str | None,
) -> dict[str, Any]:
    """The waybill's JSON at ``event``: what the acting party signs (in RFC 8785 form)."""
    temperature = (
        {"min_c": waybill.temperature_min_c, "max_c": waybill.temperature_max_c}
        if waybill.temperature_min_c is not None and waybill.temperature_max_c is not None
        else None
    )
    return {
        "type": SNAPSHOT_TYPE,
        "number": waybill.number,
        "step": {
            "sequence": event.sequence,
            "action": event.action,
            "actor_uscc": event.actor_uscc,
            "from": {"status": event.from_status, "leg": event.from_leg},
            "to": {"status": event.to_status, "leg": event.to_leg},
            "occurred_at": _iso(event.occurred_at),
            "note": event.note,
        },
        "previous_sha256": previous_sha256,
        "consignor_uscc": waybill.consignor_uscc,
        "consignee_uscc": waybill.consignee_uscc,
        "legs": [
            {
                "sequence": leg.sequence,
                "mode": leg.mode,
                "carrier_uscc": leg.carrier_uscc,
                "origin": leg.origin,
                "destination": leg.destination,
            }
            for leg in legs
        ],
        "cargo": waybill.cargo,
        "containers": list(containers),
        "dangerous_goods_class": waybill.dangerous_goods_class,
        "temperature": temperature,
    }


def previous_sha256(session: Session, events: Sequence[WaybillEvent]) -> str | None:
    """The notarized SHA-256 of the last signed step (the link the next step names)."""
    for event in reversed(events):
        if event.document_id is not None and event.document_version is not None:
            version = _version(session, event.document_id, event.document_version)
            return version.sha256 if version is not None else None
    return None


def sign_step(
    session: Session,
    p: Principal,
    settings: Settings,
    waybill: Waybill,
    event: WaybillEvent,
    document: dict[str, Any],
) -> None:
    """Notarize ``document`` (the step's waybill JSON) in the caller's party's name, and record it."""
    title = crosscheck.step_title(waybill.number, event.sequence, event.action)
    notarized = document_service.notarize(
        session,
        p,
        settings,
        document_service.json_content(document),
        DocumentFields(title=title, reference=waybill.number),
        document_service.Companion(
            crosscheck.STEP_KIND, crosscheck.step_subject(waybill.id), crosscheck.step_payload(waybill, event)
        ),
    )
    event.snapshot = document
    event.document_id = notarized.document.id
    event.document_version = notarized.version.version
    event.ledger_index = notarized.ledger_index


def _version(session: Session, document_id: uuid.UUID, number: int) -> Any:
    for version in document_service.versions_of(session, document_id):
        if version.version == number:
            return version
    return None


def _content_sha256(document: dict[str, Any] | None) -> str | None:
    if not isinstance(document, dict):
        return None
    try:
        return document_service.json_content(document).sha256
    except DomainError:
        return None


def _in_order(
    waybill: Waybill, event: WaybillEvent, document: dict[str, Any], previous: str | None
) -> list[str]:
    raw = document.get("step")
    step: dict[str, Any] = raw if isinstance(raw, dict) else {}
    expected = {
        "number": (document.get("number"), waybill.number),
        "sequence": (step.get("sequence"), event.sequence),
        "action": (step.get("action"), event.action),
        "actor": (step.get("actor_uscc"), event.actor_uscc),
        "to state": (step.get("to"), {"status": event.to_status, "leg": event.to_leg}),
        "previous document": (document.get("previous_sha256"), previous),
    }
    return [
        f"the signed {name} is {got!r}, not {want!r}" for name, (got, want) in expected.items() if got != want
    ]


def _step(
    session: Session, waybill: Waybill, event: WaybillEvent, previous: str | None, last_index: int
) -> tuple[CustodyStep, str | None, int]:
    problems: list[str] = []
    base = {
        "sequence": event.sequence,
        "action": event.action,
        "actor_uscc": event.actor_uscc,
        "actor_party_id": event.actor_party_id,
        "to_status": event.to_status,
        "to_leg": event.to_leg,
        "occurred_at": event.occurred_at,
        "document_id": event.document_id,
        "document_version": event.document_version,
        "ledger_index": event.ledger_index,
    }
    version = None
    if event.document_id is not None and event.document_version is not None:
        version = _version(session, event.document_id, event.document_version)
    if version is None or event.document_id is None:
        step = CustodyStep(
            **base,
            content_matches=False,
            signature_valid=False,
            signed_by_actor=False,
            in_order=False,
            ledger_included=False,
            verdict="missing",
            problems=["the step has no notarized document"],
        )
        return step, None, last_index
    document = document_service.get_document(session, event.document_id)
    content_matches = _content_sha256(event.snapshot) == version.sha256
    if not content_matches:
        problems.append("the stored waybill JSON does not hash to the notarized SHA-256")
    signature_valid = document_service.signature_valid(session, document, version)
    if not signature_valid:
        problems.append("the signature does not verify under the signer's key")
    signed_by_actor = document.issuer_party_id == event.actor_party_id
    if not signed_by_actor:
        problems.append("the document is signed by another party than the one that acted")
    order = _in_order(waybill, event, event.snapshot or {}, previous)
    if version.ledger_index <= last_index:
        order.append(f"ledger entry {version.ledger_index} is not after the previous step's {last_index}")
    problems.extend(order)
    check = document_service.ledger_check(session, document, version)
    ledger_included = (
        check.leaf_hash_matches
        and check.statement_matches
        and (check.pending or (check.inclusion_verified and check.tree_head_signature_valid))
        and check.index == event.ledger_index
    )
    if not ledger_included:
        problems.append(f"ledger entry {check.index} does not prove this document")
    ok = content_matches and signature_valid and signed_by_actor and not order and ledger_included
    step = CustodyStep(
        **base,
        content_matches=content_matches,
        signature_valid=signature_valid,
        signed_by_actor=signed_by_actor,
        in_order=not order,
        ledger_included=ledger_included,
        verdict="authentic" if ok else "tampered",
        problems=problems,
    )
    return step, version.sha256, version.ledger_index


def _status(value: str | None) -> Status | None:
    return Status(value) if value in {str(x) for x in Status} else None


def verify_chain(session: Session, waybill: Waybill, events: Sequence[WaybillEvent]) -> CustodyReport:
    """Verify a waybill's chain of custody end to end, with a verdict per step, and against the
    ledger (:mod:`.crosscheck`): a step notarized for the waybill but missing from the chain, a
    step the ledger does not hold, a step out of its ledger place, or a state that is not the
    state after the last notarized step turns the verdict and is named."""
    checked = crosscheck.cross_check(session, waybill, events)
    steps: list[CustodyStep] = []
    previous: str | None = None
    last_index = -1
    for event in events:
        step, previous, last_index = _step(session, waybill, event, previous, last_index)
        against_ledger = checked.for_sequence(event.sequence)
        if against_ledger:
            step = step.model_copy(
                update={
                    "in_ledger_chain": False,
                    "verdict": "tampered",
                    "problems": [*step.problems, *(f.detail for f in against_ledger)],
                }
            )
        steps.append(step)
    last = events[-1] if events else None
    status_matches = last is not None and (last.to_status, last.to_leg) == (
        waybill.status,
        waybill.current_leg,
    )
    if checked.checked:
        status_matches = status_matches and (checked.expected_status, checked.expected_leg) == (
            waybill.status,
            waybill.current_leg,
        )
    whole = status_matches and checked.ok and all(s.verdict == "authentic" for s in steps)
    return CustodyReport(
        number=waybill.number,
        verdict="authentic" if whole else "tampered",
        status_matches=status_matches,
        ledger_checked=checked.checked,
        ledger_matches=checked.ok,
        expected_status=_status(checked.expected_status),
        expected_leg=checked.expected_leg,
        findings=[
            CustodyFinding(
                problem=f.problem,
                sequence=f.sequence,
                action=f.action,
                ledger_index=f.ledger_index,
                detail=f.detail,
            )
            for f in checked.findings
        ],
        steps=steps,
        verified_at=utcnow(),
    )
