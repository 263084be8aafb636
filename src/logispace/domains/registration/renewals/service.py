"""Renewal (续展): the holder's request and the authority's decision (policy-spec §1.5, B-REN-1..3).

The registration subject (登记主体) applies for renewal within the 60 calendar days before expiry
(``valid_to - 60 CD <= today < valid_to``, V-REG-07; 409 outside, naming the window); under
inner_mongolia only data that still needs to be used (且需继续使用的, 004:5456). One request may be
pending per record (409 for a second). The authority approves it (state machine B:
RENEWAL_WINDOW --renewal approved--> VALID; the new term starts on the old ``valid_to`` and lasts at
most three years, inner_mongolia not past the authorized operation, and the certificate is re-signed)
or refuses it with reasons (422 without). ``POST /records/{id}/renew``, once the authority's own
renewal, now approves the record's pending request (409 when there is none). Filing, approval and
refusal each append a ledger entry of the record.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import RuleProfile
from logispace.core.errors import Conflict, NotFound, PermissionDenied
from logispace.domains.identity import Principal, party_name
from logispace.domains.registration import repository
from logispace.domains.registration.certificates import service as cs
from logispace.domains.registration.certificates.schemas import (
    CertificateRead,
    RenewalApproval,
    RenewalRefusal,
    RenewalRequestCreate,
    RenewalRequestRead,
)
from logispace.domains.registration.enums import ActorRole, RecordAction, RenewalRequestState
from logispace.domains.registration.errors import ActionNotAllowed, RegistrationInputInvalid
from logispace.domains.registration.models import RegistrationRecord, RegistrationRenewalRequest
from logispace.domains.registration.rules import records as record_policy
from logispace.domains.registration.rules.actors import Step, require_step
from logispace.domains.registration.workflow import Clock, require_editor, text_hash

REQUESTED_EVENT = "registration.renewal_requested"
REFUSED_EVENT = "registration.renewal_refused"
PENDING = RenewalRequestState.PENDING


class RenewalPending(Conflict):
    """A renewal request of this record is already pending (续展申请已在审核中)."""

    code = "registration-renewal-pending"
    title = "A renewal request is already pending"


def window(record: RegistrationRecord, clock: Clock) -> tuple[date, date]:
    """The renewal window ``(first day, last day)``: 60 calendar days before ``valid_to`` (004:812)."""
    opens = record_policy.renewal_window_opens(record.valid_to, record.rule_profile, clock.calendar)
    return opens, record.valid_to - timedelta(days=1)


def window_open(record: RegistrationRecord, clock: Clock) -> bool:
    """True while the holder may apply for renewal (V-REG-07) on a live record."""
    opens, _ = window(record, clock)
    return record.state in cs.LIVE and opens <= clock.on < record.valid_to


def _not_allowed(record: RegistrationRecord, reason: str, **ext: str) -> ActionNotAllowed:
    allowed = record_policy.allowed_actions(record.state, None, record.rule_profile)
    return ActionNotAllowed(
        RecordAction.RENEW, record.state, [a for a in allowed if a is not RecordAction.RENEW], reason, **ext
    )


def _check_window(record: RegistrationRecord, clock: Clock) -> None:
    if record.state not in cs.LIVE:
        raise _not_allowed(record, f"the registration is {record.state}; it can no longer be renewed")
    if not window_open(record, clock):
        opens, last = window(record, clock)
        raise _not_allowed(
            record,
            f"renewal is allowed only within the 60 calendar days before expiry, {opens} to {last} "
            "(004:812; 004:5456)",
            window_opens=opens.isoformat(),
            window_closes=last.isoformat(),
        )


def pending_of(session: Session, record_id: uuid.UUID) -> RegistrationRenewalRequest | None:
    return session.scalar(
        select(RegistrationRenewalRequest).where(
            RegistrationRenewalRequest.record_id == record_id, RegistrationRenewalRequest.state == PENDING
        )
    )


def file_request(
    session: Session, p: Principal, clock: Clock, record_id: uuid.UUID, data: RenewalRequestCreate
) -> RegistrationRenewalRequest:
    """The holder applies for renewal (续展申请); 403 for the authority, 404 for another party."""
    record = repository.lock_record(session, record_id)
    if record is None or not (p.is_authority or p.party_id == record.holder_party_id):
        raise NotFound(f"registration {record_id} not found")
    if p.party_id != record.holder_party_id:
        raise PermissionDenied("only the registration subject (登记主体) applies for renewal (004:812)")
    require_editor(p)
    certificate = cs.certificate_of(session, record)
    _check_window(record, clock)
    pending = pending_of(session, record.id)
    if pending is not None:
        raise RenewalPending(
            f"renewal request {pending.id} of certificate {certificate.code} is still pending; "
            "wait for the authority's decision",
            pending_request_id=str(pending.id),
        )
    if record.rule_profile is RuleProfile.INNER_MONGOLIA and not data.still_needed:
        raise _not_allowed(
            record, "inner_mongolia renews only data that still needs to be used (且需继续使用的, 004:5456)"
        )
    latest = record_policy.renewal_term_end(
        record.rule_profile, clock.calendar, record.valid_to, record.operating_term_end
    )
    if latest <= record.valid_to:
        raise _not_allowed(
            record,
            f"the authorized operation ends on {record.operating_term_end}, before a new term (004:5456)",
        )
    wanted = data.requested_valid_to
    if wanted is not None and wanted <= record.valid_to:
        raise RegistrationInputInvalid(
            [("requested_valid_to", f"must be after the current valid_to {record.valid_to}")]
        )
    if wanted is not None and wanted > latest:
        raise _not_allowed(
            record,
            f"a renewed term may end at most on {latest} (three years, 004:812; inner_mongolia: not past "
            "the authorized operation, 004:5456)",
            latest_valid_to=latest.isoformat(),
        )
    cs.open_renewal_window(session, p, clock, record, certificate.code)
    request = RegistrationRenewalRequest(
        id=uuid.uuid4(),
        record_id=record.id,
        holder_party_id=record.holder_party_id,
        state=PENDING,
        still_needed=data.still_needed,
        requested_valid_to=wanted,
        note=data.note or None,
        requested_by_party_id=p.party_id,
        requested_by_user_id=p.user_id,
        requested_on=clock.on,
        requested_at=utcnow(),
        previous_valid_to=record.valid_to,
    )
    request.ledger_index = cs.record_entry(
        session,
        p,
        clock,
        record,
        REQUESTED_EVENT,
        code=certificate.code,
        request_id=str(request.id),
        still_needed=data.still_needed,
        requested_valid_to=wanted.isoformat() if wanted else None,
        note_sha256=text_hash(data.note),
    )
    session.add(request)
    session.flush()
    return request


def _decidable(
    session: Session, p: Principal, request_id: uuid.UUID
) -> tuple[RegistrationRenewalRequest, RegistrationRecord]:
    request = session.get(RegistrationRenewalRequest, request_id, with_for_update=True)
    if request is None or not (p.is_authority or p.party_id == request.holder_party_id):
        raise NotFound(f"renewal request {request_id} not found")
    require_step(p, Step.RENEWAL)
    if request.state is not PENDING:
        raise ActionNotAllowed(
            "decide", request.state, [], f"renewal request {request_id} was already decided ({request.state})"
        )
    record = repository.lock_record(session, request.record_id)
    if record is None:  # pragma: no cover - a foreign key
        raise NotFound(f"registration {request.record_id} not found")
    return request, record


def _decided(request: RegistrationRenewalRequest, p: Principal, clock: Clock, index: int) -> None:
    request.decided_by_party_id, request.decided_by_user_id = p.party_id, p.user_id
    request.decided_on, request.decided_at, request.decision_ledger_index = clock.on, utcnow(), index


def approve(
    session: Session, p: Principal, clock: Clock, request_id: uuid.UUID, data: RenewalApproval
) -> tuple[RegistrationRenewalRequest, CertificateRead]:
    """Approve the pending request (准予续展): the record renews and the certificate is re-signed."""
    request, record = _decidable(session, p, request_id)
    return request, _renew(session, p, clock, request, record, data)


def _renew(
    session: Session,
    p: Principal,
    clock: Clock,
    request: RegistrationRenewalRequest,
    record: RegistrationRecord,
    data: RenewalApproval,
) -> CertificateRead:
    certificate = cs.certificate_of(session, record)
    _check_window(record, clock)
    cs.open_renewal_window(session, p, clock, record, certificate.code)
    change = record_policy.apply(
        record.state,
        RecordAction.RENEW,
        ActorRole.AUTHORITY,
        record.rule_profile,
        cs.record_context(
            record,
            clock,
            needs_continued_use=request.still_needed,
            requested_valid_to=request.requested_valid_to,
        ),
    )
    previous_to = record.valid_to
    record.state, record.valid_from, record.valid_to = change.next_state, previous_to, change.valid_to
    index = cs.record_entry(
        session,
        p,
        clock,
        record,
        change.ledger_event,
        code=certificate.code,
        previous_valid_to=previous_to.isoformat(),
        request_id=str(request.id),
        note_sha256=text_hash(data.note),
    )
    request.state, request.granted_valid_to = RenewalRequestState.APPROVED, record.valid_to
    _decided(request, p, clock, index)
    signed = cs.resign(session, p, clock, record)
    session.flush()
    return cs.certificate_read(signed or certificate)


def refuse(
    session: Session, p: Principal, clock: Clock, request_id: uuid.UUID, data: RenewalRefusal
) -> RegistrationRenewalRequest:
    """Refuse the pending request with reasons (不予续展); the record keeps its term and may still expire."""
    request, record = _decidable(session, p, request_id)
    certificate = cs.certificate_of(session, record)
    index = cs.record_entry(
        session,
        p,
        clock,
        record,
        REFUSED_EVENT,
        code=certificate.code,
        request_id=str(request.id),
        reasons_sha256=text_hash(data.reasons),
    )
    request.state, request.reasons = RenewalRequestState.REFUSED, data.reasons
    _decided(request, p, clock, index)
    session.flush()
    return request


def renew_pending(
    session: Session, p: Principal, clock: Clock, record_id: uuid.UUID, data: RenewalApproval
) -> CertificateRead:
    """``POST /records/{id}/renew``: the authority approves the record's pending request (409 if none)."""
    record = cs.locked_record(session, p, record_id)
    require_step(p, Step.RENEWAL)
    _check_window(record, clock)
    pending = pending_of(session, record.id)
    if pending is None:
        raise _not_allowed(record, "the holder has filed no pending renewal request (续展申请, 004:812)")
    request, record = _decidable(session, p, pending.id)
    return _renew(session, p, clock, request, record, data)


# -- reading ------------------------------------------------------------------------------------------


def get(session: Session, p: Principal, request_id: uuid.UUID) -> RegistrationRenewalRequest:
    request = session.get(RegistrationRenewalRequest, request_id)
    if request is None or not (p.is_authority or p.party_id == request.holder_party_id):
        raise NotFound(f"renewal request {request_id} not found")
    return request


def of_record(session: Session, p: Principal, record_id: uuid.UUID) -> list[RegistrationRenewalRequest]:
    """The record's renewal requests, newest first; 404 for a record the caller may not see."""
    record = session.get(RegistrationRecord, record_id)
    if record is None or not (p.is_authority or p.party_id == record.holder_party_id):
        raise NotFound(f"registration {record_id} not found")
    stmt = (
        select(RegistrationRenewalRequest)
        .where(RegistrationRenewalRequest.record_id == record_id)
        .order_by(RegistrationRenewalRequest.requested_at.desc())
    )
    return list(session.scalars(stmt))


def listing(
    session: Session, p: Principal, state: RenewalRequestState | None, limit: int, offset: int
) -> tuple[Sequence[RegistrationRenewalRequest], int]:
    """Renewal requests the caller may see (the authority: all; a party: its own), oldest first."""
    stmt = select(RegistrationRenewalRequest)
    if not p.is_authority:
        stmt = stmt.where(RegistrationRenewalRequest.holder_party_id == p.party_id)
    if state is not None:
        stmt = stmt.where(RegistrationRenewalRequest.state == state)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    items = session.scalars(
        stmt.order_by(RegistrationRenewalRequest.requested_at, RegistrationRenewalRequest.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return items, total


def read(
    session: Session,
    clock: Clock,
    request: RegistrationRenewalRequest,
    certificate: CertificateRead | None = None,
) -> RenewalRequestRead:
    record = session.get_one(RegistrationRecord, request.record_id)
    cert = repository.certificate_of_record(session, record.id)
    opens = record_policy.renewal_window_opens(request.previous_valid_to, record.rule_profile, clock.calendar)
    latest = record_policy.renewal_term_end(
        record.rule_profile, clock.calendar, request.previous_valid_to, record.operating_term_end
    )
    return RenewalRequestRead(
        id=request.id,
        record_id=record.id,
        certificate_code=cert.code if cert else None,
        data_name=record.data_name,
        holder_party_id=record.holder_party_id,
        holder_name=party_name(session, record.holder_party_id) or "",
        state=request.state,
        still_needed=request.still_needed,
        requested_valid_to=request.requested_valid_to,
        note=request.note,
        requested_on=request.requested_on,
        requested_at=request.requested_at,
        previous_valid_to=request.previous_valid_to,
        window_opens=opens,
        window_closes=request.previous_valid_to - timedelta(days=1),
        latest_valid_to=latest,
        granted_valid_to=request.granted_valid_to,
        decided_on=request.decided_on,
        decided_at=request.decided_at,
        decided_by_party_id=request.decided_by_party_id,
        reasons=request.reasons,
        ledger_index=request.ledger_index,
        decision_ledger_index=request.decision_ledger_index,
        certificate=certificate,
    )


@dataclass(frozen=True)
class HolderRenewal:
    """What the holder's page shows of a record's renewal: the window, and the latest request."""

    can_file: bool
    window_opens: date
    window_closes: date
    latest: RegistrationRenewalRequest | None


def holder_view(
    session: Session, p: Principal, clock: Clock, records: Sequence[RegistrationRecord]
) -> dict[uuid.UUID, HolderRenewal]:
    """For each of the caller's own live records: may it file a renewal request now, and its latest one."""
    out = {}
    for record in records:
        if record.holder_party_id != p.party_id or record.state not in cs.LIVE:
            continue
        latest = session.scalar(
            select(RegistrationRenewalRequest)
            .where(RegistrationRenewalRequest.record_id == record.id)
            .order_by(RegistrationRenewalRequest.requested_at.desc())
            .limit(1)
        )
        opens, closes = window(record, clock)
        pending = latest is not None and latest.state is PENDING
        out[record.id] = HolderRenewal(window_open(record, clock) and not pending, opens, closes, latest)
    return out
