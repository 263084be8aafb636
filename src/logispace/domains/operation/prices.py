"""Price checks (价格校验) of the operation domain, on the pure pricing engine (:mod:`.pricing`).

Every price decision of a product goes through this module: :func:`price_refusal` (a specific price and the
cap), :func:`formal_price_refusal` (trial -> formal: a full operating year, the maximum allowed revenue,
the caps within it) and :func:`max_allowed_revenue`. The engine's refusals (:class:`.pricing.PricingError`,
each with its source line) become a :class:`~.policies.Refusal` naming the rule, so the API answers every
operation refusal alike and the pages name the document and article.

Governance and welfare products are free (免费提供, 004:1015); an industry product's trial price is set by
the operator, at or below the cap once the authorizing subject has set one (004:1017-1019); after a full
operating year the cap is set within the maximum allowed revenue and the price becomes formal (004:1019;
004:1023-1027).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TypeVar

from logispace.domains.operation import pricing
from logispace.domains.operation.enums import BillingUnit, UseClass
from logispace.domains.operation.policies import Refusal

T = TypeVar("T")

RULES: dict[type[pricing.PricingError], str] = {
    pricing.FreeUseCharged: "PRICE-P2",
    pricing.PriceAboveCap: "PRICE-CAP",
    pricing.RateAboveCeiling: "PRICE-RATE",
    pricing.SubsidyAboveCost: "PRICE-COST",
    pricing.CapsAboveRevenue: "PRICE-MAR",
    pricing.PricingInputInvalid: "PRICE-INPUT",
}
"""The rule each engine refusal names (its ``source`` is the engine's line)."""

USE_CLASSES = {
    UseClass.GOVERNANCE_WELFARE: pricing.UseClass.PUBLIC_GOVERNANCE_WELFARE,
    UseClass.INDUSTRY: pricing.UseClass.INDUSTRY_DEVELOPMENT,
}
BILLING_UNITS = {
    BillingUnit.PRODUCT: pricing.BillingUnit.PER_PRODUCT,
    BillingUnit.CALL: pricing.BillingUnit.PER_CALL,
    BillingUnit.PERIOD: pricing.BillingUnit.PER_PERIOD,
    BillingUnit.VOLUME: pricing.BillingUnit.PER_VOLUME,
}


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _engine(call: Callable[[], T]) -> T | Refusal:
    """Run an engine function; its refusal as a :class:`Refusal` naming the rule and the source line."""
    try:
        return call()
    except pricing.PricingError as exc:
        rule = next((name for cls, name in RULES.items() if isinstance(exc, cls)), "PRICE")
        return Refusal(rule, exc.source.line, exc.detail)


def price_refusal(use_class: UseClass, cap_fen: int | None, price_fen: int | None) -> Refusal | None:
    """Whether a cap and a specific price break a rule: a charge on a governance or welfare product, cap or
    price (004:1015); a price above the cap once one is set (004:1017). A trial price needs no cap."""
    use = USE_CLASSES[use_class]
    cap = None if cap_fen is None else _yuan(cap_fen)
    if use_class is UseClass.GOVERNANCE_WELFARE and cap:
        refused = _engine(lambda: pricing.check_price(use, cap, None))
        if isinstance(refused, Refusal):
            return refused
    if price_fen is None:
        return None
    result = _engine(lambda: pricing.check_price(use, _yuan(price_fen), cap))
    return result if isinstance(result, Refusal) else None


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
    """MAR = (cost - subsidy) + (cost - subsidy) x r + tax, r ≤ yield + 6 points (004:1023-1025)."""

    def compute() -> Revenue:
        inputs = pricing.RevenueInputs(
            cost=cost, subsidy=subsidy, bond_yield_percent=bond_yield, rate_percent=rate, tax=tax
        )
        mar = pricing.max_allowed_revenue(inputs)
        return Revenue(
            mar.operating_cost, mar.allowed_profit, mar.max_allowed_revenue, mar.rate_ceiling_percent
        )

    return _engine(compute)


def formal_price_refusal(
    trial_since: date, on: date, revenue: Revenue, product: str, unit: BillingUnit, cap_fen: int, volume: int
) -> Refusal | None:
    """Trial -> formal (004:1019): a full operating year has ended, and the cap times the expected volume
    stays within the maximum allowed revenue (004:1017; 004:1027)."""
    if not pricing.has_full_operating_year(trial_since, on):
        first = pricing.first_full_operating_year(trial_since)
        return Refusal(
            "PRICE-TRIAL",
            "004:1019",
            f"the trial price has run since {trial_since}: "
            f"a formal price needs the full operating year {first} to have ended",
        )
    result = _engine(
        lambda: pricing.check_caps_within_revenue(
            revenue.max_allowed_revenue,
            [pricing.ProductCap(product, BILLING_UNITS[unit], _yuan(cap_fen), volume)],
        )
    )
    return result if isinstance(result, Refusal) else None
