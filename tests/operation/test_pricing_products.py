"""Caps per product within MAR, the price checks and charging (004:1015-1017, 004:1027)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from logispace.domains.operation.pricing import (
    BillingUnit,
    CapsAboveRevenue,
    FreeUseCharged,
    PriceAboveCap,
    PricingError,
    PricingInputInvalid,
    ProductCap,
    ProductDemand,
    UseClass,
    charge,
    check_caps_within_revenue,
    check_price,
    derive_caps,
)

D = Decimal
CALL, PERIOD, PRODUCT, VOLUME = (
    BillingUnit.PER_CALL,
    BillingUnit.PER_PERIOD,
    BillingUnit.PER_PRODUCT,
    BillingUnit.PER_VOLUME,
)


def test_derive_caps_spreads_mar_by_weight_and_volume() -> None:
    # MAR 911,600: 3/4 to the call product (683,700 / 100,000 calls = 6.837 -> 6.83 per call), 1/4 to the
    # monthly product (227,900 / 12 months = 18,991.666... -> 18,991.66 per month); rounded down.
    caps = derive_caps(
        "911600.00",
        [ProductDemand("货车轨迹查询", CALL, 3, 100000), ProductDemand("路网运行月报", PERIOD, 1, 12)],
    )
    assert [(c.product, c.unit, c.cap) for c in caps] == [
        ("货车轨迹查询", CALL, D("6.83")),
        ("路网运行月报", PERIOD, D("18991.66")),
    ]
    assert [c.expected_revenue for c in caps] == [D("683000.00"), D("227899.92")]
    assert check_caps_within_revenue("911600.00", caps) == D("910899.92")


def test_derive_caps_one_product_takes_all() -> None:
    (cap,) = derive_caps("1000.00", [ProductDemand("企业资质核验", PRODUCT, "0.5", 3)])
    assert cap.cap == D("333.33")


CAPS_CHECK: list[tuple[str, list[ProductCap], str | None]] = [
    ("exactly MAR", [ProductCap("a", PRODUCT, "9116.00", 100)], "911600.00"),
    ("one fen above", [ProductCap("a", PRODUCT, "9116.01", 100)], None),
    (
        "two products above",
        [ProductCap("a", CALL, "7.00", 100000), ProductCap("b", PERIOD, "18991.67", 12)],
        None,
    ),
    ("volume fraction", [ProductCap("a", VOLUME, "0.01", "1234.5")], "12.35"),
]


@pytest.mark.parametrize(("case", "caps", "total"), CAPS_CHECK, ids=[c[0] for c in CAPS_CHECK])
def test_caps_within_revenue(case: str, caps: list[ProductCap], total: str | None) -> None:
    if total is None:
        with pytest.raises(CapsAboveRevenue) as caught:
            check_caps_within_revenue("911600", caps)
        assert caught.value.problem()["source"] == "004:1017"
        assert caught.value.status == 409
    else:
        assert check_caps_within_revenue("911600", caps) == D(total)


PRICES: list[tuple[str, UseClass, str, str | None, str | type[PricingError]]] = [
    ("at the cap", UseClass.INDUSTRY_DEVELOPMENT, "6.83", "6.83", "6.83"),
    ("below the cap", UseClass.INDUSTRY_DEVELOPMENT, "5", "6.83", "5.00"),
    ("one fen above the cap", UseClass.INDUSTRY_DEVELOPMENT, "6.84", "6.83", PriceAboveCap),
    ("trial price, no cap yet", UseClass.INDUSTRY_DEVELOPMENT, "120", None, "120.00"),
    ("free for governance", UseClass.PUBLIC_GOVERNANCE_WELFARE, "0", None, "0.00"),
    ("a fen for welfare", UseClass.PUBLIC_GOVERNANCE_WELFARE, "0.01", "6.83", FreeUseCharged),
    ("negative price", UseClass.INDUSTRY_DEVELOPMENT, "-1", "6.83", PricingInputInvalid),
]


@pytest.mark.parametrize(("case", "use", "price", "cap", "expected"), PRICES, ids=[p[0] for p in PRICES])
def test_check_price(
    case: str, use: UseClass, price: str, cap: str | None, expected: str | type[PricingError]
) -> None:
    if isinstance(expected, str):
        assert check_price(use, price, cap) == D(expected)
    else:
        with pytest.raises(expected) as caught:
            check_price(use, price, cap)
        assert type(caught.value) is expected


def test_refusal_sources() -> None:
    with pytest.raises(PriceAboveCap) as above:
        check_price(UseClass.INDUSTRY_DEVELOPMENT, "6.84", "6.83")
    assert (above.value.problem()["source"], above.value.problem()["cap"]) == ("004:1017", "6.83")
    with pytest.raises(FreeUseCharged) as free:
        check_price(UseClass.PUBLIC_GOVERNANCE_WELFARE, "1", None)
    assert free.value.problem()["source"] == "004:1015"


CHARGES: list[tuple[BillingUnit, str, str, str | None]] = [
    (CALL, "6.83", "1234", "8428.22"),
    (PERIOD, "18991.66", "1.5", "28487.49"),  # 28,487.49 exactly
    (VOLUME, "0.01", "1234.5", "12.35"),  # 12.345 half up
    (PRODUCT, "333.33", "3", "999.99"),
    (CALL, "6.83", "0", "0.00"),
    (PRODUCT, "333.33", "2.5", None),  # whole products only
    (CALL, "6.83", "-1", None),
]


@pytest.mark.parametrize(("unit", "price", "quantity", "amount"), CHARGES)
def test_charge(unit: BillingUnit, price: str, quantity: str, amount: str | None) -> None:
    if amount is None:
        with pytest.raises(PricingInputInvalid):
            charge(unit, price, quantity)
    else:
        assert charge(unit, price, quantity) == D(amount)


BAD_DEMANDS: list[tuple[str, object]] = [
    ("zero weight", lambda: ProductDemand("a", CALL, 0, 10)),
    ("zero volume", lambda: ProductDemand("a", CALL, 1, 0)),
    ("fractional calls", lambda: ProductDemand("a", CALL, 1, "10.5")),
    ("no name", lambda: ProductDemand(" ", CALL, 1, 10)),
    ("no products", lambda: derive_caps("100", [])),
    ("a product twice", lambda: derive_caps("100", [ProductDemand("a", CALL, 1, 1)] * 2)),
]


@pytest.mark.parametrize(("case", "build"), BAD_DEMANDS, ids=[b[0] for b in BAD_DEMANDS])
def test_bad_demands_refused(case: str, build: object) -> None:
    with pytest.raises(PricingInputInvalid) as caught:
        build()  # type: ignore[operator]
    assert caught.value.problem()["source"] == "004:1027"
