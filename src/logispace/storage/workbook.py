"""XLSX uploads (电子表格) read row by row with openpyxl's read-only mode, in batches of rows.

The first worksheet is read; its first row is the header. Empty cells at the end of the header
are dropped; rows that are entirely empty are skipped; a shorter row is padded with empty cells.
Types come from the cells (numbers, text, dates, booleans), inferred on the first batch: a column
with mixed kinds in that batch, or no values at all, is text. A later batch that does not fit
raises :class:`~logispace.storage.text_formats.WidenColumn` so the upload is read again with the
column widened (integers to floats, anything else to text).
"""

from __future__ import annotations

import datetime as dt
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any, BinaryIO

import pyarrow as pa
from openpyxl import load_workbook

from logispace.storage.errors import BadHeader, EmptyUpload, MalformedData, RaggedRow
from logispace.storage.schema import check_column_names
from logispace.storage.text_formats import WidenColumn

BATCH_ROWS = 10_000
# What a damaged workbook raises while its rows are read (a broken zip member, bad XML, bad values).
_DAMAGED = (zipfile.BadZipFile, zlib.error, SyntaxError, KeyError, ValueError, EOFError)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _column(values: list[Any], data_type: pa.DataType | None) -> pa.Array:
    if data_type is not None and pa.types.is_string(data_type):
        return pa.array([_text(v) for v in values], type=pa.string())
    return pa.array(values, type=data_type)


def _infer(values: list[Any], *, null_as_text: bool = True) -> pa.DataType:
    try:
        data_type = pa.array(values).type
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        return pa.string()
    return pa.string() if null_as_text and pa.types.is_null(data_type) else data_type


def _header(row: tuple[Any, ...]) -> list[str]:
    cells = list(row)
    while cells and (cells[-1] is None or str(cells[-1]).strip() == ""):
        cells.pop()
    return ["" if cell is None else str(cell).strip() for cell in cells]


def read_xlsx(
    source: BinaryIO, column_types: dict[str, pa.DataType], batch_rows: int = BATCH_ROWS
) -> tuple[list[str], Iterator[pa.RecordBatch]]:
    """Column names and record batches of the first worksheet of an XLSX file."""
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except Exception as error:  # zipfile.BadZipFile, InvalidFileException, KeyError: no common base
        raise MalformedData(f"the file is not a readable XLSX workbook: {error}") from None
    if not workbook.worksheets:
        workbook.close()
        raise EmptyUpload("the workbook has no worksheet")
    rows = workbook.worksheets[0].iter_rows(values_only=True)
    first = next(rows, None)
    names = _header(first) if first is not None else []
    if not names:
        workbook.close()
        raise EmptyUpload("the first worksheet has no header row")
    try:
        check_column_names(names)
    except BadHeader:
        workbook.close()
        raise

    def batches() -> Iterator[pa.RecordBatch]:
        schema: pa.Schema | None = None
        width = len(names)
        pending: list[tuple[Any, ...]] = []
        try:
            for number, row in enumerate(rows, start=2):
                if all(cell is None for cell in row):
                    continue
                if len(row) > width and any(cell is not None for cell in row[width:]):
                    extra = max(i for i, cell in enumerate(row) if cell is not None) + 1
                    raise RaggedRow(
                        f"row {number} has values in {extra} columns but the header has {width}",
                        line=number,
                        expected_fields=width,
                        actual_fields=extra,
                    )
                pending.append(tuple(row[:width]) + (None,) * (width - len(row)))
                if len(pending) >= batch_rows:
                    schema, batch = _batch(names, pending, schema, column_types)
                    pending = []
                    yield batch
            if pending or schema is None:
                schema, batch = _batch(names, pending, schema, column_types)
                yield batch
        except _DAMAGED as error:
            raise MalformedData(f"the XLSX workbook is damaged: {error}") from None
        finally:
            workbook.close()

    return names, batches()


def _batch(
    names: list[str],
    rows: list[tuple[Any, ...]],
    schema: pa.Schema | None,
    column_types: dict[str, pa.DataType],
) -> tuple[pa.Schema, pa.RecordBatch]:
    columns = [list(values) for values in zip(*rows, strict=True)] if rows else [[] for _ in names]
    if schema is None:
        types = [
            column_types.get(name) or _infer(values) for name, values in zip(names, columns, strict=True)
        ]
        schema = pa.schema([pa.field(name, t) for name, t in zip(names, types, strict=True)])
    arrays = [_fitted(field, values) for field, values in zip(schema, columns, strict=True)]
    return schema, pa.RecordBatch.from_arrays(arrays, schema=schema)


def _fits(found: pa.DataType, expected: pa.DataType) -> bool:
    if found == expected or pa.types.is_null(found):
        return True
    return bool(pa.types.is_floating(expected) and pa.types.is_integer(found))


def _fitted(field: pa.Field, values: list[Any]) -> pa.Array:
    """The batch's values as the column's type, or :class:`WidenColumn` if they do not fit
    (pyarrow alone would truncate 2.5 into an integer column)."""
    if pa.types.is_string(field.type):
        return _column(values, field.type)
    found = _infer(values, null_as_text=False)
    if not _fits(found, field.type):
        numeric = pa.types.is_integer(field.type) and pa.types.is_floating(found)
        value = next((v for v in values if v is not None and not isinstance(v, int)), values[0])
        raise WidenColumn(field.name, pa.float64() if numeric else pa.string(), str(value), str(field.type))
    return _column(values, field.type)
