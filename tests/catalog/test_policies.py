"""Catalogue rules by table: grading, sharing/open refusals with their basis, lifecycle, permissions."""

from __future__ import annotations

import uuid

import pytest
from stdnum.iso7064 import mod_97_10

from logispace.domains.catalog import policies
from logispace.domains.catalog.enums import ListChange, OpenType, ResourceStatus, SharingType
from logispace.domains.catalog.policies import GradeRule
from logispace.domains.identity import SYSTEM, PartyType, Principal, Role

U, C, N = SharingType.UNCONDITIONAL, SharingType.CONDITIONAL, SharingType.NOT_SHARED
OU, OC, ON = OpenType.UNCONDITIONAL, OpenType.CONDITIONAL, OpenType.NOT_OPENED

# The default grades, as seeded by the migration (policy-spec §6.2).
CORE = GradeRule("core", 4, "核心数据", N, ON, "核心数据不得共享或开放", "004:4277; 004:4327")
IMPORTANT = GradeRule("important", 3, "重要数据", C, OC, "可用不可见", "004:717; 004:4331")
SENSITIVE = GradeRule("general_sensitive", 2, "敏感数据", C, OC, "须取得同意", "004:4327; 004:4331")
OTHER = GradeRule("general_other", 1, "其他一般数据", U, OU, "可无条件", "004:4283; 004:717")
GRADES = {g.code: g for g in (CORE, IMPORTANT, SENSITIVE, OTHER)}


@pytest.mark.parametrize(
    ("grade", "sharing", "allowed"),
    [
        (CORE, U, False),
        (CORE, C, False),
        (CORE, N, True),
        (IMPORTANT, U, False),
        (IMPORTANT, C, True),
        (IMPORTANT, N, True),
        (SENSITIVE, U, False),
        (SENSITIVE, C, True),
        (SENSITIVE, N, True),
        (OTHER, U, True),
        (OTHER, C, True),
        (OTHER, N, True),
    ],
)
def test_sharing_ceiling_per_grade(grade: GradeRule, sharing: SharingType, allowed: bool) -> None:
    found = policies.sharing_violations(grade, sharing, "按需申请", "《数据安全法》第二十一条")
    assert (found == []) is allowed, found
    if not allowed:
        (violation,) = found
        assert violation.field == "sharing_type"
        expected = "core-data-not-shareable" if grade is CORE else "grade-ceiling-exceeded"
        assert violation.rule == expected
        assert violation.source == grade.source_ref if grade is not CORE else "004:4277; 004:4327"


@pytest.mark.parametrize(
    ("grade", "open_type", "allowed"),
    [
        (CORE, OU, False),
        (CORE, OC, False),
        (CORE, ON, True),
        (IMPORTANT, OU, False),
        (IMPORTANT, OC, True),
        (SENSITIVE, OU, False),
        (SENSITIVE, OC, True),
        (OTHER, OU, True),
        (OTHER, ON, True),
    ],
)
def test_open_ceiling_per_grade(grade: GradeRule, open_type: OpenType, allowed: bool) -> None:
    found = policies.open_violations(grade, open_type, "脱敏后开放", "《个人信息保护法》")
    assert (found == []) is allowed, found
    if not allowed:
        expected = "core-data-not-openable" if grade is CORE else "grade-ceiling-exceeded"
        assert [v.rule for v in found] == [expected]


def test_core_is_refused_even_if_its_configured_ceiling_were_loosened() -> None:
    loosened = GradeRule("core", 4, "核心数据", U, OU, "misconfigured", "x")
    assert [v.rule for v in policies.sharing_violations(loosened, U, None, None)] == [
        "core-data-not-shareable"
    ]
    assert [v.rule for v in policies.open_violations(loosened, OC, "c", None)] == ["core-data-not-openable"]
    assert "核心数据" in policies.sharing_violations(loosened, C, "c", None)[0].message


@pytest.mark.parametrize(
    ("sharing", "conditions", "basis", "rules"),
    [
        (C, None, None, ["conditions-required"]),
        (C, "   ", None, ["conditions-required"]),
        (C, "按需申请", None, []),
        (N, None, None, ["basis-required"]),
        (N, None, "  ", ["basis-required"]),
        (N, None, "《中华人民共和国保守国家秘密法》", []),
        (U, None, None, []),
    ],
)
def test_conditional_needs_conditions_and_refusal_needs_its_legal_basis(
    sharing: SharingType, conditions: str | None, basis: str | None, rules: list[str]
) -> None:
    found = policies.sharing_violations(OTHER, sharing, conditions, basis)
    assert [v.rule for v in found] == rules
    sources = {"conditions-required": "004:709", "basis-required": "004:4960; 002:13"}
    assert [v.source for v in found] == [sources[r] for r in rules]


@pytest.mark.parametrize(
    ("open_type", "conditions", "basis", "rules"),
    [
        (OC, None, None, ["conditions-required"]),
        (OC, "脱敏后开放", None, []),
        (ON, None, None, ["basis-required"]),
        (ON, None, "涉及商业秘密", []),
        (OU, None, None, []),
    ],
)
def test_open_conditions_and_basis(
    open_type: OpenType, conditions: str | None, basis: str | None, rules: list[str]
) -> None:
    assert [v.rule for v in policies.open_violations(OTHER, open_type, conditions, basis)] == rules


@pytest.mark.parametrize(
    ("resource", "fields", "offending"),
    [
        (OTHER, [], []),
        (OTHER, [("a", OTHER)], []),
        (OTHER, [("a", OTHER), ("b", SENSITIVE)], ["b"]),
        (SENSITIVE, [("a", SENSITIVE), ("b", OTHER)], []),
        (SENSITIVE, [("a", IMPORTANT), ("b", CORE)], ["a", "b"]),
        (IMPORTANT, [("a", IMPORTANT)], []),
        (CORE, [("a", CORE), ("b", OTHER)], []),
    ],
)
def test_resource_grade_is_at_least_its_highest_field_grade(
    resource: GradeRule, fields: list[tuple[str, GradeRule]], offending: list[str]
) -> None:
    found = policies.grade_below_fields(resource, fields)
    assert [v.rule for v in found] == ["grade-below-fields"] * len(offending)
    assert all(v.source == "004:4347; 004:4309" for v in found)
    for name, violation in zip(offending, found, strict=True):
        assert f"field {name} " in violation.message


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (ResourceStatus.DRAFT, "publish", ResourceStatus.PUBLISHED),
        (ResourceStatus.DRAFT, "withdraw", None),
        (ResourceStatus.PUBLISHED, "publish", None),
        (ResourceStatus.PUBLISHED, "withdraw", ResourceStatus.WITHDRAWN),
        (ResourceStatus.WITHDRAWN, "publish", None),
        (ResourceStatus.WITHDRAWN, "withdraw", None),
        (ResourceStatus.DRAFT, "delete", None),
    ],
)
def test_lifecycle(status: ResourceStatus, action: str, after: ResourceStatus | None) -> None:
    assert policies.next_status(status, action) is after


@pytest.mark.parametrize(
    ("status", "editable"),
    [(ResourceStatus.DRAFT, True), (ResourceStatus.PUBLISHED, True), (ResourceStatus.WITHDRAWN, False)],
)
def test_withdrawn_resources_are_closed(status: ResourceStatus, editable: bool) -> None:
    assert policies.editable(status) is editable


HOLDER, OTHER_PARTY = uuid.uuid4(), uuid.uuid4()


def who(party: uuid.UUID | None, party_type: PartyType | None, *roles: Role) -> Principal:
    return Principal(uuid.uuid4(), "u", party, party_type, frozenset(roles), via="token")


STEWARD = who(HOLDER, PartyType.ENTERPRISE, Role.DATA_STEWARD)
ADMIN = who(HOLDER, PartyType.ENTERPRISE, Role.PARTY_ADMIN)
ANALYST = who(HOLDER, PartyType.ENTERPRISE, Role.ANALYST)
STRANGER = who(OTHER_PARTY, PartyType.ENTERPRISE, Role.PARTY_ADMIN, Role.DATA_STEWARD)
AUTHORITY = who(uuid.uuid4(), PartyType.DATA_AUTHORITY, Role.AUTHORITY_ADMIN)
AUTH_REVIEWER = who(uuid.uuid4(), PartyType.DATA_AUTHORITY, Role.REVIEWER)
REGISTRAR = who(uuid.uuid4(), PartyType.REGISTRATION_AUTHORITY, Role.AUTHORITY_ADMIN)


@pytest.mark.parametrize(
    ("p", "draft", "published", "withdrawn", "edit", "create", "publish_list"),
    [
        (None, False, True, True, False, False, False),
        (STEWARD, True, True, True, True, True, False),
        (ADMIN, True, True, True, True, True, False),
        (ANALYST, True, True, True, False, False, False),
        (STRANGER, False, True, True, False, True, False),
        (AUTHORITY, True, True, True, False, False, True),
        (AUTH_REVIEWER, True, True, True, False, False, False),
        (REGISTRAR, True, True, True, False, False, False),
        (SYSTEM, True, True, True, True, True, True),
    ],
)
def test_who_may_do_what(
    p: Principal | None,
    draft: bool,
    published: bool,
    withdrawn: bool,
    edit: bool,
    create: bool,
    publish_list: bool,
) -> None:
    assert policies.can_view_resource(p, HOLDER, ResourceStatus.DRAFT) is draft
    assert policies.can_view_resource(p, HOLDER, ResourceStatus.PUBLISHED) is published
    assert policies.can_view_resource(p, HOLDER, ResourceStatus.WITHDRAWN) is withdrawn
    assert policies.can_edit_resource(p, HOLDER) is edit
    assert policies.can_create_resource(p) is create
    assert policies.can_publish_list(p) is publish_list


def test_catalogue_codes_are_well_formed_and_checked() -> None:
    codes = {policies.new_catalog_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(policies.is_catalog_code(c) for c in codes)
    code = codes.pop()
    assert len(code) == 14
    assert code.startswith("WL")
    # MOD 97-10 catches every swap of two adjacent digits; a letter counts as two digits (X is 33), so the
    # swap of X and 3 is the same digit string and cannot be caught: test the swap on two digits.
    digits = "WL12" + code[4:12]
    digits += f"{mod_97_10.calc_check_digits(digits)}"
    assert policies.is_catalog_code(digits)
    assert not policies.is_catalog_code(digits[:2] + "21" + digits[4:])
    wrong_digit = code[:12] + f"{(int(code[12:]) + 1) % 100:02d}"
    assert not policies.is_catalog_code(wrong_digit)
    assert not policies.is_catalog_code("XX" + code[2:])
    assert not policies.is_catalog_code(code[:-1])


@pytest.mark.parametrize(
    ("previous", "current", "expected"),
    [
        ({}, {}, {}),
        ({}, {"A": "1"}, {"A": ListChange.ADDED}),
        ({"A": "1"}, {"A": "1"}, {"A": ListChange.UNCHANGED}),
        ({"A": "1"}, {"A": "2"}, {"A": ListChange.CHANGED}),
        ({"A": "1"}, {}, {"A": ListChange.REMOVED}),
        (
            {"A": "1", "B": "1", "C": "1"},
            {"A": "1", "B": "2", "D": "1"},
            {
                "A": ListChange.UNCHANGED,
                "B": ListChange.CHANGED,
                "C": ListChange.REMOVED,
                "D": ListChange.ADDED,
            },
        ),
    ],
)
def test_list_diff(
    previous: dict[str, str], current: dict[str, str], expected: dict[str, ListChange]
) -> None:
    assert policies.diff_list(previous, current) == expected


def test_fingerprint_depends_on_content_not_key_order() -> None:
    a = policies.fingerprint({"name": "甲", "sharing_type": "conditional"})
    assert a == policies.fingerprint({"sharing_type": "conditional", "name": "甲"})
    assert a != policies.fingerprint({"name": "甲", "sharing_type": "unconditional"})
