"""Maximum allowed revenue (最高准许收入, 004:1023-1025): hand-worked examples with exact Decimal results,
the ceiling of the allowed profit rate at and just above it, and the inputs refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from logispace.domains.operation.pricing import (
    PricingError,
    PricingInputInvalid,
    RateAboveCeiling,
    RevenueInputs,
    SubsidyAboveCost,
    max_allowed_revenue,
    rate_ceiling_percent,
)

D = Decimal

# (cost, subsidy, bond yield %, rate %, tax) -> (operating cost, allowed profit, MAR, ceiling %)
WORKED: list[tuple[str, tuple[str, str, str, str, str], tuple[str, str, str, str]]] = [
    # 1,000,000 - 200,000 = 800,000; x 7.7% = 61,600; + 50,000 tax. The rate sits exactly at 1.7 + 6.
    (
        "rate exactly at the ceiling",
        ("1000000", "200000", "1.7", "7.7", "50000"),
        ("800000.00", "61600.00", "911600.00", "7.7"),
    ),
    # 2,345,678.90 - 345,678.90 = 2,000,000.00; x 5% = 100,000.00; no tax.
    (
        "subsidy with fen",
        ("2345678.90", "345678.90", "2.25", "5", "0"),
        ("2000000.00", "100000.00", "2100000.00", "8.25"),
    ),
    # 333.33 x 3.333% = 11.1098889 -> 11.11; 333.33 + 11.11 + 0.01 = 344.45.
    ("profit rounded to the fen", ("333.33", "0", "1", "3.333", "0.01"), ("333.33", "11.11", "344.45", "7")),
    # 100.50 x 1% = 1.005 -> 1.01 half up (banker's rounding would give 1.00).
    ("half up, not half even", ("100.50", "0", "0", "1", "0"), ("100.50", "1.01", "101.51", "6")),
    # the subsidies cover the whole cost: MAR is the tax alone.
    ("subsidy equal to the cost", ("500", "500", "2", "8", "30"), ("0.00", "0.00", "30.00", "8")),
    ("no profit", ("1200", "200", "1.68", "0", "60"), ("1000.00", "0.00", "1060.00", "7.68")),
]


@pytest.mark.parametrize(("case", "given", "expected"), WORKED, ids=[w[0] for w in WORKED])
def test_worked_examples(case: str, given: tuple[str, ...], expected: tuple[str, ...]) -> None:
    cost, subsidy, bond_yield, rate, tax = given
    result = max_allowed_revenue(
        RevenueInputs(cost=cost, subsidy=subsidy, bond_yield_percent=bond_yield, rate_percent=rate, tax=tax)
    )
    assert (
        result.operating_cost,
        result.allowed_profit,
        result.max_allowed_revenue,
        result.rate_ceiling_percent,
    ) == tuple(D(x) for x in expected)
    assert str(result.max_allowed_revenue) == expected[2]  # two places, as yuan to the fen
    assert result.operating_cost + result.allowed_profit + result.tax == result.max_allowed_revenue


def test_inputs_accept_decimals_and_ints() -> None:
    inputs = RevenueInputs(
        cost=D("1000"), subsidy=0, bond_yield_percent=D("1.7"), rate_percent=D("7.7"), tax=0
    )
    assert max_allowed_revenue(inputs).max_allowed_revenue == D("1077.00")
    assert rate_ceiling_percent("1.7") == D("7.7")


REFUSED: list[tuple[str, dict[str, object], type[PricingError], str, str]] = [
    (
        "rate just above the ceiling",
        {"bond_yield_percent": "1.7", "rate_percent": "7.7000001"},
        RateAboveCeiling,
        "004:1025",
        "above its ceiling 7.7%",
    ),
    (
        "rate above a zero-yield ceiling",
        {"bond_yield_percent": "0", "rate_percent": "6.01"},
        RateAboveCeiling,
        "004:1025",
        "above its ceiling 6%",
    ),
    (
        "subsidy above the cost",
        {"subsidy": "1000.01"},
        SubsidyAboveCost,
        "004:1023",
        "exceeds the cost 1000.00",
    ),
    ("negative cost", {"cost": "-1"}, PricingInputInvalid, "004:1023", "must not be negative"),
    ("negative rate", {"rate_percent": "-0.5"}, PricingInputInvalid, "004:1025", "must not be negative"),
    ("float", {"cost": 1000.0}, PricingInputInvalid, "004:1023", "not float"),
    ("three decimals", {"tax": "1.005"}, PricingInputInvalid, "004:1023", "more than two decimal places"),
    ("not a number", {"cost": "abc"}, PricingInputInvalid, "004:1023", "is not a number"),
    ("infinite", {"cost": "Infinity"}, PricingInputInvalid, "004:1023", "finite"),
    ("NaN", {"bond_yield_percent": "NaN"}, PricingInputInvalid, "004:1025", "finite"),
]


@pytest.mark.parametrize(("case", "change", "error", "line", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refusals_name_the_rule(
    case: str, change: dict[str, object], error: type[PricingError], line: str, words: str
) -> None:
    given: dict[str, object] = {
        "cost": "1000",
        "subsidy": "0",
        "bond_yield_percent": "1.7",
        "rate_percent": "5",
        "tax": "0",
    } | change
    with pytest.raises(error) as caught:
        RevenueInputs(**given)  # type: ignore[arg-type]
    assert type(caught.value) is error
    assert words in caught.value.detail
    problem = caught.value.problem()
    assert problem["source"] == line and problem["detail"].endswith(f"({line})")
    assert problem["article"].startswith(
        "《国家发展改革委 国家数据局关于建立公共数据资源授权运营价格形成机制的通知》"
    )


def test_rate_refusal_is_a_problem_with_the_ceiling() -> None:
    with pytest.raises(RateAboveCeiling) as caught:
        RevenueInputs(cost="1", subsidy="0", bond_yield_percent="2.1", rate_percent="8.2", tax="0")
    problem = caught.value.problem()
    assert (problem["status"], problem["code"]) == (422, "pricing-rate-above-ceiling")
    assert (problem["rate_percent"], problem["rate_ceiling_percent"]) == ("8.2", "8.1")
    assert problem["article"].endswith("第三条第（一）项")
