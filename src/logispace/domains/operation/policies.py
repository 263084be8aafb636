"""Pure rules of authorized operation (授权运营规则): the state tables of machines C, E and F, the term
cap, the qualification checks, what may be operated, the registration validity cap and the retention.
No session here: everything is decided from its arguments and tested by tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from logispace.core.calendar import add_calendar_days, add_years
from logispace.core.config import RuleProfile
from logispace.domains.operation.enums import (
    AgreementState,
    EvaluationResult,
    ExclusionGround,
    PlanState,
    PriceState,
    UseClass,
)
from logispace.domains.operation.models import RETENTION_YEARS

MAX_TERM_YEARS = 5
TERM_SOURCE = "004:941; 004:5601"
REGISTRATION_VALIDITY_YEARS = 3  # 登记结果有效期原则上为三年 (004:810)
RECTIFY_DAYS = 30  # 30日内整改完成 (004:5706), calendar days (policy-spec §0.2)
CORE_GRADE = "core"

PLAN_STEPS: dict[str, tuple[PlanState, PlanState, str]] = {
    "approve_internal": (PlanState.DRAFTED, PlanState.INTERNAL_APPROVED, "004:921"),
    "approve_government": (PlanState.INTERNAL_APPROVED, PlanState.GOV_APPROVED, "004:923"),
    "file": (PlanState.GOV_APPROVED, PlanState.FILED, "004:927"),
}
"""Machine C: step -> (from, to, source line)."""

AGREEMENT_STEPS: dict[str, tuple[frozenset[AgreementState], AgreementState, str]] = {
    "file": (frozenset({AgreementState.SIGNED}), AgreementState.ACTIVE, "004:935"),
    "suspend": (frozenset({AgreementState.ACTIVE}), AgreementState.SUSPENDED, "004:5681"),
    "resume": (frozenset({AgreementState.SUSPENDED}), AgreementState.ACTIVE, "004:5681"),
    "terminate": (
        frozenset({AgreementState.SIGNED, AgreementState.ACTIVE, AgreementState.SUSPENDED}),
        AgreementState.TERMINATED,
        "004:5601; 004:5681; 004:5708",
    ),
}
"""Machine E: step -> (allowed states, target, source line)."""

QUALIFICATION_CHECKS: dict[str, str] = {
    "credit": "004:5605",  # E1 经营状况良好、无重大违法记录、未列入失信名单
    "team": "004:5607",  # E2 办公场所、专业团队、技术能力
    "experience": "004:5609",  # E3 熟悉数据政策、具有公共数据加工经验
    "security": "004:5611",  # E4 数据安全负责人、等保三级、无高风险项
}
"""Inner Mongolia qualification checks (资格审查, 004:5603-5613), each a yes/no with its source line."""

EXCLUSION_SOURCES: dict[ExclusionGround, str] = {
    ExclusionGround.NATIONAL_SECURITY: "004:5689",
    ExclusionGround.PUBLIC_INTEREST: "004:5690",
    ExclusionGround.ACQUISITION_AGREEMENT: "004:5691",
    ExclusionGround.LAW: "004:5692",
}


@dataclass(frozen=True)
class Refusal:
    """Why a rule refuses: the rule's name, its source line and what is wrong."""

    rule: str
    source: str
    detail: str


def term_exceeds_cap(start: date, end: date) -> bool:
    """Whether an operating term runs past 5 years from its start."""
    return end > add_years(start, MAX_TERM_YEARS)


def term_refusal(
    start: date,
    end: date,
    profile: RuleProfile = RuleProfile.NATIONAL,
    exception: str | None = None,
) -> Refusal | None:
    """An agreement's operating term (Q-12). Inner Mongolia: at most 5 years (不超过5年, 004:5601), no
    exception. National: in principle at most 5 years (原则上最长不超过5年, 004:941): a longer term is
    accepted only with its reason stated in the agreement (``exception``), and is then a warning."""
    if end <= start:
        return Refusal("OPS-TERM", TERM_SOURCE, f"the term ends ({end}) on or before it starts ({start})")
    if not term_exceeds_cap(start, end):
        return None
    if profile is RuleProfile.NATIONAL and exception:
        return None
    unless = (
        "; a longer term needs its reason stated in the agreement (term_exception)"
        if profile is RuleProfile.NATIONAL
        else ""
    )
    return Refusal(
        "OPS-TERM",
        TERM_SOURCE,
        f"an operating term from {start} to {end} exceeds {MAX_TERM_YEARS} years "
        f"(latest end {add_years(start, MAX_TERM_YEARS)}){unless}",
    )


def operable_refusal(code: str, grade_code: str, exclusion: ExclusionGround | None) -> Refusal | None:
    """Data that must not be put into authorized operation (OPS-R20): core data, or a resource marked
    with one of the grounds of 004:5689-5692."""
    if grade_code == CORE_GRADE:
        return Refusal("OPS-R20", "004:5687-5692; 004:879", f"data resource {code} is core data")
    if exclusion is not None:
        return Refusal(
            "OPS-R20",
            EXCLUSION_SOURCES[exclusion],
            f"data resource {code} is marked as not to be operated ({exclusion.value})",
        )
    return None


def outside_scope(wanted: list[str], scope: list[str]) -> list[str]:
    """The resources of ``wanted`` outside an agreement's ``scope`` (OPS-R7, 004:983), in order."""
    allowed = set(scope)
    return [code for code in wanted if code not in allowed]


def missing_checks(checks: dict[str, bool]) -> list[str]:
    """The qualification checks not passed, in the order of 004:5603-5613."""
    return [name for name in QUALIFICATION_CHECKS if not checks.get(name, False)]


def price_state_for(use_class: UseClass) -> PriceState:
    """Governance and welfare products are free; industry ones start on a trial price (004:1015; 004:1017)."""
    return PriceState.FREE if use_class is UseClass.GOVERNANCE_WELFARE else PriceState.TRIAL


def registration_valid_until(anchor: date, term_end: date) -> date:
    """The latest end of a product's registration validity: 3 years, capped by the agreement's term when
    less remains (004:810; I-2)."""
    return min(add_years(anchor, REGISTRATION_VALIDITY_YEARS), term_end)


def retain_until(day: date) -> date:
    """The end of the retention of an operation record (≥20 years, 004:5679)."""
    return add_years(day, RETENTION_YEARS)


@dataclass(frozen=True)
class EvaluationOutcome:
    """What an evaluation result does: the result in force, the agreement step, the rectification date."""

    recorded: EvaluationResult
    terminate: bool
    rectify_by: date | None


def evaluation_outcome(result: EvaluationResult, rectify_count: int, on: date) -> EvaluationOutcome:
    """Machine F (004:5700-5706): pass continues; fail terminates; rectify gives 30 days, and a second
    rectify in a row counts as fail."""
    if result is EvaluationResult.RECTIFY and rectify_count >= 1:
        return EvaluationOutcome(EvaluationResult.FAIL, True, None)
    if result is EvaluationResult.RECTIFY:
        return EvaluationOutcome(EvaluationResult.RECTIFY, False, add_calendar_days(on, RECTIFY_DAYS))
    return EvaluationOutcome(result, result is EvaluationResult.FAIL, None)
