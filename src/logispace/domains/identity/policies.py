"""Who may do what in identity (权限规则): pure functions over a :class:`Principal`.

No session, no I/O: the table tests in ``tests/identity/test_policies.py`` cover every rule.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta

from logispace.core.errors import PermissionDenied
from logispace.domains.identity.enums import AUTHORITY_ROLES, PartyType, Role


@dataclass(frozen=True)
class ThrottleRule:
    """Login throttle rule (登录失败处理): once ``free`` failures are counted, the next try waits
    ``base_seconds``, doubled with each further failure, at most ``cap_seconds``."""

    free: int
    base_seconds: int
    cap_seconds: int


# Per (account, client) pair: a guesser at one account is soon held to one try per 15 minutes.
PAIR_RULE = ThrottleRule(free=3, base_seconds=1, cap_seconds=15 * 60)
# Per client address, across accounts: a password sprayer is slowed the same way.
CLIENT_RULE = ThrottleRule(free=10, base_seconds=1, cap_seconds=15 * 60)
# Per account, from every client: a much higher ceiling that only slows (at most a minute), and
# only clients that have themselves failed at the account, so the owner is never kept out.
ACCOUNT_RULE = ThrottleRule(free=20, base_seconds=1, cap_seconds=60)
# Failures older than this (since the last one) are forgotten.
THROTTLE_WINDOW = timedelta(hours=1)


def throttle_delay(failures: int, rule: ThrottleRule) -> int:
    """Seconds the next try must wait after ``failures`` recent failures (0: no wait)."""
    over = failures - rule.free
    if over < 0:
        return 0
    if over >= rule.cap_seconds.bit_length() + 1:  # 2**over alone exceeds the cap
        return rule.cap_seconds
    return int(min(rule.cap_seconds, rule.base_seconds * 2**over))


@dataclass(frozen=True)
class Principal:
    """The authenticated caller (当前主体): a user acting for their party, or the system."""

    user_id: uuid.UUID | None
    username: str
    party_id: uuid.UUID | None
    party_type: PartyType | None
    roles: frozenset[Role] = field(default_factory=frozenset)
    via: str = "system"

    @property
    def is_system(self) -> bool:
        """True for the operator at the command line, who may do everything."""
        return self.via == "system"

    def has(self, *roles: Role) -> bool:
        """True when the caller holds any of ``roles`` (the system holds all)."""
        return self.is_system or bool(self.roles.intersection(roles))

    @property
    def acting_user_id(self) -> uuid.UUID:
        """The user behind this principal; the system principal has none."""
        if self.user_id is None:
            raise PermissionDenied("this action needs a user, not the system principal")
        return self.user_id

    @property
    def is_authority(self) -> bool:
        """Authority staff: an authority-type party and an authority role."""
        return self.is_system or (
            self.party_type is not None and self.party_type.is_authority and self.has(*AUTHORITY_ROLES)
        )


SYSTEM = Principal(user_id=None, username="system", party_id=None, party_type=None, via="system")


def sees_all_parties(p: Principal) -> bool:
    """The authority sees every party; everyone else only their own."""
    return p.is_authority


PARTY_WRITERS = (Role.PARTY_ADMIN, Role.DATA_STEWARD)
"""The roles that act in a party's name on its own operational records (rules, vehicles, loads)."""


def own_party(p: Principal, refuse: type[PermissionDenied] = PermissionDenied) -> uuid.UUID:
    """The caller's party (本单位), whose records it reads; a caller without one (the system) is
    refused with ``refuse`` (a :class:`PermissionDenied`, 403, or a domain's subclass of it)."""
    if p.party_id is None:
        raise refuse("these records belong to a party: act as a user of one")
    return p.party_id


def party_writer(p: Principal, refuse: type[PermissionDenied] = PermissionDenied) -> uuid.UUID:
    """The caller's party when the caller may write in its name: a party administrator or data
    steward (:data:`PARTY_WRITERS`); anyone else is refused with ``refuse``."""
    party = own_party(p, refuse)
    if not p.has(*PARTY_WRITERS):
        raise refuse("a party administrator or data steward acts for the party")
    return party


def can_view_party(p: Principal, party_id: uuid.UUID) -> bool:
    return p.is_authority or p.party_id == party_id


def can_create_party(p: Principal) -> bool:
    return p.is_authority and p.has(Role.AUTHORITY_ADMIN)


def can_update_party(p: Principal, party_id: uuid.UUID) -> bool:
    return can_create_party(p) or (p.party_id == party_id and p.has(Role.PARTY_ADMIN))


def can_verify_party(p: Principal) -> bool:
    """Real-name verification is decided by authority administrators and reviewers."""
    return p.is_authority


def can_manage_users_of(p: Principal, party_id: uuid.UUID) -> bool:
    """Create and change users: the authority administrator anywhere, a party admin in their party."""
    return can_create_party(p) or (p.party_id == party_id and p.has(Role.PARTY_ADMIN))


def can_view_user(p: Principal, user_id: uuid.UUID, user_party_id: uuid.UUID) -> bool:
    return p.user_id == user_id or can_manage_users_of(p, user_party_id)


def role_problems(p: Principal, roles: Iterable[Role], target_party_type: PartyType) -> list[str]:
    """Why ``p`` may not give ``roles`` to a user of a ``target_party_type`` party (empty if allowed)."""
    problems = []
    for role in sorted(set(roles)):
        if role.is_authority_role and not target_party_type.is_authority:
            problems.append(f"role {role.value} is only for staff of a data or registration authority")
        elif role.is_authority_role and not can_create_party(p):
            problems.append(f"only an authority administrator may grant role {role.value}")
    return problems
