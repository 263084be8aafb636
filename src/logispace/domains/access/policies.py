"""Access rules (使用控制规则), pure: deciding a use against a usage policy, the scenarios and their grade
ceilings (minimum necessity), the request and grant state machines, default desensitization.

No session, no I/O: tested by tables (``tests/access/test_policies.py``) and measured by
``bench/access_policy.py``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from logispace.domains.access.enums import Decision, GrantState, OutputMode, RequestState, ReviewerRole
from logispace.domains.access.odrl import UsagePolicy

# -- deciding a use (决策) ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One use to decide: who, for what purpose, when, on which resource and fields, how, from where."""

    party: str
    purpose: str
    at: datetime
    target: str
    fields: Collection[str]
    mode: OutputMode = OutputMode.AGGREGATE
    region: str = "domestic"
    action: str = "use"


@dataclass(frozen=True)
class Refusal:
    """Why a use is refused: the policy's constraint, a code, a sentence, the source line."""

    constraint: str
    code: str
    detail: str
    source: str


SOURCES: Mapping[str, str] = {
    "assignee": "004:5621; 004:5663",
    "target": "004:983; 004:5623",
    "purpose": "004:5623-5629; 004:5663",
    "dateTime": "004:5659",
    "ls:field": "004:5627",
    "ls:outputMode": "004:5635; 004:5671",
    "ls:minGroupSize": "004:5671",
    "ls:epsilon": "004:717",
    "spatial": "004:717; 004:3027",
    "prohibition": "004:5621; 004:5663",
}
"""The source line of each constraint of the profile (policy-spec §2.7, §2.9, §6.2)."""


def _refuse(constraint: str, code: str, detail: str) -> Refusal:
    return Refusal(constraint, code, detail, SOURCES[constraint])


def decide(policy: UsagePolicy, attempt: Attempt) -> Refusal | None:
    """``None`` when ``policy`` permits ``attempt``; else the first constraint it breaks."""
    if (attempt.action, attempt.target) in policy.prohibited:
        return _refuse("prohibition", "distribute-prohibited", f"the policy prohibits {attempt.action}")
    if attempt.action != "use":
        return _refuse(
            "prohibition", "action-not-permitted", f"the policy permits use only, not {attempt.action}"
        )
    if attempt.party != policy.assignee:
        return _refuse("assignee", "not-assignee", "the grant was given to another party")
    permission = policy.permissions.get(attempt.target)
    if permission is None:
        return _refuse("target", "resource-not-granted", f"resource {attempt.target} is not in the grant")
    if attempt.purpose != policy.purpose:
        return _refuse(
            "purpose",
            "purpose-mismatch",
            f"the grant is for scenario {policy.purpose}, not {attempt.purpose}",
        )
    if attempt.at < policy.start:
        return _refuse("dateTime", "before-period", "the grant's period has not begun")
    if attempt.at >= policy.end:
        return _refuse("dateTime", "after-period", "the grant's period has ended")
    outside = [f for f in attempt.fields if f not in permission.fields]
    if outside:
        return _refuse("ls:field", "field-not-granted", f"fields not granted: {', '.join(sorted(outside))}")
    if attempt.mode is OutputMode.RECORD and policy.output is OutputMode.AGGREGATE:
        return _refuse("ls:outputMode", "aggregate-only", "the grant allows aggregate results only")
    if permission.domestic_only and attempt.region != "domestic":
        return _refuse("spatial", "domestic-only", "important data is used inside China only")
    return None


# -- scenarios and minimum necessity (一场景一清单, 最小必要) -------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """An application scenario (应用场景) a request names, with the highest grade its fields may have."""

    code: str
    name_zh: str
    name_en: str
    max_grade_rank: int
    source: str


SCENARIOS: Mapping[str, Scenario] = {
    s.code: s
    for s in (
        Scenario(
            "supply_chain_finance",
            "供应链金融贸易真实性核验",
            "Trade authenticity checks for supply-chain finance",
            2,
            "001:35",
        ),
        Scenario(
            "multimodal_tracking", "多式联运全程追踪", "End-to-end multimodal tracking", 2, "000:36; 002:17"
        ),
        Scenario("logistics_cost", "社会物流成本监测分析", "Monitoring of logistics costs", 1, "000:38"),
        Scenario("capacity_matching", "车货匹配与运力调度", "Capacity matching and dispatch", 2, "002:17"),
        Scenario(
            "industry_supervision", "行业监管与安全应急", "Supervision and safety emergencies", 3, "002:17"
        ),
    )
}
"""The scenarios of the platform (data). ``max_grade_rank`` is a rank of the catalogue's grades: 1 other
general data (其他一般数据), 2 sensitive general data (一般数据·敏感数据), 3 important data (重要数据); core
data (核心数据, rank 4) is never granted (004:4277, 004:5687-5692)."""

CORE_RANK = 4


@dataclass(frozen=True)
class FieldGrade:
    """A field of a resource with its effective grade (the field's own, or the resource's)."""

    name: str
    title: str
    grade_rank: int
    grade_name: str


def necessity_violations(
    scenario: Scenario, resource_code: str, fields: Iterable[FieldGrade]
) -> list[dict[str, str]]:
    """Each requested field graded above what the scenario allows (core data: never), named."""
    out = []
    for f in fields:
        if f.grade_rank >= CORE_RANK or f.grade_rank > scenario.max_grade_rank:
            out.append(
                {
                    "resource": resource_code,
                    "field": f.name,
                    "grade": f.grade_name,
                    "message": (
                        f"field {f.name} ({f.title}) of {resource_code} is graded {f.grade_name}, above what "
                        f"scenario {scenario.code} allows"
                    ),
                }
            )
    return out


# -- state machines ---------------------------------------------------------------------------------

REQUEST_STEPS: Mapping[str, frozenset[RequestState]] = {
    "edit": frozenset({RequestState.DRAFT}),
    "submit": frozenset({RequestState.DRAFT}),
    "decide": frozenset({RequestState.SUBMITTED, RequestState.IN_REVIEW}),
}
"""From which states each step of state machine G is allowed (policy-spec §2.7)."""


def after_decision(
    needed: Collection[tuple[ReviewerRole, str]], decisions: Mapping[tuple[ReviewerRole, str], Decision]
) -> RequestState:
    """The request's state once ``decisions`` are in: any refusal refuses; all approvals approve."""
    if any(d is Decision.REFUSE for d in decisions.values()):
        return RequestState.REFUSED
    if all(key in decisions for key in needed):
        return RequestState.APPROVED
    return RequestState.IN_REVIEW


GRANT_STEPS: Mapping[str, tuple[frozenset[GrantState], GrantState]] = {
    "suspend": (frozenset({GrantState.ACTIVE}), GrantState.SUSPENDED),
    "resume": (frozenset({GrantState.SUSPENDED}), GrantState.ACTIVE),
    "revoke": (frozenset({GrantState.ACTIVE, GrantState.SUSPENDED}), GrantState.REVOKED),
}
"""Grant steps by the holder or the authority (暂停、恢复、撤销, 004:5675; I-10 004:5708)."""


def effective_state(stored: GrantState, end: datetime, now: datetime) -> GrantState:
    """A stored active or suspended grant past its period is expired; revocation stays revocation."""
    if stored is not GrantState.REVOKED and now >= end:
        return GrantState.EXPIRED
    return stored


# -- desensitization defaults (脱敏) -------------------------------------------------------------------

MASKING_HINTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"身份证|id_number|id_card"), "mask_resident_id"),
    (re.compile(r"手机|电话|mobile|phone"), "mask_mobile"),
    (re.compile(r"车牌|plate"), "mask_plate"),
    (re.compile(r"统一社会信用代码|uscc"), "mask_uscc"),
    (re.compile(r"地址|address"), "mask_address"),
    (re.compile(r"姓名|托运人|收货人|联系人|shipper|consignee|name"), "mask_name"),
)
"""Field name or Chinese title -> desensitization rule, tried in order (personal information first)."""


def default_masking(fields: Iterable[tuple[str, str]], rules: Collection[str]) -> dict[str, str]:
    """The rule of each ``(name, title)`` field whose name or title calls for one, among ``rules``."""
    out: dict[str, str] = {}
    for name, title in fields:
        for pattern, rule in MASKING_HINTS:
            if rule in rules and (pattern.search(name.lower()) or pattern.search(title)):
                out[name] = rule
                break
    return out


_TABLE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")


def is_table_name(name: str) -> bool:
    """A sandbox table name: a lowercase SQL identifier."""
    return bool(_TABLE.match(name))


def default_table_name(catalog_code: str) -> str:
    return "r_" + catalog_code.lower()
