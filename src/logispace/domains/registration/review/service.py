"""Registration review, authority side (登记审核): acceptance, supplement notice, formal review,
publicity, objections, issuance, cancellation, overdue steps and their explanations.

Each action goes through state machine A (:func:`.workflow.take_step`): out of order is 409 naming the
state and the allowed actions, the wrong role 403. Issuance creates the registration record (state
machine B) or amends it; cancellation ends it; each such change is a ledger entry of the same
transaction.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import NotFound, PermissionDenied
from logispace.domains.identity import Principal
from logispace.domains.ledger import append as ledger_append
from logispace.domains.registration import repository
from logispace.domains.registration.certificates import ending as ending_service
from logispace.domains.registration.certificates import service as certificate_service
from logispace.domains.registration.enums import (
    ActorRole,
    ApplicationAction,
    ApplicationState,
    ApplicationType,
    ObjectionDecision,
    ObjectionOutcome,
    RecordAction,
    RecordState,
    RefusalGround,
)
from logispace.domains.registration.errors import ActionNotAllowed, DuplicateRegistration
from logispace.domains.registration.models import (
    RegistrationApplication,
    RegistrationObjection,
    RegistrationOverrun,
    RegistrationRecord,
)
from logispace.domains.registration.rules import applications as policy
from logispace.domains.registration.rules import records as record_policy
from logispace.domains.registration.rules.actors import Step, require_step
from logispace.domains.registration.schemas import ObjectionCreate, Refusal
from logispace.domains.registration.workflow import (
    Clock,
    overdue_working_days,
    role_of,
    running_deadline,
    take_step,
    text_hash,
    visible,
)

A = ApplicationAction


def _authority(p: Principal) -> None:
    """The overdue list and its explanations are the registration authority's (STEP_ACTORS)."""
    require_step(p, Step.OVERRUN)


def request_supplement(
    session: Session,
    p: Principal,
    clock: Clock,
    application_id: uuid.UUID,
    noncompliant: list[str],
    note: str | None = None,
) -> RegistrationApplication:
    """One notice listing every missing or non-compliant item (一次性告知, 004:794; 004:5412)."""
    application = visible(session, p, application_id, lock=True)
    take_step(
        session, p, clock, application, A.REQUEST_SUPPLEMENT, note=note, noncompliant=tuple(noncompliant)
    )
    return application


def accept(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, note: str | None = None
) -> RegistrationApplication:
    """Accept a complete file (受理): formal review (20 WD) or cancellation (10 WD) starts."""
    application = visible(session, p, application_id, lock=True)
    take_step(session, p, clock, application, A.ACCEPT, note=note)
    application.accepted_on = clock.on
    session.flush()
    return application


def refuse(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, data: Refusal
) -> RegistrationApplication:
    """Refuse (不予受理 / 不予办理) with grounds and the reasons told to the subject."""
    application = visible(session, p, application_id, lock=True)
    if RefusalGround.DUPLICATE in data.grounds and not _duplicates(session, application):
        raise ActionNotAllowed(
            A.REFUSE,
            application.state,
            [],
            "no other active registration of this content hash by this holder exists: not a duplicate",
        )
    take_step(
        session,
        p,
        clock,
        application,
        A.REFUSE,
        note=data.reason,
        extra={"grounds": [g.value for g in data.grounds]},
        refusal_grounds=tuple(data.grounds),
        reason=data.reason,
    )
    application.refusal_grounds = [g.value for g in data.grounds]
    application.reasons = data.reason
    application.decided_on = clock.on
    session.flush()
    return application


def pass_review(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, note: str | None = None
) -> RegistrationApplication:
    """Formal review passed (形式审核通过): publicity for 10 working days starts (004:798)."""
    application = visible(session, p, application_id, lock=True)
    transition, _ = take_step(session, p, clock, application, A.PASS_REVIEW, note=note)
    application.review_completed_on = clock.on
    application.publicity_start = clock.on
    application.publicity_end = transition.deadline.due if transition.deadline else None
    session.flush()
    return application


def fail_review(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, reason: str
) -> RegistrationApplication:
    """Formal review failed, with reasons [inner_mongolia] (004:5414)."""
    application = visible(session, p, application_id, lock=True)
    take_step(session, p, clock, application, A.FAIL_REVIEW, note=reason)
    application.review_completed_on = application.decided_on = clock.on
    application.reasons = reason
    session.flush()
    return application


def issue(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, note: str | None = None
) -> RegistrationApplication:
    """Close a publicity with no objection and issue (赋码 / 发证, 004:802; 004:5420): only after its end."""
    application = visible(session, p, application_id, lock=True)
    take_step(session, p, clock, application, A.CLOSE_PUBLICITY, note=note)
    _issued(session, p, clock, application)
    return application


def complete_cancellation(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, note: str | None = None
) -> RegistrationApplication:
    """Complete a cancellation (注销登记, within 10 WD of acceptance, 004:787): the record ends."""
    application = visible(session, p, application_id, lock=True)
    take_step(session, p, clock, application, A.COMPLETE_CANCELLATION, note=note)
    application.decided_on = clock.on
    record = _record_for(session, application)
    change = record_policy.apply(
        record.state,
        RecordAction.CANCEL,
        ActorRole.AUTHORITY,
        application.rule_profile,
        record_policy.RecordContext(
            on=clock.on,
            calendar=clock.calendar,
            valid_to=record.valid_to,
            cancellation_ground=application.cancellation_ground,
        ),
    )
    record.state, record.ended_on = change.next_state, clock.on
    record.latest_application_id = application.id
    index = certificate_service.record_entry(
        session, p, clock, record, change.ledger_event, ground=str(application.cancellation_ground)
    )
    ending_service.cancelled(session, record, index)
    return application


# -- objections (异议) --------------------------------------------------------------------------------


def _objectable(session: Session, p: Principal, application_id: uuid.UUID) -> RegistrationApplication:
    """Another party reaches an application only once it has been in publicity (公示, 004:798)."""
    application = repository.lock_application(session, application_id)
    if application is None or not (
        p.is_authority
        or p.party_id == application.applicant_party_id
        or application.publicity_start is not None
    ):
        raise NotFound(f"registration application {application_id} not found")
    return application


def file_objection(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, data: ObjectionCreate
) -> RegistrationObjection:
    """A real-name objection with evidence during publicity (004:800; 004:5418): 422 without either,
    409 outside [publicity_start, publicity_end]. Any number may be filed, also while earlier ones are
    under review; each gets its own review deadline (Q-5) counted from its filing day."""
    if p.party_id is None and not p.is_system:
        raise PermissionDenied("an objection is filed by a logged-in party")
    application = _objectable(session, p, application_id)
    objection = policy.Objection(data.objector_real_name.strip(), tuple(data.evidence), clock.on)
    transition, step = take_step(
        session,
        p,
        clock,
        application,
        A.FILE_OBJECTION,
        extra={
            "objector_name_sha256": text_hash(objection.objector_real_name),
            "evidence": len(data.evidence),
        },
        objection=objection,
        publicity_start=application.publicity_start,
        publicity_end=application.publicity_end,
    )
    row = RegistrationObjection(
        application_id=application.id,
        objector_party_id=p.party_id,
        objector_user_id=p.user_id,
        objector_real_name=objection.objector_real_name,
        evidence=[e for e in data.evidence if e.strip()],
        filed_on=clock.on,
        filed_at=utcnow(),
        review_due=transition.deadline.due if transition.deadline else None,
        ledger_index=step.ledger_index,
    )
    session.add(row)
    session.flush()
    _earliest_review_runs(session, application, clock)
    return row


def _earliest_review_runs(session: Session, application: RegistrationApplication, clock: Clock) -> None:
    """In objection review the application's running deadline is the earliest pending objection's, so
    the overdue query finds it as soon as any one is late (each is listed on its own, :func:`overdue`);
    it is provisional when its span runs into a year the calendar still counts provisionally."""
    pending = [o for o in repository.pending_objections(session, application.id) if o.review_due]
    if application.state is ApplicationState.OBJECTION_REVIEW and pending:
        first = min(pending, key=lambda o: (o.review_due, o.filed_at))
        application.running_rule = "objection_review"
        application.running_anchor, application.running_due = first.filed_on, first.review_due
        application.running_provisional = first.review_due is not None and clock.calendar.touches_provisional(
            first.filed_on, first.review_due
        )
        session.flush()


def handle_objection(
    session: Session,
    p: Principal,
    clock: Clock,
    application_id: uuid.UUID,
    objection_id: uuid.UUID,
    decision: ObjectionDecision,
    note: str,
) -> RegistrationApplication:
    """Decide one objection (异议复核). Upheld: registration terminated (终止登记, 004:800) and every other
    pending objection closed with a note. Dismissed: the application stays in objection review while
    others are pending; the last one dismissed issues if the publicity has ended (Q-5) and otherwise
    resumes the publicity until its end, so later objectors keep their right [INFERRED]."""
    application = visible(session, p, application_id, lock=True)
    objection = session.get(RegistrationObjection, objection_id)
    if objection is None or objection.application_id != application.id:
        raise NotFound(f"objection {objection_id} not found")
    if objection.outcome is not None:
        raise ActionNotAllowed(
            f"{decision} objection", application.state, [], f"the objection was {objection.outcome} already"
        )
    others = [o for o in repository.pending_objections(session, application.id) if o.id != objection.id]
    upheld = decision is ObjectionDecision.UPHELD
    action = A.UPHOLD_OBJECTION if upheld else A.DISMISS_OBJECTION
    transition, step = take_step(
        session,
        p,
        clock,
        application,
        action,
        note=note,
        extra={
            "objection_id": str(objection.id),
            "closed_objection_ids": [str(o.id) for o in others] if upheld else [],
            "pending_objections": 0 if upheld else len(others),
        },
        other_pending_objections=len(others),
        publicity_start=application.publicity_start,
        publicity_end=application.publicity_end,
    )
    _decided(objection, ObjectionOutcome(decision.value), note, p, clock, step.ledger_index)
    if transition.next_state is ApplicationState.TERMINATED:
        application.decided_on = clock.on
        closing = (
            f"closed without a decision: objection {objection.id} was upheld on {clock.on} and the "
            "registration terminated (异议成立，终止登记, 004:800; 004:5418)"
        )
        for other in others:
            _decided(other, ObjectionOutcome.CLOSED, closing, p, clock, step.ledger_index)
    elif transition.next_state is ApplicationState.ISSUED:
        _issued(session, p, clock, application)
    else:  # still in review (others pending) or back in publicity until publicity_end
        _earliest_review_runs(session, application, clock)
    session.flush()
    return application


def _decided(
    objection: RegistrationObjection,
    outcome: ObjectionOutcome,
    note: str,
    p: Principal,
    clock: Clock,
    ledger_index: int,
) -> None:
    objection.outcome, objection.handling_note, objection.handled_on = outcome, note, clock.on
    objection.handled_by_party_id = p.party_id
    objection.handled_ledger_index = ledger_index


# -- records (登记结果) -------------------------------------------------------------------------------


def _record_for(session: Session, application: RegistrationApplication) -> RegistrationRecord:
    record = (
        repository.record_of_initial(session, application.initial_application_id)
        if application.initial_application_id
        else None
    )
    if record is None:  # the guards at submission make this unreachable; say so rather than fail
        raise NotFound(f"the registration of application {application.id} is missing")
    locked = repository.lock_record(session, record.id)
    return locked if locked is not None else record


def _issued(
    session: Session, p: Principal, clock: Clock, application: RegistrationApplication
) -> RegistrationRecord:
    """Issuance: the initial application creates the record; change and correction amend it."""
    application.decided_on = clock.on
    if application.application_type is not ApplicationType.INITIAL:
        record = _record_for(session, application)
        change = record_policy.apply(
            record.state,
            RecordAction.AMEND,
            ActorRole.AUTHORITY,
            application.rule_profile,
            record_policy.RecordContext(on=clock.on, calendar=clock.calendar, valid_to=record.valid_to),
        )
        record.state = change.next_state
        record.version += 1
        record.latest_application_id = application.id
        record.content_sha256, record.data_name = application.content_sha256, application.data_name
        certificate_service.record_entry(
            session, p, clock, record, change.ledger_event, application_id=str(application.id)
        )
        certificate_service.resign(session, p, clock, record)
        return record
    if application.application_type is ApplicationType.INITIAL and _duplicates(session, application):
        raise DuplicateRegistration(
            f"content {application.content_sha256} is already registered by this holder: refuse this "
            "application as a duplicate (重复登记, 004:5424) instead of issuing it",
            content_sha256=application.content_sha256,
        )
    validity = record_policy.certificate_validity(
        application.rule_profile,
        clock.calendar,
        coded_on=clock.on,
        issued_on=clock.on,
        subject_kind=application.subject_kind,
        operating_term_end=application.operating_term_end,
    )
    record = RegistrationRecord(
        id=uuid.uuid4(),
        initial_application_id=application.id,
        latest_application_id=application.id,
        subject_kind=application.subject_kind,
        rule_profile=application.rule_profile,
        holder_party_id=application.holder_party_id,
        catalog_resource_id=application.catalog_resource_id,
        catalog_code=application.catalog_code,
        product_name=application.product_name,
        data_name=application.data_name,
        industry=record_industry(application.info),
        content_sha256=application.content_sha256,
        state=RecordState.VALID,
        version=1,
        coded_on=clock.on,
        issued_on=clock.on,
        valid_from=validity.valid_from,
        valid_to=validity.valid_to,
        operating_term_end=application.operating_term_end,
        created_at=utcnow(),
        updated_at=utcnow(),
        ledger_index=0,
    )
    # The entry first (its id is known only then), the record with it: a placeholder entry id
    # written to the table would name an entry that need not exist (ids are not reused).
    record.ledger_index = certificate_service.record_entry(
        session,
        p,
        clock,
        record,
        "registration.record_issued",
        application_id=str(application.id),
        capped_by_operating_term=validity.capped_by_operating_term,
        validity_source=validity.deadline.rule.source,
    )
    session.add(record)
    session.flush()
    certificate_service.issue_certificate(session, p, clock, record)
    session.flush()
    return record


def _duplicates(session: Session, application: RegistrationApplication) -> bool:
    """Another live registration (or open initial application) with this content hash and holder."""
    return bool(
        repository.active_registrations(
            session, application.content_sha256, application.holder_party_id, excluding=application.id
        )
    )


# -- overdue steps (超期) -----------------------------------------------------------------------------


def overdue(
    session: Session, p: Principal, clock: Clock
) -> list[tuple[RegistrationApplication, bool, RegistrationObjection | None]]:
    """Open applications past the due date of their current step, with whether it was explained; in
    objection review, one row per pending objection past its own review deadline."""
    _authority(p)
    rows = repository.overdue_applications(session, clock.on)
    explained = repository.explained_deadlines(session, {a.id for a in rows})
    out: list[tuple[RegistrationApplication, bool, RegistrationObjection | None]] = []
    for a in rows:
        if a.state is ApplicationState.OBJECTION_REVIEW:
            late = [
                o
                for o in repository.pending_objections(session, a.id)
                if o.review_due is not None and o.review_due < clock.on
            ]
            if late:
                out += [(a, (a.id, "objection_review", o.review_due) in explained, o) for o in late]
                continue
        out.append((a, (a.id, a.running_rule or "", a.running_due) in explained, None))
    return out


def explain_overrun(
    session: Session, p: Principal, clock: Clock, application_id: uuid.UUID, explanation: str
) -> RegistrationOverrun:
    """Record why the current step is late (超期说明). A national formal review that ran over its 20
    working days is explained to the subject (004:796, ``explain_delay``); any other overrun is logged."""
    application = visible(session, p, application_id, lock=True)
    _authority(p)
    deadline = running_deadline(application, clock.settings)
    if deadline is None or clock.on <= deadline.due:
        due = f"due {deadline.due}" if deadline else "no running deadline"
        raise ActionNotAllowed(
            "explain_overrun",
            application.state,
            policy.allowed_actions(
                application.state, ActorRole.AUTHORITY, application.rule_profile, application.application_type
            ),
            f"the current step is not overdue ({due})",
        )
    allowed = policy.allowed_actions(
        application.state, role_of(p, application), application.rule_profile, application.application_type
    )
    if A.EXPLAIN_DELAY in allowed:
        _, step = take_step(session, p, clock, application, A.EXPLAIN_DELAY, note=explanation)
        index = step.ledger_index
    else:
        index = ledger_append(
            session,
            kind="registration.overrun_explained",
            subject=f"registration:application:{application.id}",
            payload={
                "application_id": str(application.id),
                "state": application.state.value,
                "deadline_rule": deadline.rule.name,
                "due": deadline.due.isoformat(),
                "on": clock.on.isoformat(),
                "explanation_sha256": text_hash(explanation),
            },
            actor=p.party_id,
            settings=clock.settings,
        ).entry_id
    row = RegistrationOverrun(
        application_id=application.id,
        state=application.state,
        deadline_rule=deadline.rule.name,
        due_on=deadline.due,
        explained_on=clock.on,
        working_days_overdue=overdue_working_days(deadline, clock) or 0,
        explanation=explanation,
        by_party_id=p.party_id,
        by_user_id=p.user_id,
        ledger_index=index,
    )
    session.add(row)
    session.flush()
    return row


def close_due_publicity(session: Session, p: Principal, clock: Clock) -> list[uuid.UUID]:
    """For a scheduled task: issue every application whose publicity ended with no objection."""
    closed = []
    for application in repository.publicity_ended(session, clock.on):
        take_step(session, p, clock, application, A.CLOSE_PUBLICITY, role=ActorRole.SYSTEM)
        _issued(session, p, clock, application)
        closed.append(application.id)
    return closed


def record_industry(info: dict[str, Any]) -> str | None:
    """The industry (数据所属行业) of an information sheet as the record stores it: trimmed, or none."""
    value = info.get("industry")
    text = str(value).strip()[:200] if value is not None else ""
    return text or None
