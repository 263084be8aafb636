"""Parties and users (主体与用户): the rules of identity, applied for a :class:`Principal`.

Services flush but never commit: the caller's unit of work decides. A record the caller may not
see is reported as :class:`~logispace.core.errors.NotFound`, the same as a missing one.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core import crypto
from logispace.core.clock import utcnow
from logispace.core.divisions import Jurisdiction, jurisdiction_of_uscc
from logispace.core.errors import NotFound, PermissionDenied
from logispace.core.events import bus
from logispace.core.pagination import PageParams, paged
from logispace.domains.identity import auth_service, events, policies, repository
from logispace.domains.identity.enums import PartyType, Role, VerificationStatus
from logispace.domains.identity.errors import (
    DuplicateParty,
    DuplicateUsername,
    InvalidCredentials,
    LastAdministrator,
    RoleNotAllowed,
)
from logispace.domains.identity.models import Party, PartyVerification, User, UserRole
from logispace.domains.identity.policies import Principal
from logispace.domains.identity.schemas import (
    PartyCreate,
    PartyRead,
    PartyUpdate,
    PasswordChange,
    UserCreate,
    UserRead,
    UserUpdate,
    VerificationDecision,
    VerificationRead,
)

# -- parties -------------------------------------------------------------------------------------


def list_parties(
    session: Session,
    p: Principal,
    params: PageParams,
    *,
    q: str | None = None,
    party_type: PartyType | None = None,
    verification_status: VerificationStatus | None = None,
) -> tuple[Sequence[Party], int]:
    """Parties the caller may see: all for the authority, else only their own."""
    stmt = repository.party_query(
        only_party_id=None if policies.sees_all_parties(p) else p.party_id,
        q=q,
        party_type=party_type,
        verification_status=verification_status,
    )
    return paged(session, stmt, params)


def get_party(session: Session, p: Principal, party_id: uuid.UUID) -> Party:
    party = repository.get_party(session, party_id)
    if party is None or not policies.can_view_party(p, party_id):
        raise NotFound(f"party {party_id} not found")
    return party


def create_party(session: Session, p: Principal, data: PartyCreate) -> Party:
    """Create a party (新建主体); its USCC must be new."""
    if not policies.can_create_party(p):
        raise PermissionDenied("only an authority administrator may create parties")
    existing = repository.party_by_uscc(session, data.uscc)
    if existing is not None:
        raise DuplicateParty(
            f"a party with unified social credit code {data.uscc} exists already", uscc=data.uscc
        )
    party = Party(**data.model_dump())
    session.add(party)
    session.flush()
    bus.publish(
        session,
        events.PartyCreated(
            actor_party_id=p.party_id,
            party_id=party.id,
            uscc=party.uscc,
            party_type=party.party_type.value,
            name=party.name,
        ),
    )
    return party


def update_party(session: Session, p: Principal, party_id: uuid.UUID, data: PartyUpdate) -> Party:
    party = get_party(session, p, party_id)
    if not policies.can_update_party(p, party_id):
        raise PermissionDenied("only the authority administrator or this party's administrator may edit it")
    changes = data.model_dump(exclude_unset=True)
    for key, value in changes.items():
        setattr(party, key, value)
    session.flush()
    return party


def decide_verification(
    session: Session, p: Principal, party_id: uuid.UUID, decision: VerificationDecision
) -> PartyVerification:
    """Record a real-name verification decision (实名认证) and make it the party's status."""
    party = get_party(session, p, party_id)
    if not policies.can_verify_party(p):
        raise PermissionDenied("real-name verification is decided by the data authority")
    record = PartyVerification(
        party_id=party.id,
        status=decision.status,
        method=decision.method,
        note=decision.note,
        decided_by_id=p.user_id,
        decided_at=utcnow(),
    )
    party.verification_status = decision.status
    session.add(record)
    session.flush()
    bus.publish(
        session,
        events.PartyVerified(
            actor_party_id=p.party_id,
            party_id=party.id,
            status=record.status.value,
            method=record.method,
            decided_by_user_id=p.user_id,
        ),
    )
    return record


def verification_history(session: Session, p: Principal, party_id: uuid.UUID) -> list[VerificationRead]:
    get_party(session, p, party_id)
    return [_verification_read(v) for v in repository.verification_history(session, party_id)]


def party_reads(session: Session, parties: Sequence[Party]) -> list[PartyRead]:
    """Response bodies for ``parties``, each with its latest verification."""
    latest = repository.latest_verifications(session, [party.id for party in parties])
    return [
        PartyRead(
            id=party.id,
            name=party.name,
            party_type=party.party_type,
            uscc=party.uscc,
            is_legal_person=party.is_legal_person,
            contact_name=party.contact_name,
            contact_phone=party.contact_phone,
            contact_email=party.contact_email,
            address=party.address,
            verification_status=party.verification_status,
            real_name_verification=_verification_read(latest[party.id]) if party.id in latest else None,
            created_at=party.created_at,
        )
        for party in parties
    ]


def _verification_read(v: PartyVerification) -> VerificationRead:
    return VerificationRead(
        status=v.status,
        method=v.method,
        note=v.note,
        decided_by=v.decided_by.username if v.decided_by else None,
        decided_at=v.decided_at,
    )


# -- users ---------------------------------------------------------------------------------------


def list_users(
    session: Session,
    p: Principal,
    params: PageParams,
    *,
    party_id: uuid.UUID | None = None,
    q: str | None = None,
) -> tuple[Sequence[User], int]:
    """Users the caller may see: everyone for the authority administrator, a party admin's own
    party, otherwise only the caller."""
    if policies.can_create_party(p):
        stmt = repository.user_query(party_id=party_id, q=q)
    elif p.party_id is not None and policies.can_manage_users_of(p, p.party_id):
        if party_id is not None and party_id != p.party_id:
            return [], 0
        stmt = repository.user_query(party_id=p.party_id, q=q)
    else:
        if party_id is not None and party_id != p.party_id:
            return [], 0
        stmt = repository.user_query(party_id=p.party_id, q=q).where(User.id == p.user_id)
    return paged(session, stmt, params)


def get_user(session: Session, p: Principal, user_id: uuid.UUID) -> User:
    user = repository.get_user(session, user_id)
    if user is None or not policies.can_view_user(p, user.id, user.party_id):
        raise NotFound(f"user {user_id} not found")
    return user


def create_user(session: Session, p: Principal, data: UserCreate) -> User:
    """Create a user (新建用户) in a party the caller administers."""
    party = repository.get_party(session, data.party_id)
    if party is None or not policies.can_view_party(p, data.party_id):
        raise NotFound(f"party {data.party_id} not found")
    if not policies.can_manage_users_of(p, party.id):
        raise PermissionDenied("only the authority administrator or this party's administrator may add users")
    _check_roles(p, data.roles, party.party_type)
    if repository.user_by_username(session, data.username) is not None:
        raise DuplicateUsername(f"user name {data.username} is taken", username=data.username)
    user = User(
        party_id=party.id,
        username=data.username,
        display_name=data.display_name,
        email=data.email,
        password_hash=crypto.hash_password(data.password),
        role_rows=[UserRole(role=role) for role in sorted(set(data.roles))],
    )
    session.add(user)
    session.flush()
    bus.publish(
        session,
        events.UserCreated(
            actor_party_id=p.party_id,
            user_id=user.id,
            party_id=party.id,
            username=user.username,
            roles=tuple(sorted(role.value for role in set(data.roles))),
        ),
    )
    return user


def update_user(session: Session, p: Principal, user_id: uuid.UUID, data: UserUpdate) -> User:
    user = get_user(session, p, user_id)
    if not policies.can_manage_users_of(p, user.party_id):
        raise PermissionDenied(
            "only the authority administrator or this party's administrator may edit users"
        )
    changes = data.model_dump(exclude_unset=True)
    new_roles = set(data.roles) if data.roles is not None else set(user.roles)
    still_active = changes.get("is_active", user.is_active)
    if data.roles is not None:
        party = session.get_one(Party, user.party_id)
        _check_roles(p, set(data.roles) ^ set(user.roles), party.party_type)
    loses_admin = Role.AUTHORITY_ADMIN not in new_roles or not still_active
    if (
        Role.AUTHORITY_ADMIN in user.roles
        and loses_admin
        and repository.count_active_with_role(session, Role.AUTHORITY_ADMIN, excluding=user.id) == 0
    ):
        raise LastAdministrator("this is the last active authority administrator")
    if "display_name" in changes:
        user.display_name = changes["display_name"]
    if "email" in changes:
        user.email = changes["email"]
    if "is_active" in changes:
        user.is_active = changes["is_active"]
    if data.roles is not None:
        keep = [row for row in user.role_rows if row.role in new_roles]
        have = {row.role for row in keep}
        user.role_rows = keep + [UserRole(role=r) for r in sorted(new_roles - have)]
    session.flush()
    return user


def change_password(session: Session, p: Principal, data: PasswordChange) -> None:
    user = repository.get_user(session, p.acting_user_id)
    if user is None or not crypto.verify_password(user.password_hash, data.current_password):
        raise InvalidCredentials("the current password is wrong")
    user.password_hash = crypto.hash_password(data.new_password)
    session.flush()


def user_read(user: User) -> UserRead:
    return UserRead(
        id=user.id,
        party_id=user.party_id,
        username=user.username,
        display_name=user.display_name,
        email=user.email,
        roles=sorted(user.roles),
        is_active=user.is_active,
        created_at=user.created_at,
        last_login_at=user.last_login_at,
    )


def _check_roles(p: Principal, roles: set[Role] | list[Role], party_type: PartyType) -> None:
    problems = policies.role_problems(p, roles, party_type)
    if problems:
        raise RoleNotAllowed("; ".join(problems), problems=problems)


# -- lookups for commands and demo data ----------------------------------------------------------


def party_by_uscc(session: Session, uscc: str) -> Party | None:
    return repository.party_by_uscc(session, uscc)


def user_party(session: Session, user_id: uuid.UUID) -> uuid.UUID | None:
    """The party of an active user, or None (no such user, or disabled): whom an alert may be assigned to."""
    return session.scalar(select(User.party_id).where(User.id == user_id, User.is_active.is_(True)))


def party_uscc(session: Session, party_id: uuid.UUID) -> str | None:
    """The unified social credit code of a party, for domains that name parties by it (waybills)."""
    party = session.get(Party, party_id)
    return party.uscc if party is not None else None


def party_ids_by_uscc(session: Session, usccs: set[str] | list[str]) -> dict[str, uuid.UUID]:
    """The registered parties among unified social credit codes (waybills name parties by USCC;
    the codes of parties not on the platform are left out)."""
    return repository.party_ids_by_uscc(session, set(usccs))


def party_names(session: Session, party_ids: set[uuid.UUID] | list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Names of parties by id, for other domains that show who holds or published a record."""
    return repository.party_names(session, set(party_ids))


def party_usccs(session: Session, party_ids: set[uuid.UUID] | list[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Unified social credit codes of parties by id, for domains that name parties by them in bulk
    (the CKAN organization names of the catalogue)."""
    if not party_ids:
        return {}
    rows = session.execute(select(Party.id, Party.uscc).where(Party.id.in_(set(party_ids)))).all()
    return {row[0]: row[1] for row in rows}


def user_by_username(session: Session, username: str) -> User | None:
    return repository.user_by_username(session, username)


def principal_of_user(session: Session, user: User) -> Principal:
    """Act as ``user`` from a command (``via="delegated"``): their party, their roles."""
    party = session.get_one(Party, user.party_id)
    return auth_service.principal_for(user, party.party_type, "delegated")


def registration_authority_party(session: Session) -> uuid.UUID | None:
    """The registration authority (登记机构) that acts for the platform's scheduled tasks: the oldest
    party of type ``registration_authority``, else the oldest ``data_authority``; ``None`` if neither."""
    for party_type in (PartyType.REGISTRATION_AUTHORITY, PartyType.DATA_AUTHORITY):
        found = session.scalar(
            select(Party.id)
            .where(Party.party_type == party_type)
            .order_by(Party.created_at, Party.id)
            .limit(1)
        )
        if found is not None:
            return found
    return None


def data_authority_party(session: Session) -> uuid.UUID | None:
    """The competent data authority (数据主管部门, e.g. 自治区政务服务与数据管理局): the oldest party of type
    ``data_authority``; ``None`` if there is none."""
    return session.scalar(
        select(Party.id)
        .where(Party.party_type == PartyType.DATA_AUTHORITY)
        .order_by(Party.created_at, Party.id)
        .limit(1)
    )


def party_type_of(session: Session, party_id: uuid.UUID) -> PartyType | None:
    """The type of a party, ``None`` for no such party."""
    return session.scalar(select(Party.party_type).where(Party.id == party_id))


# -- jurisdiction (辖区) ----------------------------------------------------------------------------


def jurisdiction(session: Session, p: Principal) -> Jurisdiction:
    """The jurisdiction of the caller's authority (辖区): the division in its party's unified social
    credit code. Only authority staff have one (403 otherwise); an authority whose code names no
    known division has none either (403: it cannot see any party's records through this view)."""
    if not p.is_authority or p.party_id is None:
        raise PermissionDenied("only authority staff see the records of a jurisdiction")
    uscc = party_uscc(session, p.party_id)
    found = jurisdiction_of_uscc(uscc or "")
    if found is None:
        raise PermissionDenied("the authority's unified social credit code names no known division")
    return found


def party_ids_in(session: Session, where: Jurisdiction) -> dict[uuid.UUID, str]:
    """The parties registered in a jurisdiction, by id with their names."""
    rows = session.execute(select(Party.id, Party.name).where(Party.uscc.like(where.uscc_like))).all()
    return {row[0]: row[1] for row in rows}


def count_parties(
    session: Session, p: Principal, verification_status: VerificationStatus | None = None
) -> int:
    """How many parties the caller sees (all for the authority, else their own), optionally in one
    verification status: for the to-do counts of the dashboard."""
    return list_parties(session, p, PageParams(limit=1), verification_status=verification_status)[1]


def party_names_by_uscc(session: Session, usccs: set[str]) -> dict[str, str]:
    """Names of the registered parties among unified social credit codes (codes of parties not on
    the platform are left out)."""
    if not usccs:
        return {}
    rows = session.execute(select(Party.uscc, Party.name).where(Party.uscc.in_(usccs))).all()
    return {row[0]: row[1] for row in rows}
