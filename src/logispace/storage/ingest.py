"""Upload ingestion (数据上传入库): CSV, XLSX, JSON Lines or Parquet into one Parquet object.

``ingest`` streams an upload through its format's reader into a Parquet file staged in the object
store, then commits it under its SHA-256. Memory stays bounded by a few blocks (CSV, JSON Lines),
a batch of rows (XLSX) or a row group (Parquet), whatever the file size up to ``max_bytes``.

Rules (documented in docs/storage.md):

* The upload is read from a seekable file (a non-seekable stream is first copied to a temporary
  file, stopping at the limit); it is read again when a column has to be widened.
* Types are inferred on the first block. When a later CSV or XLSX value does not fit, the column
  is widened (integer to float for numbers, else to text) and the upload read again; JSON Lines
  and Parquet carry their own types and fail instead, naming the line and field.
* A header with no data rows is allowed: zero rows, the header's columns as text.
* Column names must be non-empty and unique, compared case-insensitively (DuckDB's rule).
* On any error nothing is left behind: the staged file is removed and no object is written.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import PurePath
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from logispace.storage.encoding import CHUNK_BYTES, SourceReader, Utf8Reader, line_at
from logispace.storage.errors import (
    EmptyUpload,
    MalformedData,
    TypeConflict,
    UnsupportedFormat,
    UploadTooLarge,
)
from logispace.storage.objects import ObjectStore, Readable
from logispace.storage.schema import FieldInfo, check_column_names, describe
from logispace.storage.text_formats import (
    Reopen,
    TextOptions,
    WidenColumn,
    check_encoding,
    read_csv,
    read_jsonl,
    suspect_encoding,
)
from logispace.storage.workbook import read_xlsx


class UploadFormat(StrEnum):
    """Formats an upload may come in (上传格式)."""

    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"
    PARQUET = "parquet"


_SUFFIXES = {
    ".csv": UploadFormat.CSV,
    ".txt": UploadFormat.CSV,
    ".xlsx": UploadFormat.XLSX,
    ".jsonl": UploadFormat.JSONL,
    ".ndjson": UploadFormat.JSONL,
    ".parquet": UploadFormat.PARQUET,
}
_MEDIA_TYPES = {
    "text/csv": UploadFormat.CSV,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": UploadFormat.XLSX,
    "application/jsonl": UploadFormat.JSONL,
    "application/x-ndjson": UploadFormat.JSONL,
    "application/vnd.apache.parquet": UploadFormat.PARQUET,
}


def format_for(filename: str | None = None, media_type: str | None = None) -> UploadFormat:
    """The upload format from the file name's suffix, else from the media type."""
    if filename:
        suffix = PurePath(filename).suffix.lower()
        if suffix in _SUFFIXES:
            return _SUFFIXES[suffix]
    if media_type:
        base = media_type.split(";", 1)[0].strip().lower()
        if base in _MEDIA_TYPES:
            return _MEDIA_TYPES[base]
    raise UnsupportedFormat(
        f"{filename or media_type or 'the upload'} is not one of CSV, XLSX, JSON Lines or Parquet",
        filename=filename,
        media_type=media_type,
        supported=[f.value for f in UploadFormat],
    )


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """Tuning of the conversion; the defaults are what bench/catalog_upload.py measured."""

    block_bytes: int = 8 * 1024 * 1024
    use_threads: bool = True
    max_ahead: int = 4
    compression: str = "zstd"
    compression_level: int | None = 1
    row_group_rows: int = 122_880


@dataclass(frozen=True, slots=True)
class IngestResult:
    """A stored Parquet object made from an upload, with what was learnt reading it."""

    object_sha256: str
    object_size: int
    source_sha256: str
    source_size: int
    source_format: UploadFormat
    encoding: str | None
    fields: tuple[FieldInfo, ...]
    row_count: int
    widened: tuple[str, ...] = field(default=())
    source_stored: bool = False
    object_created: bool = False


def _storable(schema: pa.Schema) -> pa.Schema:
    """Columns with no values anywhere (Arrow's null type) are stored as text."""
    return pa.schema([pa.field(f.name, pa.string()) if pa.types.is_null(f.type) else f for f in schema])


def _write_parquet(
    target: str, schema: pa.Schema | None, batches: Iterator[pa.RecordBatch], options: IngestOptions
) -> tuple[pa.Schema, int]:
    """Write the batches as one Parquet file, row groups of about ``row_group_rows``."""
    writer: pq.ParquetWriter | None = None
    stored: pa.Schema | None = None
    pending: list[pa.RecordBatch] = []
    pending_rows = rows = 0

    def flush() -> None:
        nonlocal pending, pending_rows
        if pending and writer is not None:
            writer.write_table(pa.Table.from_batches(pending, schema=stored))
        pending, pending_rows = [], 0

    try:
        for batch in batches:
            if writer is None:
                stored = _storable(batch.schema)
                writer = _open_writer(target, stored, options, _dictionary_columns(batch))
            if batch.schema != stored:
                batch = batch.cast(stored)
            pending.append(batch)
            pending_rows += batch.num_rows
            rows += batch.num_rows
            if pending_rows >= options.row_group_rows:
                flush()
        if writer is None:
            if schema is None:
                raise EmptyUpload("the upload has no columns")
            stored = _storable(schema)
            writer = _open_writer(target, stored, options, True)
        flush()
    finally:
        if writer is not None:
            writer.close()
    return writer.schema, rows


def _dictionary_columns(batch: pa.RecordBatch) -> list[str] | bool:
    """Columns worth dictionary encoding: those whose values repeat in the first batch.

    Dictionary encoding a column of mostly distinct values (waybill ids, plates, timestamps,
    amounts) costs time for nothing: the writer fills a dictionary, gives up and falls back to
    plain. Judged on the first batch; bench/catalog_upload.py measured a third less write CPU and
    a smaller file.
    """
    if batch.num_rows < 1000:
        return True
    names = []
    for name, column in zip(batch.schema.names, batch.columns, strict=True):
        nested = pa.types.is_nested(column.type)
        if nested or pc.count_distinct(column).as_py() <= batch.num_rows // 2:
            names.append(name)
    return names


def _open_writer(
    target: str, schema: pa.Schema, options: IngestOptions, dictionary: list[str] | bool
) -> pq.ParquetWriter:
    return pq.ParquetWriter(
        target,
        schema,
        compression=options.compression,
        compression_level=options.compression_level,
        use_dictionary=dictionary,
    )


def _drain(reader: SourceReader) -> None:
    while reader.read(CHUNK_BYTES):
        pass


def _is_seekable(stream: Readable) -> bool:
    seekable = getattr(stream, "seekable", None)
    return bool(callable(seekable) and seekable())


@contextlib.contextmanager
def _seekable(stream: Readable, max_bytes: int) -> Iterator[BinaryIO]:
    """The upload as a seekable file: itself, or a temporary copy that stops at the limit."""
    if _is_seekable(stream):
        yield stream  # type: ignore[misc]  # checked: has seek()
        return
    with tempfile.TemporaryFile() as spool:
        shutil.copyfileobj(SourceReader(stream, max_bytes), spool, CHUNK_BYTES)
        yield spool


@dataclass
class _Read:
    schema: pa.Schema | None
    batches: Iterator[pa.RecordBatch]
    encoding: str | None = None
    text: Utf8Reader | None = None
    reopen: Reopen | None = None
    close: Callable[[], None] | None = None  # releases a reader's thread when the batches are abandoned


def _open(
    source: BinaryIO,
    fmt: UploadFormat,
    raw: SourceReader,
    max_bytes: int,
    options: IngestOptions,
    column_types: dict[str, pa.DataType],
) -> _Read:
    if fmt in (UploadFormat.CSV, UploadFormat.JSONL):

        def lines(offset: int) -> int:
            return line_at(source, offset)

        def reopen() -> Utf8Reader:
            source.seek(0)
            return Utf8Reader(SourceReader(source, max_bytes), line_at=lines)

        # pyarrow's CSV reader checks UTF-8 itself (cheaper than Python); its JSON reader does not.
        text = Utf8Reader(raw, validate=fmt is UploadFormat.JSONL, line_at=lines)

        text_options = TextOptions(options.block_bytes, options.use_threads, options.max_ahead)
        if fmt is UploadFormat.CSV:
            schema, stream = read_csv(text, reopen, text_options, column_types)
        else:
            schema, stream = read_jsonl(text, reopen, text_options)
        try:
            check_column_names(schema.names)
        except BaseException:
            stream.close()
            raise
        return _Read(schema, iter(stream), text=text, reopen=reopen, close=stream.close)
    _drain(raw)  # the source digest and the size limit, before the format's own reader seeks around
    source.seek(0)
    if fmt is UploadFormat.XLSX:
        return _Read(None, read_xlsx(source, column_types)[1])
    try:
        parquet = pq.ParquetFile(source)
    except (pa.ArrowException, OSError) as error:
        raise MalformedData(f"the file is not readable Parquet: {error}") from None
    check_column_names(parquet.schema_arrow.names)
    return _Read(parquet.schema_arrow, _parquet_batches(parquet))


def _parquet_batches(parquet: pq.ParquetFile) -> Iterator[pa.RecordBatch]:
    """Batches of a Parquet upload, row group by row group; a damaged page is the upload's fault."""
    try:
        yield from parquet.iter_batches(batch_size=65_536)
    except (pa.ArrowException, OSError) as error:
        raise MalformedData(f"the Parquet file is damaged: {error}") from None


def _size(source: BinaryIO) -> int:
    size = source.seek(0, 2)
    source.seek(0)
    return size


def ingest(
    stream: Readable,
    *,
    fmt: UploadFormat,
    store: ObjectStore,
    max_bytes: int,
    options: IngestOptions | None = None,
    keep_source: bool = False,
) -> IngestResult:
    """Convert an upload to a Parquet object in ``store``; with ``keep_source`` store the raw
    upload as well (its digest is ``source_sha256``)."""
    options = options or IngestOptions()
    with _seekable(stream, max_bytes) as source:
        size = _size(source)
        if size > max_bytes:
            raise UploadTooLarge(
                f"the upload has {size} bytes, more than the limit of {max_bytes} bytes",
                limit_bytes=max_bytes,
            )
        if size == 0:
            raise EmptyUpload("the upload is empty (0 bytes)")
        column_types: dict[str, pa.DataType] = {}
        while True:
            source.seek(0)
            try:
                result = _attempt(source, fmt, store, max_bytes, options, column_types)
            except WidenColumn as widen:
                if column_types.get(widen.column) == widen.to:
                    raise TypeConflict(
                        f"column {widen.column!r}: value {widen.value!r} does not fit {widen.inferred}",
                        column=widen.column,
                    ) from None
                column_types[widen.column] = widen.to
                continue
            if keep_source:
                source.seek(0)
                store.put_stream(source, max_bytes=max_bytes)
                result = replace(result, source_stored=True)
            return result


def _attempt(
    source: BinaryIO,
    fmt: UploadFormat,
    store: ObjectStore,
    max_bytes: int,
    options: IngestOptions,
    column_types: dict[str, pa.DataType],
) -> IngestResult:
    raw = SourceReader(source, max_bytes)
    with store.staging() as staged:
        try:
            read = _open(source, fmt, raw, max_bytes, options, column_types)
            try:
                schema, rows = _write_parquet(str(staged.path), read.schema, read.batches, options)
            finally:
                if read.close is not None:
                    read.close()
            text, reopen = read.text, read.reopen
            if text is not None and reopen is not None and not text.validated and suspect_encoding(schema):
                check_encoding(reopen)
        except pa.ArrowException as error:
            raise MalformedData(f"the upload does not parse as {fmt.value}: {error}") from None
        if read.text is not None:
            _drain(raw)  # the text readers stop at the end already; binary formats were drained first
        stored = staged.commit()
    return IngestResult(
        object_sha256=stored.sha256,
        object_size=stored.size,
        source_sha256=raw.sha256,
        source_size=raw.size,
        source_format=fmt,
        encoding=read.text.detected_encoding if read.text is not None else None,
        fields=describe(schema),
        row_count=rows,
        widened=tuple(column_types),
        object_created=stored.created,
    )
