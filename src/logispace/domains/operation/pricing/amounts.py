"""Money and percentages as exact decimals (金额与百分比): yuan to the fen (分), percent as a Decimal.

Floats are refused (0.1 yuan is not a binary fraction); an amount with more than two decimal places is
refused rather than silently rounded. Computed amounts are rounded to the fen half up (四舍五入).
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeAlias

from logispace.domains.operation.pricing.errors import PricingInputInvalid
from logispace.domains.operation.pricing.sources import RuleSource

FEN = Decimal("0.01")
HUNDRED = Decimal(100)
Number: TypeAlias = Decimal | int | str


def exact(value: Number, name: str, source: RuleSource) -> Decimal:
    """``value`` as a finite Decimal, refusing floats, booleans and text that is not a number."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise PricingInputInvalid(
            f"{name} must be a Decimal, an int or a decimal string, not {type(value).__name__}", source
        )
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise PricingInputInvalid(f"{name} {value!r} is not a number", source) from None
    if not number.is_finite():
        raise PricingInputInvalid(f"{name} must be a finite number, not {value!r}", source)
    return number


def money(value: Number, name: str, source: RuleSource) -> Decimal:
    """A non-negative amount in yuan with at most two decimal places (到分)."""
    amount = exact(value, name, source)
    if amount < 0:
        raise PricingInputInvalid(f"{name} must not be negative (got {amount} yuan)", source)
    if amount != amount.quantize(FEN, rounding=ROUND_DOWN):
        raise PricingInputInvalid(
            f"{name} {amount} has more than two decimal places (yuan to the fen)", source
        )
    return amount.quantize(FEN)


def percent(value: Number, name: str, source: RuleSource) -> Decimal:
    """A non-negative percentage (``7.5`` for 7.5%)."""
    rate = exact(value, name, source)
    if rate < 0:
        raise PricingInputInvalid(f"{name} must not be negative (got {rate}%)", source)
    return rate


def to_fen(amount: Decimal) -> Decimal:
    """``amount`` rounded half up to the fen."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def down_to_fen(amount: Decimal) -> Decimal:
    """``amount`` rounded down to the fen (a cap never rounds above what the revenue allows)."""
    return amount.quantize(FEN, rounding=ROUND_DOWN)
