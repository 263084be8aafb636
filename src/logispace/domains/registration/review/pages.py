"""Registration pages, authority side (登记审核页面): the review queue by state with due dates and the
overdue steps, and the review actions on an application's page.

Each action calls the same review service as the API: acceptance, the one-time supplement notice,
refusal with grounds, formal review passed (publicity starts) or failed, issuance once the publicity
has closed, completing a cancellation, deciding an objection, and an overrun explanation. An action
out of order is shown on the page as the 409 names it (current state, allowed actions).
"""

from __future__ import annotations

import re
import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import DomainError, InvalidInput, PermissionDenied
from logispace.core.pagination import PageParams
from logispace.domains.identity import PageUser, SessionPrincipal
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications.pages import BlankIsNone, done_redirect, refused
from logispace.domains.registration.enums import ApplicationState, RenewalRequestState
from logispace.domains.registration.renewals import service as renewal_service
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.schemas import (
    ObjectionHandling,
    OverrunExplanation,
    Refusal,
    ReviewFailure,
)
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.templates import render

router = APIRouter(include_in_schema=False)

QUEUE_SIZE = 100
Text = Annotated[str | None, Form(max_length=4000)]
Action = Literal["accept", "supplement", "refuse", "pass", "fail", "issue", "cancel", "objection", "overrun"]
_LINES = re.compile(r"[\n;；]+")


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
    and the holders' pending renewal requests (续展申请) with the approve and refuse forms."""
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
    action: Action,
    note: Text = None,
    reason: Text = None,
    grounds: Annotated[list[str] | None, Form()] = None,
    noncompliant: Text = None,
    objection_id: Annotated[uuid.UUID | None, BlankIsNone, Form()] = None,
    outcome: Text = None,
    explanation: Text = None,
) -> Response:
    """One review step on the application's page; a refused one shows its reason there."""
    p, clock = user.principal, Clock.now(settings)
    text = (note or "").strip() or None
    try:
        match action:
            case "accept":
                review_service.accept(db, p, clock, application_id, text)
            case "supplement":
                items = [line.strip() for line in _LINES.split(noncompliant or "") if line.strip()]
                review_service.request_supplement(db, p, clock, application_id, items, text)
            case "refuse":
                body = Refusal.model_validate({"grounds": grounds or [], "reason": (reason or "").strip()})
                review_service.refuse(db, p, clock, application_id, body)
            case "pass":
                review_service.pass_review(db, p, clock, application_id, text)
            case "fail":
                failure = ReviewFailure.model_validate({"reason": (reason or "").strip()})
                review_service.fail_review(db, p, clock, application_id, failure.reason)
            case "issue":
                review_service.issue(db, p, clock, application_id, text)
            case "cancel":
                review_service.complete_cancellation(db, p, clock, application_id, text)
            case "objection":
                handling = ObjectionHandling.model_validate(
                    {"outcome": outcome or "", "note": (note or "").strip()}
                )
                if objection_id is None:
                    raise InvalidInput("objection_id: choose the objection to decide")
                review_service.handle_objection(
                    db,
                    p,
                    clock,
                    application_id,
                    objection_id,
                    handling.outcome,
                    handling.note,
                )
            case "overrun":
                explained = OverrunExplanation.model_validate({"explanation": (explanation or "").strip()})
                review_service.explain_overrun(db, p, clock, application_id, explained.explanation)
    except (ValidationError, DomainError) as exc:
        return refused(request, db, settings, user, application_id, exc)
    return done_redirect(application_id, action)
