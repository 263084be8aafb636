"""EPCIS errors: the project's problem types, each carrying its EPCIS exception (``epcisException``).

Each class names its problem code, title and EPCIS 2.0 exception type in its class line
(``class X(EpcisError, BadRequest, code=..., title=..., exception=...)``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from logispace.core.errors import BadRequest, Conflict, DomainError, NotFound, PayloadTooLarge


class EpcisError(DomainError):
    """Mixin behaviour: every EPCIS problem names its EPCIS 2.0 exception type."""

    epcis_exception: ClassVar[str] = "ImplementationException"

    def __init_subclass__(
        cls, *, code: str | None = None, title: str | None = None, exception: str | None = None, **kw: Any
    ) -> None:
        super().__init_subclass__(**kw)
        if code is not None:
            cls.code = code
        if title is not None:
            cls.title = title
        if exception is not None:
            cls.epcis_exception = exception

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail, epcisException=f"epcisException:{self.epcis_exception}", **extensions)


class InvalidEpcisDocument(
    EpcisError,
    BadRequest,
    code="epcis-invalid-document",
    title="The EPCIS document is not valid",
    exception="ValidationException",
):
    """Invalid EPCIS document (无效的EPCIS文档); ``pointer`` is the JSON pointer of the first error."""


class InvalidEpcisQuery(
    EpcisError,
    BadRequest,
    code="epcis-invalid-query",
    title="The EPCIS query is not valid",
    exception="QueryParameterException",
):
    """A query parameter is not valid (无效的查询参数)."""


class CaptureLimitExceeded(
    EpcisError,
    PayloadTooLarge,
    code="epcis-capture-limit-exceeded",
    title="Too many events in one capture",
    exception="CaptureLimitExceededException",
):
    """The document holds more events than one capture accepts (超出采集上限)."""


class EpcisResourceNotFound(
    EpcisError,
    NotFound,
    code="epcis-not-found",
    title="EPCIS resource not found",
    exception="NoSuchResourceException",
):
    """The event or capture job does not exist, or belongs to another party (不存在)."""


class EventIdConflict(
    EpcisError,
    Conflict,
    code="epcis-event-id-conflict",
    title="The event ID names a different event",
    exception="ResourceAlreadyExistsException",
):
    """An event ID already names a different event (事件标识冲突)."""


class UnsupportedCaptureBehaviour(
    EpcisError,
    BadRequest,
    code="epcis-unsupported-error-behaviour",
    title="Capture error behaviour not supported",
    exception="ImplementationException",
):
    """Only ``rollback`` capture error behaviour is offered (不支持的采集错误处理方式)."""
