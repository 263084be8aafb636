"""Caps per product and charging (上限收费标准与计费方式, 004:1015-1017, 004:1027).

Products for public governance and welfare are free; products for industry carry a service fee under a
government-guided price (004:1015). Within the maximum allowed revenue the authorizing subject sets a cap
per product (上限收费标准) from the resources it uses, the human input and the sales scale (004:1027); the
operator sets its specific price (具体收费标准) at or below the cap (004:1017). A product is charged per
product, per call, per period of service or per data volume (004:1027).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from logispace.domains.operation.pricing.amounts import Number, down_to_fen, exact, money, to_fen
from logispace.domains.operation.pricing.errors import (
    CapsAboveRevenue,
    FreeUseCharged,
    PriceAboveCap,
    PricingInputInvalid,
)
from logispace.domains.operation.pricing.sources import CAPS, PROCEDURE, SCOPE


class UseClass(StrEnum):
    """Use of a data product (用途): free for governance and welfare, a fee for industry (004:1015)."""

    PUBLIC_GOVERNANCE_WELFARE = "public_governance_welfare"
    INDUSTRY_DEVELOPMENT = "industry_development"


class BillingUnit(StrEnum):
    """How a product is charged (计费方式, 004:1027)."""

    PER_PRODUCT = "per_product"
    """按产品数量: per product delivered."""
    PER_CALL = "per_call"
    """按服务次数: per service call."""
    PER_PERIOD = "per_period"
    """按服务时间: per period of service (e.g. a month)."""
    PER_VOLUME = "per_volume"
    """按数据调用量: per volume of data called (e.g. per thousand records)."""


WHOLE_UNITS = frozenset({BillingUnit.PER_PRODUCT, BillingUnit.PER_CALL})
"""Units counted in whole numbers; periods and volumes may be fractional."""


@dataclass(frozen=True, slots=True)
class ProductDemand:
    """A product's share of the maximum allowed revenue (产品收入分摊), checked when built.

    ``weight`` is the product's share of the resources (data, compute, storage) and human input it takes
    (004:1027), any positive number (only the ratios count); ``expected_volume`` the units expected to be
    sold in the year (销售规模), in ``unit``.
    """

    product: str
    unit: BillingUnit
    weight: Decimal
    expected_volume: Decimal

    def __init__(self, product: str, unit: BillingUnit, weight: Number, expected_volume: Number) -> None:
        if not product.strip():
            raise PricingInputInvalid("a product needs a name", CAPS)
        object.__setattr__(self, "product", product)
        object.__setattr__(self, "unit", BillingUnit(unit))
        object.__setattr__(self, "weight", _positive(weight, f"weight of {product}"))
        object.__setattr__(self, "expected_volume", _quantity(self.unit, expected_volume, product))


@dataclass(frozen=True, slots=True)
class ProductCap:
    """A product's cap (上限收费标准): ``cap`` yuan per ``unit``, with the volume it was set for."""

    product: str
    unit: BillingUnit
    cap: Decimal
    expected_volume: Decimal

    def __init__(self, product: str, unit: BillingUnit, cap: Number, expected_volume: Number) -> None:
        object.__setattr__(self, "product", product)
        object.__setattr__(self, "unit", BillingUnit(unit))
        object.__setattr__(self, "cap", money(cap, f"cap of {product}", CAPS))
        object.__setattr__(self, "expected_volume", _quantity(self.unit, expected_volume, product))

    @property
    def expected_revenue(self) -> Decimal:
        """The cap times the expected volume, to the fen."""
        return to_fen(self.cap * self.expected_volume)


def derive_caps(mar: Number, demands: Sequence[ProductDemand]) -> tuple[ProductCap, ...]:
    """Spread the maximum allowed revenue over the products (在最高准许收入范围内制定上限收费标准).

    Each product's revenue share is MAR x its weight / the sum of the weights; its cap is that share divided
    by its expected volume, rounded down to the fen, so that the caps times the volumes never exceed MAR
    (004:1017, 004:1027). [INFERRED: the notice names the factors, not the arithmetic.]
    """
    revenue = money(mar, "max_allowed_revenue", CAPS)
    if not demands:
        raise PricingInputInvalid("no products to spread the maximum allowed revenue over", CAPS)
    names = [demand.product for demand in demands]
    if len(set(names)) != len(names):
        raise PricingInputInvalid(f"each product once: {sorted(names)}", CAPS)
    total_weight = sum((demand.weight for demand in demands), Decimal(0))
    return tuple(
        ProductCap(
            demand.product,
            demand.unit,
            down_to_fen(revenue * demand.weight / total_weight / demand.expected_volume),
            demand.expected_volume,
        )
        for demand in demands
    )


def check_caps_within_revenue(mar: Number, caps: Sequence[ProductCap]) -> Decimal:
    """The revenue the caps allow (Σ cap x expected volume); refused above MAR (004:1017)."""
    revenue = money(mar, "max_allowed_revenue", PROCEDURE)
    total = sum((cap.expected_revenue for cap in caps), Decimal(0))
    if total > revenue:
        raise CapsAboveRevenue(
            f"the caps times the expected volumes come to {total} yuan, above the maximum allowed revenue "
            f"{revenue} yuan",
            PROCEDURE,
            caps_revenue=str(total),
            max_allowed_revenue=str(revenue),
        )
    return total


def check_price(use: UseClass, price: Number, cap: Number | None) -> Decimal:
    """The operator's specific price (具体收费标准), checked: 0 for governance and welfare (004:1015); at
    most the cap once one is set (004:1017). ``cap`` is ``None`` during a trial price (试行收费标准)."""
    amount = money(price, "price", PROCEDURE)
    if UseClass(use) is UseClass.PUBLIC_GOVERNANCE_WELFARE and amount != 0:
        raise FreeUseCharged(
            f"a product for public governance or welfare is provided free, not at {amount} yuan", SCOPE
        )
    if cap is not None:
        limit = money(cap, "cap", PROCEDURE)
        if amount > limit:
            raise PriceAboveCap(
                f"the price {amount} yuan is above the cap {limit} yuan",
                PROCEDURE,
                price=str(amount),
                cap=str(limit),
            )
    return amount


def charge(unit: BillingUnit, price: Number, quantity: Number) -> Decimal:
    """What a buyer pays (应收费用): ``price`` per ``unit`` times ``quantity``, rounded half up to the fen."""
    amount = money(price, "price", CAPS)
    return to_fen(amount * _quantity(BillingUnit(unit), quantity, "the charge", allow_zero=True))


def _positive(value: Number, name: str, *, allow_zero: bool = False) -> Decimal:
    number = exact(value, name, CAPS)
    if number < 0 or (number == 0 and not allow_zero):
        raise PricingInputInvalid(f"{name} must be positive (got {number})", CAPS)
    return number


def _quantity(unit: BillingUnit, value: Number, product: str, *, allow_zero: bool = False) -> Decimal:
    number = _positive(value, f"quantity of {product}", allow_zero=allow_zero)
    if unit in WHOLE_UNITS and number != number.to_integral_value():
        raise PricingInputInvalid(f"{unit} counts whole units; {product} has {number}", CAPS)
    return number
