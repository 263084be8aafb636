"""Public registry queries (登记公示查询): published registrations, the publicity list, quarterly counts.

Everything here is what policy-spec §1 makes public: registration results (004:802; 004:5420), the
applications in publicity with their period (004:798; 004:5416), and counts for the statistics.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from logispace.domains.registration.enums import (
    ApplicationAction,
    ApplicationState,
    ApplicationType,
    SubjectKind,
)
from logispace.domains.registration.models import (
    RegistrationApplication,
    RegistrationRecord,
    RegistrationStep,
)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def public_records_query(
    *,
    name: str | None = None,
    holder: uuid.UUID | None = None,
    subject_kind: SubjectKind | None = None,
    record_ids: set[uuid.UUID] | None = None,
) -> Select[RegistrationRecord]:
    """Issued registrations (every record was issued; ended ones stay public with their state)."""
    stmt = select(RegistrationRecord)
    if name:
        pattern = _like(name.lower())
        stmt = stmt.where(
            func.lower(RegistrationRecord.data_name).like(pattern, escape="\\")
            | func.lower(func.coalesce(RegistrationRecord.catalog_code, "")).like(pattern, escape="\\")
        )
    if holder is not None:
        stmt = stmt.where(RegistrationRecord.holder_party_id == holder)
    if subject_kind is not None:
        stmt = stmt.where(RegistrationRecord.subject_kind == subject_kind)
    if record_ids is not None:
        stmt = stmt.where(RegistrationRecord.id.in_(record_ids))
    return stmt.order_by(RegistrationRecord.issued_on.desc(), RegistrationRecord.id)


def record_infos(session: Session) -> list[tuple[uuid.UUID, uuid.UUID, dict[str, Any]]]:
    """``(record, holder, basic information sheet of the initial application)`` of every record."""
    rows = session.execute(
        select(RegistrationRecord.id, RegistrationRecord.holder_party_id, RegistrationApplication.info).join(
            RegistrationApplication,
            RegistrationApplication.id == RegistrationRecord.initial_application_id,
        )
    ).all()
    return [(r, h, dict(info or {})) for r, h, info in rows]


def infos_of(session: Session, application_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    if not application_ids:
        return {}
    rows = session.execute(
        select(RegistrationApplication.id, RegistrationApplication.info).where(
            RegistrationApplication.id.in_(application_ids)
        )
    ).all()
    return {a: dict(info or {}) for a, info in rows}


def in_publicity(session: Session) -> Sequence[RegistrationApplication]:
    """Applications in publicity (公示中), the soonest to close first."""
    stmt = select(RegistrationApplication).where(
        RegistrationApplication.state == ApplicationState.IN_PUBLICITY
    )
    return session.scalars(
        stmt.order_by(RegistrationApplication.publicity_end, RegistrationApplication.id)
    ).all()


def filed_in(
    session: Session, start: date, end: date
) -> list[tuple[ApplicationType, ApplicationState, dict[str, Any]]]:
    """``(type, current state, information sheet)`` of applications first submitted in [start, end]."""
    first_submit = (
        select(RegistrationStep.application_id, func.min(RegistrationStep.on).label("filed_on"))
        .where(RegistrationStep.action == ApplicationAction.SUBMIT)
        .group_by(RegistrationStep.application_id)
        .subquery()
    )
    rows = session.execute(
        select(
            RegistrationApplication.application_type,
            RegistrationApplication.state,
            RegistrationApplication.info,
        )
        .join(first_submit, first_submit.c.application_id == RegistrationApplication.id)
        .where(first_submit.c.filed_on >= start, first_submit.c.filed_on <= end)
    ).all()
    return [(t, s, dict(info or {})) for t, s, info in rows]


def issued_in(session: Session, start: date, end: date) -> list[SubjectKind]:
    """The subject kind of every registration first issued in [start, end]."""
    rows = session.scalars(
        select(RegistrationRecord.subject_kind).where(
            RegistrationRecord.issued_on >= start, RegistrationRecord.issued_on <= end
        )
    ).all()
    return list(rows)
