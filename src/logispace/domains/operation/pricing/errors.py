"""Pricing refusals (价格规则错误): each an RFC 9457 problem naming the rule's source line (``source``) and,
for pages, the document and article (``article``). 422 for a value the rule forbids whatever the state,
409 for an action the current state or a set cap forbids."""

from __future__ import annotations

from typing import Any, ClassVar

from logispace.core.errors import DomainError
from logispace.domains.operation.pricing.sources import RuleSource


class PricingError(DomainError):
    """A pricing rule refused the input (价格规则不允许)."""

    status: ClassVar[int] = 422
    code: ClassVar[str] = "pricing-rule-violated"
    title: ClassVar[str] = "The pricing rules do not allow this"

    def __init__(self, detail: str, source: RuleSource, **extensions: Any) -> None:
        super().__init__(
            f"{detail} ({source.line})", source=source.line, article=source.citation, **extensions
        )
        self.source = source


class PricingInputInvalid(PricingError):
    """A pricing amount is not a number the rules can use (金额或比例无效)."""

    code = "pricing-input-invalid"
    title = "The amount or percentage is not valid"


class RateAboveCeiling(PricingError):
    """The allowed profit rate is above its ceiling (准许利润率超过上限)."""

    code = "pricing-rate-above-ceiling"
    title = "The allowed profit rate is above its ceiling"


class SubsidyAboveCost(PricingError):
    """The government subsidies exceed the cost (政府补助超过成本)."""

    code = "pricing-subsidy-above-cost"
    title = "The subsidies exceed the cost"


class CycleTooLong(PricingError):
    """The regulatory cycle is longer than 3 years (评估周期超过3年)."""

    code = "pricing-cycle-too-long"
    title = "The regulatory cycle is longer than 3 years"


class CapsAboveRevenue(PricingError):
    """The caps times the expected volumes exceed the maximum allowed revenue (上限收费超出最高准许收入)."""

    status = 409
    code = "pricing-caps-above-revenue"
    title = "The caps exceed the maximum allowed revenue"


class PriceAboveCap(PricingError):
    """A specific price is above its cap (具体收费标准高于上限收费标准)."""

    status = 409
    code = "pricing-price-above-cap"
    title = "The price is above the cap"


class FreeUseCharged(PricingError):
    """A price on a product for public governance or welfare, which is free (公共治理、公益事业免费提供)."""

    status = 409
    code = "pricing-free-use-charged"
    title = "Products for public governance and welfare are free"


class DeductionAboveRevenue(PricingError):
    """The carried-over excess is larger than the next cycle's revenue (扣减超过最高准许收入)."""

    status = 409
    code = "pricing-deduction-above-revenue"
    title = "The deduction is larger than the next cycle's maximum allowed revenue"


class RegimeActionNotAllowed(PricingError):
    """A price-regime action out of order (价格阶段不允许此操作): 409 naming the state and what is allowed."""

    status = 409
    code = "pricing-action-not-allowed"
    title = "This action is not allowed in the current price regime"
