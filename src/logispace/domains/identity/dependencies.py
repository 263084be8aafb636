"""Who is calling: the bearer token of the API or the session cookie of the pages.

Session-cookie requests that change state must carry the session's CSRF token (form field
``csrf_token`` or header ``X-CSRF-Token``); bearer-token requests need none.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from logispace.core.crypto import constant_time_equal
from logispace.core.errors import NotAuthenticated, PermissionDenied
from logispace.domains.identity import auth_service
from logispace.domains.identity.auth_service import SessionPrincipal
from logispace.domains.identity.policies import Principal
from logispace.web.dependencies import AppSettings, DbSession

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"


class LoginRequired(NotAuthenticated):
    """A page needs a logged-in user."""

    code = "login-required"
    title = "Please log in"


class CsrfFailed(PermissionDenied):
    """A state-changing request from a page lacks its CSRF token."""

    code = "csrf-failed"
    title = "Cross-site request refused"


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if header is None:
        return None
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        raise NotAuthenticated("the Authorization header must be 'Bearer <token>'")
    return credentials.strip()


def page_session(request: Request, db: DbSession, settings: AppSettings) -> SessionPrincipal | None:
    """The session behind the page cookie, also stored on ``request.state`` for the templates."""
    cookie = request.cookies.get(settings.session_cookie_name)
    resolved = auth_service.resolve_session(db, cookie) if cookie else None
    if resolved is not None:
        request.state.page_user = resolved
        request.state.csrf_token = resolved.csrf_token
    return resolved


async def _csrf_token_sent(request: Request) -> str:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        form = await request.form()
        value = form.get("csrf_token")
        return value if isinstance(value, str) else ""
    return ""


async def check_csrf(request: Request, resolved: SessionPrincipal) -> None:
    if request.method in _SAFE_METHODS:
        return
    sent = await _csrf_token_sent(request)
    if not sent or not constant_time_equal(sent, resolved.csrf_token):
        raise CsrfFailed("this form is stale or was sent from another site; reload the page and try again")


async def require_principal(request: Request, db: DbSession, settings: AppSettings) -> Principal:
    """The caller of an API route: a bearer token, else a page session with its CSRF token."""
    bearer = _bearer(request)
    if bearer is not None:
        return auth_service.resolve_token(db, bearer)
    resolved = page_session(request, db, settings)
    if resolved is None:
        raise NotAuthenticated("send 'Authorization: Bearer <token>' or log in")
    await check_csrf(request, resolved)
    return resolved.principal


async def optional_principal(request: Request, db: DbSession, settings: AppSettings) -> Principal | None:
    """The caller of a public API route: None when no credentials are sent; bad ones are still 401."""
    bearer = _bearer(request)
    if bearer is not None:
        return auth_service.resolve_token(db, bearer)
    resolved = page_session(request, db, settings)
    if resolved is None:
        return None
    await check_csrf(request, resolved)
    return resolved.principal


async def require_page_user(request: Request, db: DbSession, settings: AppSettings) -> SessionPrincipal:
    """The logged-in user of a page; otherwise a redirect to the login page."""
    resolved = page_session(request, db, settings)
    if resolved is None:
        raise LoginRequired("please log in")
    await check_csrf(request, resolved)
    return resolved


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]
MaybePrincipal = Annotated[Principal | None, Depends(optional_principal)]
PageUser = Annotated[SessionPrincipal, Depends(require_page_user)]
