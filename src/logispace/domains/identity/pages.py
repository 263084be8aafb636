"""Identity pages: login and logout, parties and users for administrators, account and tokens."""

from __future__ import annotations

import secrets
import uuid
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BeforeValidator, ValidationError

from logispace.core.config import Settings
from logispace.core.crypto import constant_time_equal
from logispace.core.errors import DomainError
from logispace.core.pagination import PageParams
from logispace.domains.identity import auth_service, policies, service
from logispace.domains.identity.dependencies import PageUser, page_session
from logispace.domains.identity.enums import PartyType, Role, VerificationStatus
from logispace.domains.identity.errors import InvalidCredentials, LoginThrottled
from logispace.domains.identity.schemas import (
    NO_NUL,
    PartyCreate,
    PasswordChange,
    TokenCreate,
    UserCreate,
    UserUpdate,
    VerificationDecision,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.i18n import LANGUAGE_COOKIE, LANGUAGES
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

OptionalText = Annotated[str | None, Form()]


def _none_if_blank(value: object) -> object:
    """A filter select left at "all" sends an empty value: no filter, not a bad one."""
    return None if isinstance(value, str) and not value.strip() else value


BlankIsNone = BeforeValidator(_none_if_blank)


def _safe_next(target: str | None) -> str:
    """Only same-site paths are followed after login or a language switch."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/dashboard"


def _failed(db: DbSession, exc: ValidationError | DomainError) -> tuple[list[str], int]:
    """Undo the request's writes and return the messages and status for the re-shown form."""
    db.rollback()
    if isinstance(exc, ValidationError):
        messages = [
            f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
        return messages, 422
    return [str(exc)], exc.status


def _blank(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


# -- login, logout, language ------------------------------------------------------------------


# Login CSRF (登录跨站请求伪造防护): the login form carries a token equal to a pre-session cookie
# set with the form; a login POST from another site has no such pair and is refused.
LOGIN_CSRF_COOKIE = "logispace_login"
_LOGIN_CSRF_MAX_AGE = 12 * 3600


def _login_csrf(request: Request) -> str:
    """The pre-session token of this browser: its cookie when well formed, else a new one."""
    value = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return value if 32 <= len(value) <= 64 and value.isascii() else secrets.token_urlsafe(32)


def _login_page(
    request: Request, settings: Settings, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """The login page with its form token, (re)setting the pre-session cookie it is bound to."""
    token = _login_csrf(request)
    response = render(request, "identity/login.html", {**context, "login_csrf": token}, status_code)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=_LOGIN_CSRF_MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/login",
    )
    return response


@router.get("/login")
def login_form(request: Request, db: DbSession, settings: AppSettings, next: str | None = None) -> Response:
    if page_session(request, db, settings) is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    return _login_page(request, settings, {"next": _safe_next(next)})


@router.post("/login")
def login(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    username: Annotated[str, Form(max_length=100)],
    password: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "/dashboard",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    bound = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not bound or not csrf_token or not constant_time_equal(csrf_token, bound):
        context = {"next": _safe_next(next), "username": username, "expired": True}
        return _login_page(request, settings, context, status_code=403)
    client = request.client.host if request.client else "unknown"
    try:
        user = auth_service.authenticate(db, username, password, client=client)
    except LoginThrottled as exc:
        retry_after = int(exc.extensions["retry_after"])
        context = {"next": _safe_next(next), "username": username, "retry_after": retry_after}
        page = _login_page(request, settings, context, status_code=429)
        page.headers["Retry-After"] = str(retry_after)
        return page
    except InvalidCredentials:
        context = {"next": _safe_next(next), "username": username, "failed": True}
        return _login_page(request, settings, context, status_code=401)
    started = auth_service.start_session(db, user, settings)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        settings.session_cookie_name,
        started.cookie_value,
        max_age=settings.session_ttl_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, db: DbSession, settings: AppSettings, user: PageUser) -> Response:
    cookie = request.cookies.get(settings.session_cookie_name)
    if cookie:
        auth_service.end_session(db, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(settings.session_cookie_name, path="/")
    return response


@router.get("/lang/{language}")
def switch_language(language: str, next: str | None = None) -> Response:
    response = RedirectResponse(_safe_next(next), status_code=303)
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response


# -- parties ----------------------------------------------------------------------------------


@router.get("/admin/parties")
def parties_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    q: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    party_type: Annotated[PartyType | None, BlankIsNone] = None,
    verification_status: Annotated[VerificationStatus | None, BlankIsNone] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    return _parties_page(
        request, db, user, q=q, party_type=party_type, status=verification_status, offset=offset
    )


def _parties_page(
    request: Request,
    db: DbSession,
    user: auth_service.SessionPrincipal,
    *,
    q: str | None = None,
    party_type: PartyType | None = None,
    status: VerificationStatus | None = None,
    offset: int = 0,
    form: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    params = PageParams(limit=50, offset=offset)
    items, total = service.list_parties(
        db, user.principal, params, q=q, party_type=party_type, verification_status=status
    )
    return render(
        request,
        "identity/parties.html",
        {
            "parties": service.party_reads(db, items),
            "total": total,
            "params": params,
            "filters": {"q": q or "", "party_type": party_type, "verification_status": status},
            "can_create": policies.can_create_party(user.principal),
            "party_types": list(PartyType),
            "statuses": list(VerificationStatus),
            "form": form or {},
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.post("/admin/parties")
def create_party_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    name: Annotated[str, Form()],
    party_type: Annotated[str, Form()],
    uscc: Annotated[str, Form()],
    is_legal_person: Annotated[str | None, Form()] = None,
    contact_name: OptionalText = None,
    contact_phone: OptionalText = None,
    contact_email: OptionalText = None,
) -> Response:
    form = {
        "name": name,
        "party_type": party_type,
        "uscc": uscc,
        "is_legal_person": is_legal_person is not None,
        "contact_name": _blank(contact_name),
        "contact_phone": _blank(contact_phone),
        "contact_email": _blank(contact_email),
    }
    try:
        party = service.create_party(db, user.principal, PartyCreate.model_validate(form))
    except (ValidationError, DomainError) as exc:
        errors, code = _failed(db, exc)
        return _parties_page(request, db, user, form=form, errors=errors, status_code=code)
    return RedirectResponse(f"/admin/parties/{party.id}", status_code=303)


@router.get("/admin/parties/{party_id}")
def party_page(request: Request, db: DbSession, user: PageUser, party_id: uuid.UUID) -> HTMLResponse:
    return _party_page(request, db, user, party_id)


def _party_page(
    request: Request,
    db: DbSession,
    user: auth_service.SessionPrincipal,
    party_id: uuid.UUID,
    *,
    errors: list[str] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    p = user.principal
    party = service.get_party(db, p, party_id)
    users, _ = service.list_users(db, p, PageParams(limit=200), party_id=party_id)
    return render(
        request,
        "identity/party.html",
        {
            "party": service.party_reads(db, [party])[0],
            "history": service.verification_history(db, p, party_id),
            "users": [service.user_read(u) for u in users],
            "can_verify": policies.can_verify_party(p),
            "can_manage_users": policies.can_manage_users_of(p, party_id),
            "roles": [r for r in Role if not policies.role_problems(p, [r], party.party_type)],
            "errors": errors or [],
            "form": form or {},
        },
        status_code=status_code,
    )


@router.post("/admin/parties/{party_id}/verify")
def verify_party_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    party_id: uuid.UUID,
    status: Annotated[str, Form()],
    method: Annotated[str, Form()] = "营业执照核验",
    note: OptionalText = None,
) -> Response:
    try:
        decision = VerificationDecision.model_validate(
            {"status": status, "method": method, "note": _blank(note)}
        )
        service.decide_verification(db, user.principal, party_id, decision)
    except ValidationError as exc:
        errors, code = _failed(db, exc)
        return _party_page(request, db, user, party_id, errors=errors, status_code=code)
    return RedirectResponse(f"/admin/parties/{party_id}", status_code=303)


@router.post("/admin/parties/{party_id}/users")
def create_user_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    party_id: uuid.UUID,
    username: Annotated[str, Form()],
    display_name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    email: OptionalText = None,
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    form = {"username": username, "display_name": display_name, "email": _blank(email), "roles": roles or []}
    try:
        data = UserCreate.model_validate({**form, "party_id": party_id, "password": password})
        service.create_user(db, user.principal, data)
    except (ValidationError, DomainError) as exc:
        errors, code = _failed(db, exc)
        return _party_page(request, db, user, party_id, errors=errors, form=form, status_code=code)
    return RedirectResponse(f"/admin/parties/{party_id}", status_code=303)


@router.post("/admin/users/{user_id}")
def update_user_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    user_id: uuid.UUID,
    is_active: Annotated[str | None, Form()] = None,
    roles: Annotated[list[str] | None, Form()] = None,
) -> Response:
    target = service.get_user(db, user.principal, user_id)
    party_id = target.party_id
    try:
        data = UserUpdate.model_validate({"is_active": is_active is not None, "roles": roles or []})
        service.update_user(db, user.principal, user_id, data)
    except (ValidationError, DomainError) as exc:
        errors, code = _failed(db, exc)
        return _party_page(request, db, user, party_id, errors=errors, status_code=code)
    return RedirectResponse(f"/admin/parties/{party_id}", status_code=303)


@router.get("/admin/users")
def users_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    q: Annotated[str | None, Query(max_length=100, pattern=NO_NUL)] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> HTMLResponse:
    params = PageParams(limit=50, offset=offset)
    items, total = service.list_users(db, user.principal, params, q=q)
    return render(
        request,
        "identity/users.html",
        {
            "users": [service.user_read(u) for u in items],
            "party_names": service.party_names(db, {u.party_id for u in items}),
            "total": total,
            "params": params,
            "q": q or "",
        },
    )


# -- account and tokens -----------------------------------------------------------------------


@router.get("/account")
def account_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _account_page(request, db, user)


def _account_page(
    request: Request,
    db: DbSession,
    user: auth_service.SessionPrincipal,
    *,
    errors: list[str] | None = None,
    message: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    me = service.user_read(service.get_user(db, user.principal, user.principal.acting_user_id))
    return render(
        request,
        "identity/account.html",
        {"me": me, "errors": errors or [], "message": message},
        status_code=status_code,
    )


@router.post("/account/password")
def change_password_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    current_password: Annotated[str, Form()],
    new_password: Annotated[str, Form()],
) -> Response:
    try:
        data = PasswordChange(current_password=current_password, new_password=new_password)
        service.change_password(db, user.principal, data)
    except (ValidationError, DomainError) as exc:
        errors, code = _failed(db, exc)
        return _account_page(request, db, user, errors=errors, status_code=code)
    return _account_page(request, db, user, message="密码已修改。")


@router.get("/account/tokens")
def tokens_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _tokens_page(request, db, user)


def _tokens_page(
    request: Request,
    db: DbSession,
    user: auth_service.SessionPrincipal,
    *,
    created: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    tokens = [auth_service.token_read(t) for t in auth_service.list_tokens(db, user.principal)]
    return render(
        request,
        "identity/tokens.html",
        {"tokens": tokens, "created": created, "errors": errors or []},
        status_code=status_code,
    )


@router.post("/account/tokens")
def create_token_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    name: Annotated[str, Form()],
    expires_in_days: Annotated[str | None, Form()] = None,
) -> Response:
    try:
        # A form's values are text: the number of days is read from it (strict=False).
        data = TokenCreate.model_validate(
            {"name": name, "expires_in_days": _blank(expires_in_days)}, strict=False
        )
        created = auth_service.create_token(db, user.principal.acting_user_id, data, settings)
    except (ValidationError, DomainError) as exc:
        errors, code = _failed(db, exc)
        return _tokens_page(request, db, user, errors=errors, status_code=code)
    return _tokens_page(request, db, user, created=created.token, status_code=201)


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token_page(request: Request, db: DbSession, user: PageUser, token_id: uuid.UUID) -> Response:
    auth_service.revoke_token(db, user.principal, token_id)
    return RedirectResponse("/account/tokens", status_code=303)
