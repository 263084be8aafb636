"""Deadline engine: rules as data with their seed lines, due dates, overdue checks, subject-side deadlines.

Expected dates are counted by hand over the 2025/2026 State Council holiday notices (see test_calendar.py).
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from logispace.core.calendar import WorkingCalendar
from logispace.core.config import RuleProfile
from logispace.core.deadlines import (
    RULES_EFFECTIVE,
    DeadlineInputInvalid,
    DeadlineRule,
    DeadlineUnit,
    UnknownDeadlineRule,
    days_overdue,
    due_date,
    initial_registration_due,
    is_overdue,
    registration_rule,
    registration_rules,
    start_deadline,
    working_days_overdue,
)
from tests.data import SOURCES

D = date.fromisoformat
CAL = WorkingCalendar()
SEEDS = SOURCES
N, NM = RuleProfile.NATIONAL, RuleProfile.INNER_MONGOLIA
WD, CD, YEAR = DeadlineUnit.WORKING_DAY, DeadlineUnit.CALENDAR_DAY, DeadlineUnit.YEAR

# (profile, rule) -> (anchor event, amount, unit, source, words the first cited line must contain)
REGISTRY = {
    (N, "acceptance"): ("application_received", 3, WD, "004:794", "3 个工作日内予以受理"),
    (NM, "acceptance"): ("application_received", 3, WD, "004:5412; 004:794", "3 个工作日之内予以受理"),
    (N, "formal_review"): ("application_accepted", 20, WD, "004:796", "20 个工作日之内完成审核"),
    (NM, "formal_review"): ("application_accepted", 20, WD, "004:5414; 004:796", "20 个工作日之内完成审查"),
    (N, "publicity"): ("publicity_started", 10, WD, "004:798", "公示期为 10 个工作日"),
    (NM, "publicity"): ("publicity_started", 10, WD, "004:5416; 004:798", "公示期为 10 个工作日"),
    (N, "objection_review"): ("objection_filed", 10, WD, "004:800", "进行复核"),
    (NM, "objection_review"): ("objection_filed", 10, WD, "004:5418; 004:800", "调查审核"),
    (N, "cancellation"): ("cancellation_accepted", 10, WD, "004:787", "10 个工作日之内完成注销"),
    (NM, "cancellation"): ("cancellation_accepted", 10, WD, "004:787", "10 个工作日之内完成注销"),
    (N, "certificate_validity"): ("coded", 3, YEAR, "004:810", "原则上为三年，自赋码之日起计算"),
    (NM, "certificate_validity"): (
        "certificate_issued",
        3,
        YEAR,
        "004:5454",
        "原则上有效期三年,自发证之日起",
    ),
    (N, "renewal_window_opens"): ("validity_expires", -60, CD, "004:812", "期满前 60 日内"),
    (NM, "renewal_window_opens"): ("validity_expires", -60, CD, "004:5456; 004:812", "期满前 60 日内"),
    (N, "initial_registration"): ("first_delivery", 20, WD, "004:781", "在 20 个工作日内提交首次登记申请"),
    (NM, "initial_registration"): (
        "first_delivery",
        20,
        WD,
        "004:5351; 004:781",
        "在 20 个工作日内提交首次登记申请",
    ),
    (N, "initial_registration_legacy"): ("rules_effective", 30, WD, "004:781", "施行后的 30 个工作日内"),
    (NM, "initial_registration_legacy"): ("rules_effective", 30, WD, "004:5351", "施行后的 30 个工作日内"),
    (NM, "catalog_registration"): ("catalog_resource_linked", 20, WD, "004:4775", "20 个工作日内完成注册"),
}


def seed_line(ref: str) -> str:
    prefix, line = ref.split(":")
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    first = int(line.split("-")[0])
    return path.read_text(encoding="utf-8").splitlines()[first - 1]


@pytest.mark.parametrize(("key", "expected"), list(REGISTRY.items()), ids=[f"{p}-{n}" for p, n in REGISTRY])
def test_registry_rules_and_their_seed_lines(key: tuple[RuleProfile, str], expected: tuple) -> None:  # type: ignore[type-arg]
    profile, name = key
    anchor, amount, unit, source, words = expected
    rule = registration_rules(profile)[name]
    assert (rule.anchor_event, rule.amount, rule.unit, rule.source) == (anchor, amount, unit, source)
    refs = source.split("; ")
    assert words in seed_line(refs[0])
    for ref in refs[1:]:
        assert seed_line(ref).strip()


def test_registry_has_exactly_the_tabled_rules() -> None:
    for profile in RuleProfile:
        assert set(registration_rules(profile)) == {n for p, n in REGISTRY if p is profile}


def test_effective_dates_match_the_seeds() -> None:
    assert RULES_EFFECTIVE[N] == D("2025-03-01")
    assert "本办法自 2025 年 3 月 1 日起施行" in seed_line("004:845")
    assert RULES_EFFECTIVE[NM] == D("2024-12-30")
    assert seed_line("004:5223") == "2024年12月30日"
    assert "自公布之日起试行" in seed_line("004:5527")


def test_objection_review_sla_is_configurable() -> None:
    assert registration_rules(N, objection_review_working_days=15)["objection_review"].amount == 15
    with pytest.raises(ValueError, match="at least one working day"):
        registration_rules(N, objection_review_working_days=0)


@pytest.mark.parametrize(
    ("profile", "name", "anchor", "expected"),
    [
        (N, "acceptance", "2025-01-24", "2025-02-05"),  # over 春节 with the make-up Sunday
        (N, "formal_review", "2025-09-26", "2025-10-30"),  # over 国庆 with both make-up days
        # 02-11, 12, 13, 14 (Sat, 调休), 24, 25, 26, 27, 28 (Sat, 调休), 03-02
        (N, "publicity", "2026-02-10", "2026-03-02"),
        # 09-22, 23, 24, (中秋 25-27 off), 28, 29, 30, (国庆 off), 10-08, 09, 10 (Sat, 调休), 12
        (NM, "publicity", "2026-09-21", "2026-10-12"),
        # 10-09, 10, 11 (Sat, 调休), 13, 14, 15, 16, 17, 20, 21
        (N, "cancellation", "2025-09-30", "2025-10-21"),
        (N, "certificate_validity", "2025-03-01", "2028-03-01"),
        (N, "renewal_window_opens", "2028-03-01", "2028-01-01"),
        (N, "initial_registration_legacy", "2025-03-01", "2025-04-14"),
    ],
)
def test_due_dates(profile: RuleProfile, name: str, anchor: str, expected: str) -> None:
    assert due_date(registration_rules(profile)[name], D(anchor), CAL) == D(expected)


@pytest.mark.parametrize(
    ("profile", "start", "delivery", "rule", "anchor", "due"),
    [
        # started after the rules: 20 WD after first delivery, over 春节 2026 (see publicity above, +10 WD)
        (N, "2026-01-05", "2026-02-10", "initial_registration", "2026-02-10", "2026-03-16"),
        # started on the effective day itself is not "before" it
        (N, "2025-03-01", "2025-03-03", "initial_registration", "2025-03-03", "2025-03-31"),
        # legacy: 30 WD after 2025-03-01 (清明 04-04 off) whatever the delivery date
        (N, "2024-10-01", "2024-11-01", "initial_registration_legacy", "2025-03-01", "2025-04-14"),
        (N, "2025-02-28", "2025-06-02", "initial_registration_legacy", "2025-03-01", "2025-04-14"),
        # inner_mongolia: from 2024-12-30; 12-31, 01-02.., 01-26 (Sun, 调休), 02-08 (Sat, 调休), 30th is 02-17
        (NM, "2024-10-01", "2024-12-01", "initial_registration_legacy", "2024-12-30", "2025-02-17"),
        # 01-21..24 (4), 01-26 (Sun, 调休), 27, (春节 off), 02-05, 06, 07, 08 (Sat, 调休), 02-10..14, 17..21
        (NM, "2025-01-06", "2025-01-20", "initial_registration", "2025-01-20", "2025-02-21"),
    ],
)
def test_initial_registration_due(
    profile: RuleProfile, start: str, delivery: str, rule: str, anchor: str, due: str
) -> None:
    result = initial_registration_due(D(start), D(delivery), RULES_EFFECTIVE[profile], CAL, profile)
    assert result.rule.name == rule
    assert result.anchor_date == D(anchor)
    assert result.due == D(due)
    assert result.deadline.due == D(due)
    assert result.rule.source == registration_rules(profile)[rule].source


def test_a_delivery_before_the_operation_started_is_refused() -> None:
    with pytest.raises(DeadlineInputInvalid) as caught:
        initial_registration_due(D("2026-03-02"), D("2026-03-01"), RULES_EFFECTIVE[N], CAL)
    assert caught.value.status == 409


def test_overdue_is_after_the_due_day() -> None:
    deadline = start_deadline(registration_rule("formal_review"), D("2025-09-26"), CAL)
    assert deadline.due == D("2025-10-30")
    assert not is_overdue(deadline, D("2025-10-30"))
    assert days_overdue(deadline, D("2025-10-30")) == 0
    assert days_overdue(deadline, D("2025-10-01")) == 0
    assert is_overdue(deadline, D("2025-10-31"))
    assert days_overdue(deadline, D("2025-10-31")) == 1
    assert days_overdue(deadline, D("2025-11-03")) == 4
    assert working_days_overdue(deadline, D("2025-11-03"), CAL) == 2  # 10-31 and 11-03
    assert working_days_overdue(deadline, D("2025-10-20"), CAL) == 0


def test_the_acceptance_clock_restarts_on_resubmission() -> None:
    first = start_deadline(registration_rule("acceptance"), D("2025-01-24"), CAL)
    assert first.due == D("2025-02-05")
    again = first.restarted(D("2025-02-07"), CAL)  # 02-08 (Sat, 调休), 02-10, 02-11
    assert (again.anchor_date, again.due, again.rule) == (D("2025-02-07"), D("2025-02-11"), first.rule)


def test_an_unknown_rule_names_the_known_ones() -> None:
    with pytest.raises(UnknownDeadlineRule, match="known: acceptance, cancellation") as caught:
        registration_rule("nope")
    assert caught.value.status == 404
    assert registration_rule("catalog_registration", NM).amount == 20
    with pytest.raises(UnknownDeadlineRule):
        registration_rule("catalog_registration", N)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": "Formal Review"}, ValueError),
        ({"anchor_event": "accepted!"}, ValueError),
        ({"source": "004-794"}, ValueError),
        ({"source": "DESIGN.md"}, ValueError),
        ({"source": "004:794;004:5412"}, ValueError),
        ({"amount": True}, TypeError),
        ({"amount": 2.5}, TypeError),
        ({"unit": "working_day"}, TypeError),
    ],
)
def test_a_rule_validates_itself(changes: dict[str, object], error: type[Exception]) -> None:
    fields = {
        "name": "formal_review",
        "anchor_event": "application_accepted",
        "amount": 20,
        "unit": WD,
        "source": "004:796",
    }
    DeadlineRule(**fields)  # type: ignore[arg-type]
    with pytest.raises(error):
        DeadlineRule(**(fields | changes))  # type: ignore[arg-type]


def test_a_rule_is_frozen_and_describes_itself() -> None:
    rule = registration_rule("renewal_window_opens")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule.amount = 30  # type: ignore[misc]
    assert rule.describe() == "60 calendar_day before validity_expires"
    assert registration_rule("formal_review").describe() == "20 working_day after application_accepted"


def test_month_rule_clamps() -> None:
    rule = DeadlineRule("monthly", "period_end", 1, DeadlineUnit.MONTH, "004:5450")
    assert due_date(rule, D("2025-01-31"), CAL) == D("2025-02-28")
