"""Operating reports to the authority (运营数据报送, X-5, 004:5091): monthly, quarterly and annual figures of
the exchange as CSV. A period is ``month`` (number 1-12), ``quarter`` (1-4) or ``year``; times are Beijing
time (the period's bounds are Beijing midnights)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import InvalidInput
from logispace.domains.identity import Principal
from logispace.domains.trading.enums import ContractState, ObjectState
from logispace.domains.trading.errors import NotAllowed
from logispace.domains.trading.models import Dispute, Listing, TradeContract, TradeObject, TradingRefusal
from logispace.domains.trading.service import is_exchange, yuan

BEIJING = timezone(timedelta(hours=8))
PERIODS = {"month": 12, "quarter": 4, "year": 1}


@dataclass(frozen=True)
class Period:
    kind: str
    year: int
    number: int
    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        return {"month": f"{self.year}-{self.number:02d}", "quarter": f"{self.year}-Q{self.number}"}.get(
            self.kind, str(self.year)
        )


def period(kind: str, year: int, number: int = 1) -> Period:
    """The bounds of a reporting period in Beijing time; 422 for a number outside it."""
    if kind not in PERIODS or not 1 <= number <= PERIODS[kind]:
        raise InvalidInput(f"a {kind} report has a number from 1 to {PERIODS.get(kind, 1)}")
    first = {"month": number, "quarter": 3 * number - 2, "year": 1}[kind]
    months = {"month": 1, "quarter": 3, "year": 12}[kind]
    start = datetime(year, first, 1, tzinfo=BEIJING)
    last = first + months
    end = datetime(year + (last - 1) // 12, (last - 1) % 12 + 1, 1, tzinfo=BEIJING)
    return Period(kind, year, number, start, end)


def _count(session: Session, column: Any, start: datetime, end: datetime, *where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).where(column >= start, column < end, *where)) or 0)


def _sum(
    session: Session, column: Any, at: Any, start: datetime, end: datetime, *where: ColumnElement[bool]
) -> Decimal:
    total = session.scalar(select(func.coalesce(func.sum(column), 0)).where(at >= start, at < end, *where))
    return yuan(int(total or 0)) or Decimal("0.00")


def report_rows(session: Session, p: Principal, kind: str, year: int, number: int) -> list[tuple[str, str]]:
    """(indicator, value) of one period: the exchange's operating data (X-5, 004:5091)."""
    if not is_exchange(p):
        raise NotAllowed("the exchange reports its operating data to the authority (004:5091)")
    q = period(kind, year, number)
    s, e = q.start, q.end
    settled = (TradeContract.state == ContractState.SETTLED,)
    rows = [
        ("period", q.label),
        ("objects_submitted", _count(session, TradeObject.created_at, s, e)),
        (
            "objects_registered",
            _count(session, TradeObject.reviewed_at, s, e, TradeObject.state == ObjectState.REGISTERED),
        ),
        (
            "objects_refused",
            _count(session, TradeObject.reviewed_at, s, e, TradeObject.state == ObjectState.REFUSED),
        ),
        ("listings", _count(session, Listing.listed_at, s, e)),
        ("contracts_signed", _count(session, TradeContract.signed_at, s, e)),
        ("contract_amount_signed", _sum(session, TradeContract.amount_fen, TradeContract.signed_at, s, e)),
        ("contracts_settled", _count(session, TradeContract.settled_at, s, e, *settled)),
        ("amount_settled", _sum(session, TradeContract.amount_fen, TradeContract.settled_at, s, e, *settled)),
        (
            "contracts_refunded",
            _count(session, TradeContract.settled_at, s, e, TradeContract.state == ContractState.REFUNDED),
        ),
        (
            "buyer_subsidies",
            _sum(session, TradeContract.subsidy_fen, TradeContract.settled_at, s, e, *settled),
        ),
        ("disputes", _count(session, Dispute.raised_at, s, e)),
        ("refusals", _count(session, TradingRefusal.refused_at, s, e)),
    ]
    return [(name, str(value)) for name, value in rows]


def current_period() -> datetime:
    """Now in Beijing time: the default year of the report pages."""
    return utcnow().astimezone(BEIJING)


def report_csv(rows: list[tuple[str, str]], header: tuple[str, str] = ("indicator", "value")) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(list(header))
    writer.writerows(rows)
    return out.getvalue()
