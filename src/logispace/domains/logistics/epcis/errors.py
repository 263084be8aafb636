"""EPCIS errors: the project's problem types, each carrying its EPCIS exception (``epcisException``)."""

from __future__ import annotations

from typing import Any, ClassVar

from logispace.core.errors import BadRequest, Conflict, DomainError, NotFound, PayloadTooLarge


class EpcisError(DomainError):
    """Mixin behaviour: every EPCIS problem names its EPCIS 2.0 exception type."""

    epcis_exception: ClassVar[str] = "ImplementationException"

    def __init__(self, detail: str, **extensions: Any) -> None:
        super().__init__(detail, epcisException=f"epcisException:{self.epcis_exception}", **extensions)


class InvalidEpcisDocument(EpcisError, BadRequest):
    """Invalid EPCIS document (无效的EPCIS文档); ``pointer`` is the JSON pointer of the first error."""

    code = "epcis-invalid-document"
    title = "The EPCIS document is not valid"
    epcis_exception = "ValidationException"


class InvalidEpcisQuery(EpcisError, BadRequest):
    """A query parameter is not valid (无效的查询参数)."""

    code = "epcis-invalid-query"
    title = "The EPCIS query is not valid"
    epcis_exception = "QueryParameterException"


class CaptureLimitExceeded(EpcisError, PayloadTooLarge):
    """The document holds more events than one capture accepts (超出采集上限)."""

    code = "epcis-capture-limit-exceeded"
    title = "Too many events in one capture"
    epcis_exception = "CaptureLimitExceededException"


class EpcisResourceNotFound(EpcisError, NotFound):
    """The event or capture job does not exist, or belongs to another party (不存在)."""

    code = "epcis-not-found"
    title = "EPCIS resource not found"
    epcis_exception = "NoSuchResourceException"


class EventIdConflict(EpcisError, Conflict):
    """An event ID already names a different event (事件标识冲突)."""

    code = "epcis-event-id-conflict"
    title = "The event ID names a different event"
    epcis_exception = "ResourceAlreadyExistsException"


class UnsupportedCaptureBehaviour(EpcisError, BadRequest):
    """Only ``rollback`` capture error behaviour is offered (不支持的采集错误处理方式)."""

    code = "epcis-unsupported-error-behaviour"
    title = "Capture error behaviour not supported"
    epcis_exception = "ImplementationException"
