"""Properties of the pricing engine over generated inputs: caps derived from MAR never exceed it, the
carry-over is deducted in full however it is smoothed, and MAR adds up from its parts."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from logispace.domains.operation.pricing import (
    BillingUnit,
    ProductDemand,
    RevenueInputs,
    check_caps_within_revenue,
    derive_caps,
    max_allowed_revenue,
    next_cycle_revenue,
)

FEN = Decimal("0.01")
YUAN = st.integers(0, 10**12).map(lambda fen: Decimal(fen) * FEN)
PERCENT = st.integers(0, 2000).map(lambda hundredths: Decimal(hundredths) / 100)
DEMANDS = st.lists(
    st.tuples(st.integers(1, 100), st.integers(1, 10**7), st.sampled_from(list(BillingUnit))),
    min_size=1,
    max_size=6,
)


@given(mar=YUAN, demands=DEMANDS)
def test_derived_caps_stay_within_mar(mar: Decimal, demands: list[tuple[int, int, BillingUnit]]) -> None:
    caps = derive_caps(
        mar,
        [ProductDemand(f"p{i}", unit, weight, volume) for i, (weight, volume, unit) in enumerate(demands)],
    )
    assert check_caps_within_revenue(mar, caps) <= mar
    assert all(cap.cap == cap.cap.quantize(FEN) and cap.cap >= 0 for cap in caps)


@given(cost=YUAN, share=st.integers(0, 100), bond_yield=PERCENT, margin=st.integers(0, 600), tax=YUAN)
def test_mar_is_cost_plus_profit_plus_tax(
    cost: Decimal, share: int, bond_yield: Decimal, margin: int, tax: Decimal
) -> None:
    subsidy = (cost * share / 100).quantize(FEN, rounding="ROUND_DOWN")
    rate = bond_yield + Decimal(margin) / 100  # up to the ceiling, inclusive
    result = max_allowed_revenue(
        RevenueInputs(cost=cost, subsidy=subsidy, bond_yield_percent=bond_yield, rate_percent=rate, tax=tax)
    )
    assert result.operating_cost == cost - subsidy
    assert abs(result.allowed_profit - result.operating_cost * rate / 100) <= Decimal("0.005")
    assert result.max_allowed_revenue == result.operating_cost + result.allowed_profit + tax


@given(excess=YUAN, cycles=st.integers(1, 5))
def test_smoothed_carry_over_is_deducted_in_full(excess: Decimal, cycles: int) -> None:
    computed = excess + Decimal(1)  # always large enough for one share
    deducted, carried = Decimal(0), Decimal(0)
    for remaining in range(cycles, 0, -1):
        step = next_cycle_revenue(
            computed, excess if remaining == cycles else 0, smoothing_cycles=remaining, carried_in=carried
        )
        deducted += step.deducted
        carried = step.carried_forward
    assert (deducted, carried) == (excess, Decimal(0))
