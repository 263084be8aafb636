"""Registration API (``/api/v1/registration``): applications, review, publicity, objections, records.

Every route needs a login. An applicant's party sees its own applications only (another's answer 404
like missing ones); the registration authority sees all, acts on them and lists overdue steps. A
third party reaches an application only to object to it once it has been in publicity.
"""

from __future__ import annotations

import io
import uuid
from typing import Annotated

from fastapi import Query, Request

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.registration.applications import joint as joint_service
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.enums import ApplicationState, ApplicationType
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.schemas import (
    ApplicationCreate,
    ApplicationRead,
    ApplicationSummary,
    ApplicationUpdate,
    AttachmentRead,
    ObjectionCreate,
    ObjectionHandling,
    ObjectionRead,
    OverdueStep,
    OverrunExplanation,
    OverrunRead,
    RecordRead,
    Refusal,
    ReviewFailure,
    StepNote,
    SupplementRequest,
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


# -- review (authority side) ------------------------------------------------------------------------


@router.post(
    "/applications/{application_id}/supplement-request",
    summary="One notice listing every missing item (一次性告知) (authority)",
)
def request_supplement(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: SupplementRequest,
) -> ApplicationRead:
    clock = Clock.now(settings)
    application = review_service.request_supplement(
        db, p, clock, application_id, body.noncompliant, body.note
    )
    return read_service.application_read(db, p, clock, application)


@router.post("/applications/{application_id}/accept", summary="Accept (受理) (authority)")
def accept(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: StepNote | None = None,
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, review_service.accept(db, p, clock, application_id, _note(body))
    )


@router.post(
    "/applications/{application_id}/refuse", summary="Refuse with grounds (不予受理 / 不予办理) (authority)"
)
def refuse(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, application_id: uuid.UUID, body: Refusal
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, review_service.refuse(db, p, clock, application_id, body)
    )


@router.post(
    "/applications/{application_id}/review/pass",
    summary="Formal review passed (形式审核通过): publicity for 10 working days (authority)",
)
def pass_review(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: StepNote | None = None,
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, review_service.pass_review(db, p, clock, application_id, _note(body))
    )


@router.post(
    "/applications/{application_id}/review/fail", summary="Formal review failed [inner_mongolia] (authority)"
)
def fail_review(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, application_id: uuid.UUID, body: ReviewFailure
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, review_service.fail_review(db, p, clock, application_id, body.reason)
    )


@router.post(
    "/applications/{application_id}/issue",
    summary="Close the publicity and issue the registration (赋码 / 发证) (authority)",
)
def issue(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: StepNote | None = None,
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, review_service.issue(db, p, clock, application_id, _note(body))
    )


@router.post(
    "/applications/{application_id}/cancellation/complete",
    summary="Complete a cancellation (注销登记) within 10 working days (authority)",
)
def complete_cancellation(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: StepNote | None = None,
) -> ApplicationRead:
    clock = Clock.now(settings)
    return read_service.application_read(
        db, p, clock, review_service.complete_cancellation(db, p, clock, application_id, _note(body))
    )


@router.post(
    "/applications/{application_id}/objections",
    status_code=201,
    summary="Object during publicity (异议), in real name with evidence (any other party)",
)
def file_objection(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: ObjectionCreate,
) -> ObjectionRead:
    objection = review_service.file_objection(db, p, Clock.now(settings), application_id, body)
    return ObjectionRead.model_validate(objection, from_attributes=True)


@router.post(
    "/applications/{application_id}/objections/{objection_id}/handle",
    summary=(
        "Decide an objection (异议复核): upheld terminates; dismissed keeps reviewing, "
        "resumes publicity or issues (authority)"
    ),
)
def handle_objection(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    objection_id: uuid.UUID,
    body: ObjectionHandling,
) -> ApplicationRead:
    clock = Clock.now(settings)
    application = review_service.handle_objection(
        db, p, clock, application_id, objection_id, body.outcome, body.note
    )
    return read_service.application_read(db, p, clock, application)


@router.post(
    "/applications/{application_id}/overrun-explanations",
    status_code=201,
    summary="Record why the current step is overdue (超期说明) (authority)",
)
def explain_overrun(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    application_id: uuid.UUID,
    body: OverrunExplanation,
) -> OverrunRead:
    row = review_service.explain_overrun(db, p, Clock.now(settings), application_id, body.explanation)
    return OverrunRead.model_validate(row, from_attributes=True)


@router.get("/overdue", summary="Steps past their due date (超期事项) (authority)")
def overdue(db: DbSession, p: CurrentPrincipal, settings: AppSettings) -> list[OverdueStep]:
    clock = Clock.now(settings)
    return read_service.overdue_reads(db, clock, review_service.overdue(db, p, clock))


# -- records (登记结果) -------------------------------------------------------------------------------


@router.get("/records", summary="The caller's party's registrations (the authority: all)")
def list_records(db: DbSession, p: CurrentPrincipal, paging: Paging) -> Page[RecordRead]:
    items, total = read_service.list_records(db, p, paging)
    return Page(
        items=read_service.record_reads(db, items), total=total, limit=paging.limit, offset=paging.offset
    )


@router.get("/records/{record_id}", summary="A registration record (登记结果) and its validity")
def get_record(db: DbSession, p: CurrentPrincipal, record_id: uuid.UUID) -> RecordRead:
    return read_service.record_reads(db, [review_service.get_record(db, p, record_id)])[0]
