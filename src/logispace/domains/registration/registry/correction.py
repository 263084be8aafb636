"""Correction by an interested party from the public registry (利害关系人申请更正登记, 004:785; 004:5385).

A logged-in user of a party other than the holder opens a published registration in ``/registry``
and starts a correction application: what is wrong and what it should say, and the evidence that it is
wrong (更正内容佐证) or the subject's written consent (登记主体同意书) as a file. The application is
created through :func:`..applications.service.create_application` as the API does
(``as_interested_party``), the file attached as that material, and the user continues on the
application's page (the other materials, then submission); the holder and the authority see it as the
API shows it. A refused form is rolled back and shown again with the reason.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from logispace.domains.identity import PageUser, SessionPrincipal, party_name
from logispace.domains.registration import repository
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.forms import messages_of, status_of
from logispace.domains.registration.models import RegistrationRecord
from logispace.domains.registration.repository import LIVE_RECORD_STATES
from logispace.domains.registration.schemas import ApplicationCreate
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

Text = Annotated[str | None, Form(max_length=1000)]
EVIDENCE_MATERIALS = ("correction_evidence", "subject_written_consent")


def _published(session: Session, user: SessionPrincipal, record_id: uuid.UUID) -> RegistrationRecord:
    """A live published registration of another party; 404 if none, 403 for its holder or the authority."""
    record = session.get(RegistrationRecord, record_id)
    if record is None or record.state not in LIVE_RECORD_STATES:
        raise NotFound(f"registration {record_id} not found")
    p = user.principal
    if p.is_authority or p.party_id is None or p.party_id == record.holder_party_id:
        raise PermissionDenied(
            "an interested party (利害关系人) of another party corrects here; the holder files its own "
            "correction from /registration/new"
        )
    return record


def _form_page(
    request: Request,
    db: Session,
    user: SessionPrincipal,
    record: RegistrationRecord,
    form: dict[str, str],
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "registration/correction.html",
        {
            "r": record,
            "holder": party_name(db, record.holder_party_id) or "",
            "code": repository.certificate_codes(db, [record.id]).get(record.id),
            "form": form,
            "materials": EVIDENCE_MATERIALS,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/registry/records/{record_id}/correction")
def correction_form(request: Request, db: DbSession, user: PageUser, record_id: uuid.UUID) -> HTMLResponse:
    record = _published(db, user, record_id)
    return _form_page(request, db, user, record, {"material": EVIDENCE_MATERIALS[0]})


@router.post("/registry/records/{record_id}/correction")
def correction_create(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    record_id: uuid.UUID,
    content_summary: Text = None,
    name: Annotated[str | None, Form(max_length=200)] = None,
    material: Annotated[Literal["correction_evidence", "subject_written_consent"] | None, Form()] = None,
    evidence: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Create the correction application (更正登记) with its evidence, then go to its page."""
    record = _published(db, user, record_id)
    form = {"content_summary": content_summary or "", "name": name or "", "material": material or ""}
    try:
        application_id = _create(db, settings, user, record, form, evidence)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return _form_page(
            request,
            db,
            user,
            record,
            form,
            errors=messages_of(exc, language_of(request)),
            status_code=status_of(exc),
        )
    return RedirectResponse(f"/registration/applications/{application_id}?done=created", status_code=303)


def _create(
    db: Session,
    settings: Settings,
    user: SessionPrincipal,
    record: RegistrationRecord,
    form: dict[str, str],
    evidence: UploadFile | None,
) -> uuid.UUID:
    summary = form["content_summary"].strip()
    if not summary:
        raise InvalidInput("content_summary: say what is wrong and what it should say (更正内容)")
    if evidence is None or not evidence.filename:
        raise InvalidInput("evidence: attach the evidence of the error or the subject's written consent")
    if form["material"] not in EVIDENCE_MATERIALS:
        raise InvalidInput(f"material: one of {', '.join(EVIDENCE_MATERIALS)}")
    body = ApplicationCreate.model_validate(
        {
            "application_type": "correction",
            "registration_id": str(record.id),
            "as_interested_party": True,
            "content_summary": summary,
            "info": {"name": form["name"].strip()} if form["name"].strip() else {},
        }
    )
    application = application_service.create_application(db, user.principal, settings, body)
    application_service.add_attachment(
        db,
        user.principal,
        settings,
        application.id,
        evidence.file,
        material=form["material"],
        media_type=evidence.content_type or "application/octet-stream",
        filename=evidence.filename[:255],
    )
    return application.id
