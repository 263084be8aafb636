"""Catalogue rules (目录规则): grading, sharing and opening, lifecycle, who may do what, list diffs.

Pure functions, no session: ``tests/catalog/test_policies.py`` covers each rule by table. Every
refusal names the rule and the source line it comes from (policy-spec §6.2, §7.2).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from stdnum.iso7064 import mod_97_10

from logispace.domains.catalog.enums import ListChange, OpenType, ResourceStatus, SharingType, UpdateFrequency
from logispace.domains.identity import PartyType, Principal, Role
from logispace.domains.ledger import canonical_json

CORE_GRADE = "core"
"""Core data (核心数据) is never shared or opened, whatever the grade table says (004:4277, 004:4327)."""

EDITOR_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD)


@dataclass(frozen=True)
class GradeRule:
    """What a grade allows: the most open sharing and opening, and why (from ``catalog_grades``)."""

    code: str
    rank: int
    name_zh: str
    sharing_ceiling: SharingType
    open_ceiling: OpenType
    basis: str
    source_ref: str


@dataclass(frozen=True)
class Violation:
    """One broken rule: which, on what field, why, and the source line."""

    rule: str
    field: str
    message: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "field": self.field, "message": self.message, "source": self.source}


# -- grading (分级) -------------------------------------------------------------------------------


def grade_below_fields(
    resource_grade: GradeRule, field_grades: Iterable[tuple[str, GradeRule]]
) -> list[Violation]:
    """A resource is graded at least as high as its most sensitive field.

    Aggregated data keeps at least the protection of its highest-graded part (004:4347), and an
    aggregation that derives a higher level must be re-assessed (004:4309).
    """
    return [
        Violation(
            rule="grade-below-fields",
            field="grade",
            message=(
                f"field {name} is graded {grade.code} ({grade.name_zh}), above the resource's "
                f"{resource_grade.code} ({resource_grade.name_zh}); grade the resource at least {grade.code}"
            ),
            source="004:4347; 004:4309",
        )
        for name, grade in field_grades
        if grade.rank > resource_grade.rank
    ]


# -- sharing and opening (共享开放) -----------------------------------------------------------------


def sharing_violations(
    grade: GradeRule,
    sharing_type: SharingType,
    conditions: str | None,
    basis: str | None,
) -> list[Violation]:
    """Why ``sharing_type`` is not allowed for ``grade`` with these conditions and basis (empty if fine)."""
    out = []
    if grade.code == CORE_GRADE and sharing_type is not SharingType.NOT_SHARED:
        out.append(
            Violation(
                "core-data-not-shareable",
                "sharing_type",
                "core data (核心数据) can never be shared: illegal use or sharing may directly affect "
                "national security, the economic lifeline or major public interest",
                "004:4277; 004:4327",
            )
        )
    elif sharing_type.openness > grade.sharing_ceiling.openness:
        out.append(
            Violation(
                "grade-ceiling-exceeded",
                "sharing_type",
                f"grade {grade.code} ({grade.name_zh}) allows at most {grade.sharing_ceiling.value} sharing: "
                f"{grade.basis}",
                grade.source_ref,
            )
        )
    if sharing_type is SharingType.CONDITIONAL and not (conditions or "").strip():
        out.append(
            Violation(
                "conditions-required",
                "sharing_conditions",
                "conditional sharing (有条件共享) must state its scope, use and conditions",
                "004:709",
            )
        )
    if sharing_type is SharingType.NOT_SHARED and not (basis or "").strip():
        out.append(
            Violation(
                "basis-required",
                "sharing_basis",
                "not sharing (不予共享) must cite its legal basis: a law, an administrative regulation "
                "or a central policy",
                "004:4960; 002:13",
            )
        )
    return out


def open_violations(
    grade: GradeRule, open_type: OpenType, conditions: str | None, basis: str | None
) -> list[Violation]:
    """Why ``open_type`` is not allowed for ``grade`` with these conditions and basis (empty if fine)."""
    out = []
    if grade.code == CORE_GRADE and open_type is not OpenType.NOT_OPENED:
        out.append(
            Violation(
                "core-data-not-openable",
                "open_type",
                "core data (核心数据) can never be opened to the public",
                "004:4277; 004:4331",
            )
        )
    elif open_type.openness > grade.open_ceiling.openness:
        out.append(
            Violation(
                "grade-ceiling-exceeded",
                "open_type",
                f"grade {grade.code} ({grade.name_zh}) allows at most {grade.open_ceiling.value} opening: "
                f"{grade.basis}",
                grade.source_ref,
            )
        )
    if open_type is OpenType.CONDITIONAL and not (conditions or "").strip():
        out.append(
            Violation(
                "conditions-required",
                "open_conditions",
                "conditional opening (有条件开放) must state who may use the data and under which conditions",
                "002:13; 004:158",
            )
        )
    if open_type is OpenType.NOT_OPENED and not (basis or "").strip():
        out.append(
            Violation(
                "basis-required",
                "open_basis",
                "not opening (不予开放) must cite its legal basis (state secrets, security, personal "
                "information or trade secrets, by a law, regulation or central policy)",
                "002:13; 004:4960",
            )
        )
    return out


# -- lifecycle (生命周期) ---------------------------------------------------------------------------

TRANSITIONS: Mapping[tuple[ResourceStatus, str], ResourceStatus] = {
    (ResourceStatus.DRAFT, "publish"): ResourceStatus.PUBLISHED,
    (ResourceStatus.PUBLISHED, "withdraw"): ResourceStatus.WITHDRAWN,
}


def next_status(current: ResourceStatus, action: str) -> ResourceStatus | None:
    """The status after ``action`` (publish, withdraw), or None when it is not allowed from ``current``."""
    return TRANSITIONS.get((current, action))


def editable(status: ResourceStatus) -> bool:
    """Drafts and published resources may be edited (the code stays); withdrawn ones are closed."""
    return status is not ResourceStatus.WITHDRAWN


# -- who may do what (权限) -------------------------------------------------------------------------


def is_public(status: ResourceStatus) -> bool:
    """Published metadata is public; a withdrawn resource stays readable as withdrawn."""
    return status is not ResourceStatus.DRAFT


def can_view_resource(p: Principal | None, holder_party_id: object, status: ResourceStatus) -> bool:
    """Anyone reads published metadata; drafts only their holder and the authority."""
    if is_public(status):
        return True
    return p is not None and (p.is_authority or p.party_id == holder_party_id)


def can_edit_resource(p: Principal | None, holder_party_id: object) -> bool:
    """The holder party's administrators and data stewards edit, publish and withdraw its resources."""
    if p is None:
        return False
    return p.is_system or (p.party_id == holder_party_id and p.has(*EDITOR_ROLES))


def can_create_resource(p: Principal | None) -> bool:
    return p is not None and (p.is_system or (p.party_id is not None and p.has(*EDITOR_ROLES)))


def can_review_grade(p: Principal | None) -> bool:
    """The data authority (数据主管部门) reviews resources' grades (分级审核): its administrators and
    reviewers approve or change a grade with a reason."""
    if p is None:
        return False
    return p.is_system or (
        p.party_type is PartyType.DATA_AUTHORITY and p.has(Role.AUTHORITY_ADMIN, Role.REVIEWER)
    )


def can_publish_list(p: Principal | None) -> bool:
    """Only the data authority (数据主管部门) publishes the sharing/open list (000:25, 000:41)."""
    if p is None:
        return False
    return p.is_system or (p.party_type is PartyType.DATA_AUTHORITY and p.has(Role.AUTHORITY_ADMIN))


# -- catalogue code (统一目录标识, 002:18) -----------------------------------------------------------

CODE_PREFIX = "WL"
_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O


def new_catalog_code() -> str:
    """``WL`` + 10 random characters + 2 ISO 7064 MOD 97-10 check digits, e.g. ``WL7K3M9Q2ZXA41``."""
    body = CODE_PREFIX + "".join(secrets.choice(_CODE_ALPHABET) for _ in range(10))
    return body + str(mod_97_10.calc_check_digits(body))


def is_catalog_code(value: str) -> bool:
    """True for a well-formed catalogue code (prefix, length, check digits)."""
    return (
        len(value) == 14
        and value.startswith(CODE_PREFIX)
        and all(c in _CODE_ALPHABET for c in value[2:12])
        and value[12:].isdigit()
        and bool(mod_97_10.is_valid(value))
    )


# -- list versions (清单版本) -----------------------------------------------------------------------


def fingerprint(entry: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a list entry's listed attributes."""
    return hashlib.sha256(canonical_json(dict(entry))).hexdigest()


def diff_list(previous: Mapping[str, str], current: Mapping[str, str]) -> dict[str, ListChange]:
    """Per catalogue code, how ``current`` differs from ``previous`` (both map code -> fingerprint)."""
    changes: dict[str, ListChange] = {}
    for code, print_ in current.items():
        if code not in previous:
            changes[code] = ListChange.ADDED
        elif previous[code] != print_:
            changes[code] = ListChange.CHANGED
        else:
            changes[code] = ListChange.UNCHANGED
    for code in previous:
        if code not in current:
            changes[code] = ListChange.REMOVED
    return changes


# -- freshness of the data (数据更新及时性) ------------------------------------------------------------

FRESHNESS: dict[UpdateFrequency, timedelta | None] = {
    UpdateFrequency.REALTIME: timedelta(hours=1),
    UpdateFrequency.HOURLY: timedelta(hours=2),
    UpdateFrequency.DAILY: timedelta(days=2),
    UpdateFrequency.WEEKLY: timedelta(days=14),
    UpdateFrequency.MONTHLY: timedelta(days=62),
    UpdateFrequency.QUARTERLY: timedelta(days=184),
    UpdateFrequency.YEARLY: timedelta(days=731),
    UpdateFrequency.IRREGULAR: None,
    UpdateFrequency.STATIC: None,
}
"""How long after its last distribution a resource of each declared frequency turns stale: two
periods (a daily resource not updated for 2 days; realtime data is stale after an hour).
Irregular and static resources never turn stale."""


def stale_since(frequency: UpdateFrequency, last_update: datetime | None) -> datetime | None:
    """When the resource turned (or will turn) stale (过期): last distribution + allowance.

    ``None`` when it never does: no distribution yet (nothing to be late with) or a frequency
    without a period.
    """
    allowance = FRESHNESS[frequency]
    if last_update is None or allowance is None:
        return None
    return last_update + allowance


def is_stale(frequency: UpdateFrequency, last_update: datetime | None, now: datetime) -> bool:
    since = stale_since(frequency, last_update)
    return since is not None and now >= since


# -- open data (数据开放) -----------------------------------------------------------------------------

OPEN_REQUESTS = {
    OpenType.CONDITIONAL: "有条件开放 (conditionally open): request a grant (数据申请) "
    "under its open conditions",
    OpenType.NOT_OPENED: "不予开放 (not opened): the data is not open to society; request sharing "
    "(共享申请) under its sharing conditions",
}


def open_data_refusal(
    p: Principal | None, holder_party_id: object, status: ResourceStatus, open_type: OpenType
) -> str | None:
    """Why the caller may not preview or download the data, naming what must be requested;
    ``None`` when they may: anyone for a published 无条件开放 resource, the holder party's
    members and the authority for any of the holder's resources."""
    if p is not None and (p.is_authority or p.party_id == holder_party_id):
        return None
    if status is ResourceStatus.WITHDRAWN:
        return "已撤回 (withdrawn): the resource is no longer open; ask its holder"
    if open_type is OpenType.UNCONDITIONAL and status is ResourceStatus.PUBLISHED:
        return None
    return OPEN_REQUESTS.get(open_type, "published resources only")


# -- the structure taken from the data (数据结构) ------------------------------------------------------

FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
"""A field name the catalogue's structure takes (``schemas.FieldName``); other columns (a Chinese
header) are shown from the data but not described."""
FIELD_TYPES = {
    "string": "string",
    "integer": "integer",
    "decimal": "decimal",
    "float": "decimal",
    "boolean": "boolean",
    "date": "date",
    "timestamp": "datetime",
    "binary": "binary",
}
"""The storage layer's logical types to the catalogue's field types; anything else is a string."""


def fields_from_data(
    described: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str]]
) -> list[dict[str, Any]] | None:
    """The resource's structure with the uploaded data's new columns added (name, the column name as
    its title until the holder gives a Chinese one, the type taken from the data); the fields already
    described keep their titles, types, grades and descriptions. ``None`` when nothing is new.

    ``columns`` are ``(name, logical type)`` in file order."""
    known = {str(f["name"]).lower() for f in described}
    added = [
        {"name": name, "title": name[:100], "type": FIELD_TYPES.get(logical, "string")}
        for name, logical in columns
        if FIELD_NAME.fullmatch(name) and name.lower() not in known
    ]
    return [*(dict(f) for f in described), *added] if added else None
