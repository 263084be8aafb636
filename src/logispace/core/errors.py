"""Domain errors (领域错误) and their RFC 9457 problem form.

Every rule violation is a :class:`DomainError` subclass that carries its HTTP status, a stable
machine code and a human title. One handler renders them as ``application/problem+json`` under
``/api`` and as an error page elsewhere. 422 is reserved for request validation.
"""

from __future__ import annotations

from typing import Any, ClassVar

PROBLEM_MEDIA_TYPE = "application/problem+json"


class DomainError(Exception):
    """Base of every expected error; never rendered as a 500."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions

    @property
    def type_uri(self) -> str:
        """The problem type, a URI reference resolved against the site (``/problems/<code>``)."""
        return f"/problems/{self.code}"

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 problem document of this error."""
        body: dict[str, Any] = {
            "type": self.type_uri,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "code": self.code,
        }
        if instance:
            body["instance"] = instance
        body.update(self.extensions)
        return body


class BadRequest(DomainError):
    """The request cannot be understood."""


class NotAuthenticated(DomainError):
    """No valid credentials were presented (未认证)."""

    status = 401
    code = "not-authenticated"
    title = "Authentication required"


class PermissionDenied(DomainError):
    """The caller is known but may not do this (无权限)."""

    status = 403
    code = "permission-denied"
    title = "Permission denied"


class NotFound(DomainError):
    """The record does not exist, or the caller may not know that it does (不存在)."""

    status = 404
    code = "not-found"
    title = "Not found"


class Conflict(DomainError):
    """The request breaks a rule given the current state (冲突)."""

    status = 409
    code = "conflict"
    title = "Conflict with the current state"


class PayloadTooLarge(DomainError):
    """The request body is larger than the configured limit."""

    status = 413
    code = "payload-too-large"
    title = "Request body too large"


class TooManyRequests(DomainError):
    """Too many attempts: wait ``retry_after`` seconds (sent as the ``Retry-After`` header)."""

    status = 429
    code = "too-many-requests"
    title = "Too many requests"


class UnsupportedMediaType(DomainError):
    """The request body has a content type this route does not accept."""

    status = 415
    code = "unsupported-media-type"
    title = "Unsupported media type"


class InvalidInput(DomainError):
    """The request failed validation; ``errors`` names each field (422)."""

    status = 422
    code = "validation-failed"
    title = "The request is not valid"


class InternalError(DomainError):
    """An unexpected failure; the problem carries a trace id and no internals."""

    status = 500
    code = "internal-error"
    title = "Internal server error"


ALL_ERRORS: tuple[type[DomainError], ...] = (
    BadRequest,
    NotAuthenticated,
    PermissionDenied,
    NotFound,
    Conflict,
    PayloadTooLarge,
    TooManyRequests,
    UnsupportedMediaType,
    InvalidInput,
    InternalError,
)
