"""Identity tables: parties (主体), users, roles, real-name checks, API tokens, web sessions, party keys."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Enum, ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin
from logispace.domains.identity.enums import PartyType, Role, VerificationStatus


def _enum(cls: type[PartyType] | type[Role] | type[VerificationStatus], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Party(IdMixin, Base):
    """Party (主体): an organization on the platform."""

    __tablename__ = "parties"

    name: Mapped[str] = mapped_column(String(200))
    party_type: Mapped[PartyType] = mapped_column(_enum(PartyType, "party_type"))
    uscc: Mapped[str] = mapped_column(String(18), unique=True)
    is_legal_person: Mapped[bool] = mapped_column(Boolean, default=True)
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    address: Mapped[str | None] = mapped_column(String(300))
    verification_status: Mapped[VerificationStatus] = mapped_column(
        _enum(VerificationStatus, "verification_status"), default=VerificationStatus.UNVERIFIED
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    users: Mapped[list[User]] = relationship(back_populates="party", lazy="raise")


class PartyVerification(IdMixin, Base):
    """Real-name verification record (实名认证记录): who decided what about a party, and when."""

    __tablename__ = "party_verifications"
    __table_args__ = (Index("ix_party_verifications_party_decided", "party_id", "decided_at"),)

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    status: Mapped[VerificationStatus] = mapped_column(_enum(VerificationStatus, "verification_status"))
    method: Mapped[str] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    decided_by: Mapped[User | None] = relationship(lazy="raise")


class User(IdMixin, Base):
    """User (用户): a person acting for one party."""

    __tablename__ = "users"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"), index=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column()

    party: Mapped[Party] = relationship(back_populates="users", lazy="raise")
    role_rows: Mapped[list[UserRole]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", order_by="UserRole.role"
    )

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds in their party."""
        return frozenset(row.role for row in self.role_rows)


class UserRole(Base):
    """Role assignment (角色分配) of a user within their party."""

    __tablename__ = "user_roles"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(_enum(Role, "role"), primary_key=True)


class ApiToken(IdMixin, Base):
    """Personal API token (个人访问令牌): stored as a SHA-256 digest, shown once."""

    __tablename__ = "api_tokens"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(16))
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()


class WebSession(IdMixin, Base):
    """Login session (登录会话) behind the page cookie; stored as a digest, revocable."""

    __tablename__ = "web_sessions"
    __table_args__ = (UniqueConstraint("digest"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column()


class LoginThrottle(Base):
    """Login throttle (登录失败处理): recent failed logins of one key, and until when it must wait.

    ``scope`` is ``client`` (an address), ``pair`` (an account name from an address) or ``account``;
    ``key`` is the SHA-256 of the scope and its values, so no name or address is stored in the clear.
    Rows are kept in the database so that every process of a deployment sees the same counts.
    """

    __tablename__ = "login_throttles"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))
    failures: Mapped[int] = mapped_column(default=0)
    refused: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column()
    blocked_until: Mapped[datetime | None] = mapped_column(index=True)


class PartyKey(IdMixin, Base):
    """Party signing key (主体签名密钥): the public key, and the private key sealed under the master key.

    Rotation retires a key but keeps it, so documents signed with it stay verifiable.
    """

    __tablename__ = "party_keys"
    __table_args__ = (Index("ix_party_keys_party_created", "party_id", "created_at"),)

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    key_id: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(String(20))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column()
