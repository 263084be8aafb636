"""State machine A (登记申请): every row of the table, and a 409/403 for everything the table does not allow.

The negative cases are generated from the table itself: every (profile, type, state, action, role) that no
row allows must fail, naming the current state and the allowed actions.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date

import pytest

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
    PUBLICITY_RUNNING,
    ApplicationRule,
)
from logispace.domains.registration.rules.applications import (
    ActionContext,
    Objection,
    RegisteredItem,
    allowed_actions,
    apply,
    overrun_flags,
    refusal_grounds,
)
from logispace.domains.registration.rules.materials import required_materials
from tests.data import SOURCES

CAL = WorkingCalendar()
N, NM = RuleProfile.NATIONAL, RuleProfile.INNER_MONGOLIA
S, A, R, T = ApplicationState, ApplicationAction, ActorRole, ApplicationType
DAY = date(2025, 6, 10)
SEED_004 = next(SOURCES.glob("004_*.txt"))


def _running(name: str, anchor: date, profile: RuleProfile) -> Deadline:
    return start_deadline(registration_rule(name, profile), anchor, CAL)


def _publicity(start: date, profile: RuleProfile) -> dict[str, date]:
    return {"publicity_start": start, "publicity_end": _running("publicity", start, profile).due}


def _context(rule: ApplicationRule, profile: RuleProfile, application_type: ApplicationType) -> ActionContext:
    """A context that meets every guard of ``rule``."""
    ctx = ActionContext(
        on=DAY, calendar=CAL, application_type=application_type, initial_registration_id="REG-1"
    )
    match rule.action:
        case A.REQUEST_SUPPLEMENT:
            return replace(ctx, fields=frozenset(), attachments=frozenset())
        case A.REFUSE:
            return replace(ctx, refusal_grounds=(RefusalGround.FRAUD,), reason="虚假材料 (false materials)")
        case A.EXPLAIN_DELAY:
            return replace(ctx, running_deadline=_running("formal_review", date(2025, 5, 1), profile))
        case A.CLOSE_PUBLICITY:
            return replace(ctx, running_deadline=_running("publicity", date(2025, 5, 20), profile))
        case A.FILE_OBJECTION if rule.state is S.IN_PUBLICITY:
            objection = Objection("张三", ("合同扫描件",), DAY)
            return replace(ctx, objection=objection, running_deadline=_running("publicity", DAY, profile))
        case A.FILE_OBJECTION:  # a further objection while earlier ones are under review
            objection = Objection("张三", ("合同扫描件",), DAY)
            review = _running("objection_review", date(2025, 6, 5), profile)
            return replace(
                ctx, objection=objection, running_deadline=review, **_publicity(date(2025, 6, 3), profile)
            )
        case A.DISMISS_OBJECTION if rule.when == OTHERS_PENDING:
            return replace(ctx, other_pending_objections=1)
        case A.DISMISS_OBJECTION if rule.when == PUBLICITY_RUNNING:
            return replace(ctx, **_publicity(date(2025, 6, 3), profile))
        case A.DISMISS_OBJECTION:
            return replace(ctx, **_publicity(date(2025, 5, 20), profile))
        case _:
            return ctx


ALLOWED = [
    pytest.param(rule, profile, kind, id=f"{profile}-{kind}-{rule.state}-{rule.action}-{rule.role}")
    for rule in APPLICATION_RULES
    for profile in sorted(rule.profiles)
    for kind in sorted(rule.types)
]


@pytest.mark.parametrize(("rule", "profile", "kind"), ALLOWED)
def test_every_row_of_the_table_is_allowed(
    rule: ApplicationRule, profile: RuleProfile, kind: ApplicationType
) -> None:
    assert rule.action in allowed_actions(rule.state, rule.role, profile, kind)
    transition = apply(rule.state, rule.action, rule.role, profile, _context(rule, profile, kind))
    assert (transition.previous_state, transition.next_state) == (rule.state, rule.next_state)
    assert transition.ledger_event == rule.ledger_event
    if rule.deadline is None:
        assert transition.deadline is None
    else:
        assert transition.deadline is not None
        assert transition.deadline.rule.name == rule.deadline
        assert transition.deadline.due > DAY


def _not_allowed() -> list[object]:
    cases = []
    for profile, kind, state, action in itertools.product(RuleProfile, T, S, A):
        if action not in allowed_actions(state, None, profile, kind):
            cases.append(pytest.param(profile, kind, state, action, id=f"{profile}-{kind}-{state}-{action}"))
    return cases


@pytest.mark.parametrize(("profile", "kind", "state", "action"), _not_allowed())
def test_every_action_out_of_order_is_a_409_naming_state_and_allowed_actions(
    profile: RuleProfile, kind: ApplicationType, state: ApplicationState, action: ApplicationAction
) -> None:
    allowed = allowed_actions(state, None, profile, kind)
    ctx = ActionContext(on=DAY, calendar=CAL, application_type=kind, initial_registration_id="REG-1")
    for role in R:
        with pytest.raises(ActionNotAllowed) as caught:
            apply(state, action, role, profile, ctx)
        error = caught.value
        assert error.status == 409
        assert f"in state {state}" in error.detail
        assert error.extensions["allowed_actions"] == sorted(allowed)
        listed = error.detail.split("allowed actions: ")[1]
        assert listed == (", ".join(sorted(allowed)) or "none")


def _wrong_roles() -> list[object]:
    cases = []
    for profile, kind, state, action, role in itertools.product(RuleProfile, T, S, A, R):
        if action in allowed_actions(state, None, profile, kind) and action not in allowed_actions(
            state, role, profile, kind
        ):
            cases.append(
                pytest.param(
                    profile, kind, state, action, role, id=f"{profile}-{kind}-{state}-{action}-{role}"
                )
            )
    return cases


@pytest.mark.parametrize(("profile", "kind", "state", "action", "role"), _wrong_roles())
def test_the_wrong_actor_gets_a_403_naming_who_acts(
    profile: RuleProfile,
    kind: ApplicationType,
    state: ApplicationState,
    action: ApplicationAction,
    role: ActorRole,
) -> None:
    ctx = ActionContext(on=DAY, calendar=CAL, application_type=kind, initial_registration_id="REG-1")
    with pytest.raises(ActorNotAllowed) as caught:
        apply(state, action, role, profile, ctx)
    assert caught.value.status == 403
    assert f"{role} may not {action} in state {state}" in caught.value.detail


def test_the_generated_cases_cover_the_issue_examples() -> None:
    # issuing during publicity is refused with the state named (guard), objecting after it closed too
    publicity = _running("publicity", date(2025, 3, 4), N)
    ctx = ActionContext(on=date(2025, 3, 18), calendar=CAL, running_deadline=publicity)
    with pytest.raises(
        ActionNotAllowed,
        match=r"close_publicity is not allowed in state in_publicity "
        r"\(publicity runs until 2025-03-18\); allowed actions: file_objection",
    ):
        apply(S.IN_PUBLICITY, A.CLOSE_PUBLICITY, R.SYSTEM, N, ctx)
    late = replace(ctx, objection=Objection("张三", ("证据",), date(2025, 3, 19)))
    with pytest.raises(ActionNotAllowed, match=r"in state in_publicity \(publicity closed on 2025-03-18\)"):
        apply(S.IN_PUBLICITY, A.FILE_OBJECTION, R.INTERESTED_PARTY, N, late)
    early = replace(ctx, objection=Objection("张三", ("证据",), date(2025, 3, 3)))
    with pytest.raises(ActionNotAllowed, match=r"in state in_publicity \(publicity started on 2025-03-04\)"):
        apply(S.IN_PUBLICITY, A.FILE_OBJECTION, R.INTERESTED_PARTY, N, early)
    unknown = replace(ctx, running_deadline=None)
    with pytest.raises(ActionNotAllowed, match=r"\(the publicity period is unknown\)"):
        apply(S.IN_PUBLICITY, A.CLOSE_PUBLICITY, R.AUTHORITY, N, unknown)
    # objecting once the result is issued: the final state has no actions
    with pytest.raises(ActionNotAllowed, match=r"in state issued; allowed actions: none$"):
        apply(S.ISSUED, A.FILE_OBJECTION, R.INTERESTED_PARTY, N, ctx)


def test_no_two_rows_share_a_key_and_every_source_line_exists() -> None:
    keys = [
        (r.state, r.action, r.role, r.when, kind, profile)
        for r in APPLICATION_RULES
        for kind in r.types
        for profile in r.profiles
    ]
    assert len(keys) == len(set(keys))
    lines = SEED_004.read_text(encoding="utf-8").split("\n")
    for rule in APPLICATION_RULES:
        for start, end in re.findall(r"004:(\d+)(?:-(\d+))?", rule.source):
            for number in {int(start), int(end or start)}:
                assert lines[number - 1].strip(), f"{rule.source}: line {number} is empty"


@pytest.mark.parametrize("profile", list(RuleProfile))
@pytest.mark.parametrize("kind", [T.CHANGE, T.CORRECTION, T.CANCELLATION])
def test_change_correction_cancellation_need_an_initial_registration(
    profile: RuleProfile, kind: ApplicationType
) -> None:
    ctx = ActionContext(on=DAY, calendar=CAL, application_type=kind)
    with pytest.raises(InitialRegistrationRequired, match="needs an existing initial registration"):
        apply(S.DRAFT, A.SUBMIT, R.SUBJECT, profile, ctx)
    assert apply(
        S.DRAFT, A.SUBMIT, R.SUBJECT, profile, replace(ctx, initial_registration_id="REG-9")
    ).next_state is (S.SUBMITTED)
    assert apply(S.DRAFT, A.SUBMIT, R.SUBJECT, profile, replace(ctx, application_type=T.INITIAL)).deadline


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_only_corrections_may_come_from_an_interested_party(profile: RuleProfile) -> None:
    assert allowed_actions(S.DRAFT, R.INTERESTED_PARTY, profile, T.CORRECTION) == (A.SUBMIT,)
    for kind in (T.INITIAL, T.CHANGE, T.CANCELLATION):
        assert allowed_actions(S.DRAFT, R.INTERESTED_PARTY, profile, kind) == ()


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_an_incomplete_file_cannot_be_accepted_and_the_notice_lists_everything(profile: RuleProfile) -> None:
    ctx = ActionContext(
        on=DAY, calendar=CAL, fields=frozenset({"evidence_record_id"}), attachments=frozenset()
    )
    with pytest.raises(MaterialsIncomplete, match="internal_business_review_done") as caught:
        apply(S.SUBMITTED, A.ACCEPT, R.AUTHORITY, profile, ctx)
    assert caught.value.extensions["allowed_actions"] == ["refuse", "request_supplement"]
    transition = apply(S.SUBMITTED, A.REQUEST_SUPPLEMENT, R.AUTHORITY, profile, ctx)
    assert transition.notice is not None
    assert "evidence_record_id" not in transition.notice.keys
    assert "internal_business_review_done" in transition.notice.keys
    assert "security_risk_assessment" in transition.notice.keys
    assert ("basic_info_sheet" in transition.notice.keys) is (profile is NM)


def test_a_supplement_notice_needs_something_missing_or_non_compliant() -> None:
    full = required_materials(T.CANCELLATION, SubjectKind.RESOURCE, N)
    names = frozenset(r.names[0] for r in full)
    ctx = ActionContext(
        on=DAY, calendar=CAL, application_type=T.CANCELLATION, fields=names, attachments=names
    )
    with pytest.raises(ActionNotAllowed, match="nothing is missing"):
        apply(S.SUBMITTED, A.REQUEST_SUPPLEMENT, R.AUTHORITY, N, ctx)
    notice = apply(
        S.SUBMITTED, A.REQUEST_SUPPLEMENT, R.AUTHORITY, N, replace(ctx, noncompliant=("identity_evidence",))
    )
    assert notice.next_state is S.PENDING_SUPPLEMENT
    assert apply(S.SUBMITTED, A.ACCEPT, R.AUTHORITY, N, ctx).deadline is not None


@pytest.mark.parametrize("profile", list(RuleProfile))
@pytest.mark.parametrize(
    ("name", "evidence", "fields"),
    [
        ("", ("证据",), ["objector_real_name"]),
        ("  ", ("证据",), ["objector_real_name"]),
        ("张三", (), ["evidence"]),
        ("张三", ("  ",), ["evidence"]),
        ("", (), ["objector_real_name", "evidence"]),
    ],
)
def test_an_objection_needs_a_real_name_and_evidence(
    profile: RuleProfile, name: str, evidence: tuple[str, ...], fields: list[str]
) -> None:
    ctx = ActionContext(
        on=DAY,
        calendar=CAL,
        running_deadline=_running("publicity", DAY, profile),
        objection=Objection(name, evidence, DAY),
    )
    with pytest.raises(RegistrationInputInvalid) as caught:
        apply(S.IN_PUBLICITY, A.FILE_OBJECTION, R.INTERESTED_PARTY, profile, ctx)
    assert caught.value.status == 422
    assert [e["loc"][-1] for e in caught.value.extensions["errors"]] == fields
    for field in fields:
        assert field in caught.value.detail


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_an_objection_without_any_body_names_both_fields(profile: RuleProfile) -> None:
    ctx = ActionContext(on=DAY, calendar=CAL, running_deadline=_running("publicity", DAY, profile))
    with pytest.raises(RegistrationInputInvalid, match=r"objector_real_name: .*; evidence: "):
        apply(S.IN_PUBLICITY, A.FILE_OBJECTION, R.INTERESTED_PARTY, profile, ctx)


def test_publicity_for_change_and_correction_none_for_cancellation() -> None:
    for profile in RuleProfile:
        for kind in (T.INITIAL, T.CHANGE, T.CORRECTION):
            assert A.PASS_REVIEW in allowed_actions(S.UNDER_REVIEW, R.AUTHORITY, profile, kind)
            assert A.COMPLETE_CANCELLATION not in allowed_actions(S.UNDER_REVIEW, None, profile, kind)
        assert A.PASS_REVIEW not in allowed_actions(S.UNDER_REVIEW, None, profile, T.CANCELLATION)
        assert A.COMPLETE_CANCELLATION in allowed_actions(
            S.UNDER_REVIEW, R.AUTHORITY, profile, T.CANCELLATION
        )


def test_refusal_needs_grounds_and_reasons_and_inner_mongolia_its_own_grounds() -> None:
    ctx = ActionContext(on=DAY, calendar=CAL)
    with pytest.raises(RegistrationInputInvalid, match=r"refusal_grounds: .*; reason: "):
        apply(S.SUBMITTED, A.REFUSE, R.AUTHORITY, N, ctx)
    vague = replace(ctx, refusal_grounds=(RefusalGround.NOT_COMPLIANT,), reason="材料不符合规定")
    assert apply(S.SUBMITTED, A.REFUSE, R.AUTHORITY, N, vague).next_state is S.NOT_ACCEPTED
    with pytest.raises(RegistrationInputInvalid, match="refusal_grounds: inner_mongolia refuses only"):
        apply(S.SUBMITTED, A.REFUSE, R.AUTHORITY, NM, vague)
    # refusing after acceptance is the NM 不予办理 only
    assert A.REFUSE in allowed_actions(S.UNDER_REVIEW, R.AUTHORITY, NM)
    assert A.REFUSE not in allowed_actions(S.UNDER_REVIEW, R.AUTHORITY, N)


def test_refusal_grounds_duplicate_by_content_hash_and_holder() -> None:
    active = [RegisteredItem("sha256:aa", "holder-1"), RegisteredItem("sha256:bb", "holder-2")]
    assert refusal_grounds("sha256:aa", "holder-1", active) == (RefusalGround.DUPLICATE,)
    assert refusal_grounds("sha256:aa", "holder-2", active) == ()
    assert refusal_grounds("sha256:cc", "holder-1", active) == ()
    assert refusal_grounds("sha256:cc", "holder-1", active, fraud_found=True, ownership_disputed=True) == (
        RefusalGround.FRAUD,
        RefusalGround.OWNERSHIP_DISPUTE,
    )


@pytest.mark.parametrize(
    ("profile", "flags"),
    [(N, {"review_overdue", "delay_explanation_due"}), (NM, {"review_overdue", "review_decision_due"})],
)
def test_review_overrun_flags_per_profile(profile: RuleProfile, flags: set[str]) -> None:
    review = _running("formal_review", date(2025, 2, 5), profile)  # due 2025-03-04
    assert overrun_flags(S.UNDER_REVIEW, review, date(2025, 3, 4), profile) == frozenset()
    assert overrun_flags(S.UNDER_REVIEW, review, date(2025, 3, 5), profile) == flags
    acceptance = _running("acceptance", date(2025, 1, 24), profile)  # due 2025-02-05
    assert overrun_flags(S.SUBMITTED, acceptance, date(2025, 2, 6), profile) == {"acceptance_overdue"}
    assert overrun_flags(S.ISSUED, None, date(2025, 2, 6), profile) == frozenset()


def test_explaining_a_delay_only_once_the_review_is_overdue() -> None:
    review = _running("formal_review", date(2025, 2, 5), N)
    ctx = ActionContext(on=date(2025, 3, 4), calendar=CAL, running_deadline=review)
    with pytest.raises(ActionNotAllowed, match=r"\(the review is not overdue\)"):
        apply(S.UNDER_REVIEW, A.EXPLAIN_DELAY, R.AUTHORITY, N, ctx)
    late = apply(S.UNDER_REVIEW, A.EXPLAIN_DELAY, R.AUTHORITY, N, replace(ctx, on=date(2025, 3, 5)))
    assert late.next_state is S.UNDER_REVIEW
    assert late.ledger_event == "registration.review_delay_explained"


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_dismissing_an_objection_picks_its_row_from_pending_objections_and_the_publicity(
    profile: RuleProfile,
) -> None:
    ctx = ActionContext(on=DAY, calendar=CAL)
    with pytest.raises(ActionNotAllowed, match=r"\(the publicity period is unknown\); allowed actions: "):
        apply(S.OBJECTION_REVIEW, A.DISMISS_OBJECTION, R.AUTHORITY, profile, ctx)
    # others pending decide first, whatever the publicity
    pending = replace(ctx, other_pending_objections=2, publicity_end=date(2025, 6, 1))
    assert apply(S.OBJECTION_REVIEW, A.DISMISS_OBJECTION, R.AUTHORITY, profile, pending).next_state is (
        S.OBJECTION_REVIEW
    )
    # publicity_end inclusive: dismissing on its last day resumes the publicity, the day after issues
    on_last_day = replace(ctx, publicity_start=date(2025, 5, 27), publicity_end=DAY)
    resumed = apply(S.OBJECTION_REVIEW, A.DISMISS_OBJECTION, R.AUTHORITY, profile, on_last_day)
    assert resumed.next_state is S.IN_PUBLICITY
    assert resumed.deadline is not None and resumed.deadline.due == DAY
    after = replace(on_last_day, on=date(2025, 6, 11))
    assert apply(S.OBJECTION_REVIEW, A.DISMISS_OBJECTION, R.AUTHORITY, profile, after).next_state is S.ISSUED
    # upholding terminates whatever else is pending
    assert apply(S.OBJECTION_REVIEW, A.UPHOLD_OBJECTION, R.AUTHORITY, profile, pending).next_state is (
        S.TERMINATED
    )
