"""State machine B (登记结果 / 登记证书): validity, renewal window, expiry, cancellation, revocation."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date

import pytest

from logispace.core.calendar import WorkingCalendar
from logispace.core.config import RuleProfile
from logispace.domains.registration.enums import (
    ActorRole,
    CancellationGround,
    RecordAction,
    RecordState,
    RevocationGround,
    SubjectKind,
)
from logispace.domains.registration.errors import ActionNotAllowed, ActorNotAllowed, RegistrationInputInvalid
from logispace.domains.registration.rules.records import (
    RECORD_RULES,
    RecordContext,
    RecordRule,
    allowed_actions,
    apply,
    certificate_validity,
    renewal_window_opens,
)

CAL = WorkingCalendar()
N, NM = RuleProfile.NATIONAL, RuleProfile.INNER_MONGOLIA
S, A, R = RecordState, RecordAction, ActorRole
VALID_TO = date(2028, 3, 19)


def _context(rule: RecordRule) -> RecordContext:
    ctx = RecordContext(on=date(2027, 6, 1), calendar=CAL, valid_to=VALID_TO)
    match rule.action:
        case A.OPEN_RENEWAL_WINDOW | A.RENEW:
            return replace(ctx, on=date(2028, 1, 19))
        case A.EXPIRE:
            return replace(ctx, on=VALID_TO)
        case A.CANCEL:
            return replace(ctx, cancellation_ground=CancellationGround.LOST)
        case A.REVOKE:
            return replace(ctx, revocation_ground=RevocationGround.FALSE_MATERIALS)
        case _:
            return ctx


@pytest.mark.parametrize("profile", list(RuleProfile))
@pytest.mark.parametrize("rule", RECORD_RULES, ids=lambda r: f"{r.state}-{r.action}-{r.role}")
def test_every_row_of_the_table_is_allowed(rule: RecordRule, profile: RuleProfile) -> None:
    transition = apply(rule.state, rule.action, rule.role, profile, _context(rule))
    assert (transition.previous_state, transition.next_state) == (rule.state, rule.next_state)
    assert transition.ledger_event == rule.ledger_event
    assert transition.public_notice is (profile in rule.public_notice)


NOT_ALLOWED = [
    pytest.param(profile, state, action, id=f"{profile}-{state}-{action}")
    for profile, state, action in itertools.product(RuleProfile, S, A)
    if action not in allowed_actions(state, None, profile)
]


@pytest.mark.parametrize(("profile", "state", "action"), NOT_ALLOWED)
def test_every_action_out_of_order_is_a_409_naming_state_and_allowed_actions(
    profile: RuleProfile, state: RecordState, action: RecordAction
) -> None:
    allowed = sorted(allowed_actions(state, None, profile))
    for role in R:
        with pytest.raises(ActionNotAllowed) as caught:
            apply(
                state,
                action,
                role,
                profile,
                RecordContext(on=date(2027, 6, 1), calendar=CAL, valid_to=VALID_TO),
            )
        assert caught.value.status == 409
        assert f"in state {state}; allowed actions: {', '.join(allowed) or 'none'}" in (caught.value.detail)


WRONG_ROLE = [
    pytest.param(profile, state, action, role, id=f"{profile}-{state}-{action}-{role}")
    for profile, state, action, role in itertools.product(RuleProfile, S, A, R)
    if action in allowed_actions(state, None, profile) and action not in allowed_actions(state, role, profile)
]


@pytest.mark.parametrize(("profile", "state", "action", "role"), WRONG_ROLE)
def test_the_wrong_actor_gets_a_403(
    profile: RuleProfile, state: RecordState, action: RecordAction, role: ActorRole
) -> None:
    with pytest.raises(ActorNotAllowed, match=f"{role} may not {action} in state {state}"):
        apply(
            state, action, role, profile, RecordContext(on=date(2027, 6, 1), calendar=CAL, valid_to=VALID_TO)
        )


def test_validity_three_years_from_coding_date_national_issue_date_inner_mongolia() -> None:
    national = certificate_validity(N, CAL, coded_on=date(2025, 3, 19), issued_on=date(2025, 3, 20))
    assert (national.valid_from, national.valid_to, national.capped_by_operating_term) == (
        date(2025, 3, 19),
        date(2028, 3, 19),
        False,
    )
    regional = certificate_validity(NM, CAL, coded_on=date(2025, 3, 19), issued_on=date(2025, 3, 20))
    assert (regional.valid_from, regional.valid_to) == (date(2025, 3, 20), date(2028, 3, 20))
    leap = certificate_validity(N, CAL, coded_on=date(2024, 2, 29), issued_on=date(2024, 2, 29))
    assert leap.valid_to == date(2027, 2, 28)


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_a_product_with_a_shorter_operating_term_is_valid_for_that_term(profile: RuleProfile) -> None:
    args = {"coded_on": date(2025, 3, 19), "issued_on": date(2025, 3, 19)}
    product = certificate_validity(
        profile, CAL, subject_kind=SubjectKind.PRODUCT, operating_term_end=date(2026, 12, 31), **args
    )
    assert (product.valid_to, product.capped_by_operating_term) == (date(2026, 12, 31), True)
    longer = certificate_validity(
        profile, CAL, subject_kind=SubjectKind.PRODUCT, operating_term_end=date(2030, 1, 1), **args
    )
    assert longer.valid_to == date(2028, 3, 19)
    resource = certificate_validity(
        profile, CAL, subject_kind=SubjectKind.RESOURCE, operating_term_end=date(2026, 12, 31), **args
    )
    assert resource.valid_to == date(2028, 3, 19)


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_renewal_window_is_60_calendar_days_before_expiry(profile: RuleProfile) -> None:
    assert renewal_window_opens(VALID_TO, profile, CAL) == date(2028, 1, 19)  # 2028 is a leap year
    ctx = RecordContext(on=date(2028, 1, 18), calendar=CAL, valid_to=VALID_TO)
    with pytest.raises(ActionNotAllowed, match=r"\(the renewal window is 2028-01-19 to 2028-03-19\)"):
        apply(S.VALID, A.OPEN_RENEWAL_WINDOW, R.SYSTEM, profile, ctx)
    assert apply(
        S.VALID, A.OPEN_RENEWAL_WINDOW, R.SYSTEM, profile, replace(ctx, on=date(2028, 1, 19))
    ).next_state is (S.RENEWAL_WINDOW)
    renewed = apply(S.RENEWAL_WINDOW, A.RENEW, R.AUTHORITY, profile, replace(ctx, on=date(2028, 3, 18)))
    assert (renewed.next_state, renewed.valid_to) == (S.VALID, date(2031, 3, 19))
    with pytest.raises(ActionNotAllowed, match="renewal window"):
        apply(S.RENEWAL_WINDOW, A.RENEW, R.AUTHORITY, profile, replace(ctx, on=VALID_TO))


def test_inner_mongolia_renewal_is_capped_by_the_operation_and_needs_continued_use() -> None:
    ctx = RecordContext(
        on=date(2028, 2, 1), calendar=CAL, valid_to=VALID_TO, authorization_term_end=date(2029, 6, 30)
    )
    assert apply(S.RENEWAL_WINDOW, A.RENEW, R.AUTHORITY, NM, ctx).valid_to == date(2029, 6, 30)
    assert apply(S.RENEWAL_WINDOW, A.RENEW, R.AUTHORITY, N, ctx).valid_to == date(2031, 3, 19)
    with pytest.raises(ActionNotAllowed, match="still in use"):
        apply(S.RENEWAL_WINDOW, A.RENEW, R.AUTHORITY, NM, replace(ctx, needs_continued_use=False))
    ended = replace(ctx, authorization_term_end=date(2028, 3, 1))
    with pytest.raises(ActionNotAllowed, match="authorized operation ends"):
        apply(S.RENEWAL_WINDOW, A.RENEW, R.AUTHORITY, NM, ended)


@pytest.mark.parametrize(("profile", "notice"), [(N, False), (NM, True)])
def test_expiry_without_renewal_cancels_with_a_notice_under_inner_mongolia(
    profile: RuleProfile, notice: bool
) -> None:
    ctx = RecordContext(on=date(2028, 3, 18), calendar=CAL, valid_to=VALID_TO)
    with pytest.raises(ActionNotAllowed, match="valid until 2028-03-19"):
        apply(S.RENEWAL_WINDOW, A.EXPIRE, R.SYSTEM, profile, ctx)
    expired = apply(S.RENEWAL_WINDOW, A.EXPIRE, R.SYSTEM, profile, replace(ctx, on=VALID_TO))
    assert (expired.next_state, expired.public_notice) == (S.CANCELLED, notice)


def test_revocation_grounds_are_the_union_under_inner_mongolia() -> None:
    ctx = RecordContext(
        on=date(2027, 1, 1),
        calendar=CAL,
        valid_to=VALID_TO,
        revocation_ground=RevocationGround.OBSTRUCTS_CIRCULATION,
    )
    with pytest.raises(RegistrationInputInvalid, match="revocation_ground: must be one of: false_materials"):
        apply(S.VALID, A.REVOKE, R.AUTHORITY, N, ctx)
    revoked = apply(S.VALID, A.REVOKE, R.AUTHORITY, NM, ctx)
    assert (revoked.next_state, revoked.public_notice) == (S.REVOKED, True)
    with pytest.raises(RegistrationInputInvalid, match="revocation_ground"):
        apply(S.VALID, A.REVOKE, R.AUTHORITY, NM, replace(ctx, revocation_ground=None))


def test_cancellation_needs_a_ground() -> None:
    ctx = RecordContext(on=date(2027, 1, 1), calendar=CAL, valid_to=VALID_TO)
    with pytest.raises(RegistrationInputInvalid, match="cancellation_ground"):
        apply(S.VALID, A.CANCEL, R.AUTHORITY, N, ctx)
