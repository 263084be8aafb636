"""The annual report's records as pure functions: the deviation from the maximum allowed revenue and who
adjusts (004:1031: 10% or less the operator, above it the caps), and the CSV in both header styles."""

from __future__ import annotations

import uuid

import pytest

from logispace.domains.operation.enums import BillingUnit, PriceState, UseClass
from logispace.domains.operation.models import Product, ReportLine
from logispace.domains.operation.report_lines import to_csv, view


def _line(revenue_fen: int, mar_fen: int | None) -> ReportLine:
    return ReportLine(year=2026, price_fen=40, volume=1000, revenue_fen=revenue_fen, max_revenue_fen=mar_fen)


PRODUCT = Product(
    id=uuid.uuid4(),
    name="公路运力供需指数接口",
    use_class=UseClass.INDUSTRY,
    price_state=PriceState.FORMAL,
    billing_unit=BillingUnit.CALL,
)


@pytest.mark.parametrize(
    ("revenue_fen", "mar_fen", "deviation", "adjuster"),
    [
        (110_000_00, 100_000_00, "10.000000", "operator_specific_prices"),
        (90_000_00, 100_000_00, "10.000000", "operator_specific_prices"),
        (110_000_01, 100_000_00, "10.000010", "authorizing_subject_caps"),
        (50_000_00, 100_000_00, "50.000000", "authorizing_subject_caps"),
        (50_000_00, None, None, None),
    ],
)
def test_deviation_and_who_adjusts(
    revenue_fen: int, mar_fen: int | None, deviation: str | None, adjuster: str | None
) -> None:
    shown = view(_line(revenue_fen, mar_fen), PRODUCT)
    assert (None if shown.deviation_percent is None else str(shown.deviation_percent)) == deviation
    assert shown.adjuster == adjuster


@pytest.mark.parametrize(
    ("chinese", "header", "row"),
    [
        (True, "报告年度,产品和服务名称", "2026,公路运力供需指数接口,正式收费标准,按调用次数,0.40,1000"),
        (False, "year,product_name", "2026,公路运力供需指数接口,formal,call,0.40,1000"),
    ],
)
def test_csv_headers(chinese: bool, header: str, row: str) -> None:
    lines = to_csv([view(_line(110_000_01, 100_000_00), PRODUCT)], chinese=chinese).splitlines()
    assert lines[0].startswith(header) and lines[1].startswith(row), lines
