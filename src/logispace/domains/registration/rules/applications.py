"""State machine A: the registration application (登记申请), policy-spec §1.4, as data.

The transition table ``(state, action, role) -> (next state, deadline rule to start, ledger event)`` is
:data:`.application_table.APPLICATION_RULES`, with the seed lines of each row, restricted by application
type and rule profile. :func:`apply` checks the table and the guards and returns a :class:`Transition`;
the service persists it and appends the ledger event in the same unit of work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from logispace.core.calendar import WorkingCalendar
from logispace.core.config import RuleProfile
from logispace.core.deadlines import Deadline, registration_rule, start_deadline
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
    ActorNotAllowed,
    InitialRegistrationRequired,
    MaterialsIncomplete,
    RegistrationInputInvalid,
)
from logispace.domains.registration.rules.application_table import (
    APPLICATION_RULES,
    OTHERS_PENDING,
    PUBLICITY_OVER,
    PUBLICITY_RUNNING,
    A,
    ApplicationRule,
    S,
    T,
)
from logispace.domains.registration.rules.materials import Requirement, SupplementNotice, missing_items


def _rows(
    state: ApplicationState, application_type: ApplicationType, profile: RuleProfile
) -> list[ApplicationRule]:
    return [r for r in APPLICATION_RULES if r.state is state and r.applies(application_type, profile)]


def allowed_actions(
    state: ApplicationState,
    role: ActorRole | None,
    profile: RuleProfile,
    application_type: ApplicationType = ApplicationType.INITIAL,
) -> tuple[ApplicationAction, ...]:
    """The actions ``role`` (any role when ``None``) may take in ``state``, in table order."""
    rows = _rows(state, application_type, profile)
    return tuple(dict.fromkeys(r.action for r in rows if role is None or r.role is role))


def find_rule(
    state: ApplicationState,
    action: ApplicationAction,
    role: ActorRole,
    profile: RuleProfile,
    application_type: ApplicationType = ApplicationType.INITIAL,
) -> ApplicationRule:
    """The table row, or 409 (action out of order) / 403 (another role performs it)."""
    rows = _rows(state, application_type, profile)
    by_action = [r for r in rows if r.action is action]
    if not by_action:
        raise ActionNotAllowed(action, state, (r.action for r in rows))
    for row in by_action:
        if row.role is role:
            return row
    mine = (r.action for r in rows if r.role is role)
    raise ActorNotAllowed(action, state, role, (r.role for r in by_action), mine)


@dataclass(frozen=True, slots=True)
class Objection:
    """Objection (异议) during publicity: real name and evidence required (004:800; 004:5418)."""

    objector_real_name: str
    evidence: tuple[str, ...]
    filed_on: date


@dataclass(frozen=True, slots=True)
class ActionContext:
    """What the guards need: the day, the calendar, the application and the running deadline."""

    on: date
    calendar: WorkingCalendar
    application_type: ApplicationType = ApplicationType.INITIAL
    subject_kind: SubjectKind = SubjectKind.RESOURCE
    initial_registration_id: str | None = None
    fields: frozenset[str] | None = None  # submitted field names, when known
    attachments: frozenset[str] | None = None  # submitted attachment names, when known
    extra_requirements: tuple[Requirement, ...] = ()  # the co-subjects' (V-REG-10), see materials
    noncompliant: tuple[str, ...] = ()  # items present but not compliant (不符合规定), named by the authority
    running_deadline: Deadline | None = None  # the deadline of the current state
    refusal_grounds: tuple[RefusalGround, ...] = ()
    reason: str = ""
    objection: Objection | None = None
    objection_review_working_days: int = 10
    publicity_start: date | None = None  # the publicity period (公示期); in publicity the running
    publicity_end: date | None = None  # deadline stands in for it when these are not given
    other_pending_objections: int = 0  # objections still undecided besides the one being decided

    def publicity(self) -> tuple[date | None, date | None]:
        """``(first day, last day)`` of the publicity, from the fields or the running publicity deadline."""
        running = self.running_deadline
        if running is not None and running.rule.name == "publicity":
            return self.publicity_start or running.anchor_date, self.publicity_end or running.due
        return self.publicity_start, self.publicity_end


def situation(ctx: ActionContext) -> str | None:
    """Which row of a decision with several outcomes applies: objections still pending decide first,
    then whether the publicity is over (004:800: the right to object lasts the whole period).
    ``None`` when the publicity period is unknown."""
    if ctx.other_pending_objections > 0:
        return OTHERS_PENDING
    end = ctx.publicity()[1]
    if end is None:
        return None
    return PUBLICITY_OVER if ctx.on > end else PUBLICITY_RUNNING


@dataclass(frozen=True, slots=True)
class Transition:
    """The result of an allowed action (状态转换结果)."""

    rule: ApplicationRule
    previous_state: ApplicationState
    next_state: ApplicationState
    deadline: Deadline | None
    ledger_event: str
    notice: SupplementNotice | None = None
    flags: frozenset[str] = field(default_factory=frozenset)


def validate_objection(objection: Objection | None) -> Objection:
    """422 naming each missing field: ``objector_real_name`` (实名) and ``evidence`` (证据材料)."""
    problems: list[tuple[str, str]] = []
    name = objection.objector_real_name.strip() if objection else ""
    if not name:
        problems.append(("objector_real_name", "an objection must be filed under the objector's real name"))
    if objection is None or not any(item.strip() for item in objection.evidence):
        problems.append(("evidence", "an objection must carry the evidence it relies on"))
    if problems or objection is None:
        raise RegistrationInputInvalid(problems)
    return objection


def _notice(ctx: ActionContext, profile: RuleProfile) -> SupplementNotice | None:
    if ctx.fields is None and ctx.attachments is None:
        return None
    return missing_items(
        ctx.application_type,
        ctx.subject_kind,
        profile,
        ctx.fields or (),
        ctx.attachments or (),
        ctx.extra_requirements,
    )


def _guard(rule: ApplicationRule, ctx: ActionContext, profile: RuleProfile) -> SupplementNotice | None:
    state, action = rule.state, rule.action
    others = allowed_actions(state, None, profile, ctx.application_type)
    if action in (A.SUBMIT, A.RESUBMIT):
        if ctx.application_type is not T.INITIAL and not ctx.initial_registration_id:
            raise InitialRegistrationRequired(
                action,
                state,
                [],
                f"a {ctx.application_type} application needs an existing initial registration",
            )
    elif action is A.ACCEPT:
        notice = _notice(ctx, profile)
        if ctx.noncompliant or (notice is not None and not notice.complete):
            items = ", ".join((notice.keys if notice else ()) + ctx.noncompliant)
            raise MaterialsIncomplete(
                action, state, [x for x in others if x is not A.ACCEPT], f"missing: {items}"
            )
    elif action is A.REQUEST_SUPPLEMENT:
        notice = _notice(ctx, profile)
        if notice is None or (notice.complete and not ctx.noncompliant):
            raise ActionNotAllowed(
                action, state, [x for x in others if x is not action], "nothing is missing"
            )
        return notice
    elif action is A.REFUSE:
        _check_refusal(ctx, profile)
    elif action is A.EXPLAIN_DELAY:
        if ctx.running_deadline is None or ctx.on <= ctx.running_deadline.due:
            raise ActionNotAllowed(
                action, state, [x for x in others if x is not action], "the review is not overdue"
            )
    elif action is A.CLOSE_PUBLICITY:
        end = ctx.running_deadline.due if ctx.running_deadline else None
        if end is None or ctx.on <= end:
            why = f"publicity runs until {end}" if end else "the publicity period is unknown"
            raise ActionNotAllowed(action, state, [x for x in others if x is not action], why)
    elif action is A.FILE_OBJECTION:
        objection = validate_objection(ctx.objection)
        start, end = ctx.publicity()
        if start is not None and objection.filed_on < start:
            raise ActionNotAllowed(
                action, state, [x for x in others if x is not action], f"publicity started on {start}"
            )
        if end is None or objection.filed_on > end:
            raise ActionNotAllowed(
                action, state, [x for x in others if x is not action], f"publicity closed on {end}"
            )
    return None


def _check_refusal(ctx: ActionContext, profile: RuleProfile) -> None:
    problems: list[tuple[str, str]] = []
    if not ctx.refusal_grounds:
        problems.append(("refusal_grounds", "name at least one ground for refusing"))
    elif profile is RuleProfile.INNER_MONGOLIA and RefusalGround.NOT_COMPLIANT in ctx.refusal_grounds:
        problems.append(("refusal_grounds", "inner_mongolia refuses only on the grounds of 004:5424-5427"))
    if not ctx.reason.strip():
        problems.append(("reason", "the reasons must be stated to the subject (004:794)"))
    if problems:
        raise RegistrationInputInvalid(problems)


def apply(
    state: ApplicationState,
    action: ApplicationAction,
    role: ActorRole,
    profile: RuleProfile,
    context: ActionContext,
) -> Transition:
    """Apply ``action`` by ``role`` to an application in ``state``; 409/403/422 when the rules forbid it."""
    rule = find_rule(state, action, role, profile, context.application_type)
    if rule.when:
        when = situation(context)
        if when is None:
            others = [
                x for x in allowed_actions(state, None, profile, context.application_type) if x is not action
            ]
            raise ActionNotAllowed(action, state, others, "the publicity period is unknown")
        rule = next(
            r
            for r in _rows(state, context.application_type, profile)
            if r.action is action and r.role is role and r.when == when
        )
    notice = _guard(rule, context, profile)
    deadline = None
    if rule.deadline == "publicity" and action is A.DISMISS_OBJECTION:
        start, end = context.publicity()
        publicity = registration_rule("publicity", profile)
        deadline = (
            Deadline(publicity, start, end)
            if start and end
            else start_deadline(publicity, context.on, context.calendar)
        )
    elif rule.deadline is not None:
        deadline_rule = registration_rule(
            rule.deadline, profile, objection_review_working_days=context.objection_review_working_days
        )
        anchor = (
            context.objection.filed_on if context.objection and action is A.FILE_OBJECTION else context.on
        )
        deadline = start_deadline(deadline_rule, anchor, context.calendar)
    return Transition(rule, state, rule.next_state, deadline, rule.ledger_event, notice)


def overrun_flags(
    state: ApplicationState, running: Deadline | None, today: date, profile: RuleProfile
) -> frozenset[str]:
    """Overrun flags (超期标记, Q-6) of the current state's deadline on ``today``.

    ``acceptance_overdue`` / ``review_overdue`` / ``objection_review_overdue`` when the deadline has passed;
    under ``national`` an overdue review also raises ``delay_explanation_due`` (004:796: explain, no
    rejection); under ``inner_mongolia`` the authority must decide pass or fail with reasons (004:5414),
    flagged ``review_decision_due``.
    """
    if running is None or today <= running.due:
        return frozenset()
    flags = {
        S.SUBMITTED: {"acceptance_overdue"},
        S.UNDER_REVIEW: {"review_overdue"},
        S.OBJECTION_REVIEW: {"objection_review_overdue"},
    }.get(state, set())
    if state is S.UNDER_REVIEW and running.rule.name == "formal_review":
        flags.add("delay_explanation_due" if profile is RuleProfile.NATIONAL else "review_decision_due")
    return frozenset(flags)


@dataclass(frozen=True, slots=True)
class RegisteredItem:
    """An active registration as seen by the duplicate check: content hash and holder (V-REG-08)."""

    content_hash: str
    holder_id: str


def refusal_grounds(
    content_hash: str,
    holder_id: str,
    active: Iterable[RegisteredItem],
    *,
    fraud_found: bool = False,
    ownership_disputed: bool = False,
) -> tuple[RefusalGround, ...]:
    """Grounds for refusing (不予办理, 004:5422-5427; V-REG-08/09): duplicate, fraud, ownership dispute.

    A duplicate is an active registration with the same content hash by the same holder. REG-N only says
    reasons must be given (004:794); the same grounds serve as those reasons there [INFERRED].
    """
    grounds: list[RefusalGround] = []
    if any(item.content_hash == content_hash and item.holder_id == holder_id for item in active):
        grounds.append(RefusalGround.DUPLICATE)
    if fraud_found:
        grounds.append(RefusalGround.FRAUD)
    if ownership_disputed:
        grounds.append(RefusalGround.OWNERSHIP_DISPUTE)
    return tuple(grounds)
