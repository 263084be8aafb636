"""Identity events (身份事件): what identity announces for others to record.

Published on :data:`logispace.core.events.bus` inside the caller's transaction; the ledger
records each one as an evidence entry (存证), so a rolled-back request leaves neither. Events carry
no secrets and no personal data in the clear: a user name travels only as its SHA-256.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


def digest(text: str) -> str:
    """Hex SHA-256 of a UTF-8 string: how personal data appears in a public record."""
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class IdentityEvent:
    """Base of identity events: the kind, the subject, and who acted."""

    actor_party_id: uuid.UUID | None

    kind = "identity.event"

    @property
    def subject(self) -> str:  # pragma: no cover - every event overrides it
        raise NotImplementedError

    def payload(self) -> dict[str, Any]:  # pragma: no cover - every event overrides it
        raise NotImplementedError


@dataclass(frozen=True)
class PartyCreated(IdentityEvent):
    """A party was created (主体创建)."""

    party_id: uuid.UUID
    uscc: str
    party_type: str
    name: str

    kind = "identity.party_created"

    @property
    def subject(self) -> str:
        return f"party:{self.party_id}"

    def payload(self) -> dict[str, Any]:
        return {"uscc": self.uscc, "party_type": self.party_type, "name": self.name}


@dataclass(frozen=True)
class UserCreated(IdentityEvent):
    """A user was created in a party (用户创建)."""

    user_id: uuid.UUID
    party_id: uuid.UUID
    username: str
    roles: tuple[str, ...]

    kind = "identity.user_created"

    @property
    def subject(self) -> str:
        return f"user:{self.user_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "party_id": str(self.party_id),
            "username_sha256": digest(self.username),
            "roles": sorted(self.roles),
        }


@dataclass(frozen=True)
class TokenIssued(IdentityEvent):
    """An API token was issued (签发访问令牌); the secret never leaves identity."""

    token_id: uuid.UUID
    user_id: uuid.UUID
    expires_at: datetime

    kind = "identity.token_issued"

    @property
    def subject(self) -> str:
        return f"token:{self.token_id}"

    def payload(self) -> dict[str, Any]:
        return {"user_id": str(self.user_id), "expires_at": self.expires_at.isoformat()}


@dataclass(frozen=True)
class TokenRevoked(IdentityEvent):
    """An API token was revoked (吊销访问令牌)."""

    token_id: uuid.UUID
    user_id: uuid.UUID

    kind = "identity.token_revoked"

    @property
    def subject(self) -> str:
        return f"token:{self.token_id}"

    def payload(self) -> dict[str, Any]:
        return {"user_id": str(self.user_id)}


@dataclass(frozen=True)
class PartyVerified(IdentityEvent):
    """A real-name verification decision was recorded (实名认证)."""

    party_id: uuid.UUID
    status: str
    method: str
    decided_by_user_id: uuid.UUID | None

    kind = "identity.party_verified"

    @property
    def subject(self) -> str:
        return f"party:{self.party_id}"

    def payload(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "method": self.method,
            "decided_by_user_id": str(self.decided_by_user_id) if self.decided_by_user_id else None,
        }


@dataclass(frozen=True)
class LoginThrottleImposed(IdentityEvent):
    """A delay was imposed on further logins (登录失败处理): which kind of key, its digest, the
    account name's digest, the failures counted, the delay, and the tries refused before it."""

    scope: str
    key_sha256: str
    username: str
    failures: int
    delay_seconds: int
    refused: int

    kind = "identity.login_throttled"

    @property
    def subject(self) -> str:
        return f"login-throttle:{self.scope}:{self.key_sha256}"

    def payload(self) -> dict[str, Any]:
        return {
            "scope": self.scope,
            "username_sha256": None if self.scope == "client" else digest(self.username),
            "failures": self.failures,
            "delay_seconds": self.delay_seconds,
            "refused_before": self.refused,
        }


ALL_EVENTS: tuple[type[IdentityEvent], ...] = (
    PartyCreated,
    UserCreated,
    TokenIssued,
    TokenRevoked,
    PartyVerified,
    LoginThrottleImposed,
)
