"""The pure access rules: ODRL policies validated on write, decisions with their source lines, minimum
necessity, the request and grant state machines, default desensitization."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from logispace.domains.access.enums import Decision, GrantState, OutputMode, RequestState, ReviewerRole
from logispace.domains.access.errors import PolicyInvalid
from logispace.domains.access.odrl import PROFILE, Target, build_policy, parse_policy
from logispace.domains.access.policies import (
    SCENARIOS,
    Attempt,
    FieldGrade,
    after_decision,
    decide,
    default_masking,
    effective_state,
    necessity_violations,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)
BANK = uuid.UUID("00000000-0000-0000-0000-00000000000b")
OTHER = uuid.UUID("00000000-0000-0000-0000-00000000000c")


def policy_doc(
    *, output: OutputMode = OutputMode.AGGREGATE, important: bool = False, epsilon: float | None = 1.0
) -> dict[str, Any]:
    return build_policy(
        grant_id=uuid.UUID(int=1),
        assigner=uuid.UUID(int=2),
        assignee=BANK,
        purpose="supply_chain_finance",
        start=START,
        end=END,
        targets=[Target("WL0001", ["waybill_no", "legs", "issued_at"], important)],
        output=output,
        min_group_size=10,
        epsilon=epsilon,
    )


def attempt(**changes: Any) -> Attempt:
    base: dict[str, Any] = {
        "party": str(BANK),
        "purpose": "supply_chain_finance",
        "at": datetime(2026, 6, 1, tzinfo=UTC),
        "target": "WL0001",
        "fields": ["legs"],
    }
    base.update(changes)
    return Attempt(**base)


def test_a_built_policy_is_valid_odrl_of_the_profile() -> None:
    doc = policy_doc()
    assert doc["profile"] == PROFILE
    assert doc["@type"] == "Agreement"
    policy = parse_policy(doc)
    assert policy.assignee == str(BANK)
    assert policy.permissions["WL0001"].fields == {"waybill_no", "legs", "issued_at"}
    assert ("distribute", "WL0001") in policy.prohibited
    assert policy.min_group_size == 10 and policy.epsilon == 1.0


@pytest.mark.parametrize(
    ("changes", "constraint", "code", "source"),
    [
        ({}, None, None, None),
        ({"party": str(OTHER)}, "assignee", "not-assignee", "004:5621; 004:5663"),
        ({"purpose": "logistics_cost"}, "purpose", "purpose-mismatch", "004:5623-5629; 004:5663"),
        ({"at": START - timedelta(seconds=1)}, "dateTime", "before-period", "004:5659"),
        ({"at": END}, "dateTime", "after-period", "004:5659"),
        ({"target": "WL0002"}, "target", "resource-not-granted", "004:983; 004:5623"),
        ({"fields": ["legs", "shipper"]}, "ls:field", "field-not-granted", "004:5627"),
        ({"mode": OutputMode.RECORD}, "ls:outputMode", "aggregate-only", "004:5635; 004:5671"),
        ({"action": "distribute"}, "prohibition", "distribute-prohibited", "004:5621; 004:5663"),
        ({"action": "sell"}, "prohibition", "action-not-permitted", "004:5621; 004:5663"),
        ({"region": "abroad"}, None, None, None),  # general data: the region is not restricted
    ],
)
def test_decide(
    changes: dict[str, Any], constraint: str | None, code: str | None, source: str | None
) -> None:
    refusal = decide(parse_policy(policy_doc()), attempt(**changes))
    if constraint is None:
        assert refusal is None
    else:
        assert refusal is not None
        assert (refusal.constraint, refusal.code, refusal.source) == (constraint, code, source)


def test_important_data_stays_inside_china() -> None:
    policy = parse_policy(policy_doc(important=True))
    refusal = decide(policy, attempt(region="abroad"))
    assert refusal is not None and refusal.constraint == "spatial" and refusal.source == "004:717; 004:3027"
    assert decide(policy, attempt(region="domestic")) is None


def test_record_output_allows_api_queries() -> None:
    assert decide(parse_policy(policy_doc(output=OutputMode.RECORD)), attempt(mode=OutputMode.RECORD)) is None


def _set(doc: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    out = copy.deepcopy(doc)
    node: Any = out
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return out


_DELETE = object()
C = ["permission", 0, "constraint"]


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (["profile"], "https://example.org/other", "profile"),
        (["@type"], "Offer", "@type"),
        (["@context"], ["https://example.org/ctx"], "@context"),
        (["assignee"], "bank", "assignee"),
        (["permission"], [], "permission"),
        (["permission", 0, "action"], "modify", "permission.0.action"),
        (["permission", 0, "target"], "http://example.org/x", "permission.0.target"),
        ([*C, 0, "leftOperand"], "colour", "permission.0.constraint.0.leftOperand"),
        ([*C, 0, "leftOperand"], ["purpose"], "permission.0.constraint.0.leftOperand"),
        ([*C, 0, "operator"], "neq", "permission.0.constraint.0.operator"),
        ([*C, 0, "rightOperand"], "Not A Code", "permission.0.constraint.0.rightOperand"),
        (
            [*C, 1, "rightOperand"],
            {"@value": "2026-13-01T00:00:00Z"},
            "permission.0.constraint.1.rightOperand",
        ),
        (
            [*C, 1, "rightOperand"],
            {"@value": "2026-01-01T00:00:00"},
            "permission.0.constraint.1.rightOperand",
        ),
        ([*C, 3, "rightOperand"], [], "permission.0.constraint.3.rightOperand"),
        ([*C, 3, "rightOperand"], ["drop table"], "permission.0.constraint.3.rightOperand"),
        ([*C, 4, "rightOperand"], "ls:everything", "permission.0.constraint.4.rightOperand"),
        ([*C, 5, "rightOperand"], 1, "permission.0.constraint.5.rightOperand"),
        ([*C, 5, "rightOperand"], True, "permission.0.constraint.5.rightOperand"),
        ([*C, 6, "rightOperand"], float("inf"), "permission.0.constraint.6.rightOperand"),
        ([*C, 6, "rightOperand"], -1, "permission.0.constraint.6.rightOperand"),
        (["prohibition"], [], "prohibition"),
        (["prohibition", 0, "action"], "use", "prohibition.0.action"),
        (["obligation"], [], "obligation"),
    ],
)
def test_a_bad_term_is_refused_naming_it(path: list[Any], value: Any, named: str) -> None:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(_set(policy_doc(), path, value))
    assert caught.value.status == 422
    locs = [".".join(str(p) for p in e["loc"]) for e in caught.value.extensions["errors"]]
    assert named in locs


def test_a_period_ending_before_it_starts_is_refused() -> None:
    doc = policy_doc()
    doc["permission"][0]["constraint"][2]["rightOperand"] = {"@value": "2025-01-01T00:00:00Z"}
    with pytest.raises(PolicyInvalid, match="ends before it starts"):
        parse_policy(doc)


@pytest.mark.parametrize("doc", [None, [], "policy", 3])
def test_a_policy_is_an_object(doc: Any) -> None:
    with pytest.raises(PolicyInvalid):
        parse_policy(doc)


# -- minimum necessity (最小必要) -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "rank", "named"),
    [
        ("supply_chain_finance", 1, False),
        ("supply_chain_finance", 2, False),
        ("supply_chain_finance", 3, True),
        ("logistics_cost", 2, True),
        ("industry_supervision", 3, False),
        ("industry_supervision", 4, True),  # core data is never granted
    ],
)
def test_fields_above_the_scenario_are_named(scenario: str, rank: int, named: bool) -> None:
    fields = [FieldGrade("shipper", "托运人", rank, "级别"), FieldGrade("legs", "运输段", 1, "其他一般数据")]
    violations = necessity_violations(SCENARIOS[scenario], "WL0001", fields)
    assert [v["field"] for v in violations] == (["shipper"] if named else [])


# -- state machines -------------------------------------------------------------------------------

H = (ReviewerRole.HOLDER, "h")
A = (ReviewerRole.AUTHORITY, "a")


@pytest.mark.parametrize(
    ("decisions", "state"),
    [
        ({}, RequestState.IN_REVIEW),
        ({H: Decision.APPROVE}, RequestState.IN_REVIEW),
        ({A: Decision.APPROVE}, RequestState.IN_REVIEW),
        ({H: Decision.APPROVE, A: Decision.APPROVE}, RequestState.APPROVED),
        ({H: Decision.REFUSE}, RequestState.REFUSED),
        ({H: Decision.APPROVE, A: Decision.REFUSE}, RequestState.REFUSED),
    ],
)
def test_joint_review(decisions: dict[Any, Decision], state: RequestState) -> None:
    assert after_decision([H, A], decisions) is state


@pytest.mark.parametrize(
    ("stored", "now", "state"),
    [
        (GrantState.ACTIVE, END - timedelta(seconds=1), GrantState.ACTIVE),
        (GrantState.ACTIVE, END, GrantState.EXPIRED),
        (GrantState.SUSPENDED, END, GrantState.EXPIRED),
        (GrantState.REVOKED, END, GrantState.REVOKED),
        (GrantState.SUSPENDED, START, GrantState.SUSPENDED),
    ],
)
def test_grant_expiry(stored: GrantState, now: datetime, state: GrantState) -> None:
    assert effective_state(stored, END, now) is state


RULES = {"mask_resident_id", "mask_mobile", "mask_plate", "mask_name", "mask_address", "mask_uscc"}


@pytest.mark.parametrize(
    ("name", "title", "rule"),
    [
        ("driver_id_number", "驾驶员身份证号", "mask_resident_id"),
        ("phone", "联系电话", "mask_mobile"),
        ("plate_no", "车牌号码", "mask_plate"),
        ("shipper", "托运人", "mask_name"),
        ("address", "地址", "mask_address"),
        ("uscc", "统一社会信用代码", "mask_uscc"),
        ("legs", "运输段", None),
    ],
)
def test_default_masking(name: str, title: str, rule: str | None) -> None:
    assert default_masking([(name, title)], RULES).get(name) == rule
    assert default_masking([(name, title)], set()) == {}
