"""Annual price and operation report (年度经营情况报告, 004:1035).

By the end of March each year (每年3月底前) the authorizing subject sends the price and data authorities the
operator's report on the previous year: business, costs, actual revenue and profit, sales and revenue per
product, the deviation of actual revenue from MAR, and the price adjustments. The deadline is data
(policy-spec §0.2): 3 months after the end of the operating year, i.e. 31 March.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from logispace.core.calendar import add_months
from logispace.core.deadlines import Deadline, DeadlineRule, DeadlineUnit, days_overdue, is_overdue
from logispace.domains.operation.pricing.sources import REPORT

ANNUAL_REPORT_RULE = DeadlineRule(
    name="price_operation_report",
    anchor_event="operating_year_end",
    amount=3,
    unit=DeadlineUnit.MONTH,
    source=REPORT.line,
    title="年度经营情况报告",
    note="每年3月底前 read as by 31 March of the year after the one reported (policy-spec §0.2)",
)


def annual_report_deadline(year: int) -> Deadline:
    """The report on ``year``: anchored on 31 December of it, due 31 March of the next year."""
    year_end = date(year, 12, 31)
    return Deadline(ANNUAL_REPORT_RULE, year_end, add_months(year_end, ANNUAL_REPORT_RULE.amount))


@dataclass(frozen=True, slots=True)
class ReportStatus:
    """Where the report on ``year`` stands at a date (报告状态): its due date, whether it is overdue (not
    submitted and the due day passed) and by how many calendar days, and whether it came in late."""

    year: int
    due: date
    submitted_on: date | None
    overdue: bool
    days_overdue: int
    late: bool


def annual_report_status(year: int, at: date, submitted_on: date | None = None) -> ReportStatus:
    """The report on ``year`` at ``at``: the due day itself is still in time."""
    deadline = annual_report_deadline(year)
    pending = submitted_on is None or submitted_on > at
    overdue = pending and is_overdue(deadline, at)
    return ReportStatus(
        year=year,
        due=deadline.due,
        submitted_on=None if pending else submitted_on,
        overdue=overdue,
        days_overdue=days_overdue(deadline, at) if overdue else 0,
        late=not pending and submitted_on is not None and submitted_on > deadline.due,
    )
