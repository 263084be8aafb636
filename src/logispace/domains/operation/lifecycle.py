"""The agreement's lifecycle and exit (协议履行与退出), state machines E and F (policy-spec §2.5-2.6; I-10).

The data authority files a signed agreement and it is in force (E1, 004:935). A violation suspends it
and with it the operator's data application and processing rights (004:5681); corrected, it resumes;
terminated (at the operator's request 004:5601, uncorrected 004:5681, or on a failed evaluation
004:5704), the operator's grants on the agreement's resources are revoked, the data kept on the platform
for it is deleted (004:5708) and the registrations of its products are flagged for review (I-10). Each
of those is its own ledger entry, in the same transaction as the step. The annual evaluation (004:5696)
passes, fails or orders rectification within 30 days (004:5706); a second rectification counts as a fail.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.access import GrantState, grant_read, request_service
from logispace.domains.catalog import resource_distributions
from logispace.domains.identity import SYSTEM, Principal
from logispace.domains.operation.actors import acts_for, is_authority, keep, record, require
from logispace.domains.operation.enums import AgreementState, DutySubject, EvaluationResult
from logispace.domains.operation.errors import OperationStateConflict, RuleRefused
from logispace.domains.operation.models import (
    Agreement,
    Evaluation,
    OperationLog,
    PlatformCopy,
    RegistrationDuty,
)
from logispace.domains.operation.policies import AGREEMENT_STEPS, evaluation_outcome
from logispace.domains.operation.schemas import CopyCreate, EvaluationCreate, FilingCreate
from logispace.domains.operation.service import agreement_subject, visible_agreement
from logispace.storage import LocalObjectStore

_UNLINK = "operation.unlink_after_commit"


def _unlink_after_commit(session: Session, paths: list[str]) -> None:
    """Delete the files when the transaction commits; forget them when it rolls back."""
    if _UNLINK not in session.info:
        session.info[_UNLINK] = []

        def on_commit(s: Session) -> None:
            for path in s.info.get(_UNLINK, []):
                Path(path).unlink(missing_ok=True)
            s.info[_UNLINK] = []

        def on_rollback(s: Session) -> None:
            s.info[_UNLINK] = []

        event.listen(session, "after_commit", on_commit)
        event.listen(session, "after_soft_rollback", lambda s, _tx: on_rollback(s))
    session.info[_UNLINK].extend(paths)


def _check_step(agreement: Agreement, step: str) -> tuple[AgreementState, str]:
    allowed, target, source = AGREEMENT_STEPS[step]
    if agreement.state not in allowed:
        raise OperationStateConflict(
            f"an agreement in state {agreement.state.value} cannot take the step {step}",
            state=agreement.state.value,
            allowed=sorted(s.value for s in allowed),
            source=source,
        )
    return target, source


def file_agreement(
    session: Session,
    p: Principal,
    agreement_id: uuid.UUID,
    data: FilingCreate,
    settings: Settings | None = None,
) -> Agreement:
    """The data authority files the signed agreement; it is in force from then on (E1, 004:935)."""
    agreement = visible_agreement(session, p, agreement_id)
    require(is_authority(p), "the data authority files authorization agreements (004:935)")
    target, source = _check_step(agreement, "file")
    agreement.state, agreement.filed_on, agreement.updated_at = target, data.filed_on, utcnow()
    payload = {"agreement_id": str(agreement.id), "filed_on": data.filed_on.isoformat(), "source": source}
    agreement.ledger_index = record(
        session, settings, p, "agreement_filed", agreement_subject(agreement.id), payload, target.value
    )
    session.flush()
    return agreement


def step_agreement(
    session: Session,
    p: Principal,
    agreement_id: uuid.UUID,
    step: str,
    reason: str,
    settings: Settings | None = None,
) -> Agreement:
    """Suspend, resume or terminate: the authority or the implementing body; the operator may ask to
    terminate early (004:5601)."""
    agreement = visible_agreement(session, p, agreement_id)
    overseer = is_authority(p) or acts_for(p, agreement.implementing_party_id)
    operator_ends = step == "terminate" and acts_for(p, agreement.operator_party_id)
    require(
        overseer or operator_ends, "the authority or the implementing body suspends, resumes or terminates"
    )
    target, source = _check_step(agreement, step)
    return _move(session, p, agreement, target, source, reason, settings)


def _move(
    session: Session,
    p: Principal,
    agreement: Agreement,
    target: AgreementState,
    source: str,
    reason: str,
    settings: Settings | None,
) -> Agreement:
    agreement.state, agreement.state_reason, agreement.updated_at = target, reason, utcnow()
    payload = {"agreement_id": str(agreement.id), "state": target.value, "source": source}
    agreement.ledger_index = record(
        session,
        settings,
        p,
        f"agreement_{target.value}",
        agreement_subject(agreement.id),
        payload,
        target.value,
    )
    if target is AgreementState.TERMINATED:
        exit_effects(session, p, agreement, reason, settings)
    session.flush()
    return agreement


def exit_effects(
    session: Session, p: Principal, agreement: Agreement, reason: str, settings: Settings | None
) -> dict[str, int]:
    """On exit (004:5708; I-10): revoke the operator's grants on the agreement's resources, delete the
    platform copies, flag the product registrations for review; each a ledger entry."""
    subject = agreement_subject(agreement.id)
    scope = set(agreement.scope)
    revoked = 0
    offset = 0
    while True:
        page = request_service.list_grants(session, SYSTEM, limit=500, offset=offset)
        for grant in page:
            if grant.assignee_party_id != agreement.operator_party_id:
                continue
            read = grant_read(session, grant)
            if read.state not in (GrantState.ACTIVE, GrantState.SUSPENDED):
                continue
            if not scope.intersection(r.catalog_code for r in read.resources):
                continue
            request_service.step_grant(
                session, SYSTEM, grant.id, "revoke", f"授权运营协议终止：{reason}", settings
            )
            payload = {"agreement_id": str(agreement.id), "grant_id": str(grant.id), "source": "004:5708"}
            record(session, settings, p, "grant_revoked", subject, payload, "revoked")
            revoked += 1
        if len(page) < 500:
            break
        offset += 500
    copies = list(
        session.scalars(
            select(PlatformCopy).where(
                PlatformCopy.agreement_id == agreement.id, PlatformCopy.deleted_at.is_(None)
            )
        )
    )
    now = utcnow()
    for copy in copies:
        copy.deleted_at = now
        payload = {
            "agreement_id": str(agreement.id),
            "copy_id": str(copy.id),
            "sha256": copy.sha256,
            "source": "004:5708",
        }
        record(session, settings, p, "copy_deleted", subject, payload, "deleted")
    _unlink_after_commit(session, [c.path for c in copies])
    duties = list(
        session.scalars(
            select(RegistrationDuty).where(
                RegistrationDuty.agreement_id == agreement.id, RegistrationDuty.subject == DutySubject.PRODUCT
            )
        )
    )
    for duty in duties:
        duty.review_required = True
        duty.review_reason = f"授权运营协议已终止（{reason}），产品登记须复核"
        payload = {"agreement_id": str(agreement.id), "duty_id": str(duty.id), "source": "004:5708; 004:790"}
        record(session, settings, p, "registration_flagged", subject, payload, "review")
    session.flush()
    return {"grants_revoked": revoked, "copies_deleted": len(copies), "registrations_flagged": len(duties)}


EXIT_KINDS = ("grant_revoked", "copy_deleted", "registration_flagged")


def exit_record(session: Session, agreement: Agreement) -> dict[str, int]:
    """What the exit did (004:5708; I-10), from the operation log: grants revoked, platform copies deleted,
    product registrations flagged for review (each kind counted, 0 where none)."""
    rows = session.execute(
        select(OperationLog.action, func.count())
        .where(OperationLog.subject == agreement_subject(agreement.id), OperationLog.action.in_(EXIT_KINDS))
        .group_by(OperationLog.action)
    )
    counted = {str(kind): int(n) for kind, n in rows}
    return {kind: counted.get(kind, 0) for kind in EXIT_KINDS}


def provision_copy(
    session: Session, p: Principal, agreement_id: uuid.UUID, data: CopyCreate, settings: Settings
) -> PlatformCopy:
    """Put a copy of a resource in the agreement's scope on the platform for the operator (平台留存数据)."""
    agreement = visible_agreement(session, p, agreement_id)
    require(
        acts_for(p, agreement.implementing_party_id), "the implementing body provisions the platform's data"
    )
    if agreement.state is not AgreementState.ACTIVE:
        raise OperationStateConflict("the agreement is not in force", state=agreement.state.value)
    if data.catalog_code not in agreement.scope:
        raise RuleRefused(
            f"data resource {data.catalog_code} is outside the agreement",
            rule="OPS-R7",
            source="004:983",
            resources=[data.catalog_code],
        )
    _, dists = resource_distributions(session, SYSTEM, data.catalog_code)
    if not dists:
        raise OperationStateConflict(f"data resource {data.catalog_code} has no data yet", state="no-data")
    store = LocalObjectStore.from_settings(settings)
    target = (
        settings.var_dir / "operation" / str(agreement.id) / f"{data.catalog_code}-{uuid.uuid4().hex}.parquet"
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(store.path_of(dists[0].object_sha256), target)
    copy = PlatformCopy(
        agreement_id=agreement.id,
        catalog_code=data.catalog_code,
        path=str(target),
        sha256=dists[0].object_sha256,
        bytes=target.stat().st_size,
        created_at=utcnow(),
    )
    payload = {
        "agreement_id": str(agreement.id),
        "catalog_code": data.catalog_code,
        "sha256": copy.sha256,
        "source": "004:5631",
    }
    return keep(
        session, settings, p, copy, "copy_provisioned", agreement_subject(agreement.id), payload, "kept"
    )


def copies_of(session: Session, agreement_id: uuid.UUID) -> list[PlatformCopy]:
    return list(session.scalars(select(PlatformCopy).where(PlatformCopy.agreement_id == agreement_id)))


def evaluations_of(session: Session, agreement_id: uuid.UUID) -> list[Evaluation]:
    return list(
        session.scalars(
            select(Evaluation).where(Evaluation.agreement_id == agreement_id).order_by(Evaluation.created_at)
        )
    )


def evaluate(
    session: Session,
    p: Principal,
    agreement_id: uuid.UUID,
    data: EvaluationCreate,
    settings: Settings | None = None,
) -> tuple[Evaluation, dict[str, Any]]:
    """The annual evaluation by the authority (004:5696-5706); a fail terminates with the exit effects."""
    agreement = visible_agreement(session, p, agreement_id)
    require(is_authority(p), "the competent authority evaluates operators (004:5696)")
    if agreement.state not in (AgreementState.ACTIVE, AgreementState.SUSPENDED):
        raise OperationStateConflict("only an agreement in force is evaluated", state=agreement.state.value)
    outcome = evaluation_outcome(data.result, agreement.rectify_count, data.evaluated_on)
    evaluation = Evaluation(
        agreement_id=agreement.id,
        year=data.year,
        evaluator=data.evaluator,
        result=data.result,
        recorded_result=outcome.recorded,
        excellent=data.excellent and outcome.recorded is EvaluationResult.PASS,
        opinion=data.opinion,
        evaluated_on=data.evaluated_on,
        rectify_by=outcome.rectify_by,
        created_at=utcnow(),
    )
    payload = {
        "agreement_id": str(agreement.id),
        "year": data.year,
        "result": data.result.value,
        "recorded": outcome.recorded.value,
        "rectify_by": outcome.rectify_by.isoformat() if outcome.rectify_by else None,
        "source": "004:5696-5706",
    }
    evaluation.ledger_index = record(
        session, settings, p, "evaluated", agreement_subject(agreement.id), payload, outcome.recorded.value
    )
    session.add(evaluation)
    agreement.rectify_count = (
        agreement.rectify_count + 1 if outcome.recorded is EvaluationResult.RECTIFY else 0
    )
    effects: dict[str, Any] = {}
    if outcome.terminate:
        _move(
            session,
            p,
            agreement,
            AgreementState.TERMINATED,
            "004:5704; 004:5706",
            "年度考核评估未通过",
            settings,
        )
        effects = {"terminated": True}
    session.flush()
    return evaluation, effects
