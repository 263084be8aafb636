"""Registration pages, authority side (登记审核页面): the review queue by state with due dates and the
overdue steps, and the review actions on an application's page.

Each action is a row of :mod:`.actions`, the same the API routes are made from: acceptance, the
one-time supplement notice, refusal with grounds, formal review passed (publicity starts) or failed,
issuance once the publicity has closed, completing a cancellation, deciding an objection, and an
overrun explanation. An action out of order is shown on the page as the 409 names it (current state,
allowed actions). The holders' renewal requests are decided on the same queue.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import DomainError, NotFound, PermissionDenied
from logispace.core.pagination import PageParams
from logispace.domains.identity import PageUser, SessionPrincipal
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications.pages import done_redirect, refused
from logispace.domains.registration.certificates.schemas import RenewalApproval, RenewalRefusal
from logispace.domains.registration.enums import ApplicationState, RenewalRequestState
from logispace.domains.registration.forms import BlankIsNone, RenewalText, Text, messages_of, status_of
from logispace.domains.registration.renewals import service as renewal_service
from logispace.domains.registration.review import deadlines as deadline_service
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.review.actions import BY_NAME, ActionName, Call, ReviewForm
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

QUEUE_SIZE = 100


@router.get("/registration/review")
def review_queue(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    state: Annotated[ApplicationState | None, BlankIsNone, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    done: Annotated[Literal["approve", "refuse"] | None, BlankIsNone, Query()] = None,
) -> HTMLResponse:
    return review_view(request, db, settings, user, state=state, offset=offset, done=done)


def review_view(
    request: Request,
    db: Session,
    settings: Settings,
    user: SessionPrincipal,
    *,
    state: ApplicationState | None = None,
    offset: int = 0,
    done: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    """The registration authority's queue (审核队列): open applications by state, overdue ones marked,
    the holders' pending renewal requests (续展申请) with the approve and refuse forms, and the task to have
    a holiday notice imported while deadlines are provisional or, from December, next year has none."""
    p = user.principal
    if not p.is_authority:
        raise PermissionDenied("only the registration authority (登记机构) reviews applications")
    clock = Clock.now(settings)
    params = PageParams(limit=QUEUE_SIZE, offset=offset)
    items, total = read_service.list_applications(db, p, params, state=state)
    shown = [a for a in items if state is not None or a.state is not ApplicationState.DRAFT]
    renewals, _ = renewal_service.listing(db, p, RenewalRequestState.PENDING, QUEUE_SIZE, 0)
    return render(
        request,
        "registration/review.html",
        {
            "items": read_service.summaries(db, clock, shown),
            "total": total,
            "params": params,
            "state": state.value if state else "",
            "states": [s for s in ApplicationState if s is not ApplicationState.DRAFT],
            "overdue": read_service.overdue_reads(db, clock, review_service.overdue(db, p, clock)),
            "renewals": [renewal_service.read(db, clock, r) for r in renewals],
            "calendar_task": deadline_service.calendar_task(db, clock),
            "today": clock.on,
            "done": done,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.post("/registration/applications/{application_id}/review/{action}")
def review_action(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    action: ActionName,
    note: Text = None,
    reason: Text = None,
    grounds: Annotated[list[str] | None, Form()] = None,
    noncompliant: Text = None,
    objection_id: Annotated[uuid.UUID | None, BlankIsNone, Form()] = None,
    outcome: Text = None,
    explanation: Text = None,
) -> Response:
    """One review step on the application's page, through the same row of :data:`.actions.REVIEW_ACTIONS`
    as the API; a refused one shows its reason there."""
    p, clock = user.principal, Clock.now(settings)
    form = ReviewForm(note, reason, grounds, noncompliant, objection_id, outcome, explanation)
    step = BY_NAME[action]
    try:
        body = step.from_form(form)
        step.take(Call(db, p, clock, application_id, objection_id), body)
    except (ValidationError, DomainError) as exc:
        return refused(request, db, settings, user, application_id, exc)
    return done_redirect(application_id, step.name)


# -- the authority's renewal decision (续展决定) --------------------------------------------------


@router.post("/registration/renewal-requests/{request_id}/{decision}")
def decide_renewal_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    request_id: uuid.UUID,
    decision: Literal["approve", "refuse"],
    note: RenewalText = None,
    reasons: RenewalText = None,
) -> Response:
    """The authority approves (准予续展) or refuses (不予续展, with reasons) a pending renewal request."""
    p, clock = user.principal, Clock.now(settings)
    try:
        if decision == "approve":
            approval = RenewalApproval.model_validate({"note": (note or "").strip() or None})
            renewal_service.approve(db, p, clock, request_id, approval)
        else:
            refusal = RenewalRefusal.model_validate({"reasons": (reasons or "").strip()})
            renewal_service.refuse(db, p, clock, request_id, refusal)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return review_view(
            request,
            db,
            settings,
            user,
            errors=messages_of(exc, language_of(request)),
            status_code=status_of(exc),
        )
    return RedirectResponse(f"/registration/review?done={decision}", status_code=303)
