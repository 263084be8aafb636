"""Yearly adjustment and regulatory cycle (年度调整与评估周期, 004:1029-1031).

Each year the actual revenue is compared with the maximum allowed revenue (MAR, annual: DESIGN.md Q-9): a
deviation of 10% or less, either way, and the operator adjusts its specific prices (具体收费标准); above 10%
the authorizing subject adjusts the caps (上限收费标准). The price authority evaluates MAR at least every 3
years; the revenue of a cycle above its MAR is deducted from the next cycle's MAR, possibly smoothed over
several cycles (可在不同周期平滑处理).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from logispace.domains.operation.pricing.amounts import HUNDRED, Number, down_to_fen, money
from logispace.domains.operation.pricing.errors import (
    CycleTooLong,
    DeductionAboveRevenue,
    PricingInputInvalid,
)
from logispace.domains.operation.pricing.sources import CYCLE, DEVIATION

DEVIATION_THRESHOLD_PERCENT = Decimal(10)
"""At or below it the operator adjusts its specific prices; above it the caps are adjusted (004:1031)."""
MAX_CYCLE_YEARS = 3
"""The evaluation cycle is in principle at most 3 years (评估周期原则上不超过3年, 004:1029)."""
DEVIATION_PLACES = Decimal("0.000001")


class Adjuster(StrEnum):
    """Who adjusts the prices after the yearly comparison (004:1031)."""

    OPERATOR_SPECIFIC_PRICES = "operator_specific_prices"
    """运营机构调整具体收费标准 (under the authorizing subject's guidance)."""
    AUTHORIZING_SUBJECT_CAPS = "authorizing_subject_caps"
    """授权主体调整上限收费标准."""


@dataclass(frozen=True, slots=True)
class AnnualAdjustment:
    """The yearly comparison (年度偏离): deviation in percent (six places for display; the decision is
    taken on the exact value), above or below MAR, and who adjusts."""

    max_allowed_revenue: Decimal
    actual_revenue: Decimal
    deviation_percent: Decimal
    above_mar: bool
    adjuster: Adjuster

    def as_json(self) -> dict[str, str | bool]:
        """Exact decimal strings, the adjuster and the source line."""
        return {
            "max_allowed_revenue": str(self.max_allowed_revenue),
            "actual_revenue": str(self.actual_revenue),
            "deviation_percent": str(self.deviation_percent),
            "above_mar": self.above_mar,
            "adjuster": str(self.adjuster),
            "source": DEVIATION.line,
        }


def annual_adjustment(mar: Number, actual: Number) -> AnnualAdjustment:
    """Deviation = |actual - MAR| / MAR; <= 10% the operator's specific prices, > 10% the caps (004:1031)."""
    revenue = money(mar, "max_allowed_revenue", DEVIATION)
    earned = money(actual, "actual_revenue", DEVIATION)
    if revenue == 0:
        raise PricingInputInvalid(
            "the maximum allowed revenue must be positive to measure a deviation", DEVIATION
        )
    deviation = abs(earned - revenue) * HUNDRED / revenue
    adjuster = (
        Adjuster.OPERATOR_SPECIFIC_PRICES
        if deviation <= DEVIATION_THRESHOLD_PERCENT
        else Adjuster.AUTHORIZING_SUBJECT_CAPS
    )
    return AnnualAdjustment(revenue, earned, deviation.quantize(DEVIATION_PLACES), earned > revenue, adjuster)


@dataclass(frozen=True, slots=True)
class RegulatoryCycle:
    """Regulatory cycle (评估周期): ``years`` calendar years from ``first_year``, 1 to 3 (004:1029)."""

    first_year: int
    years: int

    def __post_init__(self) -> None:
        if isinstance(self.years, bool) or not isinstance(self.years, int) or self.years < 1:
            raise PricingInputInvalid(
                f"a regulatory cycle lasts at least one year, not {self.years!r}", CYCLE
            )
        if self.years > MAX_CYCLE_YEARS:
            raise CycleTooLong(
                f"a regulatory cycle of {self.years} years is longer than {MAX_CYCLE_YEARS} years",
                CYCLE,
                years=self.years,
                max_years=MAX_CYCLE_YEARS,
            )

    @property
    def last_year(self) -> int:
        """The cycle's last calendar year."""
        return self.first_year + self.years - 1

    @property
    def next(self) -> RegulatoryCycle:
        """The following cycle, of the same length."""
        return RegulatoryCycle(self.last_year + 1, self.years)


@dataclass(frozen=True, slots=True)
class NextCycleRevenue:
    """The next cycle's MAR after the carry-over (扣减): the excess of the cycle just ended, what is deducted
    now, what is left for later cycles, and the MAR that results."""

    excess: Decimal
    deducted: Decimal
    carried_forward: Decimal
    max_allowed_revenue: Decimal


def cycle_excess(cycle: RegulatoryCycle, mars: Sequence[Number], actuals: Sequence[Number]) -> Decimal:
    """Revenue above MAR over the cycle: max(0, Σ actual - Σ MAR), one figure per year of the cycle."""
    if len(mars) != cycle.years or len(actuals) != cycle.years:
        raise PricingInputInvalid(
            f"a {cycle.years}-year cycle needs {cycle.years} yearly MARs and actual revenues "
            f"(got {len(mars)} and {len(actuals)})",
            CYCLE,
        )
    allowed = sum((money(m, "max_allowed_revenue", CYCLE) for m in mars), Decimal(0))
    earned = sum((money(a, "actual_revenue", CYCLE) for a in actuals), Decimal(0))
    return max(Decimal("0.00"), earned - allowed)


def next_cycle_revenue(
    computed_mar: Number, excess: Number, *, smoothing_cycles: int = 1, carried_in: Number = 0
) -> NextCycleRevenue:
    """The next cycle's MAR: the computed MAR less this cycle's share of the excess (004:1029).

    The excess plus any ``carried_in`` from earlier smoothing is spread evenly over ``smoothing_cycles``
    cycles (this one included), rounded down to the fen with the remainder carried on. A deduction larger
    than the computed MAR is refused: smooth it over more cycles.
    """
    if isinstance(smoothing_cycles, bool) or not isinstance(smoothing_cycles, int) or smoothing_cycles < 1:
        raise PricingInputInvalid(
            f"smoothing_cycles must be a whole number >= 1, not {smoothing_cycles!r}", CYCLE
        )
    mar = money(computed_mar, "computed_mar", CYCLE)
    new_excess = money(excess, "excess", CYCLE)
    owed = new_excess + money(carried_in, "carried_in", CYCLE)
    deducted = down_to_fen(owed / smoothing_cycles)
    if deducted > mar:
        raise DeductionAboveRevenue(
            f"the deduction {deducted} yuan is larger than the computed maximum allowed revenue {mar} yuan; "
            "smooth it over more cycles",
            CYCLE,
            deduction=str(deducted),
            computed_mar=str(mar),
        )
    return NextCycleRevenue(new_excess, deducted, owed - deducted, mar - deducted)
