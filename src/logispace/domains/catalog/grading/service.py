"""Grading review (分级审核): decisions on a resource's grade, their ledger entries and their reads."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import InvalidInput, NotFound, PermissionDenied
from logispace.domains.catalog import policies, service
from logispace.domains.catalog.enums import ResourceStatus
from logispace.domains.catalog.errors import InvalidTransition
from logispace.domains.catalog.models import DataResource, Grade, GradeReview
from logispace.domains.catalog.search import service as search_service
from logispace.domains.identity import Principal, party_names

MAX_REASON = 2000


@dataclass(frozen=True)
class GradeDecision:
    """A grading decision as pages show it (分级审核结论)."""

    previous_grade: str
    grade: str
    changed: bool
    reason: str
    decided_by: str
    decided_at: datetime
    ledger_index: int


def review_grade(session: Session, p: Principal, code: str, grade: str, reason: str) -> GradeReview:
    """Approve the grade of resource ``code`` (``grade`` equal to its grade) or change it, with a reason.

    Only the data authority decides (403); a withdrawn resource is closed (409); an unknown grade or a
    blank reason is invalid input (422); a grade that the resource's sharing and opening conditions
    do not allow is a conflict (409, as when the holder edits it). The decision and the resource's new
    grade are one ledger entry of the same transaction."""
    if not policies.can_review_grade(p):
        raise PermissionDenied("only the data authority reviews the grades of data resources")
    resource = service.get_resource(session, p, code)
    if resource.status is ResourceStatus.WITHDRAWN:
        raise InvalidTransition(f"data resource {code} is withdrawn; its grade is no longer reviewed")
    text = reason.strip()
    if not text or len(text) > MAX_REASON:
        raise InvalidInput(
            "reason: give the reason of the decision",
            errors=[{"loc": ["body", "reason"], "msg": "a reason of 1 to 2000 characters", "type": "reason"}],
        )
    service.check_grade_code(session, grade)
    previous = resource.grade_code
    if grade != previous:
        service.check_regrade(session, resource, grade)
        resource.grade_code = grade
        resource.revision += 1
        resource.updated_at = utcnow()
        session.flush()
    index = service.append_entry(
        session,
        "catalog.resource.grade_reviewed",
        resource,
        p,
        previous_grade=previous,
        grade=grade,
        reason=text,
    )
    review = GradeReview(
        resource_id=resource.id,
        previous_grade=previous,
        grade=grade,
        reason=text,
        decided_by_party_id=p.party_id,
        decided_by_user_id=p.user_id,
        ledger_index=index,
    )
    session.add(review)
    session.flush()
    if grade != previous and resource.status is ResourceStatus.PUBLISHED:
        search_service.reindex(session, resource)
    return review


def decisions(session: Session, p: Principal, code: str) -> tuple[DataResource, list[GradeDecision]]:
    """The grading decisions on resource ``code``, newest first: for its holder and the authority only
    (404 for anyone else, as for a resource they cannot see)."""
    resource = service.get_resource(session, p, code)
    if not (p.is_authority or p.party_id == resource.holder_party_id):
        raise NotFound(f"no grading decisions on {code}")
    rows = session.scalars(
        select(GradeReview)
        .where(GradeReview.resource_id == resource.id)
        .order_by(GradeReview.decided_at.desc(), GradeReview.ledger_index.desc())
    ).all()
    names = party_names(session, {r.decided_by_party_id for r in rows})
    return resource, [_decision(r, names) for r in rows]


def _decision(r: GradeReview, names: dict[uuid.UUID, str]) -> GradeDecision:
    return GradeDecision(
        previous_grade=r.previous_grade,
        grade=r.grade,
        changed=r.changed,
        reason=r.reason,
        decided_by=names.get(r.decided_by_party_id, ""),
        decided_at=r.decided_at,
        ledger_index=r.ledger_index,
    )


def unreviewed(session: Session, p: Principal, limit: int = 200) -> tuple[Sequence[DataResource], int]:
    """Published resources whose grade the authority has not reviewed yet, oldest published first, and
    their number (分级待审): for the authority's to-do list (403 for others)."""
    if not policies.can_review_grade(p):
        raise PermissionDenied("only the data authority reviews the grades of data resources")
    reviewed = select(GradeReview.resource_id)
    stmt = select(DataResource).where(
        DataResource.status == ResourceStatus.PUBLISHED, DataResource.id.not_in(reviewed)
    )
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.scalars(
        stmt.order_by(DataResource.published_at, DataResource.catalog_code).limit(limit)
    ).all()
    return rows, total


def decisions_received(
    session: Session, p: Principal, limit: int = 20
) -> list[tuple[str, str, GradeDecision]]:
    """The latest grading decisions on the caller's party's resources: ``(code, name, decision)``."""
    if p.party_id is None:
        return []
    rows = session.execute(
        select(GradeReview, DataResource.catalog_code, DataResource.name)
        .join(DataResource, DataResource.id == GradeReview.resource_id)
        .where(DataResource.holder_party_id == p.party_id)
        .order_by(GradeReview.decided_at.desc())
        .limit(limit)
    ).all()
    names = party_names(session, {r[0].decided_by_party_id for r in rows})
    return [(code, name, _decision(review, names)) for review, code, name in rows]


def grade_names(session: Session) -> dict[str, str]:
    """Chinese names of the grades by code, lowest rank first."""
    return {g.code: g.name_zh for g in session.scalars(select(Grade).order_by(Grade.rank))}
