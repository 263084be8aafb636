"""Step machinery (办理步骤): apply state machine A to a stored application and record the step.

:func:`take_step` asks :func:`~.application_policy.apply` whether the action is allowed, moves the
application, keeps the running deadline the rules started, appends the ledger event and the step
history row, all in the caller's transaction. The services in :mod:`.applications.service` and
:mod:`.review.service` call it; nothing else changes an application's state.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from logispace.core.calendar import CalendarNotCovered, WorkingCalendar, calendar_from_settings
from logispace.core.clock import utcnow
from logispace.core.config import RuleProfile, Settings
from logispace.core.deadlines import Deadline, registration_rule, working_days_overdue
from logispace.core.errors import NotFound, PermissionDenied
from logispace.domains.identity import Principal, Role, party_names
from logispace.domains.ledger import append as ledger_append
from logispace.domains.registration import repository
from logispace.domains.registration.enums import (
    AccountState,
    ActorRole,
    ApplicationAction,
    ApplicationState,
    JointMode,
)
from logispace.domains.registration.errors import (
    ACCOUNT_RULE,
    ACCOUNT_SOURCE,
    HOW_TO_GET_AN_ACCOUNT,
    AccountRequired,
)
from logispace.domains.registration.models import RegistrationApplication, RegistrationStep
from logispace.domains.registration.rules import applications as policy
from logispace.domains.registration.rules.actors import takes_review_steps
from logispace.domains.registration.rules.application_table import FINAL_STATES
from logispace.domains.registration.rules.materials import (
    ATTACHMENT,
    CO_SUBJECT_AGREEMENT,
    CO_SUBJECT_CONFIRMED,
    Requirement,
    SupplementNotice,
    co_subject_requirements,
    missing_items,
    required_materials,
)
from logispace.storage import ObjectStore

CHINA = ZoneInfo("Asia/Shanghai")
EDITOR_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD)
OTHER_MATERIAL = "other"  # 其他材料 (every list of 004:5353-5410 ends with it)


def today() -> date:
    """The current day in China (working days are PRC days), from the injectable clock."""
    return utcnow().astimezone(CHINA).date()


@dataclass(frozen=True)
class Clock:
    """The day and the working-day calendar one unit of work decides on."""

    on: date
    calendar: WorkingCalendar
    settings: Settings

    @classmethod
    def now(cls, settings: Settings) -> Clock:
        """Today with the deployment's calendar; a year without a holiday notice is counted provisionally
        (暂定) by the statutory holidays, never refused: an office cannot stop for a missing notice."""
        return cls(today(), calendar_from_settings(settings, provisional=True), settings)


def subject_ref(application_id: uuid.UUID) -> str:
    return f"registration:application:{application_id}"


def text_hash(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None


# -- who sees and who acts ---------------------------------------------------------------------------


def role_of(p: Principal, application: RegistrationApplication) -> ActorRole:
    """The caller's role on this application: the registration authority (its reviewers), another
    authority's staff (who supervise), the applicant (as filed), or a third party."""
    if takes_review_steps(p):
        return ActorRole.AUTHORITY
    if p.is_authority:
        return ActorRole.SUPERVISOR
    if p.party_id == application.applicant_party_id:
        return application.applicant_role
    return ActorRole.INTERESTED_PARTY


def visible(
    session: Session, p: Principal, application_id: uuid.UUID, *, lock: bool = False
) -> RegistrationApplication:
    """The application if the caller is its applicant's party or the authority; 404 otherwise."""
    if lock:
        application = repository.lock_application(session, application_id)
    else:
        application = session.get(RegistrationApplication, application_id)
    if application is None or not (p.is_authority or p.party_id == application.applicant_party_id):
        raise NotFound(f"registration application {application_id} not found")
    return application


def readable(session: Session, p: Principal, application_id: uuid.UUID) -> RegistrationApplication:
    """The application if the caller may read it: its applicant, a co-subject named on it (共同登记主体,
    V-REG-10) or the authority; 404 for anyone else. Acting on it still goes through :func:`visible`."""
    application = session.get(RegistrationApplication, application_id)
    if application is not None and (
        p.is_authority
        or p.party_id == application.applicant_party_id
        or repository.is_co_subject(session, application.id, p.party_id)
    ):
        return application
    raise NotFound(f"registration application {application_id} not found")


def require_editor(p: Principal) -> None:
    """A party's administrators and data stewards file and complete applications."""
    if not (p.is_system or (p.party_id is not None and p.has(*EDITOR_ROLES))):
        raise PermissionDenied("only a party administrator or data steward files registration applications")


def require_issued_account(
    session: Session, party_id: uuid.UUID, profile: RuleProfile, role: ActorRole
) -> None:
    """Under ``inner_mongolia`` a registration subject files through its issued account (004:5444).

    An interested party correcting another's registration is not filing as a subject and needs none;
    ``national`` has no accounts.
    """
    if profile is not RuleProfile.INNER_MONGOLIA or role is not ActorRole.SUBJECT:
        return
    account = repository.account_of(session, party_id)
    if account is not None and account.state is AccountState.ISSUED:
        return
    have = (
        f"its account is {account.state} and not issued yet" if account else "it has no registration account"
    )
    raise AccountRequired(
        f"under the inner_mongolia rules a registration subject applies through its registration account "
        f"({ACCOUNT_RULE}, {ACCOUNT_SOURCE}): {have}; {HOW_TO_GET_AN_ACCOUNT}",
        rule=ACCOUNT_RULE,
        source=ACCOUNT_SOURCE,
        account_state=account.state.value if account else None,
    )


# -- what the rules see ------------------------------------------------------------------------------


def present_fields(application: RegistrationApplication) -> frozenset[str]:
    """Names of the fields the file carries (for the materials check of :mod:`.rules.materials`)."""
    names = {key for key, value in application.info.items() if value not in (None, "", [])}
    if application.internal_business_review_done:
        names.add("internal_business_review_done")
    if application.interested_parties_consensus:
        names.add("interested_parties_consensus")
    if application.evidence_ledger_index is not None:
        names.add("evidence_record_id")
    return frozenset(names)


def co_subject_items(
    session: Session, application: RegistrationApplication
) -> tuple[frozenset[str], tuple[Requirement, ...]]:
    """The co-subjects' confirmations present (as field names) and their requirements (V-REG-10)."""
    rows = repository.co_subjects_of(session, application.id)
    if not rows:
        return frozenset(), ()
    names = party_names(session, {r.party_id for r in rows})
    confirmed = frozenset(f"{CO_SUBJECT_CONFIRMED}{r.party_id}" for r in rows if r.confirmed_at is not None)
    requirements = co_subject_requirements(
        application.joint_mode, [(str(r.party_id), names.get(r.party_id, "")) for r in rows]
    )
    return confirmed, requirements


def present_attachments(session: Session, application: RegistrationApplication) -> frozenset[str]:
    return frozenset(a.material for a in repository.attachments_of(session, application.id))


def attachment_materials(application: RegistrationApplication) -> list[str]:
    """The material names an attachment of this application may have, ``other`` last."""
    requirements = required_materials(
        application.application_type, application.subject_kind, application.rule_profile
    )
    names = [n for r in requirements if r.kind == ATTACHMENT for n in r.names]
    if application.joint_mode is JointMode.SOLE_WITH_AGREEMENT:
        names.append(CO_SUBJECT_AGREEMENT)
    return [*dict.fromkeys(names), OTHER_MATERIAL]


def missing(session: Session, application: RegistrationApplication) -> SupplementNotice:
    confirmed, extra = co_subject_items(session, application)
    return missing_items(
        application.application_type,
        application.subject_kind,
        application.rule_profile,
        present_fields(application) | confirmed,
        present_attachments(session, application),
        extra,
    )


def running_deadline(application: RegistrationApplication, settings: Settings) -> Deadline | None:
    """The deadline of the current state, as stored when the rules started it."""
    if (
        application.running_rule is None
        or application.running_anchor is None
        or application.running_due is None
    ):
        return None
    rule = registration_rule(
        application.running_rule,
        application.rule_profile,
        objection_review_working_days=settings.objection_review_working_days,
    )
    return Deadline(
        rule, application.running_anchor, application.running_due, application.running_provisional
    )


def overdue_working_days(deadline: Deadline, clock: Clock) -> int | None:
    """Working days past due, or ``None`` when the calendar does not cover the span."""
    try:
        return working_days_overdue(deadline, clock.on, clock.calendar)
    except CalendarNotCovered:
        return None


# -- taking a step -----------------------------------------------------------------------------------


def take_step(
    session: Session,
    p: Principal,
    clock: Clock,
    application: RegistrationApplication,
    action: ApplicationAction,
    *,
    role: ActorRole | None = None,
    note: str | None = None,
    extra: dict[str, Any] | None = None,
    **context: Any,
) -> tuple[policy.Transition, RegistrationStep]:
    """Apply ``action`` (409/403/422 from the rules), move the application and record the step."""
    role = role if role is not None else role_of(p, application)
    confirmed, extra_requirements = co_subject_items(session, application)
    ctx = policy.ActionContext(
        on=clock.on,
        calendar=clock.calendar,
        application_type=application.application_type,
        subject_kind=application.subject_kind,
        initial_registration_id=str(application.initial_application_id)
        if application.initial_application_id
        else None,
        fields=present_fields(application) | confirmed,
        attachments=present_attachments(session, application),
        extra_requirements=extra_requirements,
        running_deadline=running_deadline(application, clock.settings),
        objection_review_working_days=clock.settings.objection_review_working_days,
        **context,
    )
    transition = policy.apply(application.state, action, role, application.rule_profile, ctx)
    previous = application.state
    application.state = transition.next_state
    if transition.deadline is not None:
        application.running_rule = transition.deadline.rule.name
        application.running_anchor = transition.deadline.anchor_date
        application.running_due = transition.deadline.due
        application.running_provisional = transition.deadline.provisional
    elif transition.next_state is not previous:
        application.running_rule = application.running_anchor = application.running_due = None
        application.running_provisional = False
    application.updated_at = utcnow()
    notice = _notice_rows(transition, ctx.noncompliant)
    payload: dict[str, Any] = {
        "application_id": str(application.id),
        "application_type": application.application_type.value,
        "rule_profile": application.rule_profile.value,
        "action": action.value,
        "role": role.value,
        "from": previous.value,
        "to": transition.next_state.value,
        "on": clock.on.isoformat(),
        "content_sha256": application.content_sha256,
        "holder_party_id": str(application.holder_party_id),
        "deadline": _deadline_json(transition.deadline),
        "note_sha256": text_hash(note),
        "notice": [row["key"] for row in notice] if notice else None,
        **(extra or {}),
    }
    receipt = ledger_append(
        session,
        kind=transition.ledger_event,
        subject=subject_ref(application.id),
        payload=payload,
        actor=p.party_id,
        settings=clock.settings,
    )
    step = RegistrationStep(
        application_id=application.id,
        seq=repository.next_step_seq(session, application.id),
        action=action,
        actor_role=role,
        actor_party_id=p.party_id,
        actor_user_id=p.user_id,
        from_state=previous,
        to_state=transition.next_state,
        at=utcnow(),
        on=clock.on,
        note=note,
        notice=notice,
        deadline_rule=transition.deadline.rule.name if transition.deadline else None,
        deadline_source=transition.deadline.rule.source if transition.deadline else None,
        due_on=transition.deadline.due if transition.deadline else None,
        due_provisional=transition.deadline.provisional if transition.deadline else False,
        ledger_index=receipt.entry_id,
    )
    session.add(step)
    session.flush()
    return transition, step


def _deadline_json(deadline: Deadline | None) -> dict[str, Any] | None:
    if deadline is None:
        return None
    return {
        "rule": deadline.rule.name,
        "anchor_date": deadline.anchor_date.isoformat(),
        "due": deadline.due.isoformat(),
        "source": deadline.rule.source,
        **({"provisional": True} if deadline.provisional else {}),
    }


def _notice_rows(transition: policy.Transition, noncompliant: tuple[str, ...]) -> list[dict[str, str]] | None:
    if transition.notice is None:
        return None
    rows = [
        {"kind": item.kind, "key": item.key, "title": item.title, "source": item.source}
        for item in transition.notice.missing
    ]
    rows += [
        {
            "kind": "noncompliant",
            "key": item,
            "title": "不符合规定 (not compliant)",
            "source": "004:794; 004:5412",
        }
        for item in noncompliant
    ]
    return rows


def is_final(state: ApplicationState) -> bool:
    return state in FINAL_STATES


# -- objects written by a transaction that rolls back are removed -------------------------------------

_NEW_OBJECTS = "registration.new_objects"


def discard_on_rollback(session: Session, store: ObjectStore, sha256: str) -> None:
    """Delete the new object ``sha256`` if the session's transaction rolls back instead of committing."""
    session.info.setdefault(_NEW_OBJECTS, []).append((store, sha256))


@event.listens_for(Session, "after_soft_rollback")
def _delete_new_objects(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        for store, sha256 in session.info.pop(_NEW_OBJECTS, ()):
            store.delete(sha256)


@event.listens_for(Session, "after_commit")
def _keep_new_objects(session: Session) -> None:
    session.info.pop(_NEW_OBJECTS, None)
