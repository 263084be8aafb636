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
    RegistrationCertificate,
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
    industry: str | None = None,
) -> Select[RegistrationRecord]:
    """Issued registrations (every record was issued; ended ones stay public with their state).

    ``name`` matches the data name, the catalogue code or the registration number (登记编号, the
    certificate's code that the registry shows), in part and in any case."""
    stmt = select(RegistrationRecord)
    if name:
        pattern = _like(name.lower())
        numbered = select(RegistrationCertificate.record_id).where(
            func.lower(RegistrationCertificate.code).like(_like(name.strip().lower()), escape="\\")
        )
        stmt = stmt.where(
            func.lower(RegistrationRecord.data_name).like(pattern, escape="\\")
            | func.lower(func.coalesce(RegistrationRecord.catalog_code, "")).like(pattern, escape="\\")
            | RegistrationRecord.id.in_(numbered)
        )
    if holder is not None:
        stmt = stmt.where(RegistrationRecord.holder_party_id == holder)
    if subject_kind is not None:
        stmt = stmt.where(RegistrationRecord.subject_kind == subject_kind)
    if industry is not None:  # the stored, indexed column (filled when the record is written)
        stmt = stmt.where(RegistrationRecord.industry == industry)
    return stmt.order_by(RegistrationRecord.issued_on.desc(), RegistrationRecord.id)


def record_holders(session: Session) -> list[uuid.UUID]:
    """Every party holding a registration record."""
    return list(session.scalars(select(RegistrationRecord.holder_party_id).distinct()).all())


def record_industries(session: Session) -> list[str]:
    """Every industry named by a registration record, in order."""
    stmt = (
        select(RegistrationRecord.industry)
        .where(RegistrationRecord.industry.is_not(None))
        .distinct()
        .order_by(RegistrationRecord.industry)
    )
    return [i for i in session.scalars(stmt).all() if i]


def infos_of(session: Session, application_ids: set[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    if not application_ids:
        return {}
    rows = session.execute(
        select(RegistrationApplication.id, RegistrationApplication.info).where(
            RegistrationApplication.id.in_(application_ids)
        )
    ).all()
    return {a: dict(info or {}) for a, info in rows}


def in_publicity(session: Session, today: date) -> Sequence[RegistrationApplication]:
    """Applications whose publicity (公示) is open to objections on ``today``: in publicity, or in objection
    review with the period still running (004:800: anyone may object during the whole period)."""
    stmt = select(RegistrationApplication).where(
        (RegistrationApplication.state == ApplicationState.IN_PUBLICITY)
        | (
            (RegistrationApplication.state == ApplicationState.OBJECTION_REVIEW)
            & (RegistrationApplication.publicity_end >= today)
        )
    )
    return session.scalars(
        stmt.order_by(RegistrationApplication.publicity_end, RegistrationApplication.id)
    ).all()


def filed_counts(
    session: Session, start: date, end: date
) -> list[tuple[ApplicationType, ApplicationState, str | None, int]]:
    """``(type, current state, industry, count)`` of applications first submitted in [start, end],
    counted in SQL; the industry is read from the information sheet (JSON) by the database."""
    first_submit = (
        select(RegistrationStep.application_id, func.min(RegistrationStep.on).label("filed_on"))
        .where(RegistrationStep.action == ApplicationAction.SUBMIT)
        .group_by(RegistrationStep.application_id)
        .subquery()
    )
    filed = (
        select(
            RegistrationApplication.application_type.label("application_type"),
            RegistrationApplication.state.label("state"),
            func.trim(RegistrationApplication.info["industry"].as_string()).label("industry"),
        )
        .join(first_submit, first_submit.c.application_id == RegistrationApplication.id)
        .where(first_submit.c.filed_on >= start, first_submit.c.filed_on <= end)
        .subquery()
    )  # grouped outside: PostgreSQL does not match two bound JSON paths as one GROUP BY expression
    rows = session.execute(
        select(filed.c.application_type, filed.c.state, filed.c.industry, func.count()).group_by(
            filed.c.application_type, filed.c.state, filed.c.industry
        )
    ).all()
    return [(ApplicationType(t), ApplicationState(s), i, n) for t, s, i, n in rows]


def issued_in(session: Session, start: date, end: date) -> list[SubjectKind]:
    """The subject kind of every registration first issued in [start, end]."""
    rows = session.scalars(
        select(RegistrationRecord.subject_kind).where(
            RegistrationRecord.issued_on >= start, RegistrationRecord.issued_on <= end
        )
    ).all()
    return list(rows)
