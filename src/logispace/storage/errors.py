"""Errors of the data plane (数据平面错误): object store and upload ingestion.

Every error names its cause (line, byte offset, column, limit) in ``detail`` and in problem
extensions, so the API renders it as an RFC 9457 problem. Unreadable upload content is a 400
(the request body cannot be understood); 413 and 415 keep their HTTP meaning. 422 stays reserved
for request validation.
"""

from __future__ import annotations

from logispace.core.errors import BadRequest, NotFound, PayloadTooLarge, UnsupportedMediaType


class ObjectNotFound(NotFound):
    """No object with this digest is in the store (对象不存在)."""

    code = "object-not-found"
    title = "Object not found"


class IngestError(BadRequest):
    """An upload cannot be turned into a dataset (上传数据无法读取)."""

    code = "ingest-failed"
    title = "The uploaded data cannot be read"


class EmptyUpload(IngestError):
    """The upload has no content, or no header row (空文件)."""

    code = "empty-upload"
    title = "The upload is empty"


class UploadTooLarge(IngestError, PayloadTooLarge):
    """The upload is larger than ``max_upload_bytes`` (超出大小上限)."""

    status = 413
    code = "upload-too-large"
    title = "The upload is larger than the limit"


class UnsupportedFormat(IngestError, UnsupportedMediaType):
    """The upload is not CSV, XLSX, JSON Lines or Parquet (不支持的格式)."""

    status = 415
    code = "unsupported-format"
    title = "Unsupported upload format"


class UndecodableText(IngestError):
    """Text that is neither UTF-8 nor GB18030, or mixes them (编码错误)."""

    code = "undecodable-text"
    title = "The text encoding cannot be read"


class BadHeader(IngestError):
    """Empty or duplicate column names (表头错误)."""

    code = "bad-header"
    title = "The header has empty or duplicate column names"


class RaggedRow(IngestError):
    """A row with more or fewer fields than the header (列数不一致)."""

    code = "ragged-row"
    title = "A row has a different number of fields than the header"


class MalformedData(IngestError):
    """Content that does not parse in its format (格式错误)."""

    code = "malformed-data"
    title = "The upload does not parse"


class TypeConflict(IngestError):
    """A value that does not fit its column's inferred type (类型冲突)."""

    code = "type-conflict"
    title = "A value does not fit its column's type"
