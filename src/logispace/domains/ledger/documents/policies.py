"""Who may notarize (存证权限) and how a document's versions relate: pure rules, no session."""

from __future__ import annotations

import uuid

from logispace.domains.identity import Principal, Role

# Roles that write records for their party; analysts and reviewers only read.
NOTARIZING_ROLES = frozenset({Role.PARTY_ADMIN, Role.DATA_STEWARD})


def can_notarize(p: Principal) -> bool:
    """A user of a party holding a writing role notarizes documents in that party's name."""
    return p.party_id is not None and bool(p.roles & NOTARIZING_ROLES)


def can_add_version(p: Principal, issuer_party_id: uuid.UUID) -> bool:
    """Only the issuing party adds versions to its document."""
    return can_notarize(p) and p.party_id == issuer_party_id


def is_superseded(version: int, latest_version: int) -> bool:
    """A version is superseded once a later version of the same document exists."""
    return version < latest_version
