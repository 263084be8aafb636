"""Usage policy (使用策略) as ODRL 2.2 JSON-LD under the LogiSpace profile: build, validate, parse.

Pure: no session, no I/O. A grant's policy is an ODRL ``Agreement`` whose assignee is the data user,
with one ``use`` permission per granted resource and a ``distribute`` prohibition on each (no
redistribution, 004:5621, 004:5663). The permission's constraints carry the purpose (the scenario
code), the period (``dateTime``), the fields, the output control (aggregate only, minimum group size k,
differential-privacy budget ε) and, for important data (重要数据), the region (domestic only). The
profile is described in ``docs/access-odrl-profile.md``.

:func:`parse_policy` validates a document and answers the compact :class:`UsagePolicy` that
:mod:`.policies` decides requests against; a bad term raises :class:`PolicyInvalid` (422) naming it.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from logispace.domains.access.enums import OutputMode
from logispace.domains.access.errors import PolicyInvalid

PROFILE = "https://logispace.org/odrl/profile/1.0"
"""The LogiSpace ODRL profile's IRI (its terms are ``PROFILE + "#" + name``, prefix ``ls``)."""
ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"
CONTEXT: list[Any] = [ODRL_CONTEXT, {"ls": PROFILE + "#", "xsd": "http://www.w3.org/2001/XMLSchema#"}]

PARTY_URN = "urn:logispace:party:"
RESOURCE_URN = "urn:logispace:resource:"
GRANT_URN = "urn:logispace:grant:"
DOMESTIC = "ls:domestic"
"""The one region value of the profile: inside the People's Republic of China (境内)."""

# leftOperand -> the operators the profile allows with it
OPERATORS: Mapping[str, frozenset[str]] = {
    "purpose": frozenset({"eq"}),
    "dateTime": frozenset({"gteq", "lt"}),
    "ls:field": frozenset({"isAnyOf"}),
    "ls:outputMode": frozenset({"eq"}),
    "ls:minGroupSize": frozenset({"gteq"}),
    "ls:epsilon": frozenset({"lteq"}),
    "spatial": frozenset({"eq"}),
}
OUTPUT_MODES = {"ls:aggregate": OutputMode.AGGREGATE, "ls:record": OutputMode.RECORD}
_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
_SCENARIO = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


@dataclass(frozen=True)
class Permission:
    """One ``use`` permission: its target resource (catalogue code) and the fields it covers."""

    target: str
    fields: frozenset[str]
    domestic_only: bool


@dataclass(frozen=True)
class UsagePolicy:
    """A validated policy, compact for deciding (:func:`.policies.decide`)."""

    uid: str
    assignee: str
    purpose: str
    start: datetime
    end: datetime
    output: OutputMode
    min_group_size: int
    epsilon: float | None
    permissions: Mapping[str, Permission]
    prohibited: frozenset[tuple[str, str]]
    """(action, target) pairs the policy prohibits, e.g. ``("distribute", "WL...")``."""


@dataclass(frozen=True)
class Target:
    """What a grant covers of one resource, for :func:`build_policy`."""

    code: str
    fields: Sequence[str]
    important: bool


def _moment(value: datetime) -> dict[str, str]:
    return {"@value": value.astimezone(UTC).isoformat().replace("+00:00", "Z"), "@type": "xsd:dateTime"}


def build_policy(
    *,
    grant_id: uuid.UUID,
    assigner: uuid.UUID | None,
    assignee: uuid.UUID,
    purpose: str,
    start: datetime,
    end: datetime,
    targets: Sequence[Target],
    output: OutputMode,
    min_group_size: int,
    epsilon: float | None,
) -> dict[str, Any]:
    """The ODRL Agreement of a grant (checked by :func:`parse_policy` before it is stored)."""
    permissions = []
    for t in targets:
        constraints: list[dict[str, Any]] = [
            {"leftOperand": "purpose", "operator": "eq", "rightOperand": purpose},
            {"leftOperand": "dateTime", "operator": "gteq", "rightOperand": _moment(start)},
            {"leftOperand": "dateTime", "operator": "lt", "rightOperand": _moment(end)},
            {"leftOperand": "ls:field", "operator": "isAnyOf", "rightOperand": list(t.fields)},
            {"leftOperand": "ls:outputMode", "operator": "eq", "rightOperand": f"ls:{output.value}"},
            {"leftOperand": "ls:minGroupSize", "operator": "gteq", "rightOperand": min_group_size},
        ]
        if epsilon is not None:
            constraints.append({"leftOperand": "ls:epsilon", "operator": "lteq", "rightOperand": epsilon})
        if t.important:
            constraints.append({"leftOperand": "spatial", "operator": "eq", "rightOperand": DOMESTIC})
        permissions.append({"target": RESOURCE_URN + t.code, "action": "use", "constraint": constraints})
    policy: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Agreement",
        "uid": GRANT_URN + str(grant_id),
        "profile": PROFILE,
        "assignee": PARTY_URN + str(assignee),
        "permission": permissions,
        "prohibition": [{"target": RESOURCE_URN + t.code, "action": "distribute"} for t in targets],
    }
    if assigner is not None:
        policy["assigner"] = PARTY_URN + str(assigner)
    return policy


# -- validation (on write) --------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.items: list[tuple[list[str | int], str]] = []

    def add(self, loc: list[str | int], msg: str) -> None:
        self.items.append((loc, msg))


def _urn(value: Any, prefix: str, loc: list[str | int], errors: _Errors) -> str | None:
    if not isinstance(value, str) or not value.startswith(prefix) or len(value) == len(prefix):
        errors.add(loc, f"must be an IRI starting with {prefix}")
        return None
    return value[len(prefix) :]


def _datetime(value: Any, loc: list[str | int], errors: _Errors) -> datetime | None:
    raw = value.get("@value") if isinstance(value, dict) else value
    if not isinstance(raw, str):
        errors.add(loc, "must be an xsd:dateTime")
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        errors.add(loc, f"{raw!r} is not an xsd:dateTime")
        return None
    if moment.tzinfo is None:
        errors.add(loc, "the dateTime needs a time zone")
        return None
    return moment.astimezone(UTC)


class _Collected:
    def __init__(self) -> None:
        self.purpose: str | None = None
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.fields: frozenset[str] | None = None
        self.output: OutputMode | None = None
        self.k: int | None = None
        self.epsilon: float | None = None
        self.domestic = False


def _constraint(c: Any, loc: list[str | int], seen: _Collected, errors: _Errors) -> None:
    if not isinstance(c, dict):
        errors.add(loc, "a constraint is an object with leftOperand, operator and rightOperand")
        return
    left, op, right = c.get("leftOperand"), c.get("operator"), c.get("rightOperand")
    if not isinstance(left, str) or left not in OPERATORS:
        errors.add([*loc, "leftOperand"], f"{left!r} is not a term of the profile {PROFILE}")
        return
    if not isinstance(op, str) or op not in OPERATORS[left]:
        allowed = ", ".join(sorted(OPERATORS[left]))
        errors.add([*loc, "operator"], f"{left} takes the operator {allowed}, not {op!r}")
        return
    rloc = [*loc, "rightOperand"]
    if left == "purpose":
        if not isinstance(right, str) or not _SCENARIO.match(right):
            errors.add(rloc, "purpose is a scenario code (lowercase letters, digits, underscores)")
        else:
            seen.purpose = right
    elif left == "dateTime":
        moment = _datetime(right, rloc, errors)
        if op == "gteq":
            seen.start = moment
        else:
            seen.end = moment
    elif left == "ls:field":
        if (
            not isinstance(right, list)
            or not right
            or not all(isinstance(f, str) and _FIELD.match(f) for f in right)
        ):
            errors.add(rloc, "ls:field lists the granted column names (at least one)")
        else:
            seen.fields = frozenset(right)
    elif left == "ls:outputMode":
        if not isinstance(right, str) or right not in OUTPUT_MODES:
            errors.add(rloc, f"ls:outputMode is one of {', '.join(OUTPUT_MODES)}")
        else:
            seen.output = OUTPUT_MODES[right]
    elif left == "ls:minGroupSize":
        if isinstance(right, bool) or not isinstance(right, int) or not 2 <= right <= 1_000_000:
            errors.add(rloc, "ls:minGroupSize is an integer from 2")
        else:
            seen.k = right
    elif left == "ls:epsilon":
        number = right if isinstance(right, int | float) and not isinstance(right, bool) else None
        if number is None or not math.isfinite(number) or not 0 < number <= 100:
            errors.add(rloc, "ls:epsilon is a number above 0 and at most 100")
        else:
            seen.epsilon = float(number)
    elif not isinstance(right, str) or right != DOMESTIC:
        errors.add(rloc, f"spatial takes only {DOMESTIC}")
    else:
        seen.domestic = True


def parse_policy(doc: Any) -> UsagePolicy:
    """Validate an ODRL document against the profile; :class:`PolicyInvalid` (422) names each bad term."""
    errors = _Errors()
    if not isinstance(doc, dict):
        raise PolicyInvalid([([], "a policy is a JSON object")])
    context = doc.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if ODRL_CONTEXT not in contexts:
        errors.add(["@context"], f"must include {ODRL_CONTEXT}")
    if doc.get("@type") != "Agreement":
        errors.add(["@type"], "a grant's policy is an Agreement")
    if doc.get("profile") != PROFILE:
        errors.add(["profile"], f"must be {PROFILE}")
    uid = doc.get("uid")
    if not isinstance(uid, str) or not uid:
        errors.add(["uid"], "must be the policy's IRI")
    assignee = _urn(doc.get("assignee"), PARTY_URN, ["assignee"], errors)
    if "assigner" in doc:
        _urn(doc.get("assigner"), PARTY_URN, ["assigner"], errors)
    unknown = sorted(
        set(doc)
        - {"@context", "@type", "uid", "profile", "assigner", "assignee"}
        - {"permission", "prohibition"}
    )
    for key in unknown:
        errors.add([key], "is not a term of the profile")

    permissions: dict[str, Permission] = {}
    common: dict[str, Any] = {}
    raw_permissions = doc.get("permission")
    if not isinstance(raw_permissions, list) or not raw_permissions:
        errors.add(["permission"], "lists at least one use permission")
        raw_permissions = []
    for i, perm in enumerate(raw_permissions):
        loc: list[str | int] = ["permission", i]
        if not isinstance(perm, dict):
            errors.add(loc, "a permission is an object")
            continue
        target = _urn(perm.get("target"), RESOURCE_URN, [*loc, "target"], errors)
        if perm.get("action") != "use":
            errors.add([*loc, "action"], "the profile permits only the action use")
        seen = _Collected()
        constraints = perm.get("constraint")
        if not isinstance(constraints, list):
            errors.add([*loc, "constraint"], "lists the permission's constraints")
            constraints = []
        for j, c in enumerate(constraints):
            _constraint(c, [*loc, "constraint", j], seen, errors)
        for term, value in (
            ("purpose", seen.purpose),
            ("dateTime", seen.start and seen.end),
            ("ls:field", seen.fields),
            ("ls:outputMode", seen.output),
            ("ls:minGroupSize", seen.k),
        ):
            if value is None and not errors.items:
                errors.add([*loc, "constraint"], f"the constraint {term} is required")
        if seen.start and seen.end and seen.end <= seen.start:
            errors.add([*loc, "constraint"], "the period ends before it starts")
        values = {"purpose": seen.purpose, "start": seen.start, "end": seen.end, "output": seen.output,
                  "k": seen.k, "epsilon": seen.epsilon}  # fmt: skip
        if common and values != common and not errors.items:
            errors.add(
                [*loc, "constraint"], "every permission of a grant has the same purpose, period and output"
            )
        common = common or values
        if target is not None and seen.fields is not None:
            if target in permissions:
                errors.add([*loc, "target"], f"{target} has two permissions")
            permissions[target] = Permission(target, seen.fields, seen.domestic)

    prohibited: set[tuple[str, str]] = set()
    raw_prohibitions = doc.get("prohibition")
    if not isinstance(raw_prohibitions, list):
        errors.add(["prohibition"], "lists the distribute prohibition of each target")
        raw_prohibitions = []
    for i, pro in enumerate(raw_prohibitions):
        loc = ["prohibition", i]
        target = _urn(
            pro.get("target") if isinstance(pro, dict) else None, RESOURCE_URN, [*loc, "target"], errors
        )
        action = pro.get("action") if isinstance(pro, dict) else None
        if action != "distribute":
            errors.add([*loc, "action"], "the profile prohibits the action distribute")
        elif target is not None:
            prohibited.add((action, target))
    for code in permissions:
        if ("distribute", code) not in prohibited:
            errors.add(["prohibition"], f"{code} needs a distribute prohibition (no redistribution)")
    if errors.items:
        raise PolicyInvalid(errors.items)
    return UsagePolicy(
        uid=str(uid),
        assignee=str(assignee),
        purpose=common["purpose"],
        start=common["start"],
        end=common["end"],
        output=common["output"],
        min_group_size=common["k"],
        epsilon=common["epsilon"],
        permissions=permissions,
        prohibited=frozenset(prohibited),
    )
