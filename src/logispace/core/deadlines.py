"""Deadline engine (期限): deadlines as data, ``(anchor event, amount, unit, source line)``.

A :class:`DeadlineRule` says "``amount`` ``unit`` after the ``anchor_event``" and cites the seed line that
sets it (policy-spec §0.2). :func:`due_date` applies a rule to the anchor's date on a
:class:`~logispace.core.calendar.WorkingCalendar`. The registration rules of policy-spec §1.4-1.6 are in
:func:`registration_rules`, per rule profile; :func:`initial_registration_due` is the subject-side deadline
(REG-DL-1/2) that the operation domain schedules when an authorized operation starts delivering.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from logispace.core.calendar import WorkingCalendar, add_calendar_days, add_months, add_years
from logispace.core.config import RuleProfile
from logispace.core.errors import Conflict, NotFound

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SOURCE = re.compile(r"^\d{3}:\d+(-\d+)?(; \d{3}:\d+(-\d+)?)*$")


class DeadlineUnit(StrEnum):
    """Unit of a deadline (期限单位), policy-spec §0.2."""

    WORKING_DAY = "working_day"
    CALENDAR_DAY = "calendar_day"
    MONTH = "month"
    YEAR = "year"


class UnknownDeadlineRule(NotFound):
    """No deadline rule (期限规则) has this name in the rule profile."""

    code = "deadline-rule-not-found"
    title = "No such deadline rule"


class DeadlineInputInvalid(Conflict):
    """The dates given for a deadline contradict each other (期限日期矛盾)."""

    code = "deadline-input-invalid"
    title = "The deadline's dates contradict each other"


@dataclass(frozen=True, slots=True)
class DeadlineRule:
    """Deadline rule (期限规则): ``amount`` ``unit`` after ``anchor_event``, as set by ``source``.

    ``source`` cites seed lines as ``FFF:LINE`` (e.g. ``004:794; 004:5412``); ``note`` says what the
    text does not (an [INFERRED] choice or a DESIGN.md decision). A negative amount counts back from the
    anchor (a window that opens before it).
    """

    name: str
    anchor_event: str
    amount: int
    unit: DeadlineUnit
    source: str
    title: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise ValueError(f"rule name {self.name!r} must be snake_case")
        if not _NAME.match(self.anchor_event):
            raise ValueError(f"anchor event {self.anchor_event!r} must be snake_case")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise TypeError(f"amount must be an int, not {type(self.amount).__name__}")
        if not isinstance(self.unit, DeadlineUnit):
            raise TypeError(f"unit must be a DeadlineUnit, not {self.unit!r}")
        if not _SOURCE.match(self.source):
            raise ValueError(f"source {self.source!r} must cite seed lines as FFF:LINE[; FFF:LINE]")

    def describe(self) -> str:
        """E.g. ``20 working_day after application_accepted``."""
        if self.amount < 0:
            return f"{-self.amount} {self.unit} before {self.anchor_event}"
        return f"{self.amount} {self.unit} after {self.anchor_event}"


def due_date(rule: DeadlineRule, anchor_date: date, calendar: WorkingCalendar) -> date:
    """The last day on which the rule is still met (or, for a negative amount, the day a window opens).

    Working days follow :meth:`WorkingCalendar.add_working_days` (the anchor day is not counted);
    months and years clamp to the month's end. A calendar-day deadline that ends on a holiday is not moved
    (the seeds do not say to).
    """
    match rule.unit:
        case DeadlineUnit.WORKING_DAY:
            return calendar.add_working_days(anchor_date, rule.amount)
        case DeadlineUnit.CALENDAR_DAY:
            return add_calendar_days(anchor_date, rule.amount)
        case DeadlineUnit.MONTH:
            return add_months(anchor_date, rule.amount)
        case DeadlineUnit.YEAR:
            return add_years(anchor_date, rule.amount)


@dataclass(frozen=True, slots=True)
class Deadline:
    """Deadline (期限): a rule applied to the date of its anchor event.

    ``provisional`` (暂定): working days were counted in a year whose holiday notice was not yet in the
    calendar, by the statutory holidays alone; the due date is recomputed when the notice is imported.
    """

    rule: DeadlineRule
    anchor_date: date
    due: date
    provisional: bool = False

    def restarted(self, new_anchor: date, calendar: WorkingCalendar) -> Deadline:
        """The same rule counted again from ``new_anchor`` (e.g. acceptance after resubmission, 004:794)."""
        return start_deadline(self.rule, new_anchor, calendar)


def start_deadline(rule: DeadlineRule, anchor_date: date, calendar: WorkingCalendar) -> Deadline:
    """A running deadline: ``rule`` from ``anchor_date``, provisional when a working day was counted in a
    year the calendar knows only provisionally (calendar days, months and years never are)."""
    due = due_date(rule, anchor_date, calendar)
    provisional = rule.unit is DeadlineUnit.WORKING_DAY and calendar.touches_provisional(anchor_date, due)
    return Deadline(rule, anchor_date, due, provisional)


def is_overdue(deadline: Deadline, today: date) -> bool:
    """Whether ``today`` is after the due day (the due day itself is still in time)."""
    return today > deadline.due


def days_overdue(deadline: Deadline, today: date) -> int:
    """Calendar days past the due day; 0 when not overdue."""
    return max(0, (today - deadline.due).days)


def working_days_overdue(deadline: Deadline, today: date, calendar: WorkingCalendar) -> int:
    """Working days past the due day (``today`` counted if it is one); 0 when not overdue."""
    return max(0, calendar.working_days_between(deadline.due, today))


def _rules(*rules: DeadlineRule) -> MappingProxyType[str, DeadlineRule]:
    return MappingProxyType({rule.name: rule for rule in rules})


_OBJECTION_NOTE = (
    "the texts set no time limit for the objection review (policy-spec Q-5); DESIGN.md decides a "
    "configurable SLA, default 10 working days"
)
_CANCELLATION_NM_NOTE = "REG-NM sets no cancellation time limit; DESIGN.md Q-3 uses the national 10 WD"
_COUNT_NOTE = "the day of the anchor event is not counted [INFERRED]"


def _national(objection_review_working_days: int) -> MappingProxyType[str, DeadlineRule]:
    wd, cd, yr = DeadlineUnit.WORKING_DAY, DeadlineUnit.CALENDAR_DAY, DeadlineUnit.YEAR
    return _rules(
        DeadlineRule("acceptance", "application_received", 3, wd, "004:794", "受理", _COUNT_NOTE),
        DeadlineRule("formal_review", "application_accepted", 20, wd, "004:796", "形式审核"),
        DeadlineRule("publicity", "publicity_started", 10, wd, "004:798", "公示期"),
        DeadlineRule(
            "objection_review",
            "objection_filed",
            objection_review_working_days,
            wd,
            "004:800",
            "异议复核",
            _OBJECTION_NOTE,
        ),
        DeadlineRule("cancellation", "cancellation_accepted", 10, wd, "004:787", "注销登记"),
        DeadlineRule("certificate_validity", "coded", 3, yr, "004:810", "登记结果有效期 (自赋码之日起)"),
        DeadlineRule(
            "renewal_window_opens",
            "validity_expires",
            -60,
            cd,
            "004:812",
            "续展 (期满前 60 日内)",
            "calendar days (policy-spec §0.2); the window is valid_to - 60 CD <= today < valid_to (V-REG-07)",
        ),
        DeadlineRule("initial_registration", "first_delivery", 20, wd, "004:781", "首次登记"),
        DeadlineRule(
            "initial_registration_legacy",
            "rules_effective",
            30,
            wd,
            "004:781",
            "施行前已开展授权运营的首次登记",
            "effective date 2025-03-01 (004:845)",
        ),
    )


def _inner_mongolia(objection_review_working_days: int) -> MappingProxyType[str, DeadlineRule]:
    wd, cd, yr = DeadlineUnit.WORKING_DAY, DeadlineUnit.CALENDAR_DAY, DeadlineUnit.YEAR
    return _rules(
        DeadlineRule("acceptance", "application_received", 3, wd, "004:5412; 004:794", "受理", _COUNT_NOTE),
        DeadlineRule("formal_review", "application_accepted", 20, wd, "004:5414; 004:796", "形式审查"),
        DeadlineRule("publicity", "publicity_started", 10, wd, "004:5416; 004:798", "公示期"),
        DeadlineRule(
            "objection_review",
            "objection_filed",
            objection_review_working_days,
            wd,
            "004:5418; 004:800",
            "异议调查审核",
            _OBJECTION_NOTE,
        ),
        DeadlineRule(
            "cancellation", "cancellation_accepted", 10, wd, "004:787", "注销登记", _CANCELLATION_NM_NOTE
        ),
        DeadlineRule(
            "certificate_validity",
            "certificate_issued",
            3,
            yr,
            "004:5454",
            "登记证书有效期 (自发证之日起)",
            "REG-NM anchors validity on the issue date, REG-N on the coding date (policy-spec Q-1)",
        ),
        DeadlineRule(
            "renewal_window_opens",
            "validity_expires",
            -60,
            cd,
            "004:5456; 004:812",
            "续展 (期满前 60 日内, 且需继续使用)",
            "calendar days (policy-spec §0.2); the window is valid_to - 60 CD <= today < valid_to (V-REG-07)",
        ),
        DeadlineRule("initial_registration", "first_delivery", 20, wd, "004:5351; 004:781", "首次登记"),
        DeadlineRule(
            "initial_registration_legacy",
            "rules_effective",
            30,
            wd,
            "004:5351",
            "施行前已开展授权运营的首次登记",
            "REG-NM applies from publication (004:5527), issued 2024-12-30 (004:5223)",
        ),
        DeadlineRule(
            "catalog_registration",
            "catalog_resource_linked",
            20,
            wd,
            "004:4775",
            "目录关联政务数据资源注册/更新",
            "REG-DL-3: a new or changed catalog link is registered or updated within 20 WD",
        ),
    )


RULES_EFFECTIVE: MappingProxyType[RuleProfile, date] = MappingProxyType(
    {
        RuleProfile.NATIONAL: date(2025, 3, 1),  # 004:845
        RuleProfile.INNER_MONGOLIA: date(2024, 12, 30),  # 004:5527 (from publication), 004:5223
    }
)
"""The day the registration rules took effect, per profile (for the legacy rule, REG-DL-2)."""


def registration_rules(
    profile: RuleProfile = RuleProfile.NATIONAL, *, objection_review_working_days: int = 10
) -> MappingProxyType[str, DeadlineRule]:
    """The registration deadlines of policy-spec §1.4-1.6 for ``profile``, by rule name."""
    if objection_review_working_days <= 0:
        raise ValueError("the objection review SLA must be at least one working day")
    if profile is RuleProfile.INNER_MONGOLIA:
        return _inner_mongolia(objection_review_working_days)
    return _national(objection_review_working_days)


def registration_rule(
    name: str, profile: RuleProfile = RuleProfile.NATIONAL, *, objection_review_working_days: int = 10
) -> DeadlineRule:
    """One registration rule by name; :class:`UnknownDeadlineRule` lists the known ones."""
    rules = registration_rules(profile, objection_review_working_days=objection_review_working_days)
    if name not in rules:
        raise UnknownDeadlineRule(
            f"no deadline rule {name!r} in the {profile} profile; known: {', '.join(sorted(rules))}"
        )
    return rules[name]


@dataclass(frozen=True, slots=True)
class InitialRegistrationDue:
    """Initial-registration deadline (首次登记期限) of an authorized operation and the rule applied."""

    due: date
    rule: DeadlineRule
    anchor_date: date

    @property
    def deadline(self) -> Deadline:
        return Deadline(self.rule, self.anchor_date, self.due)


def initial_registration_due(
    operation_start: date,
    first_delivery: date,
    rules_effective_date: date,
    calendar: WorkingCalendar,
    profile: RuleProfile = RuleProfile.NATIONAL,
) -> InitialRegistrationDue:
    """When the subject must file its initial registration (REG-DL-1, REG-DL-2; 004:781, 004:5351).

    An operation that started on or after ``rules_effective_date`` registers within 20 working days
    after its first delivery of data resources or products ("开展授权运营活动并提供数据资源或交付数据产品
    和服务后, 在 20 个工作日内"). One that started before it ("本办法施行前已开展授权运营的") registers
    within 30 working days after the effective date, whatever its delivery date: the text's only
    condition is that operation began before the rules [INFERRED: delivery date ignored for it].
    """
    if first_delivery < operation_start:
        raise DeadlineInputInvalid(
            f"first delivery {first_delivery} is before the authorized operation started ({operation_start})"
        )
    rules = registration_rules(profile)
    if operation_start < rules_effective_date:
        rule = rules["initial_registration_legacy"]
        anchor = rules_effective_date
    else:
        rule = rules["initial_registration"]
        anchor = first_delivery
    return InitialRegistrationDue(due_date(rule, anchor, calendar), rule, anchor)
