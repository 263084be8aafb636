"""The exchange's operating data by month, quarter and year as CSV (X-5, 004:5091)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from logispace.core.clock import utcnow
from logispace.domains.trading.reports import period
from tests.identity.support import assert_problem
from tests.trading.conftest import API, Market, signed


@pytest.mark.parametrize(
    ("kind", "year", "number", "start_utc", "end_utc", "label"),
    [
        (
            "month",
            2026,
            3,
            datetime(2026, 2, 28, 16, tzinfo=UTC),
            datetime(2026, 3, 31, 16, tzinfo=UTC),
            "2026-03",
        ),
        (
            "month",
            2026,
            12,
            datetime(2026, 11, 30, 16, tzinfo=UTC),
            datetime(2026, 12, 31, 16, tzinfo=UTC),
            "2026-12",
        ),
        (
            "quarter",
            2026,
            4,
            datetime(2026, 9, 30, 16, tzinfo=UTC),
            datetime(2026, 12, 31, 16, tzinfo=UTC),
            "2026-Q4",
        ),
        (
            "quarter",
            2027,
            1,
            datetime(2026, 12, 31, 16, tzinfo=UTC),
            datetime(2027, 3, 31, 16, tzinfo=UTC),
            "2027-Q1",
        ),
        (
            "year",
            2026,
            1,
            datetime(2025, 12, 31, 16, tzinfo=UTC),
            datetime(2026, 12, 31, 16, tzinfo=UTC),
            "2026",
        ),
    ],
)
def test_periods_are_beijing_time(
    kind: str, year: int, number: int, start_utc: datetime, end_utc: datetime, label: str
) -> None:
    p = period(kind, year, number)
    assert (p.start, p.end, p.label) == (start_utc, end_utc, label)


def test_a_month_report_counts_the_trade(client: TestClient, market: Market) -> None:
    cid = signed(client, market, price="250000.00")["contract_id"]
    client.post(f"{API}/contracts/{cid}/delivery", json={}, headers=market.provider.headers)
    client.post(
        f"{API}/contracts/{cid}/settlement", json={"outcome": "release"}, headers=market.demander.headers
    )
    now = period("month", utcnow().year, utcnow().month)
    if not now.start <= utcnow() < now.end:  # the last Beijing hours of a month belong to the next
        year, month = (utcnow().year + 1, 1) if utcnow().month == 12 else (utcnow().year, utcnow().month + 1)
        now = period("month", year, month)
    params = {"year": now.year, "number": now.number}
    response = client.get(f"{API}/reports/{now.kind}", params=params, headers=market.exchange.headers)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = dict(line.split(",") for line in response.text.strip().splitlines()[1:])
    assert rows["period"] == now.label
    assert (rows["objects_submitted"], rows["objects_registered"], rows["listings"]) == ("1", "1", "1")
    assert (rows["contracts_signed"], rows["contract_amount_signed"]) == ("1", "250000.00")
    assert (rows["contracts_settled"], rows["amount_settled"], rows["buyer_subsidies"]) == (
        "1",
        "250000.00",
        "50000.00",
    )
    assert (rows["contracts_refunded"], rows["disputes"], rows["refusals"]) == ("0", "0", "0")
    assert_problem(client.get(f"{API}/reports/month", params=params, headers=market.provider.headers), 403)
    assert_problem(
        client.get(
            f"{API}/reports/quarter", params={"year": 2026, "number": 5}, headers=market.exchange.headers
        ),
        422,
    )
