"""The pure rules of authorized operation, by tables of hand-made inputs with exact expected values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from logispace.core.config import RuleProfile
from logispace.domains.operation.enums import EvaluationResult, ExclusionGround, PriceState, UseClass
from logispace.domains.operation.policies import (
    evaluation_outcome,
    missing_checks,
    operable_refusal,
    outside_scope,
    price_state_for,
    registration_valid_until,
    retain_until,
    term_refusal,
)
from logispace.domains.operation.prices import Revenue, max_allowed_revenue, price_refusal

R, P, F = EvaluationResult.RECTIFY, EvaluationResult.PASS, EvaluationResult.FAIL


@pytest.mark.parametrize(
    ("start", "end", "refused"),
    [
        (date(2026, 1, 1), date(2031, 1, 1), False),  # exactly 5 years
        (date(2026, 1, 1), date(2031, 1, 2), True),  # a day over
        (date(2024, 2, 29), date(2029, 2, 28), False),  # 29 February + 5 years
        (date(2024, 2, 29), date(2029, 3, 1), True),
        (date(2026, 1, 1), date(2026, 1, 1), True),  # ends when it starts
        (date(2026, 1, 1), date(2026, 1, 2), False),
    ],
)
def test_term_cap(start: date, end: date, refused: bool) -> None:
    for profile in RuleProfile:
        refusal = term_refusal(start, end, profile)
        assert (refusal is not None) is refused
        if refusal is not None:
            assert (refusal.rule, refusal.source) == ("OPS-TERM", "004:941; 004:5601")


@pytest.mark.parametrize(
    ("profile", "end", "reason", "refused"),
    [
        # national "原则上最长不超过5年" (004:941): over 5 years only with the reason stated
        (RuleProfile.NATIONAL, date(2031, 1, 2), None, True),
        (RuleProfile.NATIONAL, date(2031, 1, 2), "", True),
        (RuleProfile.NATIONAL, date(2036, 1, 1), "基础设施投资回收期长", False),
        # inner_mongolia "不超过5年" (004:5601): never, whatever the reason
        (RuleProfile.INNER_MONGOLIA, date(2031, 1, 2), "基础设施投资回收期长", True),
        (RuleProfile.INNER_MONGOLIA, date(2031, 1, 1), None, False),
        # a reason never saves a term that ends before it starts
        (RuleProfile.NATIONAL, date(2025, 12, 31), "理由", True),
    ],
)
def test_term_over_five_years_by_profile(
    profile: RuleProfile, end: date, reason: str | None, refused: bool
) -> None:
    assert (term_refusal(date(2026, 1, 1), end, profile, reason) is not None) is refused


@pytest.mark.parametrize(
    ("grade", "ground", "expected"),
    [
        ("core", None, ("OPS-R20", "004:5687-5692; 004:879")),
        ("important", None, None),
        ("general_other", None, None),
        ("important", ExclusionGround.NATIONAL_SECURITY, ("OPS-R20", "004:5689")),
        ("important", ExclusionGround.PUBLIC_INTEREST, ("OPS-R20", "004:5690")),
        ("general_other", ExclusionGround.ACQUISITION_AGREEMENT, ("OPS-R20", "004:5691")),
        ("general_other", ExclusionGround.LAW, ("OPS-R20", "004:5692")),
        ("core", ExclusionGround.LAW, ("OPS-R20", "004:5687-5692; 004:879")),
    ],
)
def test_operable(grade: str, ground: ExclusionGround | None, expected: tuple[str, str] | None) -> None:
    refusal = operable_refusal("R1", grade, ground)
    assert (None if refusal is None else (refusal.rule, refusal.source)) == expected


@pytest.mark.parametrize(
    ("wanted", "scope", "beyond"),
    [(["A", "B"], ["A", "B", "C"], []), (["A", "D", "E"], ["A"], ["D", "E"]), ([], ["A"], [])],
)
def test_outside_scope(wanted: list[str], scope: list[str], beyond: list[str]) -> None:
    assert outside_scope(wanted, scope) == beyond


@pytest.mark.parametrize(
    ("checks", "missing"),
    [
        ({"credit": True, "team": True, "experience": True, "security": True}, []),
        ({"credit": True, "team": False, "experience": True}, ["team", "security"]),
        ({}, ["credit", "team", "experience", "security"]),
    ],
)
def test_qualification(checks: dict[str, bool], missing: list[str]) -> None:
    assert missing_checks(checks) == missing


@pytest.mark.parametrize(
    ("result", "rectified_before", "recorded", "terminate", "rectify_by"),
    [
        (P, 0, P, False, None),
        (F, 0, F, True, None),
        (R, 0, R, False, date(2026, 3, 31)),  # 30 calendar days after 1 March
        (R, 1, F, True, None),  # a second rectify in a row counts as a fail (004:5706)
        (P, 1, P, False, None),
    ],
)
def test_evaluation(
    result: EvaluationResult,
    rectified_before: int,
    recorded: EvaluationResult,
    terminate: bool,
    rectify_by: date | None,
) -> None:
    outcome = evaluation_outcome(result, rectified_before, date(2026, 3, 1))
    assert (outcome.recorded, outcome.terminate, outcome.rectify_by) == (recorded, terminate, rectify_by)


@pytest.mark.parametrize(
    ("anchor", "term_end", "cap"),
    [
        (date(2026, 3, 2), date(2028, 1, 4), date(2028, 1, 4)),  # less than 3 years left: the term (I-2)
        (date(2026, 3, 2), date(2030, 12, 31), date(2029, 3, 2)),  # 3 years (004:810)
        (date(2026, 3, 2), date(2029, 3, 2), date(2029, 3, 2)),
    ],
)
def test_registration_validity_cap(anchor: date, term_end: date, cap: date) -> None:
    assert registration_valid_until(anchor, term_end) == cap


def test_retention_is_twenty_years() -> None:
    assert retain_until(date(2026, 12, 8)) == date(2046, 12, 8)
    assert retain_until(date(2028, 2, 29)) == date(2048, 2, 29)


@pytest.mark.parametrize(
    ("use_class", "cap", "price", "expected"),
    [
        (UseClass.GOVERNANCE_WELFARE, None, None, None),
        (UseClass.GOVERNANCE_WELFARE, 0, 0, None),
        (UseClass.GOVERNANCE_WELFARE, None, 1, ("PRICE-P2", "004:1015")),
        (UseClass.GOVERNANCE_WELFARE, 100, None, ("PRICE-P2", "004:1015")),
        (UseClass.INDUSTRY, None, 100, None),  # a trial price before any cap (004:1019)
        (UseClass.INDUSTRY, 5000, None, None),
        (UseClass.INDUSTRY, 5000, 5000, None),
        (UseClass.INDUSTRY, 5000, 5001, ("PRICE-CAP", "004:1017")),
    ],
)
def test_price_rules(
    use_class: UseClass, cap: int | None, price: int | None, expected: tuple[str, str] | None
) -> None:
    refusal = price_refusal(use_class, cap, price)
    assert (None if refusal is None else (refusal.rule, refusal.source)) == expected


def test_price_state_follows_use_class() -> None:
    assert price_state_for(UseClass.GOVERNANCE_WELFARE) is PriceState.FREE
    assert price_state_for(UseClass.INDUSTRY) is PriceState.TRIAL


@pytest.mark.parametrize(
    ("cost", "subsidy", "bond", "rate", "tax", "expected"),
    [
        ("1000000", "200000", "1.7", "7.7", "50000", ("800000.00", "61600.00", "911600.00", "7.7")),
        ("500", "0", "2.5", "0", "10", ("500.00", "0.00", "510.00", "8.5")),
        ("1000000", "200000", "1.7", "7.71", "50000", ("PRICE-RATE", "004:1025")),
        ("100", "101", "1.7", "5", "0", ("PRICE-COST", "004:1023")),
    ],
)
def test_max_allowed_revenue(
    cost: str, subsidy: str, bond: str, rate: str, tax: str, expected: tuple[str, ...]
) -> None:
    result = max_allowed_revenue(Decimal(cost), Decimal(subsidy), Decimal(bond), Decimal(rate), Decimal(tax))
    if isinstance(result, Revenue):
        got: tuple[str, ...] = (
            str(result.operating_cost),
            str(result.allowed_profit),
            str(result.max_allowed_revenue),
            str(result.rate_ceiling_percent),
        )
    else:
        got = (result.rule, result.source)
    assert got == expected
