"""Registration queries (登记查询)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from logispace.domains.registration.enums import ApplicationState, ApplicationType, RecordState
from logispace.domains.registration.models import (
    RegistrationAccount,
    RegistrationApplication,
    RegistrationAttachment,
    RegistrationCertificate,
    RegistrationCoSubject,
    RegistrationNotice,
    RegistrationObjection,
    RegistrationOverrun,
    RegistrationRecord,
    RegistrationStep,
)
from logispace.domains.registration.rules.application_table import FINAL_STATES

LIVE_RECORD_STATES = (RecordState.VALID, RecordState.RENEWAL_WINDOW)
OPEN_STATES = tuple(s for s in ApplicationState if s not in FINAL_STATES)


def lock_application(session: Session, application_id: uuid.UUID) -> RegistrationApplication | None:
    """The application, row-locked for a state change (PostgreSQL; SQLite serializes writers)."""
    stmt = select(RegistrationApplication).where(RegistrationApplication.id == application_id)
    return session.scalar(stmt.with_for_update())


def application_query(
    *,
    party_id: uuid.UUID | None,
    sees_all: bool,
    state: ApplicationState | None = None,
    application_type: ApplicationType | None = None,
) -> Select[RegistrationApplication]:
    """Applications one caller may list: their party's as applicant, every one for the authority."""
    stmt = select(RegistrationApplication)
    if not sees_all:
        stmt = stmt.where(
            (RegistrationApplication.applicant_party_id == party_id)
            | RegistrationApplication.id.in_(co_subject_application_ids(party_id))
        )
    if state is not None:
        stmt = stmt.where(RegistrationApplication.state == state)
    if application_type is not None:
        stmt = stmt.where(RegistrationApplication.application_type == application_type)
    return stmt.order_by(RegistrationApplication.created_at.desc(), RegistrationApplication.id)


def overdue_applications(session: Session, today: date) -> Sequence[RegistrationApplication]:
    """Open applications whose running deadline fell before ``today``, most overdue first."""
    stmt = (
        select(RegistrationApplication)
        .where(
            RegistrationApplication.state.in_(OPEN_STATES),
            RegistrationApplication.running_due.is_not(None),
            RegistrationApplication.running_due < today,
        )
        .order_by(RegistrationApplication.running_due, RegistrationApplication.id)
    )
    return session.scalars(stmt).all()


def next_step_seq(session: Session, application_id: uuid.UUID) -> int:
    stmt = select(func.max(RegistrationStep.seq)).where(RegistrationStep.application_id == application_id)
    return (session.scalar(stmt) or 0) + 1


def steps_of(session: Session, application_id: uuid.UUID) -> Sequence[RegistrationStep]:
    stmt = select(RegistrationStep).where(RegistrationStep.application_id == application_id)
    return session.scalars(stmt.order_by(RegistrationStep.seq)).all()


def attachments_of(session: Session, application_id: uuid.UUID) -> Sequence[RegistrationAttachment]:
    stmt = select(RegistrationAttachment).where(RegistrationAttachment.application_id == application_id)
    return session.scalars(stmt.order_by(RegistrationAttachment.uploaded_at, RegistrationAttachment.id)).all()


def objections_of(session: Session, application_id: uuid.UUID) -> Sequence[RegistrationObjection]:
    stmt = select(RegistrationObjection).where(RegistrationObjection.application_id == application_id)
    return session.scalars(stmt.order_by(RegistrationObjection.filed_at, RegistrationObjection.id)).all()


def pending_objections(session: Session, application_id: uuid.UUID) -> Sequence[RegistrationObjection]:
    """The objections of an application still awaiting their decision, the first filed first."""
    stmt = select(RegistrationObjection).where(
        RegistrationObjection.application_id == application_id, RegistrationObjection.outcome.is_(None)
    )
    return session.scalars(stmt.order_by(RegistrationObjection.filed_at, RegistrationObjection.id)).all()


def overruns_of(session: Session, application_id: uuid.UUID) -> Sequence[RegistrationOverrun]:
    stmt = select(RegistrationOverrun).where(RegistrationOverrun.application_id == application_id)
    return session.scalars(stmt.order_by(RegistrationOverrun.explained_on, RegistrationOverrun.id)).all()


def explained_deadlines(
    session: Session, application_ids: set[uuid.UUID]
) -> set[tuple[uuid.UUID, str, date]]:
    """``(application, rule, due)`` of every overrun already explained."""
    if not application_ids:
        return set()
    rows = session.execute(
        select(
            RegistrationOverrun.application_id, RegistrationOverrun.deadline_rule, RegistrationOverrun.due_on
        ).where(RegistrationOverrun.application_id.in_(application_ids))
    ).all()
    return {(a, r, d) for a, r, d in rows}


def record_of_initial(session: Session, initial_application_id: uuid.UUID) -> RegistrationRecord | None:
    stmt = select(RegistrationRecord).where(
        RegistrationRecord.initial_application_id == initial_application_id
    )
    return session.scalar(stmt)


def lock_record(session: Session, record_id: uuid.UUID) -> RegistrationRecord | None:
    stmt = select(RegistrationRecord).where(RegistrationRecord.id == record_id)
    return session.scalar(stmt.with_for_update())


def active_registrations(
    session: Session, content_sha256: str, holder_party_id: uuid.UUID, *, excluding: uuid.UUID
) -> list[tuple[str, uuid.UUID]]:
    """``(content hash, holder)`` of live records and of open initial applications with this content
    hash and holder (other than ``excluding``): what makes a new initial application a duplicate."""
    records = session.execute(
        select(RegistrationRecord.content_sha256, RegistrationRecord.holder_party_id).where(
            RegistrationRecord.content_sha256 == content_sha256,
            RegistrationRecord.holder_party_id == holder_party_id,
            RegistrationRecord.state.in_(LIVE_RECORD_STATES),
        )
    ).all()
    pending = session.execute(
        select(RegistrationApplication.content_sha256, RegistrationApplication.holder_party_id).where(
            RegistrationApplication.content_sha256 == content_sha256,
            RegistrationApplication.holder_party_id == holder_party_id,
            RegistrationApplication.application_type == ApplicationType.INITIAL,
            RegistrationApplication.state.in_([s for s in OPEN_STATES if s is not ApplicationState.DRAFT]),
            RegistrationApplication.id != excluding,
        )
    ).all()
    return [(c, h) for c, h in [*records, *pending]]


def records_query(*, party_id: uuid.UUID | None, sees_all: bool) -> Select[RegistrationRecord]:
    stmt = select(RegistrationRecord)
    if not sees_all:
        stmt = stmt.where(
            (RegistrationRecord.holder_party_id == party_id)
            | RegistrationRecord.initial_application_id.in_(co_subject_application_ids(party_id))
        )
    return stmt.order_by(RegistrationRecord.created_at.desc(), RegistrationRecord.id)


def publicity_ended(session: Session, today: date) -> Sequence[RegistrationApplication]:
    """Applications still in publicity whose last day is before ``today`` (locked)."""
    stmt = select(RegistrationApplication).where(
        RegistrationApplication.state == ApplicationState.IN_PUBLICITY,
        RegistrationApplication.running_due < today,
    )
    return session.scalars(stmt.order_by(RegistrationApplication.running_due).with_for_update()).all()


# -- certificates (登记证书) ---------------------------------------------------------------------------


def certificate_by_code(session: Session, code: str) -> RegistrationCertificate | None:
    return session.scalar(select(RegistrationCertificate).where(RegistrationCertificate.code == code))


def certificate_of_record(session: Session, record_id: uuid.UUID) -> RegistrationCertificate | None:
    return session.scalar(
        select(RegistrationCertificate).where(RegistrationCertificate.record_id == record_id)
    )


def records_due(session: Session, today: date, *, opens_within_days: int) -> Sequence[RegistrationRecord]:
    """Live records that expire within ``opens_within_days`` calendar days or already expired (locked)."""
    stmt = select(RegistrationRecord).where(
        RegistrationRecord.state.in_(LIVE_RECORD_STATES),
        RegistrationRecord.valid_to <= today + timedelta(days=opens_within_days),
    )
    return session.scalars(
        stmt.order_by(RegistrationRecord.valid_to, RegistrationRecord.id).with_for_update()
    ).all()


def notices(session: Session, limit: int, offset: int) -> tuple[list[RegistrationNotice], int]:
    total = session.scalar(select(func.count()).select_from(RegistrationNotice)) or 0
    stmt = select(RegistrationNotice).order_by(RegistrationNotice.published_on.desc(), RegistrationNotice.id)
    return list(session.scalars(stmt.limit(limit).offset(offset)).all()), total


def certificate_codes(session: Session, record_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not record_ids:
        return {}
    rows = session.execute(
        select(RegistrationCertificate.record_id, RegistrationCertificate.code).where(
            RegistrationCertificate.record_id.in_(record_ids)
        )
    ).all()
    return {row.record_id: row.code for row in rows}


# -- co-subjects (共同登记主体, V-REG-10) ------------------------------------------------------------


def co_subject_application_ids(party_id: uuid.UUID | None) -> Select[uuid.UUID]:
    """The applications naming ``party_id`` as a co-subject (a subquery)."""
    return select(RegistrationCoSubject.application_id).where(RegistrationCoSubject.party_id == party_id)


def co_subjects_of(session: Session, application_id: uuid.UUID) -> Sequence[RegistrationCoSubject]:
    stmt = select(RegistrationCoSubject).where(RegistrationCoSubject.application_id == application_id)
    return session.scalars(stmt.order_by(RegistrationCoSubject.named_at, RegistrationCoSubject.id)).all()


def co_subjects_by_application(
    session: Session, application_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[RegistrationCoSubject]]:
    out: dict[uuid.UUID, list[RegistrationCoSubject]] = {}
    if not application_ids:
        return out
    stmt = select(RegistrationCoSubject).where(RegistrationCoSubject.application_id.in_(set(application_ids)))
    for row in session.scalars(stmt.order_by(RegistrationCoSubject.named_at, RegistrationCoSubject.id)):
        out.setdefault(row.application_id, []).append(row)
    return out


def is_co_subject(session: Session, application_id: uuid.UUID, party_id: uuid.UUID | None) -> bool:
    if party_id is None:
        return False
    stmt = select(RegistrationCoSubject.id).where(
        RegistrationCoSubject.application_id == application_id, RegistrationCoSubject.party_id == party_id
    )
    return session.scalar(stmt) is not None


def attachments_of_party(
    session: Session, party_id: uuid.UUID, limit: int = 500
) -> Sequence[RegistrationAttachment]:
    """The materials (登记材料) of the applications a party filed, newest first (统一管理, 004:5444)."""
    stmt = (
        select(RegistrationAttachment)
        .join(RegistrationApplication, RegistrationApplication.id == RegistrationAttachment.application_id)
        .where(RegistrationApplication.applicant_party_id == party_id)
        .order_by(RegistrationAttachment.uploaded_at.desc(), RegistrationAttachment.id)
        .limit(limit)
    )
    return session.scalars(stmt).all()


def any_application(session: Session) -> bool:
    """Whether any registration application has been filed (the demo loads its own only into none)."""
    return session.scalar(select(RegistrationApplication.id).limit(1)) is not None


def issued_record(session: Session, application: RegistrationApplication) -> RegistrationRecord | None:
    """The record an application created or last changed, once issued."""
    if (
        application.state is not ApplicationState.ISSUED
        and application.state is not ApplicationState.CANCELLED
    ):
        return None
    initial = application.initial_application_id or application.id
    return record_of_initial(session, initial)


def account_of(session: Session, party_id: uuid.UUID | None) -> RegistrationAccount | None:
    if party_id is None:
        return None
    stmt = select(RegistrationAccount).where(RegistrationAccount.party_id == party_id)
    return session.scalar(stmt)


def provisional_applications(session: Session) -> Sequence[RegistrationApplication]:
    """Applications whose running deadline is provisional (暂定期限), locked for recomputing."""
    stmt = select(RegistrationApplication).where(RegistrationApplication.running_provisional.is_(True))
    return session.scalars(
        stmt.order_by(RegistrationApplication.running_due, RegistrationApplication.id).with_for_update()
    ).all()


def provisional_spans(session: Session) -> Sequence[tuple[date, date]]:
    """``(anchor, due)`` of every provisional running deadline (for the authority's calendar task)."""
    stmt = select(RegistrationApplication.running_anchor, RegistrationApplication.running_due).where(
        RegistrationApplication.running_provisional.is_(True),
        RegistrationApplication.running_anchor.is_not(None),
        RegistrationApplication.running_due.is_not(None),
    )
    return [(anchor, due) for anchor, due in session.execute(stmt) if anchor is not None and due is not None]
