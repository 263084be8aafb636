"""Price checks (价格校验) of the operation domain: every price decision of a product goes through
:func:`price_refusal` and :func:`max_allowed_revenue`, the one place to point at the pure pricing engine
(:mod:`logispace.domains.operation.pricing`) when it is there.

Governance and welfare products are free (免费提供, 004:1015); industry products carry a cap set by the
authorizing subject within the maximum allowed revenue and a specific price set by the operator at or
below it (004:1017). The allowed rate of return is at most last year's 10-year treasury yield plus 6
percentage points (004:1025).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from logispace.domains.operation.enums import UseClass
from logispace.domains.operation.policies import Refusal

RATE_MARGIN_POINTS = Decimal(6)
PRICE_SOURCE = "004:1017"


def price_refusal(use_class: UseClass, cap_fen: int | None, price_fen: int | None) -> Refusal | None:
    """Whether a product's cap and specific price break a rule: a price on a free product (004:1015), a
    paid product without a cap (004:1017), or a specific price above the cap (004:1017)."""
    if use_class is UseClass.GOVERNANCE_WELFARE:
        if (cap_fen or 0) != 0 or (price_fen or 0) != 0:
            return Refusal(
                "PRICE-P2", "004:1015", "a product for public governance or public welfare is free of charge"
            )
        return None
    if cap_fen is None:
        return Refusal(
            "PRICE-CAP", PRICE_SOURCE, "an industry product needs the cap set by the authorizing subject"
        )
    if price_fen is not None and price_fen > cap_fen:
        return Refusal(
            "PRICE-CAP",
            PRICE_SOURCE,
            f"the price {price_fen / 100:.2f} yuan is above the cap {cap_fen / 100:.2f} yuan",
        )
    return None


@dataclass(frozen=True)
class Revenue:
    """Maximum allowed revenue (最高准许收入) and its parts, in yuan."""

    operating_cost: Decimal
    allowed_profit: Decimal
    max_allowed_revenue: Decimal
    rate_ceiling_percent: Decimal


def max_allowed_revenue(
    cost: Decimal, subsidy: Decimal, bond_yield: Decimal, rate: Decimal, tax: Decimal
) -> Revenue | Refusal:
    """MAR = (cost - subsidy) x (1 + r) + tax with r ≤ yield + 6 points (004:1023-1025); a refusal names
    the ceiling when the rate is above it or the subsidy above the cost."""
    ceiling = bond_yield + RATE_MARGIN_POINTS
    if rate > ceiling:
        return Refusal(
            "PRICE-RATE",
            "004:1025",
            f"the allowed rate of return {rate}% is above the ceiling {ceiling}% "
            f"(treasury yield {bond_yield}% + 6)",
        )
    if subsidy > cost:
        return Refusal("PRICE-COST", "004:1023", f"the subsidy {subsidy} is above the cost {cost}")
    operating = cost - subsidy
    profit = (operating * rate / 100).quantize(Decimal("0.01"))
    return Revenue(operating, profit, operating + profit + tax, ceiling)
