"""Registration applications, subject side (登记申请): file, complete, attach, submit, resubmit.

Services flush but never commit. An application belongs to its applicant's party: another party
gets 404 exactly as for a missing one; the authority sees all. Evidence (存证): the application cites
a ledger entry whose payload commits to the subject's content hash (004:773; 004:5323).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput, NotFound, PermissionDenied
from logispace.domains.catalog import resource_distributions
from logispace.domains.identity import PartyType, Principal
from logispace.domains.ledger import append as ledger_append
from logispace.domains.ledger import receipt_for
from logispace.domains.registration import repository
from logispace.domains.registration.applications.joint import name_co_subjects
from logispace.domains.registration.enums import (
    ActorRole,
    ApplicationAction,
    ApplicationState,
    ApplicationType,
    RefusalGround,
    SubjectKind,
)
from logispace.domains.registration.errors import (
    ActionNotAllowed,
    DuplicateRegistration,
    EvidenceNotCommitted,
    InitialRegistrationRequired,
    NothingToRegister,
    RegistrationInputInvalid,
)
from logispace.domains.registration.models import (
    RegistrationApplication,
    RegistrationAttachment,
    RegistrationRecord,
)
from logispace.domains.registration.rules import applications as policy
from logispace.domains.registration.schemas import ApplicationCreate, ApplicationUpdate, BasicInfo
from logispace.domains.registration.workflow import (
    Clock,
    attachment_materials,
    discard_on_rollback,
    require_editor,
    require_issued_account,
    role_of,
    subject_ref,
    take_step,
    visible,
)
from logispace.storage import LocalObjectStore
from logispace.storage.objects import Readable

EDITABLE_STATES = (ApplicationState.DRAFT, ApplicationState.PENDING_SUPPLEMENT)


# -- evidence (存证) ----------------------------------------------------------------------------------


def _commits_to(value: Any, hashes: set[str]) -> bool:
    """Whether a ledger payload carries one of ``hashes`` under a ``sha256`` / ``*_sha256`` key."""
    if isinstance(value, dict):
        for key, item in value.items():
            named = key == "sha256" or key.endswith("_sha256")
            if (named and isinstance(item, str) and item.lower() in hashes) or _commits_to(item, hashes):
                return True
    if isinstance(value, list):
        return any(_commits_to(item, hashes) for item in value)
    return False


def check_evidence(session: Session, index: int | None, hashes: set[str]) -> None:
    """Refuse (409) unless ledger entry ``index`` exists and its payload commits to one of ``hashes``.

    A notarized document (``document.notarized``: ``statement.sha256``) or an uploaded distribution
    (``catalog.distribution``: ``object_sha256`` / ``source_sha256``) are the usual receipts.
    """
    if index is None:
        raise EvidenceNotCommitted(
            "cite the ledger receipt (存证) of the content hash before applying (004:773; 004:5323): "
            f"evidence_ledger_index is missing; content hash: {', '.join(sorted(hashes))}"
        )
    try:
        receipt = receipt_for(session, index)
    except NotFound:
        raise EvidenceNotCommitted(
            f"ledger entry {index} does not exist", evidence_ledger_index=index
        ) from None
    entry = json.loads(receipt.leaf_input)
    if not _commits_to(entry.get("payload"), hashes):
        raise EvidenceNotCommitted(
            f"ledger entry {index} ({entry.get('kind')}) does not commit to the content hash "
            f"{', '.join(sorted(hashes))}",
            evidence_ledger_index=index,
        )


# -- filing -------------------------------------------------------------------------------------------


def _info_from_resource(info: BasicInfo, resource: Any, holder_name: str | None = None) -> dict[str, Any]:
    """The basic information sheet, completed from the catalogue where the applicant left a field out."""
    given = info.model_dump(exclude_none=True)
    known = {
        "name": resource.name,
        "data_scale": resource.data_scale,
        "generation_frequency": resource.update_frequency.value,
        "right_type": resource.right_type.value,
        "right_term": " ~ ".join(str(d) for d in (resource.right_term_start, resource.right_term_end) if d)
        or None,
        "data_quality": resource.data_quality,
        "industry": resource.industry,
        "application_scenarios": list(resource.application_scenarios),
        "data_structure": ", ".join(f["name"] for f in resource.fields) or None,
    }
    merged = {k: v for k, v in known.items() if v not in (None, "", [])}
    merged.update({k: v for k, v in given.items() if v not in (None, "", [])})
    return merged


def _resource_content(session: Session, p: Principal, code: str) -> tuple[Any, str, set[str]]:
    """The catalogue resource, its content hash (newest distribution's Parquet SHA-256) and every hash
    a receipt may commit to (the Parquet object or the bytes as uploaded)."""
    resource, dists = resource_distributions(session, p, code)
    if not dists:
        raise NothingToRegister(
            f"data resource {code} has no data uploaded, so no content hash to register; upload it first"
        )
    newest = dists[0]
    return resource, newest.object_sha256, {newest.object_sha256, newest.source_sha256}


def content_hashes(session: Session, p: Principal, application: RegistrationApplication) -> set[str]:
    """Every hash a receipt of this application's content may commit to: for a resource, the Parquet
    object and the bytes as uploaded of the distribution it registers."""
    hashes = {application.content_sha256}
    if application.catalog_code is None:
        return hashes
    try:
        _, dists = resource_distributions(session, p, application.catalog_code)
    except NotFound:
        return hashes
    for dist in dists:
        if dist.object_sha256 == application.content_sha256:
            hashes.add(dist.source_sha256)
    return hashes


def _invalid(field: str, message: str) -> RegistrationInputInvalid:
    return RegistrationInputInvalid([(field, message)])


def create_application(
    session: Session,
    p: Principal,
    settings: Settings,
    data: ApplicationCreate,
    *,
    created_at: datetime | None = None,
) -> RegistrationApplication:
    """Save a new application as a draft (草稿); it is checked again when submitted. ``created_at``
    back-dates the draft for loaders that replay past files (the demo), so that it is never created
    after its own submission; requests never pass it."""
    require_editor(p)
    if p.party_id is None:
        raise PermissionDenied("a registration application needs an applicant party")
    kind, profile = data.application_type, settings.rule_profile
    role = ActorRole.INTERESTED_PARTY if data.as_interested_party else ActorRole.SUBJECT
    policy.find_rule(
        ApplicationState.DRAFT, ApplicationAction.SUBMIT, role, profile, kind
    )  # 403: who files what
    require_issued_account(session, p.party_id, profile, role)  # 409 [NM]: 004:5444
    values: dict[str, Any] = {
        "application_type": kind,
        "rule_profile": profile,
        "state": ApplicationState.DRAFT,
        "applicant_party_id": p.party_id,
        "applicant_role": role,
        "evidence_ledger_index": data.evidence_ledger_index,
        "internal_business_review_done": data.internal_business_review_done,
        "interested_parties_consensus": data.interested_parties_consensus,
        "content_summary": data.content_summary,
        "operating_term_end": data.operating_term_end,
        "cancellation_ground": data.cancellation_ground,
    }
    hashes: set[str]
    if kind is ApplicationType.INITIAL:
        if data.registration_id is not None:
            raise _invalid("registration_id", "an initial registration names no earlier registration")
        values.update(_initial_subject(session, p, data))
        hashes = values.pop("hashes")
    else:
        values.update(_later_subject(session, p, data, role))
        hashes = values.pop("hashes")
    application = RegistrationApplication(**values)
    if created_at is not None:
        application.created_at = application.updated_at = created_at
    if data.evidence_ledger_index is not None:
        check_evidence(session, data.evidence_ledger_index, hashes)
    session.add(application)
    session.flush()
    if data.co_subject_party_ids or data.joint_mode is not None:
        name_co_subjects(session, application, data.co_subject_party_ids, data.joint_mode)
    return application


def _initial_subject(session: Session, p: Principal, data: ApplicationCreate) -> dict[str, Any]:
    if data.subject_kind is SubjectKind.RESOURCE:
        if data.catalog_code is None:
            raise _invalid("catalog_code", "name the catalogue resource to register")
        if data.product_name is not None or data.content_sha256 is not None:
            raise _invalid("content_sha256", "a resource's content hash comes from its catalogue data")
        resource, content, hashes = _resource_content(session, p, data.catalog_code)
        if resource.holder_party_id != p.party_id:
            raise PermissionDenied("only the holder party registers its data resource (登记主体, 004:751)")
        info = _info_from_resource(data.info, resource)
        return {
            "subject_kind": SubjectKind.RESOURCE,
            "holder_party_id": p.party_id,
            "catalog_resource_id": resource.id,
            "catalog_code": resource.catalog_code,
            "data_name": info.get("name", resource.name),
            "content_sha256": content,
            "info": info,
            "hashes": hashes,
        }
    if data.product_name is None or data.content_sha256 is None:
        problems = [(f, "required for a data product") for f in ("product_name", "content_sha256")]
        raise RegistrationInputInvalid([(f, m) for f, m in problems if getattr(data, f) is None])
    info = {"name": data.product_name, **data.info.model_dump(exclude_none=True)}
    return {
        "subject_kind": SubjectKind.PRODUCT,
        "holder_party_id": p.party_id,
        "product_name": data.product_name,
        "data_name": info["name"],
        "content_sha256": data.content_sha256,
        "info": {k: v for k, v in info.items() if v not in (None, "", [])},
        "hashes": {data.content_sha256},
    }


def _later_subject(
    session: Session, p: Principal, data: ApplicationCreate, role: ActorRole
) -> dict[str, Any]:
    """Change, correction, cancellation: the registration acted on, and the content it now has."""
    if data.registration_id is None:
        raise InitialRegistrationRequired(
            ApplicationAction.SUBMIT,
            ApplicationState.DRAFT,
            [],
            f"a {data.application_type} application names the registration it acts on (registration_id)",
        )
    record = session.get(RegistrationRecord, data.registration_id)
    # an interested party corrects any registration result (public, 004:802); a subject only its own
    if record is None or (role is ActorRole.SUBJECT and record.holder_party_id != p.party_id):
        raise NotFound(f"registration {data.registration_id} not found")
    if record.state not in repository.LIVE_RECORD_STATES:
        raise NothingToRegister(f"registration {record.id} is {record.state}; it can no longer change")
    content, hashes = record.content_sha256, {record.content_sha256}
    if data.application_type is ApplicationType.CHANGE:
        if record.catalog_code is not None:
            _, content, hashes = _resource_content(session, p, record.catalog_code)
        elif data.content_sha256 is not None:
            content, hashes = data.content_sha256, {data.content_sha256}
    info = {**data.info.model_dump(exclude_none=True)}
    return {
        "subject_kind": record.subject_kind,
        "holder_party_id": record.holder_party_id,
        "catalog_resource_id": record.catalog_resource_id,
        "catalog_code": record.catalog_code,
        "product_name": record.product_name,
        "data_name": info.get("name") or record.data_name,
        "content_sha256": content,
        "initial_application_id": record.initial_application_id,
        "info": {k: v for k, v in info.items() if v not in (None, "", [])},
        "hashes": hashes,
    }


def _editable(session: Session, p: Principal, application_id: uuid.UUID) -> RegistrationApplication:
    application = visible(session, p, application_id, lock=True)
    if p.party_id != application.applicant_party_id and not p.is_system:
        raise PermissionDenied("only the applicant completes its application")
    require_editor(p)
    if application.state not in EDITABLE_STATES:
        raise ActionNotAllowed(
            "edit",
            application.state,
            policy.allowed_actions(
                application.state, None, application.rule_profile, application.application_type
            ),
            "the file changes only as a draft or while a supplement is requested",
        )
    return application


def update_application(
    session: Session, p: Principal, application_id: uuid.UUID, data: ApplicationUpdate
) -> RegistrationApplication:
    """Complete a draft, or supplement a file after the one-time notice (补正)."""
    application = _editable(session, p, application_id)
    changes = data.model_dump(exclude_unset=True)
    if "co_subject_party_ids" in changes or "joint_mode" in changes:
        changes.pop("co_subject_party_ids", None)
        named = [row.party_id for row in repository.co_subjects_of(session, application.id)]
        name_co_subjects(
            session,
            application,
            data.co_subject_party_ids if data.co_subject_party_ids is not None else named,
            changes.pop("joint_mode") if "joint_mode" in changes else application.joint_mode,
        )
    if changes.get("evidence_ledger_index") is not None:
        check_evidence(session, data.evidence_ledger_index, content_hashes(session, p, application))
    if "info" in changes:
        merged = {**application.info, **(data.info.model_dump(exclude_none=True) if data.info else {})}
        changes["info"] = {k: v for k, v in merged.items() if v not in (None, "", [])}
    for key, value in changes.items():
        if value is not None or key in ("operating_term_end", "cancellation_ground"):
            setattr(application, key, value)
    application.updated_at = utcnow()
    session.flush()
    return application


def add_attachment(
    session: Session,
    p: Principal,
    settings: Settings,
    application_id: uuid.UUID,
    stream: Readable,
    *,
    material: str,
    media_type: str,
    filename: str | None,
) -> RegistrationAttachment:
    """Store a material (登记材料) in the object store and its SHA-256 in the ledger."""
    application = _editable(session, p, application_id)
    allowed = attachment_materials(application)
    if material not in allowed:
        raise InvalidInput(
            f"material {material!r} is not one of this application's materials: {', '.join(allowed)}",
            errors=[{"loc": ["query", "material"], "msg": f"one of: {', '.join(allowed)}", "type": "enum"}],
        )
    store = LocalObjectStore.from_settings(settings)
    stored = store.put_stream(stream, max_bytes=settings.max_body_bytes)
    if stored.created:
        discard_on_rollback(session, store, stored.sha256)
    if stored.size == 0:
        raise InvalidInput("the file is empty", errors=[{"loc": ["body"], "msg": "the file is empty"}])
    receipt = ledger_append(
        session,
        kind="registration.attachment_added",
        subject=subject_ref(application.id),
        payload={
            "application_id": str(application.id),
            "material": material,
            "sha256": stored.sha256,
            "size": stored.size,
            "media_type": media_type,
        },
        actor=p.party_id,
        settings=settings,
    )
    attachment = RegistrationAttachment(
        application_id=application.id,
        material=material,
        filename=filename,
        media_type=media_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_at=utcnow(),
        uploaded_by_party_id=p.party_id if p.party_id is not None else application.applicant_party_id,
        ledger_index=receipt.entry_id,
    )
    session.add(attachment)
    session.flush()
    return attachment


def may_open_materials(p: Principal, application: RegistrationApplication) -> bool:
    """Who opens the submitted materials (登记材料): the applicant and the registration centre's staff
    (登记机构, who review them); nobody else, the data authority's supervisors included."""
    return (
        p.is_system
        or (p.party_id is not None and p.party_id == application.applicant_party_id)
        or (p.is_authority and p.party_type is PartyType.REGISTRATION_AUTHORITY)
    )


def open_attachment(
    session: Session,
    p: Principal,
    settings: Settings,
    application_id: uuid.UUID,
    attachment_id: uuid.UUID,
) -> tuple[RegistrationAttachment, Path]:
    """A material's stored file for reading (查阅登记材料); each opening is a ledger entry. Anyone the
    access rule leaves out gets 404, exactly like a missing material."""
    application = session.get(RegistrationApplication, application_id)
    attachment = session.get(RegistrationAttachment, attachment_id)
    if (
        application is None
        or attachment is None
        or attachment.application_id != application.id
        or not may_open_materials(p, application)
    ):
        raise NotFound(f"material {attachment_id} of registration application {application_id} not found")
    path = LocalObjectStore.from_settings(settings).path_of(attachment.sha256)
    ledger_append(
        session,
        kind="registration.attachment_opened",
        subject=subject_ref(application.id),
        payload={
            "application_id": str(application.id),
            "attachment_id": str(attachment.id),
            "material": attachment.material,
            "sha256": attachment.sha256,
            "opened_by_user": str(p.user_id) if p.user_id else None,
        },
        actor=p.party_id,
        settings=settings,
    )
    return attachment, path


# -- submitting ---------------------------------------------------------------------------------------


def _check_before_filing(session: Session, p: Principal, application: RegistrationApplication) -> None:
    """A1 guards the rules leave to the service: evidence, duplicates, the live registration."""
    hashes = content_hashes(session, p, application)
    if application.application_type is ApplicationType.INITIAL:
        check_evidence(session, application.evidence_ledger_index, hashes)
        active = [
            policy.RegisteredItem(c, str(h))
            for c, h in repository.active_registrations(
                session, application.content_sha256, application.holder_party_id, excluding=application.id
            )
        ]
        grounds = policy.refusal_grounds(application.content_sha256, str(application.holder_party_id), active)
        if RefusalGround.DUPLICATE in grounds:
            raise DuplicateRegistration(
                f"content {application.content_sha256} is already registered (or being registered) by this "
                "holder: a second initial registration is a duplicate (重复登记, 004:5424)",
                content_sha256=application.content_sha256,
            )
        return
    if application.evidence_ledger_index is not None:
        check_evidence(session, application.evidence_ledger_index, hashes)
    record = (
        repository.record_of_initial(session, application.initial_application_id)
        if (application.initial_application_id)
        else None
    )
    if record is None or record.state not in repository.LIVE_RECORD_STATES:
        raise InitialRegistrationRequired(
            ApplicationAction.SUBMIT, application.state, [], "the initial registration is no longer valid"
        )
    if (
        application.application_type is ApplicationType.CHANGE
        and record.content_sha256 != application.content_sha256
    ):
        check_evidence(session, application.evidence_ledger_index, {application.content_sha256})
    if (
        application.application_type is ApplicationType.CANCELLATION
        and application.cancellation_ground is None
    ):
        raise RegistrationInputInvalid(
            [("cancellation_ground", "name the ground for cancelling (004:787-792)")]
        )


def _rule_first(p: Principal, application: RegistrationApplication, action: ApplicationAction) -> None:
    """An action out of order is 409 (or 403 for the wrong role) before any other check."""
    policy.find_rule(
        application.state,
        action,
        role_of(p, application),
        application.rule_profile,
        application.application_type,
    )


def submit(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID
) -> RegistrationApplication:
    """Submit the draft (提交申请): the authority's 3-working-day acceptance clock starts."""
    application = visible(session, p, application_id, lock=True)
    require_editor(p)
    _rule_first(p, application, ApplicationAction.SUBMIT)
    require_issued_account(
        session, application.applicant_party_id, application.rule_profile, application.applicant_role
    )
    _check_before_filing(session, p, application)
    take_step(session, p, clock, application, ApplicationAction.SUBMIT)
    application.received_on = clock.on
    session.flush()
    return application


def resubmit(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, note: str | None = None
) -> RegistrationApplication:
    """Resubmit after the one-time notice (补正后重新提交): acceptance counts from today (004:794)."""
    application = visible(session, p, application_id, lock=True)
    require_editor(p)
    _rule_first(p, application, ApplicationAction.RESUBMIT)
    require_issued_account(
        session, application.applicant_party_id, application.rule_profile, application.applicant_role
    )
    _check_before_filing(session, p, application)
    take_step(session, p, clock, application, ApplicationAction.RESUBMIT, note=note)
    application.received_on = clock.on
    session.flush()
    return application
