"""Quarterly registration statistics (登记统计季报): applications by type, state and industry.

An application counts in the quarter in which it was first submitted (提交, the day the authority
received it); its state is the one it has now. Registrations issued in the quarter are counted by
subject kind. Everything here is public (no party is named).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

from pydantic import BaseModel
from sqlalchemy.orm import Session

from logispace.domains.registration.enums import ApplicationState, ApplicationType, SubjectKind
from logispace.domains.registration.registry import repository as registry_repository

NO_INDUSTRY = "unspecified"
"""The industry key of an application whose information sheet names none (未填写)."""


class StatCount(BaseModel):
    """One bar of a chart: a key (an enum value or an industry's name) and its count."""

    key: str
    count: int


class QuarterlyStatistics(BaseModel):
    """The quarterly statistics report (登记统计季报)."""

    year: int
    quarter: int
    period_start: date
    period_end: date
    applications: int
    by_type: list[StatCount]
    by_state: list[StatCount]
    by_industry: list[StatCount]
    records_issued: int
    records_by_kind: list[StatCount]


def quarter_period(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of ``quarter`` (1-4) of ``year``."""
    first_month = 3 * (quarter - 1) + 1
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, first_month + 3, 1)
    return start, date.fromordinal(end.toordinal() - 1)


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarterly(session: Session, year: int, quarter: int) -> QuarterlyStatistics:
    """The report of one quarter; every type, state and kind is listed, zeros included."""
    start, end = quarter_period(year, quarter)
    types: Counter[str] = Counter()
    states: Counter[str] = Counter()
    industries: Counter[str] = Counter()
    for kind, state, industry, count in registry_repository.filed_counts(session, start, end):
        types[kind.value] += count
        states[state.value] += count
        industries[industry or NO_INDUSTRY] += count
    kinds = Counter(k.value for k in registry_repository.issued_in(session, start, end))
    return QuarterlyStatistics(
        year=year,
        quarter=quarter,
        period_start=start,
        period_end=end,
        applications=sum(types.values()),
        by_type=[StatCount(key=t.value, count=types[t.value]) for t in ApplicationType],
        by_state=[
            StatCount(key=s.value, count=states[s.value])
            for s in ApplicationState
            if s is not ApplicationState.DRAFT
        ],
        by_industry=[
            StatCount(key=k, count=n) for k, n in sorted(industries.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        records_issued=sum(kinds.values()),
        records_by_kind=[StatCount(key=k.value, count=kinds[k.value]) for k in SubjectKind],
    )


CSV_DIMENSIONS = {
    "total": "合计",
    "application_type": "登记类型",
    "state": "办理状态",
    "industry": "所属行业",
    "subject_kind": "登记对象类型",
}
"""The Chinese name of each dimension of the CSV (中文表头)."""


def to_csv(report: QuarterlyStatistics, labels: dict[str, dict[str, str]], *, chinese: bool = False) -> str:
    """The report as CSV: ``dimension, key, label, count`` rows, totals first; with ``chinese`` the
    columns 统计维度, 名称, 数量 with each dimension named in Chinese (no codes)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    period = f"{report.year}Q{report.quarter}"
    rows: list[tuple[str, str, str, int]] = [
        ("total", "applications", f"{period} 登记申请总数", report.applications),
        ("total", "records_issued", f"{period} 发放登记证书数", report.records_issued),
    ]
    sections = (
        ("application_type", report.by_type),
        ("state", report.by_state),
        ("industry", report.by_industry),
        ("subject_kind", report.records_by_kind),
    )
    for dimension, counts in sections:
        names = labels.get(dimension, {})
        for row in counts:
            label = (
                "未填写"
                if dimension == "industry" and row.key == NO_INDUSTRY
                else names.get(row.key, row.key)
            )
            rows.append((dimension, row.key, label, row.count))
    if chinese:
        writer.writerow(["统计维度", "名称", "数量"])
        period_zh = f"{report.year}年第{report.quarter}季度"
        for dimension, _, label, count in rows:
            writer.writerow([CSV_DIMENSIONS[dimension], label.replace(period, period_zh), count])
    else:
        writer.writerow(["dimension", "key", "label", "count"])
        writer.writerows(rows)
    return out.getvalue()
