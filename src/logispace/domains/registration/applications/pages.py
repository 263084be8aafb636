"""Registration pages, applicant side (登记申请页面): my applications, the new-application form, each
application's file with its steps and due dates, attachments, submission and resubmission.

Every form goes through the same services as ``/api/v1/registration``; a refused step is rolled
back and the page shown again with the reason (the 409 names the state and the allowed actions).
Another party's application is 404 exactly like a missing one.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import DomainError, InvalidInput, NotFound
from logispace.core.pagination import PageParams
from logispace.domains.catalog import catalog_resources, resource_distributions
from logispace.domains.identity import PageUser, SessionPrincipal, party_ids_by_uscc
from logispace.domains.registration.applications import read as read_service
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.applications.joint import CONFIRMABLE_STATES
from logispace.domains.registration.certificates.schemas import RenewalRequestCreate
from logispace.domains.registration.enums import (
    ApplicationState,
    ApplicationType,
    CancellationGround,
    ObjectionDecision,
    RefusalGround,
)
from logispace.domains.registration.forms import BlankIsNone, RenewalText, Text, messages_of, status_of
from logispace.domains.registration.renewals import service as renewal_service
from logispace.domains.registration.rules.materials import ATTACHMENT, required_materials
from logispace.domains.registration.schemas import ApplicationCreate, ApplicationUpdate
from logispace.domains.registration.workflow import Clock, attachment_materials
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

PAGE_SIZE = 50
MAX_CHOICES = 200
INFO_FIELDS = (
    "name",
    "data_structure",
    "data_scale",
    "generation_frequency",
    "holder_info",
    "authorizing_subject_info",
    "right_type",
    "right_term",
    "data_quality",
    "industry",
)
"""The basic information sheet (基本信息表, 004:5360) as single-line inputs; scenarios are a list."""
TYPE_HELP = {
    ApplicationType.INITIAL.value: (
        "首次登记：本单位持有的公共数据资源首次申请登记，申请前须对数据内容哈希进行存证。"
    ),
    ApplicationType.CHANGE.value: "变更登记：登记事项发生变化的，针对已取得的登记结果申请变更登记。",
    ApplicationType.CORRECTION.value: "更正登记：登记事项有错误的，申请更正登记。",
    ApplicationType.CANCELLATION.value: "注销登记：权利灭失等情形，申请注销已取得的登记结果。",
}
"""What each application type is for, shown under the type choice (the form shows only its fields)."""
_SEPARATORS = re.compile(r"[,，、;；\n]+")


# -- my applications (我的登记申请) -------------------------------------------------------------


@router.get("/registration")
def applications_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    state: Annotated[ApplicationState | None, BlankIsNone, Query()] = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
    done: Annotated[Literal["renewal"] | None, BlankIsNone, Query()] = None,
) -> HTMLResponse:
    return applications_view(request, db, settings, user, state=state, offset=offset, done=done)


def applications_view(
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
    """My applications and registrations, with the renewal request form of a record in its window."""
    p = user.principal
    params = PageParams(limit=PAGE_SIZE, offset=offset)
    items, total = read_service.list_applications(db, p, params, state=state)
    records, _ = read_service.list_records(db, p, PageParams(limit=PAGE_SIZE))
    return render(
        request,
        "registration/applications.html",
        {
            "items": read_service.summaries(db, Clock.now(settings), items),
            "total": total,
            "params": params,
            "state": state.value if state else "",
            "states": list(ApplicationState),
            "records": read_service.record_reads(db, records),
            "renewals": renewal_service.holder_view(db, p, Clock.now(settings), records),
            "can_apply": p.party_id is not None and not p.is_authority,
            "done": done,
            "errors": errors or [],
        },
        status_code=status_code,
    )


# -- a new application (新建登记申请) ---------------------------------------------------------------


@dataclass(frozen=True)
class ResourceChoice:
    """One of the party's catalogue resources with the ledger receipts (存证) of its uploads."""

    code: str
    name: str
    receipts: list[tuple[int, int]]  # (version, ledger index), newest first


def resource_choices(session: Session, user: SessionPrincipal) -> list[ResourceChoice]:
    p = user.principal
    if p.party_id is None:
        return []
    found, _ = catalog_resources(session, p, PageParams(limit=MAX_CHOICES), holder=p.party_id)
    out = []
    for resource in found:
        _, dists = resource_distributions(session, p, resource.catalog_code)
        receipts = [(d.version, d.ledger_index) for d in dists if d.ledger_index is not None]
        out.append(ResourceChoice(resource.catalog_code, resource.name, receipts))
    return out


def _new_page(
    request: Request,
    db: Session,
    user: SessionPrincipal,
    form: dict[str, str],
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    records, _ = read_service.list_records(db, user.principal, PageParams(limit=MAX_CHOICES))
    return render(
        request,
        "registration/new.html",
        {
            "form": form,
            "types": list(ApplicationType),
            "resources": resource_choices(db, user),
            "records": read_service.record_reads(db, records),
            "cancellation_grounds": list(CancellationGround),
            "info_fields": INFO_FIELDS,
            "TYPE_HELP": TYPE_HELP,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/registration/new")
def new_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    application_type: Annotated[ApplicationType | None, BlankIsNone, Query(alias="type")] = None,
) -> HTMLResponse:
    form = {"application_type": (application_type or ApplicationType.INITIAL).value}
    return _new_page(request, db, user, form)


def _info_of(form: dict[str, str]) -> dict[str, Any]:
    info: dict[str, Any] = {name: form.get(name, "").strip() or None for name in INFO_FIELDS}
    scenarios = form.get("application_scenarios", "")
    info["application_scenarios"] = [s.strip() for s in _SEPARATORS.split(scenarios) if s.strip()]
    return info


def create_of(form: dict[str, str]) -> ApplicationCreate:
    """The application the form describes; blank fields are left out."""
    body: dict[str, Any] = {
        "application_type": form.get("application_type", ""),
        "subject_kind": "resource",
        "internal_business_review_done": form.get("internal_business_review_done") == "on",
        "interested_parties_consensus": form.get("interested_parties_consensus") == "on",
        "info": _info_of(form),
        "content_summary": form.get("content_summary", "").strip(),
    }
    for name in ("catalog_code", "registration_id", "evidence_ledger_index", "operating_term_end"):
        if form.get(name, "").strip():
            body[name] = form[name].strip()
    if form.get("cancellation_ground", "").strip():
        body["cancellation_ground"] = form["cancellation_ground"]
    if body["application_type"] != ApplicationType.INITIAL.value:
        body.pop("catalog_code", None)
    if form.get("co_subjects", "").strip():
        body["co_subject_party_ids"] = [
            t.strip() for t in _SEPARATORS.split(form["co_subjects"]) if t.strip()
        ]
    if form.get("joint_mode", "").strip():
        body["joint_mode"] = form["joint_mode"].strip()
    return ApplicationCreate.model_validate(body, strict=False)  # a form's values are text


def _co_subject_ids(db: Session, form: dict[str, str]) -> dict[str, str]:
    """The form with co-subjects given by unified social credit code turned into party ids."""
    tokens = [t.strip().upper() for t in _SEPARATORS.split(form.get("co_subjects", "")) if t.strip()]
    known = party_ids_by_uscc(db, [t for t in tokens if len(t) == 18])
    if not known:
        return form
    return {**form, "co_subjects": ",".join(str(known.get(t, t)) for t in tokens)}


class InfoSheet:
    """The fields the new-application form and the update form share: the evidence receipt, the two
    declarations, the content summary and the basic information sheet (:data:`INFO_FIELDS`), as posted
    (a form dependency: each is a form field of the page that takes it)."""

    def __init__(
        self,
        evidence_ledger_index: Text = None,
        internal_business_review_done: Text = None,
        interested_parties_consensus: Text = None,
        content_summary: Text = None,
        name: Text = None,
        data_structure: Text = None,
        data_scale: Text = None,
        generation_frequency: Text = None,
        holder_info: Text = None,
        authorizing_subject_info: Text = None,
        right_type: Text = None,
        right_term: Text = None,
        data_quality: Text = None,
        industry: Text = None,
        application_scenarios: Text = None,
    ) -> None:
        self.fields = {k: str(v) for k, v in dict(locals()).items() if isinstance(v, str)}


Sheet = Annotated[InfoSheet, Depends()]


@router.post("/registration/new")
def create_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    sheet: Sheet,
    application_type: Text = None,
    catalog_code: Text = None,
    registration_id: Text = None,
    operating_term_end: Text = None,
    cancellation_ground: Text = None,
    co_subjects: Text = None,
    joint_mode: Text = None,
) -> Response:
    own = {k: str(v) for k, v in dict(locals()).items() if isinstance(v, str)}
    form = {**sheet.fields, **own}
    try:
        body = create_of(_co_subject_ids(db, form))
        application = application_service.create_application(db, user.principal, settings, body)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        return _new_page(
            request, db, user, form, errors=messages_of(exc, language_of(request)), status_code=status_of(exc)
        )
    return RedirectResponse(f"/registration/applications/{application.id}?done=created", status_code=303)


# -- an application's file (登记申请详情) -----------------------------------------------------------

Done = Literal[
    "created",
    "saved",
    "attached",
    "submitted",
    "resubmitted",
    "accept",
    "supplement",
    "refuse",
    "pass",
    "fail",
    "issue",
    "cancel",
    "objection",
    "overrun",
    "confirmed",
]


def application_page(
    request: Request,
    db: Session,
    settings: Settings,
    user: SessionPrincipal,
    application_id: uuid.UUID,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    conflict: dict[str, Any] | None = None,
    confirm_submit: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    """The file as its applicant or the authority sees it, with the forms of the allowed actions;
    ``confirm_submit`` asks the applicant to confirm submitting with materials still missing."""
    p = user.principal
    clock = Clock.now(settings)
    application = read_service.get_application(db, p, application_id)  # 404 for another party
    read = read_service.application_read(db, p, clock, application)
    record = None
    if read.registration_id is not None:
        try:
            record = read_service.record_reads(db, [read_service.get_record(db, p, read.registration_id)])[0]
        except NotFound:
            record = None
    notices = [s for s in read.steps if s.notice]
    mine = [c for c in read.co_subjects if c.party.id == p.party_id]
    return render(
        request,
        "registration/application.html",
        {
            "a": read,
            "record": record,
            "record_code": record.certificate_code if record is not None else None,
            "notice": notices[-1] if notices else None,
            "materials": attachment_materials(application),
            "material_titles": {
                name: r.title
                for r in required_materials(
                    application.application_type, application.subject_kind, application.rule_profile
                )
                if r.kind == ATTACHMENT
                for name in r.names
            },
            "is_authority": p.is_authority,
            "is_applicant": p.party_id == application.applicant_party_id,
            "can_confirm": bool(mine)
            and mine[0].confirmed_at is None
            and read.joint_mode == "joint"
            and read.state in CONFIRMABLE_STATES,
            "editable": read.state in (ApplicationState.DRAFT, ApplicationState.PENDING_SUPPLEMENT)
            and p.party_id == application.applicant_party_id,
            "can_open": application_service.may_open_materials(p, application),
            "confirm_submit": confirm_submit,
            "info_fields": INFO_FIELDS,
            "refusal_grounds": list(RefusalGround),
            "objection_outcomes": list(ObjectionDecision),
            "today": clock.on,
            "done": done,
            "errors": errors or [],
            "conflict": conflict,
        },
        status_code=status_code,
    )


@router.get("/registration/applications/{application_id}")
def application_view(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    done: Annotated[Done | None, BlankIsNone, Query()] = None,
) -> HTMLResponse:
    return application_page(request, db, settings, user, application_id, done=done)


def refused(
    request: Request,
    db: Session,
    settings: Settings,
    user: SessionPrincipal,
    application_id: uuid.UUID,
    exc: ValidationError | DomainError,
) -> HTMLResponse:
    """Roll the refused step back and show the file again with the reason (404 stays an error page)."""
    db.rollback()
    if isinstance(exc, NotFound):
        raise exc
    conflict = None
    if isinstance(exc, DomainError) and "state" in exc.extensions and "allowed_actions" in exc.extensions:
        conflict = {"state": exc.extensions["state"], "allowed": exc.extensions["allowed_actions"]}
    return application_page(
        request,
        db,
        settings,
        user,
        application_id,
        errors=messages_of(exc, language_of(request)),
        conflict=conflict,
        status_code=status_of(exc),
    )


def done_redirect(application_id: uuid.UUID, done: str) -> RedirectResponse:
    return RedirectResponse(f"/registration/applications/{application_id}?done={done}", status_code=303)


@router.post("/registration/applications/{application_id}/update")
def update_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    sheet: Sheet,
) -> Response:
    """Complete a draft or supplement the file (补正): filled fields replace the stored ones."""
    form = sheet.fields
    try:
        info = {k: v for k, v in _info_of(form).items() if v not in (None, [])}
        body: dict[str, Any] = {
            "internal_business_review_done": form.get("internal_business_review_done") == "on",
            "interested_parties_consensus": form.get("interested_parties_consensus") == "on",
            "info": info,
        }
        if form.get("evidence_ledger_index", "").strip():
            body["evidence_ledger_index"] = form["evidence_ledger_index"].strip()
        if form.get("content_summary", "").strip():
            body["content_summary"] = form["content_summary"].strip()
        application_service.update_application(
            db, user.principal, application_id, ApplicationUpdate.model_validate(body, strict=False)
        )
    except (ValidationError, DomainError) as exc:
        return refused(request, db, settings, user, application_id, exc)
    return done_redirect(application_id, "saved")


@router.post("/registration/applications/{application_id}/attachments")
def attach_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    material: Annotated[str | None, Form(max_length=64)] = None,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        if file is None or not file.filename:
            raise InvalidInput("file: choose the material's file (选择材料文件)")
        if not material:
            raise InvalidInput("material: choose which material the file is (选择材料名称)")
        application_service.add_attachment(
            db,
            user.principal,
            settings,
            application_id,
            file.file,
            material=material,
            media_type=file.content_type or "application/octet-stream",
            filename=file.filename[:255],
        )
    except DomainError as exc:
        return refused(request, db, settings, user, application_id, exc)
    return done_redirect(application_id, "attached")


@router.post("/registration/applications/{application_id}/submit")
def submit_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    incomplete_confirmed: Annotated[str | None, Form(max_length=10)] = None,
) -> Response:
    """Submit (提交申请). With materials still missing the page first asks for a confirmation that
    names them (after submitting the file changes only once the centre sends its supplement notice)."""
    try:
        clock = Clock.now(settings)
        if incomplete_confirmed != "yes":
            application = read_service.get_application(db, user.principal, application_id)
            if read_service.application_read(db, user.principal, clock, application).missing_items:
                return application_page(request, db, settings, user, application_id, confirm_submit=True)
        application_service.submit(db, user.principal, clock, application_id)
    except DomainError as exc:
        return refused(request, db, settings, user, application_id, exc)
    return done_redirect(application_id, "submitted")


@router.post("/registration/applications/{application_id}/resubmit")
def resubmit_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    note: Text = None,
) -> Response:
    try:
        clock = Clock.now(settings)
        application_service.resubmit(db, user.principal, clock, application_id, (note or "").strip() or None)
    except DomainError as exc:
        return refused(request, db, settings, user, application_id, exc)
    return done_redirect(application_id, "resubmitted")


# -- the holder's renewal request (续展申请) -------------------------------------------------------


@router.post("/registration/records/{record_id}/renewal")
def file_renewal_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    record_id: uuid.UUID,
    still_needed: RenewalText = None,
    requested_valid_to: Annotated[str | None, Form(max_length=20)] = None,
    note: RenewalText = None,
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
        errors = (
            messages_of(exc, language_of(request))
            if isinstance(exc, ValidationError | DomainError)
            else ["日期格式不正确：请按年-月-日填写。" if language_of(request) == "zh" else str(exc)]
        )
        status = status_of(exc) if isinstance(exc, ValidationError | DomainError) else 422
        return applications_view(request, db, settings, user, errors=errors, status_code=status)
    return RedirectResponse("/registration?done=renewal", status_code=303)
