"""Annual price and operation reports (年度经营情况报告, 004:1035; policy-spec P-RPT-1).

By 31 March each year the authorizing subject (the implementing body) sends the price and data
authorities the operator's report on the year before: business, costs, actual revenue and profit, sales
and revenue per product, the deviation from the maximum allowed revenue and the price adjustments. The
deadline comes from the pricing engine (:func:`.pricing.report.annual_report_status`). Each operating
year of an agreement in force or ended (from the start of operation, else of the term, to the end of the
term) has a report that is due (未到期), overdue (已逾期) or filed (已报送); the state is shown on the
agreement page, the overview and the dashboards of the parties and the authority.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput
from logispace.domains.identity import Principal
from logispace.domains.operation.actors import acts_for, keep, require, today
from logispace.domains.operation.enums import AgreementState
from logispace.domains.operation.errors import OperationStateConflict
from logispace.domains.operation.models import Agreement, AnnualReport
from logispace.domains.operation.policies import retain_until
from logispace.domains.operation.pricing.report import annual_report_status
from logispace.domains.operation.schemas import ReportCreate
from logispace.domains.operation.service import agreement_subject, list_agreements, visible_agreement

DUE, OVERDUE, FILED = "due", "overdue", "filed"
REPORT_SOURCE = "004:1035"


@dataclass(frozen=True)
class ReportState:
    """The report on one operating year: due by 31 March of the next, and where it stands today."""

    year: int
    due_on: date
    state: str  # due | overdue | filed
    submitted_on: date | None
    days_overdue: int


def report_years(agreement: Agreement, at: date) -> list[int]:
    """The operating years of an agreement that has been filed, up to the year of ``at`` (the current
    one's report is due next March) and never past the term's end."""
    if agreement.state is AgreementState.SIGNED or agreement.filed_on is None:
        return []
    first = (agreement.operation_started_on or agreement.term_start).year
    return list(range(first, min(at.year, agreement.term_end.year) + 1))


def reports_of(session: Session, agreement_id: uuid.UUID) -> list[AnnualReport]:
    return list(
        session.scalars(
            select(AnnualReport).where(AnnualReport.agreement_id == agreement_id).order_by(AnnualReport.year)
        )
    )


def report_states(session: Session, agreement: Agreement, at: date | None = None) -> list[ReportState]:
    """Each operating year's report with its due date and its state at ``at`` (today by default)."""
    on = at or today()
    filed = {r.year: r.submitted_on for r in reports_of(session, agreement.id)}
    out = []
    for year in report_years(agreement, on):
        status = annual_report_status(year, on, filed.get(year))
        state = FILED if year in filed else (OVERDUE if status.overdue else DUE)
        out.append(ReportState(year, status.due, state, filed.get(year), status.days_overdue))
    return out


def pending(session: Session, p: Principal, at: date | None = None) -> tuple[int, int]:
    """The reports not yet filed on the agreements the caller sees: (due, overdue)."""
    due = overdue = 0
    for agreement in list_agreements(session, p):
        for s in report_states(session, agreement, at):
            due += s.state == DUE
            overdue += s.state == OVERDUE
    return due, overdue


def file_report(
    session: Session,
    p: Principal,
    agreement_id: uuid.UUID,
    data: ReportCreate,
    settings: Settings | None = None,
) -> AnnualReport:
    """The authorizing subject records the report on a year as sent (报送, 004:1035)."""
    agreement = visible_agreement(session, p, agreement_id)
    require(
        acts_for(p, agreement.implementing_party_id),
        "the authorizing subject sends the annual report (004:1035)",
    )
    years = report_years(agreement, max(data.submitted_on, today()))
    if data.year not in years:
        raise OperationStateConflict(
            f"{data.year} is not an operating year of the agreement", state=agreement.state.value
        )
    if data.submitted_on <= date(data.year, 12, 31):
        raise InvalidInput(
            f"the report on {data.year} is sent after the year ends",
            errors=[
                {"loc": ["body", "submitted_on"], "msg": "after the year reported", "type": "value_error"}
            ],
        )
    if any(r.year == data.year for r in reports_of(session, agreement.id)):
        raise OperationStateConflict(f"the report on {data.year} has been filed already", state=FILED)
    report = AnnualReport(
        agreement_id=agreement.id,
        year=data.year,
        submitted_on=data.submitted_on,
        summary=data.summary,
        submitted_by=p.party_id,
        created_at=utcnow(),
        retain_until=retain_until(data.submitted_on),
    )
    status = annual_report_status(data.year, data.submitted_on, data.submitted_on)
    payload = {
        "agreement_id": str(agreement.id),
        "year": data.year,
        "submitted_on": data.submitted_on.isoformat(),
        "due_on": status.due.isoformat(),
        "late": status.late,
        "source": REPORT_SOURCE,
    }
    subject = agreement_subject(agreement.id)
    return keep(session, settings, p, report, "annual_report_filed", subject, payload, FILED)
