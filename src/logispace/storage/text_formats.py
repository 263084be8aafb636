"""CSV and JSON Lines uploads (文本格式) read as Arrow record batches with pyarrow's streaming readers.

Both readers pull UTF-8 from :class:`~logispace.storage.encoding.Utf8Reader` block by block, so
memory stays bounded by a few blocks whatever the file size. Column types are inferred from the
first block. pyarrow reports neither line numbers nor offending columns everywhere, so when a read
fails the file is scanned again from the start with Python's own parsers to name the line; that
only costs time on the error path.
"""

from __future__ import annotations

import contextlib
import csv
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.json as pa_json

from logispace.storage.encoding import CHUNK_BYTES, Utf8Reader
from logispace.storage.errors import EmptyUpload, MalformedData, RaggedRow, TypeConflict

Reopen = Callable[[], Utf8Reader]
"""A fresh, fully validating UTF-8 reader of the same upload from its first byte (used to locate
errors)."""

_CONVERSION = re.compile(r"In CSV column #(\d+): CSV conversion error to (\S+): invalid value '(.*)'", re.S)
_COLUMNS = re.compile(r"Expected (\d+) columns, got (\d+)")


@dataclass(frozen=True, slots=True)
class TextOptions:
    block_bytes: int
    use_threads: bool
    max_ahead: int = 4


class WidenColumn(Exception):
    """A later block holds a value that does not fit the column's inferred type: read again with
    ``column`` as ``to``."""

    def __init__(self, column: str, to: pa.DataType, value: str, inferred: str) -> None:
        super().__init__(column)
        self.column = column
        self.to = to
        self.value = value
        self.inferred = inferred


def _text_lines(reader: Utf8Reader) -> Iterator[str]:
    """Lines of the upload as text, line endings kept (what :mod:`csv` expects)."""
    rest = ""
    while chunk := reader.read(1024 * 1024):
        lines = (rest + chunk.decode("utf-8", errors="replace")).splitlines(keepends=True)
        rest = lines.pop() if lines and not lines[-1].endswith(("\n", "\r")) else ""
        yield from lines
    if rest:
        yield rest


def _locate_ragged(reopen: Reopen, expected: int) -> tuple[int, int] | None:
    """Line number and field count of the first data row whose field count differs."""
    rows = csv.reader(_text_lines(reopen()))
    next(rows, None)
    for row in rows:
        if row and len(row) != expected:
            return rows.line_num, len(row)
    return None


def check_encoding(reopen: Reopen) -> None:
    """Read the whole upload with full encoding checks; raises where the encoding breaks."""
    reader = reopen()
    while reader.read(CHUNK_BYTES):
        pass


def suspect_encoding(schema: pa.Schema) -> bool:
    """pyarrow's CSV reader infers binary for invalid UTF-8 and puts U+FFFD in broken names."""
    return any(pa.types.is_binary(f.type) for f in schema) or any("\ufffd" in n for n in schema.names)


def _row_too_long() -> MalformedData:
    return MalformedData(
        "a row is longer than the read block (IngestOptions.block_bytes, 8 MiB by default); "
        "rows that long are not taken"
    )


def _csv_error(error: pa.ArrowInvalid, schema: pa.Schema | None, reopen: Reopen) -> Exception:
    check_encoding(reopen)  # an encoding error is the more basic one, and pyarrow cannot place it
    message = str(error)
    if "straddling object" in message:
        return _row_too_long()
    if "Empty CSV file" in message:
        return EmptyUpload("the CSV file has no header row")
    if match := _COLUMNS.search(message):
        expected = int(match.group(1))
        found = _locate_ragged(reopen, expected)
        if found is not None:
            line, count = found
            return RaggedRow(
                f"line {line} has {count} fields but the header has {expected}",
                line=line,
                expected_fields=expected,
                actual_fields=count,
            )
        return RaggedRow(f"a row does not have the header's {expected} fields: {message}")
    if (match := _CONVERSION.search(message)) and schema is not None:
        index, inferred, value = int(match.group(1)), match.group(2), match.group(3)
        column = schema.field(index).name
        numeric = pa.types.is_integer(schema.field(index).type)
        to = pa.float64() if numeric and _is_float(value) else pa.string()
        return WidenColumn(column, to, value, inferred)
    return MalformedData(f"the CSV file does not parse: {message}")


def _is_float(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


ESCAPE_SECONDS = 1.0


class Backpressure:
    """Keeps pyarrow's streaming readers at most ``max_ahead`` reads ahead of the batches taken.

    pyarrow reads the input ahead of the consumer without a bound: while the Parquet writer is
    slower than the parser, a whole upload would pile up in memory. A read waits while
    ``max_ahead`` blocks are unconsumed. pyarrow makes one batch of each block (a row longer than
    a block is its error), so this cannot deadlock; as a safety net, a consumer that has waited
    ``ESCAPE_SECONDS`` for a batch lets one more read through, then another after twice as long,
    and so on, so a merely slow parse cannot pull the upload in. ``close`` releases a waiting read.
    """

    def __init__(self, reader: Utf8Reader, max_ahead: int) -> None:
        self._reader = reader
        self._max_ahead = max_ahead
        self._ahead = 0
        self._consumer_waiting = False
        self._waiting_since = 0.0
        self._escapes = 0
        self._condition = threading.Condition()
        self.closed = False

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        with self._condition:
            while self._ahead >= self._max_ahead and not self.closed:
                if not self._consumer_waiting:
                    self._condition.wait(0.5)
                    continue
                # The consumer has waited long for a batch: let a read through in case pyarrow
                # needs more blocks than we let it have (each further one in this wait waits twice
                # as long, so a merely slow parse cannot pull the upload in).
                deadline = self._waiting_since + ESCAPE_SECONDS * 2**self._escapes
                now = time.monotonic()
                if now >= deadline:
                    self._escapes += 1
                    break
                self._condition.wait(deadline - now)
            if self.closed:
                return b""
        data = self._reader.read(size)
        with self._condition:
            self._ahead += 1
        return data

    @contextlib.contextmanager
    def consumer_waiting(self) -> Iterator[None]:
        with self._condition:
            self._consumer_waiting = True
            self._waiting_since = time.monotonic()
            self._escapes = 0
            self._condition.notify_all()
        try:
            yield
        finally:
            with self._condition:
                self._consumer_waiting = False

    def consumed(self) -> None:
        with self._condition:
            self._ahead = max(self._ahead - 1, 0)
            self._condition.notify_all()

    def close(self) -> None:
        with self._condition:
            self.closed = True
            self._condition.notify_all()


ErrorMap = Callable[[pa.ArrowInvalid, pa.Schema | None, Reopen], Exception]


class Batches:
    """The record batches of a streaming reader; ``close`` releases pyarrow's reading thread
    (it must be called when the batches are abandoned, or that thread waits for ever)."""

    def __init__(self, batches: Iterator[pa.RecordBatch], pressure: Backpressure) -> None:
        self._batches = batches
        self._pressure = pressure

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        return self._batches

    def close(self) -> None:
        self._pressure.close()


def _stream(
    open_reader: Callable[[Backpressure], pa.RecordBatchReader],
    reader: Utf8Reader,
    reopen: Reopen,
    error_map: ErrorMap,
    max_ahead: int,
) -> tuple[pa.Schema, Batches]:
    pressure = Backpressure(reader, max_ahead)
    try:
        with pressure.consumer_waiting():
            stream = open_reader(pressure)
    except pa.ArrowInvalid as error:
        pressure.close()
        raise error_map(error, None, reopen) from None
    except BaseException:
        pressure.close()
        raise
    schema = stream.schema

    def batches() -> Iterator[pa.RecordBatch]:
        try:
            while True:
                try:
                    with pressure.consumer_waiting():
                        batch = stream.read_next_batch()
                except StopIteration:
                    return
                except pa.ArrowInvalid as error:
                    pressure.close()  # stop reading ahead before the error scan reads the upload again
                    stream.close()
                    raise error_map(error, schema, reopen) from None
                pressure.consumed()
                yield batch
        finally:
            pressure.close()

    return schema, Batches(batches(), pressure)


def read_csv(
    reader: Utf8Reader, reopen: Reopen, options: TextOptions, column_types: dict[str, pa.DataType]
) -> tuple[pa.Schema, Batches]:
    """The schema (inferred on the first block) and the record batches of a CSV upload."""
    read_options = pa_csv.ReadOptions(block_size=options.block_bytes, use_threads=options.use_threads)
    convert_options = pa_csv.ConvertOptions(column_types=column_types)

    def open_reader(source: Backpressure) -> pa.RecordBatchReader:
        return pa_csv.open_csv(source, read_options=read_options, convert_options=convert_options)

    return _stream(open_reader, reader, reopen, _csv_error, options.max_ahead)


_JSON_KINDS: list[tuple[Callable[[pa.DataType], bool], tuple[type, ...], str]] = [
    (pa.types.is_boolean, (bool,), "a boolean"),
    (pa.types.is_integer, (int,), "an integer"),
    (pa.types.is_floating, (int, float), "a number"),
    (pa.types.is_string, (str,), "a string"),
    (pa.types.is_timestamp, (str,), "a timestamp string"),
    (pa.types.is_date, (str,), "a date string"),
    (pa.types.is_struct, (dict,), "an object"),
    (pa.types.is_list, (list,), "an array"),
]


def _json_mismatch(value: Any, data_type: pa.DataType) -> str | None:
    """What the column expects, if ``value`` does not fit ``data_type``; None if it fits."""
    if value is None or pa.types.is_null(data_type):
        return None if value is None else "nothing (no values in the first block)"
    for check, kinds, name in _JSON_KINDS:
        if check(data_type):
            fits = isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)
            return None if fits else name
    return None


def _locate_json(reopen: Reopen, schema: pa.Schema | None) -> Exception | None:
    """The first line that is not a JSON object, or (given the inferred schema) that brings a new
    field or a value of another type."""
    types = {f.name: f.type for f in schema} if schema is not None else {}
    for number, line in enumerate(_text_lines(reopen()), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as error:
            return MalformedData(f"line {number} is not valid JSON: {error}", line=number)
        if not isinstance(record, dict):
            return MalformedData(f"line {number} is not a JSON object", line=number)
        if schema is None:
            continue
        for key, value in record.items():
            if key not in types:
                return MalformedData(
                    f"line {number} brings field {key!r}, which the first block of the file does not have",
                    line=number,
                    column=key,
                )
            if (expected := _json_mismatch(value, types[key])) is not None:
                return TypeConflict(
                    f"line {number}, field {key!r}: {json.dumps(value, ensure_ascii=False)[:80]} "
                    f"is not {expected} as inferred from the first block",
                    line=number,
                    column=key,
                    inferred_type=str(types[key]),
                )
    return None


def _json_error(error: pa.ArrowInvalid, schema: pa.Schema | None, reopen: Reopen) -> Exception:
    message = str(error)
    if "Empty JSON" in message:
        return EmptyUpload("the JSON Lines file has no records")
    if "straddling object" in message:
        return _locate_json(reopen, schema) or _row_too_long()
    located = _locate_json(reopen, schema)
    return located or MalformedData(f"the JSON Lines file does not parse: {message}")


def read_jsonl(reader: Utf8Reader, reopen: Reopen, options: TextOptions) -> tuple[pa.Schema, Batches]:
    """The schema (inferred on the first block) and the record batches of a JSON Lines upload.

    A later block that disagrees with the first one fails (no widening): JSON carries its own
    types, so a disagreement is a data error, named with its line and field.
    """
    read_options = pa_json.ReadOptions(block_size=options.block_bytes, use_threads=options.use_threads)
    parse_options = pa_json.ParseOptions(newlines_in_values=False)

    def open_reader(source: Backpressure) -> pa.RecordBatchReader:
        return pa_json.open_json(source, read_options=read_options, parse_options=parse_options)

    return _stream(open_reader, reader, reopen, _json_error, options.max_ahead)
