"""Authentication (身份认证): password login, page sessions and personal API tokens.

Secrets (session cookies, API tokens) are random 256-bit strings kept only as SHA-256 digests.
"""

from __future__ import annotations

import math
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy.orm import Session

from logispace.core import crypto
from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput, NotFound
from logispace.core.events import bus
from logispace.domains.identity import events, policies, repository
from logispace.domains.identity.enums import PartyType, TokenStatus
from logispace.domains.identity.errors import (
    InvalidCredentials,
    InvalidToken,
    LoginThrottled,
    TokenAlreadyRevoked,
)
from logispace.domains.identity.models import ApiToken, LoginThrottle, User, WebSession
from logispace.domains.identity.policies import Principal
from logispace.domains.identity.schemas import TokenCreate, TokenCreated, TokenRead

TOKEN_PREFIX = "lsp_"  # noqa: S105 (a prefix, not a secret)
SESSION_PREFIX = "lss_"


@cache
def _dummy_hash() -> str:
    """A hash to verify against when the user name is unknown, so that such a login takes as long as
    a wrong password; made on first use (hashing costs a third of a second at the stored parameters,
    which every process would otherwise pay at import)."""
    return crypto.hash_password(secrets.token_urlsafe(16))


_LAST_USED_RESOLUTION = timedelta(minutes=1)


def principal_for(user: User, party_type: PartyType, via: str) -> Principal:
    """The principal of ``user``, a member of a party of ``party_type``, authenticated ``via``."""
    return Principal(
        user_id=user.id,
        username=user.username,
        party_id=user.party_id,
        party_type=party_type,
        roles=user.roles,
        via=via,
    )


def authenticate(session: Session, username: str, password: str, *, client: str) -> User:
    """The active user with this name and password, tried from address ``client``, or
    :class:`InvalidCredentials`; :class:`LoginThrottled` while this client must wait.

    Login throttling (登录失败处理, ``policies.ThrottleRule``): failures are counted per client, per
    (account, client) pair and per account, and each count over its rule's free failures makes the
    next try from that client wait, exponentially longer. The account-wide count only slows
    clients that have failed at the account themselves, so a correct password from a client that is
    not throttled always works: nobody can lock the owner out. A success resets the pair's and
    the account's counts (not the client's, which a sprayer with one account of their own could
    otherwise clear). The caller must commit even when this raises, so that the failure is counted.
    """
    now = utcnow()
    username = username.strip().lower()  # as user names are looked up: no spelling escapes a count
    keys = throttle_keys(username, client)
    rows = repository.login_throttles(session, list(keys.values()))
    pair = rows.get(keys["pair"])
    pair_failing = pair is not None and _recent(pair, now) and pair.failures > 0
    waits = [
        row
        for scope, row in ((s, rows.get(k)) for s, k in keys.items())
        if row is not None
        and row.blocked_until is not None
        and row.blocked_until > now
        and (scope != "account" or pair_failing)
    ]
    if waits:
        until = max(row.blocked_until for row in waits if row.blocked_until is not None)
        for row in waits:
            row.refused += 1
        session.flush()
        seconds = max(1, math.ceil((until - now).total_seconds()))
        raise LoginThrottled(f"too many failed logins; try again in {seconds} seconds", retry_after=seconds)
    user = repository.user_by_username(session, username)
    if user is None:
        crypto.verify_password(_dummy_hash(), password)
    if user is None or not crypto.verify_password(user.password_hash, password) or not user.is_active:
        _count_failure(session, keys, rows, username, now)
        raise InvalidCredentials("user name or password is wrong")
    if crypto.password_needs_rehash(user.password_hash):
        user.password_hash = crypto.hash_password(password)
    for scope in ("pair", "account"):
        if (cleared := rows.get(keys[scope])) is not None:
            session.delete(cleared)
    user.last_login_at = now
    session.flush()
    return user


def throttle_keys(username: str, client: str) -> dict[str, str]:
    """The throttle keys of a try at ``username`` from ``client``: SHA-256 digests by scope."""
    return {
        "client": events.digest(f"client\x00{client}"),
        "pair": events.digest(f"pair\x00{username}\x00{client}"),
        "account": events.digest(f"account\x00{username}"),
    }


_RULES = {"client": policies.CLIENT_RULE, "pair": policies.PAIR_RULE, "account": policies.ACCOUNT_RULE}


def _recent(row: LoginThrottle, now: datetime) -> bool:
    return now - row.last_failure_at <= policies.THROTTLE_WINDOW


def _count_failure(
    session: Session, keys: dict[str, str], rows: dict[str, LoginThrottle], username: str, now: datetime
) -> None:
    """Count one failed login under each key; impose (and announce) the delays that follow."""
    for scope, key in keys.items():
        row = rows.get(key) or repository.add_login_throttle(session, key, scope, now)
        if not _recent(row, now):
            row.failures, row.refused, row.blocked_until = 0, 0, None
        row.failures += 1
        row.last_failure_at = now
        delay = policies.throttle_delay(row.failures, _RULES[scope])
        if delay > 0:
            row.blocked_until = now + timedelta(seconds=delay)
            bus.publish(
                session,
                events.LoginThrottleImposed(
                    actor_party_id=None,
                    scope=scope,
                    key_sha256=key,
                    username=username,
                    failures=row.failures,
                    delay_seconds=delay,
                    refused=row.refused,
                ),
            )
            row.refused = 0
    session.flush()


@dataclass(frozen=True)
class StartedSession:
    """A new page session: the cookie value (secret) and its CSRF token."""

    cookie_value: str
    csrf_token: str
    expires_at: datetime


def start_session(session: Session, user: User, settings: Settings) -> StartedSession:
    secret = crypto.new_secret(SESSION_PREFIX)
    now = utcnow()
    row = WebSession(
        user_id=user.id,
        digest=crypto.secret_digest(secret),
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=settings.session_ttl_hours),
    )
    session.add(row)
    session.flush()
    return StartedSession(cookie_value=secret, csrf_token=row.csrf_token, expires_at=row.expires_at)


@dataclass(frozen=True)
class SessionPrincipal:
    """A resolved page session."""

    principal: Principal
    csrf_token: str
    display_name: str
    party_name: str


def resolve_session(session: Session, cookie_value: str) -> SessionPrincipal | None:
    """The caller behind a session cookie, or None when it is unknown, ended or expired."""
    if not cookie_value.startswith(SESSION_PREFIX):
        return None
    row = repository.session_by_digest(session, crypto.secret_digest(cookie_value))
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now:
        return None
    user = repository.user_with_party(session, row.user_id)
    if user is None or not user.is_active:
        return None
    if now - row.last_seen_at > _LAST_USED_RESOLUTION:
        row.last_seen_at = now
    return SessionPrincipal(
        principal=principal_for(user, user.party.party_type, "session"),
        csrf_token=row.csrf_token,
        display_name=user.display_name,
        party_name=user.party.name,
    )


def end_session(session: Session, cookie_value: str) -> None:
    """Log out: the session can never be used again."""
    row = repository.session_by_digest(session, crypto.secret_digest(cookie_value))
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.flush()


# -- personal API tokens -------------------------------------------------------------------------


def token_status(token: ApiToken, now: datetime | None = None) -> TokenStatus:
    if token.revoked_at is not None:
        return TokenStatus.REVOKED
    if token.expires_at <= (now or utcnow()):
        return TokenStatus.EXPIRED
    return TokenStatus.ACTIVE


def token_read(token: ApiToken) -> TokenRead:
    return TokenRead(
        id=token.id,
        name=token.name,
        prefix=token.prefix,
        status=token_status(token),
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


def create_token(session: Session, user_id: uuid.UUID, data: TokenCreate, settings: Settings) -> TokenCreated:
    """Issue a personal API token (签发访问令牌) for ``user_id``; the secret is returned once."""
    days = data.expires_in_days or settings.token_default_ttl_days
    if days > settings.token_max_ttl_days:
        raise InvalidInput(
            f"expires_in_days may be at most {settings.token_max_ttl_days}",
            errors=[{"loc": ["body", "expires_in_days"], "msg": f"at most {settings.token_max_ttl_days}"}],
        )
    secret = crypto.new_secret(TOKEN_PREFIX)
    now = utcnow()
    token = ApiToken(
        user_id=user_id,
        name=data.name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=crypto.secret_digest(secret),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    owner = session.get(User, user_id)
    bus.publish(
        session,
        events.TokenIssued(
            actor_party_id=owner.party_id if owner else None,
            token_id=token.id,
            user_id=user_id,
            expires_at=token.expires_at,
        ),
    )
    return TokenCreated(**token_read(token).model_dump(), token=secret)


def list_tokens(session: Session, p: Principal) -> Sequence[ApiToken]:
    """The caller's own tokens, newest first."""
    if p.user_id is None:
        return []
    return repository.tokens_of(session, p.user_id)


def revoke_token(session: Session, p: Principal, token_id: uuid.UUID) -> ApiToken:
    """Revoke one of the caller's tokens (吊销令牌); it stops working at once."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != p.user_id:
        raise NotFound(f"token {token_id} not found")
    if token.revoked_at is not None:
        raise TokenAlreadyRevoked(f"token {token_id} was revoked at {token.revoked_at.isoformat()}")
    token.revoked_at = utcnow()
    session.flush()
    bus.publish(
        session, events.TokenRevoked(actor_party_id=p.party_id, token_id=token.id, user_id=token.user_id)
    )
    return token


def resolve_token(session: Session, bearer: str) -> Principal:
    """The caller behind an API token, or :class:`InvalidToken`."""
    token = repository.token_by_digest(session, crypto.secret_digest(bearer)) if bearer else None
    now = utcnow()
    if token is None or token_status(token, now) is not TokenStatus.ACTIVE:
        raise InvalidToken("the bearer token is unknown, expired or revoked")
    user = repository.user_with_party(session, token.user_id)
    if user is None or not user.is_active:
        raise InvalidToken("the bearer token belongs to a disabled user")
    if token.last_used_at is None or now - token.last_used_at > _LAST_USED_RESOLUTION:
        token.last_used_at = now
    return principal_for(user, user.party.party_type, "token")
