"""Table tests of the pure identity rules (policies.py)."""

import uuid

import pytest

from logispace.domains.identity import SYSTEM, PartyType, Principal, Role
from logispace.domains.identity import policies as pol

OWN = uuid.uuid4()
OTHER = uuid.uuid4()


def principal(party_type: PartyType, *roles: Role, party_id: uuid.UUID = OWN) -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        username="u",
        party_id=party_id,
        party_type=party_type,
        roles=frozenset(roles),
        via="token",
    )


AUTH_ADMIN = principal(PartyType.DATA_AUTHORITY, Role.AUTHORITY_ADMIN)
REVIEWER = principal(PartyType.REGISTRATION_AUTHORITY, Role.REVIEWER)
PARTY_ADMIN = principal(PartyType.ENTERPRISE, Role.PARTY_ADMIN)
STEWARD = principal(PartyType.ENTERPRISE, Role.DATA_STEWARD)
# An authority-type party member without an authority role is not "the authority".
AUTHORITY_CLERK = principal(PartyType.DATA_AUTHORITY, Role.ANALYST)
# An authority role on a non-authority party (cannot be granted, but must not empower if present).
FAKE_ADMIN = principal(PartyType.ENTERPRISE, Role.AUTHORITY_ADMIN)


@pytest.mark.parametrize(
    (
        "p",
        "sees_all",
        "view_other",
        "create",
        "update_own",
        "update_other",
        "verify",
        "users_own",
        "users_other",
    ),
    [
        (SYSTEM, True, True, True, True, True, True, True, True),
        (AUTH_ADMIN, True, True, True, True, True, True, True, True),
        (REVIEWER, True, True, False, False, False, True, False, False),
        (PARTY_ADMIN, False, False, False, True, False, False, True, False),
        (STEWARD, False, False, False, False, False, False, False, False),
        (AUTHORITY_CLERK, False, False, False, False, False, False, False, False),
        (FAKE_ADMIN, False, False, False, False, False, False, False, False),
    ],
    ids=["system", "authority-admin", "reviewer", "party-admin", "steward", "authority-clerk", "fake-admin"],
)
def test_party_and_user_rules(
    p: Principal,
    sees_all: bool,
    view_other: bool,
    create: bool,
    update_own: bool,
    update_other: bool,
    verify: bool,
    users_own: bool,
    users_other: bool,
) -> None:
    assert pol.sees_all_parties(p) is sees_all
    assert pol.can_view_party(p, OTHER) is view_other
    assert pol.can_view_party(p, OWN) is True or p.is_system
    assert pol.can_create_party(p) is create
    assert pol.can_update_party(p, OWN) is update_own
    assert pol.can_update_party(p, OTHER) is update_other
    assert pol.can_verify_party(p) is verify
    assert pol.can_manage_users_of(p, OWN) is users_own
    assert pol.can_manage_users_of(p, OTHER) is users_other


@pytest.mark.parametrize(
    ("p", "roles", "target", "problems"),
    [
        (AUTH_ADMIN, [Role.REVIEWER], PartyType.DATA_AUTHORITY, 0),
        (AUTH_ADMIN, [Role.AUTHORITY_ADMIN], PartyType.REGISTRATION_AUTHORITY, 0),
        (AUTH_ADMIN, [Role.REVIEWER], PartyType.ENTERPRISE, 1),
        (AUTH_ADMIN, [Role.PARTY_ADMIN, Role.ANALYST], PartyType.ENTERPRISE, 0),
        (PARTY_ADMIN, [Role.DATA_STEWARD], PartyType.ENTERPRISE, 0),
        (PARTY_ADMIN, [Role.AUTHORITY_ADMIN], PartyType.ENTERPRISE, 1),
        (principal(PartyType.DATA_AUTHORITY, Role.PARTY_ADMIN), [Role.REVIEWER], PartyType.DATA_AUTHORITY, 1),
        (AUTH_ADMIN, [Role.AUTHORITY_ADMIN, Role.REVIEWER], PartyType.FINANCIAL_INSTITUTION, 2),
    ],
)
def test_role_grants(p: Principal, roles: list[Role], target: PartyType, problems: int) -> None:
    assert len(pol.role_problems(p, roles, target)) == problems


def test_acting_user_id_of_system_is_refused() -> None:
    from logispace.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        _ = SYSTEM.acting_user_id
    assert AUTH_ADMIN.acting_user_id == AUTH_ADMIN.user_id


class _DomainRefusal(pol.PermissionDenied):
    code = "some-domain-not-allowed"


@pytest.mark.parametrize(
    ("p", "reads", "writes"),
    [
        (SYSTEM, False, False),  # the system has no party of its own
        (PARTY_ADMIN, True, True),
        (STEWARD, True, True),
        (AUTHORITY_CLERK, True, False),
        (principal(PartyType.ENTERPRISE, Role.ANALYST), True, False),
    ],
    ids=["system", "party-admin", "steward", "authority-clerk", "analyst"],
)
def test_own_party_and_party_writer(p: Principal, reads: bool, writes: bool) -> None:
    for rule, allowed in ((pol.own_party, reads), (pol.party_writer, writes)):
        if allowed:
            assert rule(p) == p.party_id
            assert rule(p, _DomainRefusal) == p.party_id
        else:
            with pytest.raises(_DomainRefusal) as refused:
                rule(p, _DomainRefusal)
            assert refused.value.status == 403
            with pytest.raises(pol.PermissionDenied):
                rule(p)
