"""Registration account pages (登记账户页面, 004:5444) and the co-subject's confirmation (共同申请, 004:771).

``/registration/account``: the subject's account (request button, the code once issued) and, in one
place, its applications, registrations with their certificate codes and materials (统一管理).
``/registration/accounts``: the authority's list, requested accounts first, each with an issue button
(核发). A co-subject confirms a joint application from the application's page. Every form goes
through the same services as the API; a refused step is rolled back and shown with its reason.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile, Settings
from logispace.core.errors import DomainError, NotFound, PermissionDenied
from logispace.domains.identity import PageUser, SessionPrincipal
from logispace.domains.registration.accounts import read as account_read
from logispace.domains.registration.accounts import service as account_service
from logispace.domains.registration.applications import joint as joint_service
from logispace.domains.registration.applications.pages import done_redirect, refused
from logispace.domains.registration.forms import BlankIsNone, messages_of
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

Done = Literal["requested", "issued"]


def _account_page(
    request: Request,
    db: Session,
    settings: Settings,
    user: SessionPrincipal,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    p = user.principal
    try:
        overview = account_read.overview(db, p, Clock.now(settings))
    except NotFound:
        overview = None
    return render(
        request,
        "registration/account.html",
        {
            "overview": overview,
            "required": settings.rule_profile is RuleProfile.INNER_MONGOLIA,
            "can_request": p.party_id is not None and not p.is_authority,
            "done": done,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/registration/account")
def account_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    done: Annotated[Done | None, BlankIsNone, Query()] = None,
) -> Response:
    if user.principal.is_authority:
        return RedirectResponse("/registration/accounts", status_code=303)
    return _account_page(request, db, settings, user, done=done)


@router.post("/registration/account")
def request_account_page(request: Request, db: DbSession, settings: AppSettings, user: PageUser) -> Response:
    try:
        account_service.request_account(db, user.principal, settings)
    except DomainError as exc:
        db.rollback()
        return _account_page(
            request, db, settings, user, errors=messages_of(exc, language_of(request)), status_code=exc.status
        )
    return RedirectResponse("/registration/account?done=requested", status_code=303)


def _accounts_page(
    request: Request,
    db: Session,
    user: SessionPrincipal,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    accounts = account_service.list_accounts(db, user.principal)  # 403 for anyone but the authority
    return render(
        request,
        "registration/accounts.html",
        {
            "accounts": account_read.account_reads(db, accounts),
            "done": done,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/registration/accounts")
def accounts_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    done: Annotated[Done | None, BlankIsNone, Query()] = None,
) -> HTMLResponse:
    """The authority's list of registration accounts (登记账户管理), requested ones first."""
    return _accounts_page(request, db, user, done=done)


@router.post("/registration/accounts/{account_id}/issue")
def issue_account_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, account_id: uuid.UUID
) -> Response:
    try:
        account_service.issue_account(db, user.principal, settings, account_id)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        db.rollback()
        return _accounts_page(
            request, db, user, errors=messages_of(exc, language_of(request)), status_code=exc.status
        )
    return RedirectResponse("/registration/accounts?done=issued", status_code=303)


@router.post("/registration/applications/{application_id}/co-subjects/confirm")
def confirm_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, application_id: uuid.UUID
) -> Response:
    """A co-subject confirms the joint application (共同申请确认)."""
    try:
        joint_service.confirm(db, user.principal, Clock.now(settings), application_id)
    except DomainError as exc:
        return refused(request, db, settings, user, application_id, exc)
    return done_redirect(application_id, "confirmed")
