"""Registration API (``/api/v1/registration``): applications (subject side) and records.

Every route needs a login. An applicant's party sees its own applications only (another's answer 404
like missing ones, the export of a file too); the registration authority sees all. The authority's
steps, objections and overdue steps are in :mod:`..review.api`.
"""

from __future__ import annotations

import io
import uuid
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import Response

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.registration.applications import export as export_service
from logispace.domains.registration.applications import joint as joint_service
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.enums import ApplicationState, ApplicationType
from logispace.domains.registration.schemas import (
    ApplicationCreate,
    ApplicationRead,
    ApplicationSummary,
    ApplicationUpdate,
    AttachmentRead,
    RecordRead,
    StepNote,
)
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router


def _note(body: StepNote | None) -> str | None:
    return body.note if body is not None else None


router = api_router("/api/v1/registration", tags=["registration"])

Paging = Annotated[PageParams, Query()]
Material = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[a-z_]+$", description="材料名称")]
FileName = Annotated[str | None, Query(max_length=255, description="the file's name")]

ATTACHMENT_TYPES = (
    "application/pdf",
    "application/octet-stream",
    "application/zip",
    "image/png",
    "image/jpeg",
    "text/plain",
    "application/json",
)
_ATTACHMENT_BODY = {
    "requestBody": {
        "required": True,
        "description": "The material itself, as the raw body",
        "content": {media: {"schema": {"type": "string", "format": "binary"}} for media in ATTACHMENT_TYPES},
    }
}


# -- the file (subject side) ------------------------------------------------------------------------


@router.post(
    "/applications", status_code=201, summary="File a registration application as a draft (登记申请)"
)
def create_application(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: ApplicationCreate
) -> ApplicationRead:
    application = application_service.create_application(db, p, settings, body)
    return read_service.application_read(db, p, Clock.now(settings), application)


@router.get("/applications", summary="The caller's party's applications (the authority: all), with due dates")
def list_applications(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    paging: Paging,
    state: ApplicationState | None = None,
    application_type: ApplicationType | None = None,
) -> Page[ApplicationSummary]:
    items, total = read_service.list_applications(
        db, p, paging, state=state, application_type=application_type
    )
    return Page(
        items=read_service.summaries(db, Clock.now(settings), items),
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/applications/{application_id}", summary="An application: file, steps, due dates, next actions")
def get_application(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, application_id: uuid.UUID
) -> ApplicationRead:
    return read_service.application_read(
        db, p, Clock.now(settings), read_service.get_application(db, p, application_id)
    )


@router.patch("/applications/{application_id}", summary="Complete a draft or supplement the file (补正)")
def update_application(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: ApplicationUpdate,
) -> ApplicationRead:
    application = application_service.update_application(db, p, application_id, body)
    return read_service.application_read(db, p, Clock.now(settings), application)


@router.post(
    "/applications/{application_id}/attachments",
    status_code=201,
    summary="Attach a material (登记材料): stored in the object store, its SHA-256 in the ledger",
    openapi_extra=_ATTACHMENT_BODY,
)
async def add_attachment(
    request: Request,
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    material: Material,
    filename: FileName = None,
) -> AttachmentRead:
    content = await request.body()
    media_type = request.headers.get("content-type", "application/octet-stream").split(";")[0].strip()
    attachment = application_service.add_attachment(
        db,
        p,
        settings,
        application_id,
        io.BytesIO(content),
        material=material,
        media_type=media_type,
        filename=filename,
    )
    return AttachmentRead.model_validate(attachment, from_attributes=True)


@router.post(
    "/applications/{application_id}/submit", summary="Submit (提交): acceptance due in 3 working days"
)
def submit(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, application_id: uuid.UUID
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, application_service.submit(db, p, clock, application_id)
    )


@router.post(
    "/applications/{application_id}/resubmit",
    summary="Resubmit after the notice (补正): the acceptance clock restarts",
)
def resubmit(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: StepNote | None = None,
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, application_service.resubmit(db, p, clock, application_id, _note(body))
    )


@router.post(
    "/applications/{application_id}/co-subjects/confirm",
    summary="A co-subject confirms a joint application (共同申请确认, 004:771) (the co-subject's party)",
)
def confirm_co_subject(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, application_id: uuid.UUID
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(db, p, clock, joint_service.confirm(db, p, clock, application_id))


# -- records (登记结果) -------------------------------------------------------------------------------


@router.get("/records", summary="The caller's party's registrations (the authority: all)")
def list_records(db: DbSession, p: CurrentPrincipal, paging: Paging) -> Page[RecordRead]:
    items, total = read_service.list_records(db, p, paging)
    return Page(
        items=read_service.record_reads(db, items), total=total, limit=paging.limit, offset=paging.offset
    )


@router.get("/records/{record_id}", summary="A registration record (登记结果) and its validity")
def get_record(db: DbSession, p: CurrentPrincipal, record_id: uuid.UUID) -> RecordRead:
    return read_service.record_reads(db, [read_service.get_record(db, p, record_id)])[0]


@router.get(
    "/applications/{application_id}/export",
    summary="The whole file as a zip with a manifest and ledger receipts (登记档案导出)",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "zip: manifest.json, attachments/, receipts/",
        }
    },
)
def export(db: DbSession, p: CurrentPrincipal, settings: AppSettings, application_id: uuid.UUID) -> Response:
    filename, data = export_service.export_file(db, p, settings, application_id)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
