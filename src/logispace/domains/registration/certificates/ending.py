"""Ending a certificate (登记证书终止): revocation (撤销登记), expiry unrenewed (期满未续展注销).

The daily task (``logispace registration expire-due``) opens renewal windows 60 calendar days before
expiry and cancels what expired unrenewed, with a public notice where the profile announces it
(inner_mongolia, 004:5456); revocation names a ground of the profile (Q-7: the union under
inner_mongolia) and inner_mongolia announces it (004:5429). Every change is a ledger entry of the record.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.domains.identity import Principal, party_name
from logispace.domains.registration import repository
from logispace.domains.registration.certificates import service as cs
from logispace.domains.registration.certificates.schemas import CertificateRead, DueRun, Revocation
from logispace.domains.registration.enums import (
    ActorRole,
    CertificateStatus,
    NoticeKind,
    RecordAction,
    RecordState,
)
from logispace.domains.registration.models import (
    RegistrationCertificate,
    RegistrationNotice,
    RegistrationRecord,
)
from logispace.domains.registration.rules import records as record_policy
from logispace.domains.registration.rules.actors import Step, require_step
from logispace.domains.registration.workflow import Clock, text_hash


def _notice(
    session: Session,
    clock: Clock,
    record: RegistrationRecord,
    certificate: RegistrationCertificate,
    kind: NoticeKind,
    ground: str | None,
) -> tuple[RegistrationNotice, str]:
    holder = party_name(session, record.holder_party_id) or ""
    if kind is NoticeKind.EXPIRY:
        text = (
            f"登记证书 {certificate.code}（{holder}，{record.data_name}）有效期至 "
            f"{record.valid_to - timedelta(days=1)} 届满未续展，自 {clock.on} 起注销，特此公告。"
            f" Certificate {certificate.code} expired unrenewed and is cancelled (004:5456)."
        )
    else:
        text = (
            f"登记证书 {certificate.code}（{holder}，{record.data_name}）经核实存在撤销情形（{ground}），"
            f"自 {clock.on} 起撤销，特此公告。 Certificate {certificate.code} is revoked ({ground})."
        )
    notice = RegistrationNotice(
        id=uuid.uuid4(),
        kind=kind,
        certificate_code=certificate.code,
        record_id=record.id,
        holder_name=holder,
        data_name=record.data_name,
        ground=ground,
        text=text,
        published_on=clock.on,
        ledger_index=0,
        created_at=utcnow(),
    )
    return notice, text


def _end(
    session: Session,
    p: Principal,
    clock: Clock,
    record: RegistrationRecord,
    action: RecordAction,
    role: ActorRole,
    status: CertificateStatus,
    ground: str | None,
    **extra: Any,
) -> tuple[RegistrationCertificate, RegistrationNotice | None]:
    certificate = cs.certificate_of(session, record)
    change = record_policy.apply(
        record.state,
        action,
        role,
        record.rule_profile,
        cs.record_context(
            record,
            clock,
            revocation_ground=extra.pop("revocation_ground", None),
        ),
    )
    record.state, record.ended_on = change.next_state, clock.on
    notice, text = None, None
    if change.public_notice:
        kind = NoticeKind.EXPIRY if action is RecordAction.EXPIRE else NoticeKind.REVOCATION
        notice, text = _notice(session, clock, record, certificate, kind, ground)
    index = cs.record_entry(
        session,
        p,
        clock,
        record,
        change.ledger_event,
        code=certificate.code,
        ground=ground,
        public_notice=text,
        **extra,
    )
    if notice is not None:
        notice.ledger_index = index
        session.add(notice)
    cs.end_certificate(record, status, ground, index, session)
    return certificate, notice


def revoke(
    session: Session, p: Principal, clock: Clock, record_id: uuid.UUID, data: Revocation
) -> CertificateRead:
    """Revoke (撤销登记) on a ground of the profile; inner_mongolia announces it (撤销并公告, 004:5429)."""
    record = cs.locked_record(session, p, record_id)
    require_step(p, Step.REVOCATION)
    certificate, notice = _end(
        session,
        p,
        clock,
        record,
        RecordAction.REVOKE,
        ActorRole.AUTHORITY,
        CertificateStatus.REVOKED,
        data.ground.value,
        revocation_ground=data.ground,
        reason_sha256=text_hash(data.reason),
    )
    return cs.certificate_read(certificate, notice)


def expire_due(session: Session, p: Principal, clock: Clock) -> DueRun:
    """The daily task: open the renewal window of records 60 days before expiry, and cancel those past
    ``valid_to`` unrenewed (期满未续展注销), announcing it where the profile says so."""
    opened, expired, notices = [], [], []
    for record in repository.records_due(session, clock.on, opens_within_days=60):
        certificate = repository.certificate_of_record(session, record.id)
        code = certificate.code if certificate else str(record.id)
        if clock.on >= record.valid_to:
            _, notice = _end(
                session,
                p,
                clock,
                record,
                RecordAction.EXPIRE,
                ActorRole.SYSTEM,
                CertificateStatus.EXPIRED,
                None,
            )
            expired.append(code)
            if notice is not None:
                notices.append(notice.id)
        elif record.state is RecordState.VALID and (
            record_policy.renewal_window_opens(record.valid_to, record.rule_profile, clock.calendar)
            <= clock.on
        ):
            cs.open_renewal_window(session, p, clock, record, code)
            opened.append(code)
    return DueRun(renewal_windows_opened=opened, expired=expired, notices=notices)


def cancelled(session: Session, record: RegistrationRecord, index: int) -> RegistrationCertificate | None:
    """A completed cancellation application (注销登记) ends the certificate too."""
    return cs.end_certificate(record, CertificateStatus.CANCELLED, "cancellation", index, session)


def notices(session: Session, limit: int, offset: int) -> tuple[list[RegistrationNotice], int]:
    """Public notices, newest first."""
    return repository.notices(session, limit, offset)
