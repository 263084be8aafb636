"""Maximum allowed revenue (最高准许收入, 004:1023-1025).

MAR = operating cost (经营成本, the cost net of government subsidies) + allowed profit (准许利润, the
operating cost x r) + tax (税金), with the allowed profit rate r (准许利润率) at most last year's average
10-year treasury yield plus 6 percentage points.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from logispace.domains.operation.pricing.amounts import HUNDRED, Number, money, percent, to_fen
from logispace.domains.operation.pricing.errors import RateAboveCeiling, SubsidyAboveCost
from logispace.domains.operation.pricing.sources import RATE, REVENUE

MARGIN_OVER_YIELD = Decimal(6)
"""Percentage points the allowed profit rate may exceed the 10-year treasury yield by (004:1025)."""


def rate_ceiling_percent(bond_yield_percent: Number) -> Decimal:
    """The ceiling of the allowed profit rate: the yield plus 6 percentage points (004:1025)."""
    return percent(bond_yield_percent, "bond_yield_percent", RATE) + MARGIN_OVER_YIELD


@dataclass(frozen=True, slots=True)
class RevenueInputs:
    """Inputs of the maximum allowed revenue (最高准许收入核定参数), checked when built.

    ``cost`` (reasonable expenses of providing products for industry, from the cost survey, 成本调查),
    ``subsidy`` (government subsidies, 政府补助) and ``tax`` (税金, per the tax rules) are in yuan;
    ``bond_yield_percent`` is last year's average 10-year treasury yield (成本调查前一年10年期国债平均收益率)
    and ``rate_percent`` the allowed profit rate the price authority sets, both in percent.
    """

    cost: Decimal
    subsidy: Decimal
    bond_yield_percent: Decimal
    rate_percent: Decimal
    tax: Decimal

    def __init__(
        self, *, cost: Number, subsidy: Number, bond_yield_percent: Number, rate_percent: Number, tax: Number
    ) -> None:
        object.__setattr__(self, "cost", money(cost, "cost", REVENUE))
        object.__setattr__(self, "subsidy", money(subsidy, "subsidy", REVENUE))
        object.__setattr__(self, "tax", money(tax, "tax", REVENUE))
        object.__setattr__(
            self, "bond_yield_percent", percent(bond_yield_percent, "bond_yield_percent", RATE)
        )
        object.__setattr__(self, "rate_percent", percent(rate_percent, "rate_percent", RATE))
        if self.subsidy > self.cost:
            raise SubsidyAboveCost(
                f"the subsidy {self.subsidy} yuan exceeds the cost {self.cost} yuan: the operating cost "
                "is the cost net of government subsidies and cannot be negative",
                REVENUE,
                cost=str(self.cost),
                subsidy=str(self.subsidy),
            )
        ceiling = self.rate_ceiling_percent
        if self.rate_percent > ceiling:
            raise RateAboveCeiling(
                f"the allowed profit rate {self.rate_percent}% is above its ceiling {ceiling}% (the 10-year "
                f"treasury yield {self.bond_yield_percent}% + {MARGIN_OVER_YIELD} percentage points)",
                RATE,
                rate_percent=str(self.rate_percent),
                rate_ceiling_percent=str(ceiling),
            )

    @property
    def rate_ceiling_percent(self) -> Decimal:
        """The yield plus 6 percentage points (004:1025)."""
        return self.bond_yield_percent + MARGIN_OVER_YIELD


@dataclass(frozen=True, slots=True)
class MaxAllowedRevenue:
    """Maximum allowed revenue (最高准许收入) and its parts, in yuan to the fen."""

    operating_cost: Decimal
    allowed_profit: Decimal
    tax: Decimal
    max_allowed_revenue: Decimal
    rate_percent: Decimal
    rate_ceiling_percent: Decimal

    def as_json(self) -> dict[str, str]:
        """Exact decimal strings (JSON numbers would pass through binary floats)."""
        return {
            "operating_cost": str(self.operating_cost),
            "allowed_profit": str(self.allowed_profit),
            "tax": str(self.tax),
            "max_allowed_revenue": str(self.max_allowed_revenue),
            "rate_percent": str(self.rate_percent),
            "rate_ceiling_percent": str(self.rate_ceiling_percent),
            "source": f"{REVENUE.line}; {RATE.line}",
        }


def max_allowed_revenue(inputs: RevenueInputs) -> MaxAllowedRevenue:
    """MAR = (cost - subsidy) + (cost - subsidy) x r + tax; the profit rounded half up to the fen."""
    operating_cost = inputs.cost - inputs.subsidy
    allowed_profit = to_fen(operating_cost * inputs.rate_percent / HUNDRED)
    return MaxAllowedRevenue(
        operating_cost=operating_cost,
        allowed_profit=allowed_profit,
        tax=inputs.tax,
        max_allowed_revenue=operating_cost + allowed_profit + inputs.tax,
        rate_percent=inputs.rate_percent,
        rate_ceiling_percent=inputs.rate_ceiling_percent,
    )
