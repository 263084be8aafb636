"""Grading review pages (分级审核): the data authority's list of published resources with their grades
and review state, and one resource's grading page where the authority approves or changes the grade
with a reason and the holder reads the decisions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, InvalidInput, PermissionDenied
from logispace.domains.catalog import policies
from logispace.domains.catalog.errors import InvalidTransition, RuleViolated
from logispace.domains.catalog.grading import service as grading_service
from logispace.domains.catalog.schemas import CatalogCode
from logispace.domains.identity import PageUser, SessionPrincipal, party_names
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

REFUSALS: tuple[tuple[type[DomainError], str], ...] = (
    (PermissionDenied, "只有数据主管部门可以审核数据资源分级。"),
    (InvalidTransition, "该资源已撤回，不再审核分级。"),
    (RuleViolated, "所选分级与该资源的字段分级或共享、开放条件不符，请由持有方先调整后再审核。"),
    (InvalidInput, "请选择分级并填写审核理由（不超过 2000 字）。"),
)
"""What a refused decision tells the reviewer, by the kind of refusal (most specific first)."""


def refusal(exc: DomainError) -> str:
    for cls, message in REFUSALS:
        if isinstance(exc, cls):
            return message
    return "审核未能保存，请稍后重试。"


@router.get("/catalog/grading")
def grading_queue(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    """The authority's grading queue: published resources not reviewed yet (403 for others)."""
    pending, total = grading_service.unreviewed(db, user.principal)
    return render(
        request,
        "catalog/grading.html",
        {
            "pending": pending,
            "total": total,
            "grades": grading_service.grade_names(db),
            "holders": party_names(db, {r.holder_party_id for r in pending}),
        },
    )


def _resource_page(
    request: Request,
    db: Session,
    user: SessionPrincipal,
    code: str,
    *,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    resource, decisions = grading_service.decisions(db, user.principal, code)
    return render(
        request,
        "catalog/grading_resource.html",
        {
            "resource": resource,
            "decisions": decisions,
            "grades": grading_service.grade_names(db),
            "can_review": policies.can_review_grade(user.principal),
            "errors": errors or [],
            "form": form or {},
        },
        status_code=status_code,
    )


@router.get("/catalog/resources/{code}/grading")
def grading_page(request: Request, db: DbSession, user: PageUser, code: CatalogCode) -> HTMLResponse:
    return _resource_page(request, db, user, code)


@router.post("/catalog/resources/{code}/grading")
def grading_decide(
    request: Request,
    db: DbSession,
    user: PageUser,
    code: CatalogCode,
    grade: Annotated[str, Form(max_length=32)] = "",
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    try:
        grading_service.review_grade(db, user.principal, code, grade, reason)
    except DomainError as exc:
        db.rollback()
        if exc.status in (403, 404):  # not the authority's, or not there: the error page
            raise
        form = {"grade": grade, "reason": reason}
        return _resource_page(
            request, db, user, code, errors=[refusal(exc)], form=form, status_code=exc.status
        )
    return RedirectResponse(f"/catalog/resources/{code}/grading?decided=1", status_code=303)
