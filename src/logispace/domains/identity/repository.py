"""Identity queries. Functions take a session and return ORM objects; they never commit."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, selectinload

from logispace.domains.identity.enums import PartyType, Role, VerificationStatus
from logispace.domains.identity.models import (
    ApiToken,
    LoginThrottle,
    Party,
    PartyVerification,
    User,
    UserRole,
    WebSession,
)


def party_query(
    *,
    only_party_id: uuid.UUID | None,
    q: str | None = None,
    party_type: PartyType | None = None,
    verification_status: VerificationStatus | None = None,
) -> Select[Party]:
    stmt = select(Party).order_by(Party.name, Party.id)
    if only_party_id is not None:
        stmt = stmt.where(Party.id == only_party_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(Party.name.ilike(like), Party.uscc.ilike(like)))
    if party_type is not None:
        stmt = stmt.where(Party.party_type == party_type)
    if verification_status is not None:
        stmt = stmt.where(Party.verification_status == verification_status)
    return stmt


def get_party(session: Session, party_id: uuid.UUID) -> Party | None:
    return session.get(Party, party_id)


def party_names(session: Session, party_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not party_ids:
        return {}
    rows = session.execute(select(Party.id, Party.name).where(Party.id.in_(party_ids))).all()
    return {row[0]: row[1] for row in rows}


def party_by_uscc(session: Session, uscc: str) -> Party | None:
    return session.scalar(select(Party).where(Party.uscc == uscc))


def party_ids_by_uscc(session: Session, usccs: set[str]) -> dict[str, uuid.UUID]:
    if not usccs:
        return {}
    rows = session.execute(select(Party.uscc, Party.id).where(Party.uscc.in_(usccs))).all()
    return {row[0]: row[1] for row in rows}


def latest_verifications(
    session: Session, party_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, PartyVerification]:
    """The newest verification record of each party in ``party_ids``."""
    if not party_ids:
        return {}
    rows = session.scalars(
        select(PartyVerification)
        .where(PartyVerification.party_id.in_(party_ids))
        .options(selectinload(PartyVerification.decided_by))
        .order_by(PartyVerification.party_id, PartyVerification.decided_at.desc())
    ).all()
    latest: dict[uuid.UUID, PartyVerification] = {}
    for row in rows:
        latest.setdefault(row.party_id, row)
    return latest


def verification_history(session: Session, party_id: uuid.UUID) -> Sequence[PartyVerification]:
    return session.scalars(
        select(PartyVerification)
        .where(PartyVerification.party_id == party_id)
        .options(selectinload(PartyVerification.decided_by))
        .order_by(PartyVerification.decided_at.desc())
    ).all()


def user_query(*, party_id: uuid.UUID | None = None, q: str | None = None) -> Select[User]:
    stmt = select(User).order_by(User.username)
    if party_id is not None:
        stmt = stmt.where(User.party_id == party_id)
    if q:
        like = f"%{q}%"
        stmt = stmt.where(or_(User.username.ilike(like), User.display_name.ilike(like)))
    return stmt


def get_user(session: Session, user_id: uuid.UUID) -> User | None:
    return session.get(User, user_id)


def user_by_username(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def user_with_party(session: Session, user_id: uuid.UUID) -> User | None:
    return session.scalar(select(User).where(User.id == user_id).options(selectinload(User.party)))


def count_active_with_role(session: Session, role: Role, *, excluding: uuid.UUID | None = None) -> int:
    stmt = (
        select(func.count())
        .select_from(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(User.is_active.is_(True), UserRole.role == role)
    )
    if excluding is not None:
        stmt = stmt.where(User.id != excluding)
    return session.scalar(stmt) or 0


def tokens_of(session: Session, user_id: uuid.UUID) -> Sequence[ApiToken]:
    return session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.created_at.desc())
    ).all()


def token_by_digest(session: Session, digest: str) -> ApiToken | None:
    return session.scalar(select(ApiToken).where(ApiToken.digest == digest))


def session_by_digest(session: Session, digest: str) -> WebSession | None:
    return session.scalar(select(WebSession).where(WebSession.digest == digest))


# -- login throttles ------------------------------------------------------------------------------


def login_throttles(session: Session, keys: Sequence[str]) -> dict[str, LoginThrottle]:
    """The throttle rows of ``keys`` that exist, by key, locked for this transaction (PostgreSQL) so
    that concurrent logins count every failure."""
    stmt = select(LoginThrottle).where(LoginThrottle.key.in_(keys)).with_for_update()
    return {row.key: row for row in session.scalars(stmt)}


def add_login_throttle(session: Session, key: str, scope: str, now: datetime) -> LoginThrottle:
    """The throttle row of ``key``, created when missing; a row another process created at the same
    moment is taken over rather than refused as a duplicate."""
    values = {"key": key, "scope": scope, "failures": 0, "refused": 0, "last_failure_at": now}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(LoginThrottle).values(**values).on_conflict_do_nothing(index_elements=["key"]))
    stmt = select(LoginThrottle).where(LoginThrottle.key == key).with_for_update()
    return session.scalars(stmt.execution_options(populate_existing=True)).one()
