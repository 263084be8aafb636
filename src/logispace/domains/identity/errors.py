"""Identity errors, each with its HTTP status."""

from __future__ import annotations

from logispace.core.errors import Conflict, NotAuthenticated, TooManyRequests


class InvalidCredentials(NotAuthenticated):
    """User name or password is wrong, or the account is disabled."""

    code = "invalid-credentials"
    title = "Invalid credentials"


class LoginThrottled(TooManyRequests):
    """Too many failed logins from this client, or at this account from this client: wait
    ``retry_after`` seconds before the next try (登录失败处理). The account itself is never locked."""

    code = "login-throttled"
    title = "Too many failed logins"


class InvalidToken(NotAuthenticated):
    """A bearer token is unknown, expired or revoked."""

    code = "invalid-token"
    title = "Invalid or expired token"


class DuplicateParty(Conflict):
    """A party with this unified social credit code exists already."""

    code = "duplicate-party"
    title = "Party already registered"


class DuplicateUsername(Conflict):
    """The user name is taken."""

    code = "duplicate-username"
    title = "User name taken"


class RoleNotAllowed(Conflict):
    """A role cannot be held by this user or granted by this caller."""

    code = "role-not-allowed"
    title = "Role not allowed"


class TokenAlreadyRevoked(Conflict):
    """The token was revoked before."""

    code = "token-revoked"
    title = "Token already revoked"


class LastAdministrator(Conflict):
    """The change would leave the platform without an active authority administrator."""

    code = "last-administrator"
    title = "Last administrator"
