"""Price regime of an operator (价格阶段), state machine I of policy-spec §3.4 (004:1017-1019, 004:1029-1031).

Without a full operating year the operator charges a trial price (试行收费标准) set under the authorizing
subject's guidance; once it has one, the authorizing subject applies in writing (书面申请) and the price
authority evaluates whether there is a basis for pricing (评估具备定价基础); then the formal prices apply
(maximum allowed revenue -> caps -> specific prices), adjusted yearly and reset each regulatory cycle.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from types import MappingProxyType

from logispace.domains.operation.pricing.errors import RegimeActionNotAllowed
from logispace.domains.operation.pricing.sources import CYCLE, DEVIATION, TRIAL, RuleSource


class PriceRegime(StrEnum):
    """Price regime (价格阶段)."""

    NO_PRICE = "no_price"
    """未定价: no price yet."""
    TRIAL = "trial"
    """试行收费标准: a trial price, no full operating year yet."""
    EVALUATION = "evaluation"
    """定价基础评估: the written application is being evaluated by the price and data authorities."""
    FORMAL = "formal"
    """正式收费标准: maximum allowed revenue set, caps set and reported, prices within the caps."""


class RegimeAction(StrEnum):
    """An action on the price regime (价格阶段操作)."""

    SET_TRIAL_PRICE = "set_trial_price"
    APPLY_FOR_FORMAL_PRICE = "apply_for_formal_price"
    BASIS_SUFFICIENT = "basis_sufficient"
    BASIS_INSUFFICIENT = "basis_insufficient"
    ANNUAL_ADJUSTMENT = "annual_adjustment"
    CYCLE_REVIEW = "cycle_review"


# (state, action) -> (next state, needs a full operating year: True, must not have one: False, either: None)
TRANSITIONS: MappingProxyType[
    tuple[PriceRegime, RegimeAction], tuple[PriceRegime, bool | None, RuleSource]
] = MappingProxyType(
    {
        (PriceRegime.NO_PRICE, RegimeAction.SET_TRIAL_PRICE): (PriceRegime.TRIAL, False, TRIAL),
        (PriceRegime.TRIAL, RegimeAction.SET_TRIAL_PRICE): (PriceRegime.TRIAL, False, TRIAL),
        (PriceRegime.NO_PRICE, RegimeAction.APPLY_FOR_FORMAL_PRICE): (PriceRegime.EVALUATION, True, TRIAL),
        (PriceRegime.TRIAL, RegimeAction.APPLY_FOR_FORMAL_PRICE): (PriceRegime.EVALUATION, True, TRIAL),
        (PriceRegime.EVALUATION, RegimeAction.BASIS_SUFFICIENT): (PriceRegime.FORMAL, None, TRIAL),
        # [INFERRED] the notice does not say what follows an insufficient basis: the trial price goes on.
        (PriceRegime.EVALUATION, RegimeAction.BASIS_INSUFFICIENT): (PriceRegime.TRIAL, None, TRIAL),
        (PriceRegime.FORMAL, RegimeAction.ANNUAL_ADJUSTMENT): (PriceRegime.FORMAL, None, DEVIATION),
        (PriceRegime.FORMAL, RegimeAction.CYCLE_REVIEW): (PriceRegime.FORMAL, None, CYCLE),
    }
)


def first_full_operating_year(started_on: date) -> int:
    """The first calendar year wholly in operation (完整年度): the start year if operation began on
    1 January, else the next. [INFERRED: the notice's 完整年度运营情况 read as a calendar year, the year
    its annual report (004:1035) covers.]"""
    return started_on.year if (started_on.month, started_on.day) == (1, 1) else started_on.year + 1


def has_full_operating_year(started_on: date, at: date) -> bool:
    """Whether a full calendar year of operation has ended by ``at`` (004:1019)."""
    return at > date(first_full_operating_year(started_on), 12, 31)


def allowed_actions(state: PriceRegime, full_year: bool) -> tuple[RegimeAction, ...]:
    """The actions the rules allow in ``state``, given whether a full operating year has ended."""
    return tuple(
        action
        for (source_state, action), (_, needs_year, _) in TRANSITIONS.items()
        if source_state is state and needs_year in (None, full_year)
    )


def next_regime(state: PriceRegime, action: RegimeAction, *, full_year: bool) -> PriceRegime:
    """The regime after ``action``; refused (409) when the rules do not allow it, naming the allowed ones."""
    state, action = PriceRegime(state), RegimeAction(action)
    step = TRANSITIONS.get((state, action))
    if step is None or step[1] not in (None, full_year):
        if step is None:
            why, source = "", TRIAL
        elif full_year:
            why, source = (
                "; with a full operating year the authorizing subject applies for a formal price",
                step[2],
            )
        else:
            why, source = "; a formal price needs a full operating year, until then a trial price", step[2]
        allowed = allowed_actions(state, full_year)
        raise RegimeActionNotAllowed(
            f"{action} is not allowed in the price regime {state}{why}; allowed: "
            f"{', '.join(allowed) or 'none'}",
            source,
            state=str(state),
            action=str(action),
            allowed_actions=[str(a) for a in allowed],
        )
    return step[0]
