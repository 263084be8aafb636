"""Renewal pages (续展页面): the holder applies for renewal from its registrations on ``/registration``
while the window is open; the authority approves or refuses the pending requests on its review queue.

Both go through :mod:`.renewal_service` like the API; a refused form is rolled back and the page shown
again with the reason (409 outside the window or with one already pending, 422 for a refusal without
reasons); another party's record or request is 404.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from logispace.core.errors import DomainError, NotFound
from logispace.domains.identity import PageUser
from logispace.domains.registration.applications.pages import applications_view, messages_of, status_of
from logispace.domains.registration.certificates.schemas import (
    RenewalApproval,
    RenewalRefusal,
    RenewalRequestCreate,
)
from logispace.domains.registration.renewals import service as renewal_service
from logispace.domains.registration.review.pages import review_view
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Form(max_length=2000)]


@router.post("/registration/records/{record_id}/renewal")
def file_renewal_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    record_id: uuid.UUID,
    still_needed: Text = None,
    requested_valid_to: Annotated[str | None, Form(max_length=20)] = None,
    note: Text = None,
) -> Response:
    """The holder's renewal request (申请续展): still needed (且需继续使用的), an optional shorter term."""
    try:
        body = RenewalRequestCreate.model_validate(
            {
                "still_needed": still_needed == "on",
                "requested_valid_to": date.fromisoformat(requested_valid_to.strip())
                if requested_valid_to and requested_valid_to.strip()
                else None,
                "note": (note or "").strip() or None,
            }
        )
        renewal_service.file_request(db, user.principal, Clock.now(settings), record_id, body)
    except (ValueError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        errors = messages_of(exc) if isinstance(exc, ValidationError | DomainError) else [str(exc)]
        status = status_of(exc) if isinstance(exc, ValidationError | DomainError) else 422
        return applications_view(request, db, settings, user, errors=errors, status_code=status)
    return RedirectResponse("/registration?done=renewal", status_code=303)


@router.post("/registration/renewal-requests/{request_id}/{decision}")
def decide_renewal_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    request_id: uuid.UUID,
    decision: Literal["approve", "refuse"],
    note: Text = None,
    reasons: Text = None,
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
        return review_view(request, db, settings, user, errors=messages_of(exc), status_code=status_of(exc))
    return RedirectResponse(f"/registration/review?done={decision}", status_code=303)
