"""State machine B: the registration record / certificate (登记结果 / 登记证书), policy-spec §1.5, as data.

Validity runs from the coding date (national, 赋码) or the issue date (inner_mongolia, 发证) for three
years, or the shorter operating term of a product (B-VAL-1/2, Q-1). ``valid_to`` is the first day on which
the record is no longer valid: three years from 2025-03-10 end at ``valid_to`` 2028-03-10, the renewal
window is ``valid_to - 60 CD <= today < valid_to`` (V-REG-07) and a renewed term starts on ``valid_to``
(上一届有效期满次日, 004:812).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from logispace.core.calendar import WorkingCalendar
from logispace.core.config import RuleProfile
from logispace.core.deadlines import Deadline, due_date, registration_rule, start_deadline
from logispace.domains.registration.enums import (
    ActorRole,
    CancellationGround,
    RecordAction,
    RecordState,
    RevocationGround,
    SubjectKind,
)
from logispace.domains.registration.errors import ActionNotAllowed, ActorNotAllowed, RegistrationInputInvalid

S, A, R = RecordState, RecordAction, ActorRole
BOTH = frozenset(RuleProfile)
LIVE = (S.VALID, S.RENEWAL_WINDOW)

NATIONAL_REVOCATION = frozenset(
    {
        RevocationGround.FALSE_MATERIALS,
        RevocationGround.TAMPERED_RESULTS,
        RevocationGround.ILLEGAL_USE,
        RevocationGround.OTHER_VIOLATION,
    }
)
REVOCATION_GROUNDS: dict[RuleProfile, frozenset[RevocationGround]] = {
    RuleProfile.NATIONAL: NATIONAL_REVOCATION,  # 004:830-835
    RuleProfile.INNER_MONGOLIA: frozenset(RevocationGround),  # Q-7 union: 004:5429-5438, 004:5486-5491
}


@dataclass(frozen=True, slots=True)
class RecordRule:
    """A row of state machine B (登记结果状态转换)."""

    state: RecordState
    action: RecordAction
    role: ActorRole
    next_state: RecordState
    deadline: str | None
    ledger_event: str
    source: str
    public_notice: frozenset[RuleProfile] = frozenset()  # profiles that announce it publicly (公告)
    note: str = ""


def _rows() -> tuple[RecordRule, ...]:
    nm = frozenset({RuleProfile.INNER_MONGOLIA})
    rows: list[RecordRule] = []
    rows.append(
        RecordRule(
            S.VALID,
            A.OPEN_RENEWAL_WINDOW,
            R.SYSTEM,
            S.RENEWAL_WINDOW,
            None,
            "registration.renewal_window_opened",
            "004:812; 004:5456",
            note="on valid_to - 60 CD",
        )
    )
    rows.append(
        RecordRule(
            S.RENEWAL_WINDOW,
            A.RENEW,
            R.AUTHORITY,
            S.VALID,
            "certificate_validity",
            "registration.renewed",
            "004:812; 004:5456",
            note="term <= 3 y from valid_to; NM <= operation",
        )
    )
    for state in LIVE:
        rows.append(
            RecordRule(
                state,
                A.AMEND,
                R.AUTHORITY,
                state,
                None,
                "registration.record_amended",
                "004:783; 004:785; 004:5368; 004:5385",
                note="change/correction issued: new version",
            )
        )
        rows.append(
            RecordRule(
                state,
                A.CANCEL,
                R.AUTHORITY,
                S.CANCELLED,
                None,
                "registration.record_cancelled",
                "004:787-792; 004:5397-5403",
                note="cancellation application completed",
            )
        )
        rows.append(
            RecordRule(
                state,
                A.EXPIRE,
                R.SYSTEM,
                S.CANCELLED,
                None,
                "registration.record_expired",
                "004:812; 004:5456",
                nm,
                note="not renewed by valid_to; NM: 注销并公告",
            )
        )
        rows.append(
            RecordRule(
                state,
                A.REVOKE,
                R.AUTHORITY,
                S.REVOKED,
                None,
                "registration.record_revoked",
                "004:830-835; 004:5429-5438; 004:5486-5491",
                nm,
                note="Q-7: union under NM",
            )
        )
    return tuple(rows)


RECORD_RULES: tuple[RecordRule, ...] = _rows()


def allowed_actions(
    state: RecordState, role: ActorRole | None, profile: RuleProfile
) -> tuple[RecordAction, ...]:
    """The actions ``role`` (any role when ``None``) may take on a record in ``state``."""
    del profile  # every row of B applies to both profiles; the profile changes guards and notices
    return tuple(dict.fromkeys(r.action for r in RECORD_RULES if r.state is state and role in (None, r.role)))


def find_rule(state: RecordState, action: RecordAction, role: ActorRole, profile: RuleProfile) -> RecordRule:
    """The table row, or 409 (action out of order) / 403 (another role performs it)."""
    rows = [r for r in RECORD_RULES if r.state is state]
    by_action = [r for r in rows if r.action is action]
    if not by_action:
        raise ActionNotAllowed(action, state, allowed_actions(state, None, profile))
    for row in by_action:
        if row.role is role:
            return row
    raise ActorNotAllowed(
        action, state, role, (r.role for r in by_action), allowed_actions(state, role, profile)
    )


@dataclass(frozen=True, slots=True)
class Validity:
    """Validity of a registration result (登记结果有效期): ``valid_from <= day < valid_to``."""

    valid_from: date
    valid_to: date
    deadline: Deadline
    capped_by_operating_term: bool


def certificate_validity(
    profile: RuleProfile,
    calendar: WorkingCalendar,
    *,
    coded_on: date,
    issued_on: date,
    subject_kind: SubjectKind = SubjectKind.RESOURCE,
    operating_term_end: date | None = None,
) -> Validity:
    """Three years from the coding date (N) or issue date (NM), or the shorter operating term of a product."""
    rule = registration_rule("certificate_validity", profile)
    anchor = coded_on if profile is RuleProfile.NATIONAL else issued_on
    deadline = start_deadline(rule, anchor, calendar)
    capped = (
        subject_kind is SubjectKind.PRODUCT
        and operating_term_end is not None
        and operating_term_end < deadline.due
    )
    valid_to = operating_term_end if capped and operating_term_end is not None else deadline.due
    return Validity(anchor, valid_to, deadline, capped)


def renewal_window_opens(valid_to: date, profile: RuleProfile, calendar: WorkingCalendar) -> date:
    """The first day a renewal may be filed: 60 calendar days before ``valid_to`` (004:812; 004:5456)."""
    return due_date(registration_rule("renewal_window_opens", profile), valid_to, calendar)


@dataclass(frozen=True, slots=True)
class RecordContext:
    """What the record guards need."""

    on: date
    calendar: WorkingCalendar
    valid_to: date
    authorization_term_end: date | None = None  # NM: a renewal may not outlast the authorized operation
    needs_continued_use: bool = True  # NM: 且需继续使用的 (004:5456)
    requested_valid_to: date | None = None  # the holder may ask for a shorter renewed term
    cancellation_ground: CancellationGround | None = None
    revocation_ground: RevocationGround | None = None


@dataclass(frozen=True, slots=True)
class RecordTransition:
    """The result of an allowed record action."""

    rule: RecordRule
    previous_state: RecordState
    next_state: RecordState
    ledger_event: str
    public_notice: bool
    valid_to: date  # unchanged except on renewal


def renewal_term_end(
    profile: RuleProfile, calendar: WorkingCalendar, valid_to: date, authorization_term_end: date | None
) -> date:
    """The latest end of a renewed term: three years from ``valid_to`` (上一届有效期满次日起, B-REN-2),
    and under inner_mongolia not past the authorized operation (B-REN-3, 004:5456)."""
    new_to = start_deadline(registration_rule("certificate_validity", profile), valid_to, calendar).due
    if profile is RuleProfile.INNER_MONGOLIA and authorization_term_end is not None:
        new_to = min(new_to, authorization_term_end)
    return new_to


def _renewed_to(ctx: RecordContext, profile: RuleProfile) -> date:
    cap = renewal_term_end(profile, ctx.calendar, ctx.valid_to, ctx.authorization_term_end)
    return min(cap, ctx.requested_valid_to) if ctx.requested_valid_to is not None else cap


def apply(
    state: RecordState, action: RecordAction, role: ActorRole, profile: RuleProfile, context: RecordContext
) -> RecordTransition:
    """Apply ``action`` to a record in ``state``; 409/403/422 when the rules forbid it."""
    rule = find_rule(state, action, role, profile)
    others = [x for x in allowed_actions(state, None, profile) if x is not action]
    opens = renewal_window_opens(context.valid_to, profile, context.calendar)
    valid_to = context.valid_to
    if action is A.OPEN_RENEWAL_WINDOW and not opens <= context.on < context.valid_to:
        raise ActionNotAllowed(action, state, others, f"the renewal window is {opens} to {context.valid_to}")
    if action is A.RENEW:
        if not opens <= context.on < context.valid_to:
            raise ActionNotAllowed(
                action, state, others, f"the renewal window is {opens} to {context.valid_to}"
            )
        if profile is RuleProfile.INNER_MONGOLIA and not context.needs_continued_use:
            raise ActionNotAllowed(action, state, others, "inner_mongolia renews only data still in use")
        valid_to = _renewed_to(context, profile)
        if valid_to <= context.valid_to:
            raise ActionNotAllowed(action, state, others, "the authorized operation ends before the new term")
    if action is A.EXPIRE and context.on < context.valid_to:
        raise ActionNotAllowed(action, state, others, f"the record is valid until {context.valid_to}")
    if action is A.CANCEL and context.cancellation_ground is None:
        raise RegistrationInputInvalid([("cancellation_ground", "name the ground (004:787-792)")])
    if action is A.REVOKE:
        ground = context.revocation_ground
        if ground is None or ground not in REVOCATION_GROUNDS[profile]:
            allowed = ", ".join(sorted(REVOCATION_GROUNDS[profile]))
            raise RegistrationInputInvalid([("revocation_ground", f"must be one of: {allowed}")])
    return RecordTransition(
        rule, state, rule.next_state, rule.ledger_event, profile in rule.public_notice, valid_to
    )
