"""Registration reads (登记查询): applications with due dates, history and next actions; records.

A list holds the caller's party's applications (the authority's: all); a detail shows every step with
its due date, the running deadline with its rule and source line, the overrun flags and the actions
the caller may take next.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from logispace.core.deadlines import Deadline, is_overdue, registration_rule
from logispace.core.errors import NotFound
from logispace.core.pagination import PageParams, paged
from logispace.domains.identity import Principal, party_names
from logispace.domains.registration import repository
from logispace.domains.registration.enums import ApplicationState, ApplicationType
from logispace.domains.registration.models import (
    RegistrationApplication,
    RegistrationObjection,
    RegistrationRecord,
)
from logispace.domains.registration.rules import applications as policy
from logispace.domains.registration.schemas import (
    ApplicationRead,
    ApplicationSummary,
    AttachmentRead,
    CoSubjectRead,
    DeadlineRead,
    MissingItem,
    ObjectionRead,
    OverdueStep,
    OverrunRead,
    PartyRef,
    RecordRead,
    StepRead,
)
from logispace.domains.registration.workflow import (
    Clock,
    missing,
    overdue_working_days,
    readable,
    role_of,
    running_deadline,
)


def any_application(session: Session) -> bool:
    """Whether any registration application has been filed on the platform."""
    return repository.any_application(session)


def list_applications(
    session: Session,
    p: Principal,
    params: PageParams,
    *,
    state: ApplicationState | None = None,
    application_type: ApplicationType | None = None,
) -> tuple[Sequence[RegistrationApplication], int]:
    """The caller's party's applications (as applicant), newest first; the authority sees all."""
    stmt = repository.application_query(
        party_id=p.party_id, sees_all=p.is_authority, state=state, application_type=application_type
    )
    return paged(session, stmt, params)


def deadline_read(deadline: Deadline | None, clock: Clock) -> DeadlineRead | None:
    if deadline is None:
        return None
    rule = deadline.rule
    return DeadlineRead(
        rule=rule.name,
        title=rule.title,
        amount=rule.amount,
        unit=rule.unit.value,
        anchor_event=rule.anchor_event,
        source=rule.source,
        note=rule.note,
        anchor_date=deadline.anchor_date,
        due=deadline.due,
        provisional=deadline.provisional,
        overdue=is_overdue(deadline, clock.on),
        working_days_overdue=overdue_working_days(deadline, clock),
    )


def _flags(application: RegistrationApplication, clock: Clock) -> list[str]:
    running = running_deadline(application, clock.settings)
    return sorted(policy.overrun_flags(application.state, running, clock.on, application.rule_profile))


def summaries(
    session: Session, clock: Clock, applications: Sequence[RegistrationApplication]
) -> list[ApplicationSummary]:
    names = party_names(
        session, {a.applicant_party_id for a in applications} | {a.holder_party_id for a in applications}
    )
    return [
        ApplicationSummary(
            id=a.id,
            application_type=a.application_type,
            subject_kind=a.subject_kind,
            rule_profile=a.rule_profile,
            state=a.state,
            data_name=a.data_name,
            catalog_code=a.catalog_code,
            product_name=a.product_name,
            content_sha256=a.content_sha256,
            applicant=PartyRef(id=a.applicant_party_id, name=names.get(a.applicant_party_id, "")),
            holder=PartyRef(id=a.holder_party_id, name=names.get(a.holder_party_id, "")),
            deadline=deadline_read(running_deadline(a, clock.settings), clock),
            overrun_flags=_flags(a, clock),
            created_at=a.created_at,
        )
        for a in applications
    ]


def get_application(session: Session, p: Principal, application_id: uuid.UUID) -> RegistrationApplication:
    return readable(session, p, application_id)  # applicant, co-subject or authority; 404 otherwise


def application_read(
    session: Session, p: Principal, clock: Clock, application: RegistrationApplication
) -> ApplicationRead:
    """The whole file as the applicant or the authority sees it."""
    (summary,) = summaries(session, clock, [application])
    steps = repository.steps_of(session, application.id)
    names = party_names(session, {s.actor_party_id for s in steps if s.actor_party_id})
    record = repository.issued_record(session, application)
    initial_record = (
        repository.record_of_initial(session, application.initial_application_id)
        if application.initial_application_id
        else None
    )
    notice = missing(session, application)
    co_subjects = repository.co_subjects_of(session, application.id)
    co_names = party_names(session, {c.party_id for c in co_subjects})
    return ApplicationRead(
        **summary.model_dump(),
        applicant_role=application.applicant_role,
        content_summary=application.content_summary,
        evidence_ledger_index=application.evidence_ledger_index,
        initial_application_id=application.initial_application_id,
        registration_id=record.id if record else (initial_record.id if initial_record else None),
        internal_business_review_done=application.internal_business_review_done,
        interested_parties_consensus=application.interested_parties_consensus,
        info=dict(application.info),
        operating_term_end=application.operating_term_end,
        cancellation_ground=application.cancellation_ground,
        refusal_grounds=list(application.refusal_grounds),
        reasons=application.reasons,
        received_on=application.received_on,
        accepted_on=application.accepted_on,
        review_completed_on=application.review_completed_on,
        publicity_start=application.publicity_start,
        publicity_end=application.publicity_end,
        decided_on=application.decided_on,
        allowed_actions=list(
            policy.allowed_actions(
                application.state,
                role_of(p, application),
                application.rule_profile,
                application.application_type,
            )
        ),
        missing_items=[
            MissingItem(kind=m.kind, key=m.key, title=m.title, source=m.source) for m in notice.missing
        ],
        joint_mode=application.joint_mode,
        co_subjects=[
            CoSubjectRead(
                party=PartyRef(id=c.party_id, name=co_names.get(c.party_id, "")),
                confirmed_at=c.confirmed_at,
                ledger_index=c.ledger_index,
            )
            for c in co_subjects
        ],
        steps=[
            StepRead(
                seq=s.seq,
                action=s.action,
                actor_role=s.actor_role,
                actor_party=PartyRef(id=s.actor_party_id, name=names.get(s.actor_party_id, ""))
                if s.actor_party_id
                else None,
                from_state=s.from_state,
                to_state=s.to_state,
                at=s.at,
                on=s.on,
                note=s.note,
                notice=s.notice,
                deadline_rule=s.deadline_rule,
                deadline_source=s.deadline_source,
                due_on=s.due_on,
                due_provisional=s.due_provisional,
                ledger_index=s.ledger_index,
            )
            for s in steps
        ],
        attachments=[
            AttachmentRead.model_validate(a, from_attributes=True)
            for a in repository.attachments_of(session, application.id)
        ],
        objections=[
            ObjectionRead.model_validate(o, from_attributes=True)
            for o in repository.objections_of(session, application.id)
        ],
        overruns=[
            OverrunRead.model_validate(o, from_attributes=True)
            for o in repository.overruns_of(session, application.id)
        ],
    )


def overdue_reads(
    session: Session,
    clock: Clock,
    rows: list[tuple[RegistrationApplication, bool, RegistrationObjection | None]],
) -> list[OverdueStep]:
    summary = {s.id: s for s in summaries(session, clock, [a for a, _, _ in rows])}
    out = []
    for application, explained, objection in rows:
        s = summary[application.id]
        deadline = s.deadline
        if objection is not None and objection.review_due is not None:  # the objection's own deadline
            rule = registration_rule(
                "objection_review",
                application.rule_profile,
                objection_review_working_days=clock.settings.objection_review_working_days,
            )
            deadline = deadline_read(Deadline(rule, objection.filed_on, objection.review_due), clock)
        if deadline is None:  # pragma: no cover - the query selects running deadlines only
            continue
        out.append(
            OverdueStep(
                application_id=application.id,
                application_type=application.application_type,
                state=application.state,
                data_name=application.data_name,
                applicant=s.applicant,
                deadline=deadline,
                overrun_flags=s.overrun_flags,
                explained=explained,
                objection_id=objection.id if objection is not None else None,
            )
        )
    return out


def list_records(
    session: Session, p: Principal, params: PageParams
) -> tuple[Sequence[RegistrationRecord], int]:
    """The caller's party's registrations (as holder or co-subject); the authority sees all."""
    return paged(session, repository.records_query(party_id=p.party_id, sees_all=p.is_authority), params)


def record_reads(session: Session, records: Sequence[RegistrationRecord]) -> list[RecordRead]:
    co = repository.co_subjects_by_application(session, [r.initial_application_id for r in records])
    names = party_names(
        session, {r.holder_party_id for r in records} | {c.party_id for rows in co.values() for c in rows}
    )
    codes = repository.certificate_codes(session, [r.id for r in records])
    return [
        RecordRead(
            id=r.id,
            initial_application_id=r.initial_application_id,
            latest_application_id=r.latest_application_id,
            subject_kind=r.subject_kind,
            rule_profile=r.rule_profile,
            holder=PartyRef(id=r.holder_party_id, name=names.get(r.holder_party_id, "")),
            catalog_code=r.catalog_code,
            product_name=r.product_name,
            data_name=r.data_name,
            content_sha256=r.content_sha256,
            state=r.state,
            version=r.version,
            coded_on=r.coded_on,
            issued_on=r.issued_on,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            operating_term_end=r.operating_term_end,
            ended_on=r.ended_on,
            ledger_index=r.ledger_index,
            certificate_code=codes.get(r.id),
            co_subjects=[
                PartyRef(id=c.party_id, name=names.get(c.party_id, ""))
                for c in co.get(r.initial_application_id, [])
            ],
        )
        for r in records
    ]


def get_record(session: Session, p: Principal, record_id: uuid.UUID) -> RegistrationRecord:
    """A registration record, for its holder, its co-subjects and the authority (404 for anyone else)."""
    record = session.get(RegistrationRecord, record_id)
    if record is None or not (
        p.is_authority
        or p.party_id == record.holder_party_id
        or repository.is_co_subject(session, record.initial_application_id, p.party_id)  # V-REG-10
    ):
        raise NotFound(f"registration {record_id} not found")
    return record
