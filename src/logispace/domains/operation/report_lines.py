"""The records of the annual price and operation report (年度经营情况报告的产品记录, 004:1035).

The report on a year gives, per product, the price, the sales volume and the revenue (004:1035), and the
deviation of the revenue from the maximum allowed revenue with who adjusts (004:1031): at 10% or less the
operator its specific prices, above it the authorizing subject the caps (the pricing engine's
:func:`.pricing.annual_adjustment`). The implementing body records each product's figures for an operating
year of the agreement; a product without a formal price has no maximum allowed revenue and no deviation.
The records are read on the agreement page, by the API and as a CSV file (Chinese or field-name headers).
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.identity import Principal
from logispace.domains.operation import pricing
from logispace.domains.operation.actors import acts_for, keep, require, today
from logispace.domains.operation.enums import UseClass
from logispace.domains.operation.errors import OperationNotFound, OperationStateConflict
from logispace.domains.operation.i18n import OPERATION_LABELS
from logispace.domains.operation.models import Agreement, Product, ReportLine
from logispace.domains.operation.policies import retain_until
from logispace.domains.operation.reports import REPORT_SOURCE, report_years
from logispace.domains.operation.schemas import ReportLineCreate
from logispace.domains.operation.service import agreement_subject, visible_agreement

ADJUSTERS = {
    pricing.Adjuster.OPERATOR_SPECIFIC_PRICES: "operator_specific_prices",
    pricing.Adjuster.AUTHORIZING_SUBJECT_CAPS: "authorizing_subject_caps",
}


@dataclass(frozen=True)
class LineView:
    """One product's record with what follows from it (yuan as exact decimals)."""

    year: int
    product_id: uuid.UUID
    product_name: str
    use_class: str
    price_state: str
    billing_unit: str | None
    price: Decimal | None
    volume: int
    revenue: Decimal
    max_allowed_revenue: Decimal | None
    deviation_percent: Decimal | None
    above_mar: bool | None
    adjuster: str | None


FEN = Decimal("0.01")


def _yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(FEN)


def _fen(yuan: str | None) -> int | None:
    return None if yuan is None else int(Decimal(yuan) * 100)


def view(line: ReportLine, product: Product) -> LineView:
    """A record with its deviation from the maximum allowed revenue and who adjusts (004:1031)."""
    revenue = (Decimal(line.revenue_fen) / 100).quantize(FEN)
    mar = _yuan(line.max_revenue_fen)
    adjustment = pricing.annual_adjustment(mar, revenue) if mar else None
    return LineView(
        year=line.year,
        product_id=product.id,
        product_name=product.name,
        use_class=product.use_class.value,
        price_state=product.price_state.value,
        billing_unit=product.billing_unit.value if product.billing_unit else None,
        price=_yuan(line.price_fen),
        volume=line.volume,
        revenue=revenue,
        max_allowed_revenue=mar,
        deviation_percent=adjustment.deviation_percent if adjustment else None,
        above_mar=adjustment.above_mar if adjustment else None,
        adjuster=ADJUSTERS[adjustment.adjuster] if adjustment else None,
    )


def lines_of(session: Session, agreement: Agreement, year: int | None = None) -> list[LineView]:
    """The records of the agreement's reports (of one year), by year and product (in the order built)."""
    query = (
        select(ReportLine, Product)
        .join(Product, Product.id == ReportLine.product_id)
        .where(ReportLine.agreement_id == agreement.id)
        .order_by(ReportLine.year, Product.created_at, Product.id)
    )
    if year is not None:
        query = query.where(ReportLine.year == year)
    return [view(line, product) for line, product in session.execute(query)]


def record_line(
    session: Session,
    p: Principal,
    agreement_id: uuid.UUID,
    data: ReportLineCreate,
    settings: Settings | None = None,
) -> LineView:
    """The authorizing subject records a product's figures for an operating year (004:1035)."""
    agreement = visible_agreement(session, p, agreement_id)
    require(
        acts_for(p, agreement.implementing_party_id),
        "the authorizing subject sends the annual report (004:1035)",
    )
    product = session.get(Product, data.product_id)
    if product is None or product.agreement_id != agreement.id:
        raise OperationNotFound(f"product {data.product_id} not found under the agreement")
    if data.year not in report_years(agreement, today()):
        raise OperationStateConflict(
            f"{data.year} is not an operating year of the agreement", state=agreement.state.value
        )
    taken = select(ReportLine.id).where(
        ReportLine.agreement_id == agreement.id,
        ReportLine.year == data.year,
        ReportLine.product_id == product.id,
    )
    if session.scalar(taken) is not None:
        raise OperationStateConflict(f"the {data.year} record of this product exists already", state="filed")
    line = ReportLine(
        agreement_id=agreement.id,
        year=data.year,
        product_id=product.id,
        price_fen=product.price_fen if product.use_class is UseClass.INDUSTRY else None,
        volume=data.volume,
        revenue_fen=_fen(data.revenue) or 0,
        max_revenue_fen=_fen(data.max_allowed_revenue),
        recorded_by=p.party_id,
        created_at=utcnow(),
        retain_until=retain_until(today()),
    )
    payload = {
        "agreement_id": str(agreement.id),
        "year": data.year,
        "product_id": str(product.id),
        "volume": data.volume,
        "revenue": data.revenue,
        "max_allowed_revenue": data.max_allowed_revenue,
        "source": f"{REPORT_SOURCE}; 004:1031",
    }
    keep(
        session, settings, p, line, "report_line_recorded", agreement_subject(agreement.id), payload, "filed"
    )
    return view(line, product)


COLUMNS = (
    ("year", "报告年度"),
    ("product_name", "产品和服务名称"),
    ("price_state", "收费阶段"),
    ("billing_unit", "计费方式"),
    ("price", "收费标准（元）"),
    ("volume", "销售量"),
    ("revenue", "收入（元）"),
    ("max_allowed_revenue", "最高准许收入（元）"),
    ("deviation_percent", "偏离程度（%）"),
    ("adjuster", "调整主体"),
)
"""The CSV columns: the field name and its Chinese header."""

ZH_VALUES = {
    "price_state": OPERATION_LABELS["price_state"],
    "billing_unit": OPERATION_LABELS["billing_unit"],
    "adjuster": OPERATION_LABELS["adjuster"],
}


def to_csv(lines: list[LineView], *, chinese: bool) -> str:
    """The records as CSV: Chinese headers and labels for a person, field names and codes for a program."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([zh if chinese else name for name, zh in COLUMNS])
    for line in lines:
        row = []
        for name, _ in COLUMNS:
            value = getattr(line, name)
            if chinese and name in ZH_VALUES and value is not None:
                value = ZH_VALUES[name].get(str(value), "")
            row.append("" if value is None else str(value))
        writer.writerow(row)
    return out.getvalue()
