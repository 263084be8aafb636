"""Data plane (数据平面): the content-addressed object store and upload ingestion into Parquet.

Domain-free: the catalog domain calls it to store distributions; it imports no domain.
"""

from logispace.storage.errors import (
    BadHeader,
    EmptyUpload,
    IngestError,
    MalformedData,
    ObjectNotFound,
    RaggedRow,
    TypeConflict,
    UndecodableText,
    UnsupportedFormat,
    UploadTooLarge,
)
from logispace.storage.ingest import (
    IngestOptions,
    IngestResult,
    UploadFormat,
    format_for,
    ingest,
)
from logispace.storage.objects import LocalObjectStore, ObjectStore, StoredObject
from logispace.storage.schema import (
    FieldInfo,
    Retyped,
    SchemaDrift,
    check_column_names,
    describe,
    schema_drift,
)

__all__ = [
    "BadHeader",
    "EmptyUpload",
    "FieldInfo",
    "IngestError",
    "IngestOptions",
    "IngestResult",
    "LocalObjectStore",
    "MalformedData",
    "ObjectNotFound",
    "ObjectStore",
    "RaggedRow",
    "Retyped",
    "SchemaDrift",
    "StoredObject",
    "TypeConflict",
    "UndecodableText",
    "UnsupportedFormat",
    "UploadFormat",
    "UploadTooLarge",
    "check_column_names",
    "describe",
    "format_for",
    "ingest",
    "schema_drift",
]
