"""Sharing pages (运单共享 · 真实贸易核验): the share form on a waybill's page and the page where
the party a waybill is shared with, such as a bank, checks each shared waybill's chain of custody
and documents at once (seed 001 (35): supply-chain finance on verified trade data).

Login required. The form answers on the waybill's page, its reasons in Chinese; a refused form
stores nothing.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta, timezone
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, NotFound
from logispace.domains.identity import PageUser, party_ids_by_uscc, party_names
from logispace.domains.logistics.i18n import TRACE_LABELS
from logispace.domains.logistics.shares import service as shares_service
from logispace.domains.logistics.shares.schemas import ShareCreate
from logispace.domains.logistics.trace.pages import trace_page, waybill_context
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

BEIJING = timezone(timedelta(hours=8))

REASONS = {
    "waybill-share-not-allowed": "只有运单的托运人、收货人或制单方可以共享运单。",
    "waybill-share-recipient-invalid": "共享对象须是平台上的其他单位，请核对其统一社会信用代码。",
    "waybill-share-period-invalid": "共享截止日期须晚于今天，且自今天起不超过一年。",
    "waybill-share-revoked": "该共享授权已撤销。",
    "waybill-share-not-found": "没有找到该共享授权。",
    "permission-denied": "只有单位管理员或数据专员可以共享运单。",
}
FIELDS = {"recipient_uscc": "统一社会信用代码", "purpose": "用途", "valid_until": "共享截止日期"}


class ShareForm(BaseModel):
    """The share form as submitted (strings; checked by :class:`ShareCreate`)."""

    model_config = ConfigDict(extra="ignore")

    recipient_uscc: str = ""
    purpose: str = ""
    valid_until: str = ""


def end_of_day(day: date) -> datetime:
    """The end of ``day`` in Beijing (midnight that starts the next day), as a share's end."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=BEIJING)


def _reasons(exc: ValidationError | DomainError) -> list[str]:
    if isinstance(exc, DomainError):
        return [REASONS.get(exc.code, "共享未成功，请检查后重试。")]
    names = {FIELDS.get(str(e["loc"][0]), "表单") for e in exc.errors() if e["loc"]}
    return [f"{name}填写不正确。" for name in sorted(names)]


def _refused(
    request: Request,
    db: Session,
    user: PageUser,
    number: str,
    form: ShareForm,
    reasons: list[str],
    status: int,
) -> HTMLResponse:
    context = waybill_context(db, user.principal, number, share_errors=reasons, share_form=form)
    return trace_page(request, db, context, status_code=status)


@router.post("/logistics/waybills/{number}/shares")
def share_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    number: str,
    recipient_uscc: Annotated[str, Form(max_length=40)] = "",
    purpose: Annotated[str, Form(max_length=400)] = "",
    valid_until: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    """Grant a share from the waybill's page."""
    form = ShareForm(recipient_uscc=recipient_uscc, purpose=purpose, valid_until=valid_until)
    try:
        until = end_of_day(date.fromisoformat(form.valid_until)) if form.valid_until else None
        body = ShareCreate.model_validate(
            {
                "recipient_uscc": form.recipient_uscc.strip().upper(),
                "purpose": form.purpose,
                "valid_until": until,
            }
        )
        shares_service.grant(db, user.principal, settings, number, body)
    except ValueError as exc:  # ValidationError is a ValueError; so is a malformed date
        db.rollback()
        reasons = _reasons(exc) if isinstance(exc, ValidationError) else ["共享截止日期填写不正确。"]
        return _refused(request, db, user, number, form, reasons, 422)
    except DomainError as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return _refused(request, db, user, number, form, _reasons(exc), exc.status)
    return RedirectResponse(f"/trace/waybills/{number.upper()}?shared=1#shares", status_code=303)


@router.post("/logistics/waybills/{number}/shares/{share_id}/revoke")
def revoke_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, number: str, share_id: uuid.UUID
) -> Response:
    """Revoke a share from the waybill's page."""
    try:
        shares_service.revoke(db, user.principal, settings, number, share_id)
    except DomainError as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return _refused(request, db, user, number, ShareForm(), _reasons(exc), exc.status)
    return RedirectResponse(f"/trace/waybills/{number.upper()}?revoked=1#shares", status_code=303)


@router.get("/logistics/shared")
def shared_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    """真实贸易核验: every waybill shared with the caller's party now, its custody verdict, its steps
    and documents, with links to its full trace."""
    shared = shares_service.shared_with_me(db, user.principal)
    usccs = {s.consignor_uscc for s in shared} | {s.consignee_uscc for s in shared}
    ids = party_ids_by_uscc(db, usccs)
    names = party_names(db, set(ids.values()))
    context = {
        "L": TRACE_LABELS,
        "shared": shared,
        "name_of": lambda uscc: names.get(ids[uscc]) if uscc in ids else uscc,
    }
    return render(request, "logistics/shared.html", context)
