"""Price formation of authorized operation (授权运营价格形成机制, 004:1007-1045): pure functions, no I/O.

- :mod:`.revenue`: the maximum allowed revenue (最高准许收入) from :class:`RevenueInputs`;
- :mod:`.products`: caps per product (上限收费标准) within it, price checks and charging per unit;
- :mod:`.regime`: state machine I, trial price (试行收费标准) -> formal price;
- :mod:`.cycle`: the yearly deviation rule and the regulatory cycle (评估周期) with its carry-over;
- :mod:`.report`: the annual report due by 31 March;
- :mod:`.cli`: ``logispace pricing mar`` and ``logispace pricing adjust``.

Parameter objects check themselves when built and refuse with a :class:`PricingError` (an RFC 9457
problem naming the source line and, for pages, the document and article).
"""

from logispace.domains.operation.pricing.cli import app as cli
from logispace.domains.operation.pricing.cycle import (
    DEVIATION_THRESHOLD_PERCENT,
    MAX_CYCLE_YEARS,
    Adjuster,
    AnnualAdjustment,
    NextCycleRevenue,
    RegulatoryCycle,
    annual_adjustment,
    cycle_excess,
    next_cycle_revenue,
)
from logispace.domains.operation.pricing.errors import (
    CapsAboveRevenue,
    CycleTooLong,
    DeductionAboveRevenue,
    FreeUseCharged,
    PriceAboveCap,
    PricingError,
    PricingInputInvalid,
    RateAboveCeiling,
    RegimeActionNotAllowed,
    SubsidyAboveCost,
)
from logispace.domains.operation.pricing.products import (
    BillingUnit,
    ProductCap,
    ProductDemand,
    UseClass,
    charge,
    check_caps_within_revenue,
    check_price,
    derive_caps,
)
from logispace.domains.operation.pricing.regime import (
    PriceRegime,
    RegimeAction,
    allowed_actions,
    first_full_operating_year,
    has_full_operating_year,
    next_regime,
)
from logispace.domains.operation.pricing.report import (
    ANNUAL_REPORT_RULE,
    ReportStatus,
    annual_report_deadline,
    annual_report_status,
)
from logispace.domains.operation.pricing.revenue import (
    MARGIN_OVER_YIELD,
    MaxAllowedRevenue,
    RevenueInputs,
    max_allowed_revenue,
    rate_ceiling_percent,
)
from logispace.domains.operation.pricing.sources import RuleSource

__all__ = [
    "ANNUAL_REPORT_RULE",
    "DEVIATION_THRESHOLD_PERCENT",
    "MARGIN_OVER_YIELD",
    "MAX_CYCLE_YEARS",
    "Adjuster",
    "AnnualAdjustment",
    "BillingUnit",
    "CapsAboveRevenue",
    "CycleTooLong",
    "DeductionAboveRevenue",
    "FreeUseCharged",
    "MaxAllowedRevenue",
    "NextCycleRevenue",
    "PriceAboveCap",
    "PriceRegime",
    "PricingError",
    "PricingInputInvalid",
    "ProductCap",
    "ProductDemand",
    "RateAboveCeiling",
    "RegimeAction",
    "RegimeActionNotAllowed",
    "RegulatoryCycle",
    "ReportStatus",
    "RevenueInputs",
    "RuleSource",
    "SubsidyAboveCost",
    "UseClass",
    "allowed_actions",
    "annual_adjustment",
    "annual_report_deadline",
    "annual_report_status",
    "charge",
    "check_caps_within_revenue",
    "check_price",
    "cli",
    "cycle_excess",
    "derive_caps",
    "first_full_operating_year",
    "has_full_operating_year",
    "max_allowed_revenue",
    "next_cycle_revenue",
    "next_regime",
    "rate_ceiling_percent",
]
