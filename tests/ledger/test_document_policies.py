"""Who may notarize, and when a version is superseded: table tests of the pure rules."""

from __future__ import annotations

import uuid

import pytest

from logispace.domains.identity import SYSTEM, PartyType, Principal, Role
from logispace.domains.ledger.documents.policies import can_add_version, can_notarize, is_superseded

A, B = uuid.uuid4(), uuid.uuid4()


def user(party: uuid.UUID | None, *roles: Role) -> Principal:
    return Principal(uuid.uuid4(), "u", party, PartyType.ENTERPRISE, frozenset(roles), via="token")


@pytest.mark.parametrize(
    ("principal", "notarize", "version_of_a"),
    [
        (user(A, Role.PARTY_ADMIN), True, True),
        (user(A, Role.DATA_STEWARD), True, True),
        (user(A, Role.ANALYST), False, False),
        (user(A), False, False),
        (user(B, Role.PARTY_ADMIN, Role.DATA_STEWARD), True, False),
        (user(A, Role.AUTHORITY_ADMIN, Role.REVIEWER), False, False),
        (user(None, Role.PARTY_ADMIN), False, False),
        (SYSTEM, False, False),
    ],
)
def test_who_may_notarize(principal: Principal, notarize: bool, version_of_a: bool) -> None:
    assert can_notarize(principal) is notarize
    assert can_add_version(principal, A) is version_of_a


@pytest.mark.parametrize(("version", "latest", "superseded"), [(1, 1, False), (1, 2, True), (3, 3, False)])
def test_superseded(version: int, latest: int, superseded: bool) -> None:
    assert is_superseded(version, latest) is superseded
