"""The yearly deviation rule (004:1031), the regulatory cycle and its carry-over (004:1029), state machine I
(004:1017-1019) and the annual report due by 31 March (004:1035)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from logispace.domains.operation.pricing import (
    Adjuster,
    CycleTooLong,
    DeductionAboveRevenue,
    PriceRegime,
    PricingInputInvalid,
    RegimeAction,
    RegimeActionNotAllowed,
    RegulatoryCycle,
    allowed_actions,
    annual_adjustment,
    annual_report_deadline,
    annual_report_status,
    cycle_excess,
    first_full_operating_year,
    has_full_operating_year,
    next_cycle_revenue,
    next_regime,
)

D = Decimal
OPERATOR, CAPS = Adjuster.OPERATOR_SPECIFIC_PRICES, Adjuster.AUTHORIZING_SUBJECT_CAPS

# (MAR, actual) -> (deviation %, above MAR, who adjusts)
DEVIATIONS: list[tuple[str, str, str, bool, Adjuster]] = [
    ("1000000", "1100000", "10.000000", True, OPERATOR),  # exactly 10% above: 10%及以下
    ("1000000", "900000", "10.000000", False, OPERATOR),  # exactly 10% below
    ("1000000", "1100000.01", "10.000001", True, CAPS),  # a fen above 10%
    ("1000000", "899999.99", "10.000001", False, CAPS),
    ("1000000", "1000000", "0.000000", False, OPERATOR),
    ("911600", "1200000", "31.636683", True, CAPS),  # 288,400 / 911,600 = 31.6366827...%
    ("911600", "0", "100.000000", False, CAPS),
    ("300", "330.00", "10.000000", True, OPERATOR),
]


@pytest.mark.parametrize(("mar", "actual", "deviation", "above", "adjuster"), DEVIATIONS)
def test_annual_adjustment(mar: str, actual: str, deviation: str, above: bool, adjuster: Adjuster) -> None:
    result = annual_adjustment(mar, actual)
    assert (result.deviation_percent, result.above_mar, result.adjuster) == (D(deviation), above, adjuster)
    assert str(result.deviation_percent) == deviation


def test_decision_on_the_exact_deviation_not_the_rounded_one() -> None:
    # 10.0000001% prints as 10.000000 but is above 10%: the caps are adjusted.
    result = annual_adjustment("100000000.00", "110000000.10")
    assert (str(result.deviation_percent), result.adjuster) == ("10.000000", CAPS)


def test_zero_mar_refused() -> None:
    with pytest.raises(PricingInputInvalid) as caught:
        annual_adjustment("0", "10")
    assert caught.value.problem()["source"] == "004:1031"


def test_regulatory_cycle_at_most_three_years() -> None:
    cycle = RegulatoryCycle(2026, 3)
    assert (cycle.last_year, cycle.next) == (2028, RegulatoryCycle(2029, 3))
    assert RegulatoryCycle(2026, 1).last_year == 2026
    with pytest.raises(CycleTooLong) as caught:
        RegulatoryCycle(2026, 4)
    assert caught.value.problem()["source"] == "004:1029"
    assert (caught.value.status, caught.value.problem()["max_years"]) == (422, 3)
    with pytest.raises(PricingInputInvalid):
        RegulatoryCycle(2026, 0)


EXCESS: list[tuple[list[str], list[str], str]] = [
    (["900000", "950000", "1000000"], ["1000000", "1000000", "1000000"], "150000.00"),
    (["900000", "950000", "1000000"], ["800000", "900000", "1000000"], "0.00"),  # below: nothing carried
    (["900000", "950000", "1000000"], ["1000000", "900000", "949999.99"], "0.00"),
    (["900000", "950000", "1000000"], ["1000000", "900000", "950000.01"], "0.01"),
]


@pytest.mark.parametrize(("mars", "actuals", "excess"), EXCESS)
def test_cycle_excess(mars: list[str], actuals: list[str], excess: str) -> None:
    assert str(cycle_excess(RegulatoryCycle(2026, 3), mars, actuals)) == excess


def test_cycle_excess_needs_one_figure_per_year() -> None:
    with pytest.raises(PricingInputInvalid):
        cycle_excess(RegulatoryCycle(2026, 3), ["1", "2"], ["1", "2", "3"])


def test_carry_over_into_the_next_cycle() -> None:
    whole = next_cycle_revenue("1000000", "150000")
    assert (whole.deducted, whole.carried_forward, whole.max_allowed_revenue) == (
        D("150000.00"),
        D("0.00"),
        D("850000.00"),
    )


def test_carry_over_smoothed_over_three_cycles_adds_up() -> None:
    first = next_cycle_revenue("1000000", "100000", smoothing_cycles=3)
    assert (first.deducted, first.carried_forward, first.max_allowed_revenue) == (
        D("33333.33"),
        D("66666.67"),
        D("966666.67"),
    )
    second = next_cycle_revenue("1000000", "0", smoothing_cycles=2, carried_in=first.carried_forward)
    assert (second.deducted, second.carried_forward) == (D("33333.33"), D("33333.34"))
    third = next_cycle_revenue("1000000", "0", carried_in=second.carried_forward)
    assert (third.deducted, third.carried_forward) == (D("33333.34"), D("0.00"))
    assert first.deducted + second.deducted + third.deducted == D("100000.00")


def test_deduction_above_the_revenue_refused_unless_smoothed() -> None:
    with pytest.raises(DeductionAboveRevenue) as caught:
        next_cycle_revenue("100000", "150000")
    assert (caught.value.status, caught.value.problem()["source"]) == (409, "004:1029")
    assert next_cycle_revenue("100000", "150000", smoothing_cycles=2).max_allowed_revenue == D("25000.00")
    assert next_cycle_revenue("150000", "150000").max_allowed_revenue == D("0.00")  # exactly the MAR


N, T, E, F = PriceRegime.NO_PRICE, PriceRegime.TRIAL, PriceRegime.EVALUATION, PriceRegime.FORMAL
A = RegimeAction
REGIME: list[tuple[PriceRegime, RegimeAction, bool, PriceRegime | None]] = [
    (N, A.SET_TRIAL_PRICE, False, T),
    (T, A.SET_TRIAL_PRICE, False, T),  # a trial price revised
    (N, A.SET_TRIAL_PRICE, True, None),  # a full year: apply for a formal price instead
    (T, A.APPLY_FOR_FORMAL_PRICE, True, E),
    (N, A.APPLY_FOR_FORMAL_PRICE, True, E),
    (T, A.APPLY_FOR_FORMAL_PRICE, False, None),
    (E, A.BASIS_SUFFICIENT, True, F),
    (E, A.BASIS_INSUFFICIENT, True, T),
    (F, A.ANNUAL_ADJUSTMENT, True, F),
    (F, A.CYCLE_REVIEW, True, F),
    (F, A.SET_TRIAL_PRICE, False, None),
    (N, A.BASIS_SUFFICIENT, True, None),
    (T, A.ANNUAL_ADJUSTMENT, True, None),
]


@pytest.mark.parametrize(("state", "action", "full_year", "after"), REGIME)
def test_state_machine_i(
    state: PriceRegime, action: RegimeAction, full_year: bool, after: PriceRegime | None
) -> None:
    if after is not None:
        assert next_regime(state, action, full_year=full_year) is after
    else:
        with pytest.raises(RegimeActionNotAllowed) as caught:
            next_regime(state, action, full_year=full_year)
        problem = caught.value.problem()
        assert problem["status"] == 409 and problem["state"] == state
        assert problem["allowed_actions"] == list(allowed_actions(state, full_year))


def test_allowed_actions_depend_on_the_full_year() -> None:
    assert allowed_actions(N, False) == (A.SET_TRIAL_PRICE,)
    assert allowed_actions(N, True) == (A.APPLY_FOR_FORMAL_PRICE,)
    assert allowed_actions(E, False) == (A.BASIS_SUFFICIENT, A.BASIS_INSUFFICIENT)
    with pytest.raises(RegimeActionNotAllowed) as caught:
        next_regime(T, A.APPLY_FOR_FORMAL_PRICE, full_year=False)
    assert "needs a full operating year" in caught.value.detail
    assert caught.value.problem()["source"] == "004:1019"


FULL_YEAR: list[tuple[date, date, int, bool]] = [
    (date(2025, 3, 1), date(2026, 12, 31), 2026, False),
    (date(2025, 3, 1), date(2027, 1, 1), 2026, True),
    (date(2025, 1, 1), date(2025, 12, 31), 2025, False),
    (date(2025, 1, 1), date(2026, 1, 1), 2025, True),
    (date(2025, 12, 31), date(2026, 12, 31), 2026, False),
]


@pytest.mark.parametrize(("started", "at", "first", "full"), FULL_YEAR)
def test_full_operating_year(started: date, at: date, first: int, full: bool) -> None:
    assert (first_full_operating_year(started), has_full_operating_year(started, at)) == (first, full)


REPORTS: list[tuple[int, date, date | None, bool, int, bool]] = [
    (2025, date(2026, 3, 31), None, False, 0, False),  # the due day itself is in time
    (2025, date(2026, 4, 1), None, True, 1, False),
    (2025, date(2026, 5, 1), date(2026, 3, 30), False, 0, False),
    (2025, date(2026, 5, 1), date(2026, 4, 2), False, 0, True),  # came in late
    (2025, date(2026, 4, 1), date(2026, 4, 2), True, 1, False),  # submitted later than the date asked about
    (2027, date(2028, 4, 30), None, True, 30, False),
]


@pytest.mark.parametrize(("year", "at", "submitted", "overdue", "days", "late"), REPORTS)
def test_annual_report_status(
    year: int, at: date, submitted: date | None, overdue: bool, days: int, late: bool
) -> None:
    status = annual_report_status(year, at, submitted)
    assert status.due == date(year + 1, 3, 31)
    assert (status.overdue, status.days_overdue, status.late) == (overdue, days, late)


def test_annual_report_deadline_is_data() -> None:
    deadline = annual_report_deadline(2025)
    assert (deadline.anchor_date, deadline.due) == (date(2025, 12, 31), date(2026, 3, 31))
    assert (deadline.rule.amount, deadline.rule.unit, deadline.rule.source) == (3, "month", "004:1035")
