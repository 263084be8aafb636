"""Each application type from submission to its end state, due dates through core.deadlines.

Expected dates are counted by hand over the State Council notices (国务院办公厅关于2025年/2026年部分节假日
安排的通知): 2025 春节 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked; 国庆 10-01..10-08 off, 09-28
(Sun) and 10-11 (Sat) worked; 2026 元旦 01-01..01-03 off, 01-04 (Sun) worked; 春节 02-15..02-23 off, 02-14
(Sat) and 02-28 (Sat) worked.
"""

from __future__ import annotations

from datetime import date

import pytest

from logispace.core.calendar import WorkingCalendar
from logispace.core.config import RuleProfile
from logispace.domains.registration.enums import (
    ActorRole,
    ApplicationAction,
    ApplicationState,
    ApplicationType,
    CancellationGround,
    RecordAction,
    RecordState,
)
from logispace.domains.registration.errors import ActionNotAllowed
from logispace.domains.registration.rules.applications import ActionContext, Objection, Transition, apply
from logispace.domains.registration.rules.materials import missing_items, required_materials
from logispace.domains.registration.rules.records import RecordContext, certificate_validity
from logispace.domains.registration.rules.records import apply as apply_record

CAL = WorkingCalendar()
D = date.fromisoformat
S, A, R, T = ApplicationState, ApplicationAction, ActorRole, ApplicationType


def _step(
    state: ApplicationState,
    action: ApplicationAction,
    role: ActorRole,
    profile: RuleProfile,
    ctx: ActionContext,
) -> Transition:
    transition = apply(state, action, role, profile, ctx)
    assert transition.previous_state is state
    return transition


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_initial_registration_over_spring_festival_2025(profile: RuleProfile) -> None:
    kind = T.INITIAL
    ctx = ActionContext(on=D("2025-01-24"), calendar=CAL, fields=frozenset(), attachments=frozenset())
    submitted = _step(S.DRAFT, A.SUBMIT, R.SUBJECT, profile, ctx)
    # Fri 01-24 + 3 WD: 01-26 (Sun, 调休), 01-27, then 02-05 after the holiday
    assert submitted.deadline is not None and submitted.deadline.due == D("2025-02-05")
    # the authority finds the file incomplete: one notice with every missing item
    notice = _step(
        S.SUBMITTED,
        A.REQUEST_SUPPLEMENT,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2025-01-27"), calendar=CAL, fields=frozenset(), attachments=frozenset()),
    )
    assert notice.notice is not None and len(notice.notice.missing) == len(
        required_materials(kind, ctx.subject_kind, profile)
    )
    # resubmitted complete on 02-07: the acceptance clock restarts (02-08 Sat 调休, 02-10, 02-11)
    everything = {n for r in required_materials(kind, ctx.subject_kind, profile) for n in r.names}
    complete = ActionContext(
        on=D("2025-02-07"), calendar=CAL, fields=frozenset(everything), attachments=frozenset(everything)
    )
    assert missing_items(kind, ctx.subject_kind, profile, everything, everything).complete
    resubmitted = _step(S.PENDING_SUPPLEMENT, A.RESUBMIT, R.SUBJECT, profile, complete)
    assert resubmitted.deadline is not None
    assert resubmitted.deadline.due == D("2025-02-11")
    assert resubmitted.deadline == submitted.deadline.restarted(D("2025-02-07"), CAL)
    # accepted 02-11: formal review 20 WD -> 03-11 (02-12..02-14, then 3 weeks, 03-03..03-07, 03-10, 03-11)
    accepted = _step(
        S.SUBMITTED,
        A.ACCEPT,
        R.AUTHORITY,
        profile,
        ActionContext(
            on=D("2025-02-11"), calendar=CAL, fields=complete.fields, attachments=complete.attachments
        ),
    )
    assert accepted.next_state is S.UNDER_REVIEW
    assert accepted.deadline is not None and accepted.deadline.due == D("2025-03-11")
    # review passed 03-04: publicity 10 WD, 03-05..03-18
    published = _step(
        S.UNDER_REVIEW, A.PASS_REVIEW, R.AUTHORITY, profile, ActionContext(on=D("2025-03-04"), calendar=CAL)
    )
    assert published.deadline is not None and published.deadline.due == D("2025-03-18")
    during = ActionContext(on=D("2025-03-18"), calendar=CAL, running_deadline=published.deadline)
    with pytest.raises(ActionNotAllowed, match="in state in_publicity"):
        _step(S.IN_PUBLICITY, A.CLOSE_PUBLICITY, R.SYSTEM, profile, during)
    after = ActionContext(on=D("2025-03-19"), calendar=CAL, running_deadline=published.deadline)
    issued = _step(S.IN_PUBLICITY, A.CLOSE_PUBLICITY, R.SYSTEM, profile, after)
    assert issued.next_state is S.ISSUED
    validity = certificate_validity(profile, CAL, coded_on=D("2025-03-19"), issued_on=D("2025-03-19"))
    assert validity.valid_to == D("2028-03-19")


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_change_over_national_day_2025_with_a_dismissed_objection(profile: RuleProfile) -> None:
    ctx = ActionContext(
        on=D("2025-09-26"), calendar=CAL, application_type=T.CHANGE, initial_registration_id="R1"
    )
    submitted = _step(S.DRAFT, A.SUBMIT, R.SUBJECT, profile, ctx)
    assert submitted.deadline is not None and submitted.deadline.due == D("2025-09-30")  # 09-28 Sun worked
    accepted = _step(
        S.SUBMITTED,
        A.ACCEPT,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2025-09-30"), calendar=CAL, application_type=T.CHANGE),
    )
    # 20 WD from 09-30: 10-09, 10-10, 10-11 (Sat 调休), ... 11-04
    assert accepted.deadline is not None and accepted.deadline.due == D("2025-11-04")
    published = _step(
        S.UNDER_REVIEW,
        A.PASS_REVIEW,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2025-10-20"), calendar=CAL, application_type=T.CHANGE),
    )
    assert published.deadline is not None and published.deadline.due == D("2025-11-03")
    objection = Objection("李四", ("权属证明.pdf",), D("2025-10-30"))
    objected = _step(
        S.IN_PUBLICITY,
        A.FILE_OBJECTION,
        R.INTERESTED_PARTY,
        profile,
        ActionContext(
            on=D("2025-10-30"),
            calendar=CAL,
            application_type=T.CHANGE,
            objection=objection,
            running_deadline=published.deadline,
        ),
    )
    assert objected.next_state is S.OBJECTION_REVIEW
    assert objected.deadline is not None and objected.deadline.due == D(
        "2025-11-13"
    )  # default SLA 10 WD
    issued = _step(
        S.OBJECTION_REVIEW,
        A.DISMISS_OBJECTION,
        R.AUTHORITY,
        profile,
        ActionContext(
            on=D("2025-11-10"),
            calendar=CAL,
            application_type=T.CHANGE,
            publicity_start=D("2025-10-20"),
            publicity_end=published.deadline.due,
        ),
    )
    assert issued.next_state is S.ISSUED  # the last pending objection, dismissed after publicity_end
    amended = apply_record(
        RecordState.VALID,
        RecordAction.AMEND,
        R.AUTHORITY,
        profile,
        RecordContext(on=D("2025-11-10"), calendar=CAL, valid_to=D("2028-03-19")),
    )
    assert (amended.next_state, amended.valid_to) == (RecordState.VALID, D("2028-03-19"))


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_correction_by_an_interested_party_over_new_year_2026_objection_upheld(profile: RuleProfile) -> None:
    ctx = ActionContext(
        on=D("2025-12-30"), calendar=CAL, application_type=T.CORRECTION, initial_registration_id="R1"
    )
    submitted = _step(S.DRAFT, A.SUBMIT, R.INTERESTED_PARTY, profile, ctx)
    assert submitted.deadline is not None and submitted.deadline.due == D(
        "2026-01-05"
    )  # 12-31, 01-04 Sun, 01-05
    accepted = _step(
        S.SUBMITTED,
        A.ACCEPT,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2026-01-05"), calendar=CAL, application_type=T.CORRECTION),
    )
    assert accepted.deadline is not None and accepted.deadline.due == D("2026-02-02")
    published = _step(
        S.UNDER_REVIEW,
        A.PASS_REVIEW,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2026-02-10"), calendar=CAL, application_type=T.CORRECTION),
    )
    # 02-11, 02-12, 02-13, 02-14 (Sat 调休), holiday 02-15..02-23, 02-24..02-27, 02-28 (Sat 调休), 03-02
    assert published.deadline is not None and published.deadline.due == D("2026-03-02")
    objection = Objection("王五", ("登记主体未同意",), D("2026-03-02"))
    objected = _step(
        S.IN_PUBLICITY,
        A.FILE_OBJECTION,
        R.INTERESTED_PARTY,
        profile,
        ActionContext(
            on=D("2026-03-02"),
            calendar=CAL,
            application_type=T.CORRECTION,
            objection=objection,
            running_deadline=published.deadline,
        ),
    )
    terminated = _step(
        S.OBJECTION_REVIEW,
        A.UPHOLD_OBJECTION,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2026-03-05"), calendar=CAL, application_type=T.CORRECTION),
    )
    assert (objected.next_state, terminated.next_state) == (S.OBJECTION_REVIEW, S.TERMINATED)


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_cancellation_over_spring_festival_2026_without_publicity(profile: RuleProfile) -> None:
    kind = T.CANCELLATION
    ctx = ActionContext(on=D("2026-02-11"), calendar=CAL, application_type=kind, initial_registration_id="R1")
    submitted = _step(S.DRAFT, A.SUBMIT, R.SUBJECT, profile, ctx)
    assert submitted.deadline is not None and submitted.deadline.due == D("2026-02-14")  # Sat 调休
    accepted = _step(
        S.SUBMITTED,
        A.ACCEPT,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2026-02-14"), calendar=CAL, application_type=kind),
    )
    # 10 WD (Q-3, both profiles): 02-24..02-27, 02-28 (Sat 调休), 03-02..03-06
    assert accepted.deadline is not None
    assert (accepted.deadline.rule.name, accepted.deadline.due) == ("cancellation", D("2026-03-06"))
    with pytest.raises(ActionNotAllowed, match="allowed actions: complete_cancellation"):
        _step(
            S.UNDER_REVIEW,
            A.PASS_REVIEW,
            R.AUTHORITY,
            profile,
            ActionContext(on=D("2026-03-02"), calendar=CAL, application_type=kind),
        )
    done = _step(
        S.UNDER_REVIEW,
        A.COMPLETE_CANCELLATION,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2026-03-06"), calendar=CAL, application_type=kind),
    )
    assert done.next_state is S.CANCELLED
    record = apply_record(
        RecordState.VALID,
        RecordAction.CANCEL,
        R.AUTHORITY,
        profile,
        RecordContext(
            on=D("2026-03-06"),
            calendar=CAL,
            valid_to=D("2028-03-19"),
            cancellation_ground=CancellationGround.LOST,
        ),
    )
    assert record.next_state is RecordState.CANCELLED


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_two_objectors_in_one_publicity_dismissed_before_its_end_then_closed(profile: RuleProfile) -> None:
    """004:800: anyone may object during the whole publicity, also while an earlier objection is reviewed;
    each objection has its own review SLA (Q-5); dismissing the last one before the end resumes the
    publicity (the late objector keeps the right until publicity_end), which then closes as usual."""
    published = _step(
        S.UNDER_REVIEW, A.PASS_REVIEW, R.AUTHORITY, profile, ActionContext(on=D("2025-06-03"), calendar=CAL)
    )
    assert published.deadline is not None and published.deadline.due == D("2025-06-17")
    window = {"publicity_start": D("2025-06-03"), "publicity_end": D("2025-06-17")}
    first = _step(
        S.IN_PUBLICITY,
        A.FILE_OBJECTION,
        R.INTERESTED_PARTY,
        profile,
        ActionContext(
            on=D("2025-06-04"),
            calendar=CAL,
            objection=Objection("张三", ("合同.pdf",), D("2025-06-04")),
            running_deadline=published.deadline,
        ),
    )
    assert first.deadline is not None and first.deadline.due == D("2025-06-18")
    second = _step(
        S.OBJECTION_REVIEW,
        A.FILE_OBJECTION,
        R.INTERESTED_PARTY,
        profile,
        ActionContext(
            on=D("2025-06-06"),
            calendar=CAL,
            objection=Objection("李四", ("授权书.pdf",), D("2025-06-06")),
            running_deadline=first.deadline,
            **window,
        ),
    )
    assert (second.next_state, second.ledger_event) == (S.OBJECTION_REVIEW, "registration.objection_filed")
    assert second.deadline is not None and second.deadline.due == D("2025-06-20")  # its own SLA
    one_of_two = _step(
        S.OBJECTION_REVIEW,
        A.DISMISS_OBJECTION,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2025-06-09"), calendar=CAL, other_pending_objections=1, **window),
    )
    assert (one_of_two.next_state, one_of_two.deadline) == (S.OBJECTION_REVIEW, None)
    assert one_of_two.ledger_event == "registration.objection_dismissed"
    last = _step(
        S.OBJECTION_REVIEW,
        A.DISMISS_OBJECTION,
        R.AUTHORITY,
        profile,
        ActionContext(on=D("2025-06-10"), calendar=CAL, **window),
    )
    assert (last.next_state, last.ledger_event) == (S.IN_PUBLICITY, "registration.publicity_resumed")
    assert last.deadline is not None  # the same period, not a new one
    assert (last.deadline.anchor_date, last.deadline.due) == (D("2025-06-03"), D("2025-06-17"))
    late = ActionContext(
        on=D("2025-06-18"),
        calendar=CAL,
        objection=Objection("王五", ("证据",), D("2025-06-18")),
        running_deadline=last.deadline,
    )
    with pytest.raises(ActionNotAllowed, match=r"publicity closed on 2025-06-17"):
        _step(S.IN_PUBLICITY, A.FILE_OBJECTION, R.INTERESTED_PARTY, profile, late)
    issued = _step(S.IN_PUBLICITY, A.CLOSE_PUBLICITY, R.SYSTEM, profile, late)
    assert issued.next_state is S.ISSUED


@pytest.mark.parametrize("profile", list(RuleProfile))
def test_an_objection_after_publicity_end_is_refused_while_another_is_under_review(
    profile: RuleProfile,
) -> None:
    review = _step(
        S.IN_PUBLICITY,
        A.FILE_OBJECTION,
        R.INTERESTED_PARTY,
        profile,
        ActionContext(
            on=D("2025-06-17"),
            calendar=CAL,
            objection=Objection("张三", ("合同.pdf",), D("2025-06-17")),
            publicity_start=D("2025-06-03"),
            publicity_end=D("2025-06-17"),
        ),
    )
    ctx = ActionContext(
        on=D("2025-06-18"),
        calendar=CAL,
        objection=Objection("李四", ("证据",), D("2025-06-18")),
        running_deadline=review.deadline,
        publicity_start=D("2025-06-03"),
        publicity_end=D("2025-06-17"),
    )
    refused = r"in state objection_review \(publicity closed on 2025-06-17\)"
    with pytest.raises(ActionNotAllowed, match=refused):
        _step(S.OBJECTION_REVIEW, A.FILE_OBJECTION, R.INTERESTED_PARTY, profile, ctx)
    upheld = _step(S.OBJECTION_REVIEW, A.UPHOLD_OBJECTION, R.AUTHORITY, profile, ctx)
    assert upheld.next_state is S.TERMINATED  # upholding any one terminates (终止登记, 004:800)
