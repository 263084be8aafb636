"""Bad uploads: each refused with its cause named (line, column, limit), and nothing left behind."""

from __future__ import annotations

import importlib
import io
import json
import zipfile

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logispace.core.errors import DomainError
from logispace.storage import (
    BadHeader,
    EmptyUpload,
    IngestOptions,
    LocalObjectStore,
    MalformedData,
    RaggedRow,
    TypeConflict,
    UndecodableText,
    UploadFormat,
    UploadTooLarge,
    ingest,
)
from tests.storage.conftest import assert_nothing_left

CSV = UploadFormat.CSV
JSONL = UploadFormat.JSONL
XLSX = UploadFormat.XLSX
PARQUET = UploadFormat.PARQUET
MANY = "".join(f"WB{i},{i}\n" for i in range(5000))  # more than one 4 KiB block


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_with_a_cut_sheet() -> bytes:
    """A workbook whose worksheet XML stops halfway (a damaged or truncated file)."""
    whole = zipfile.ZipFile(io.BytesIO(xlsx([["n", "s"], *[[i, "x"] for i in range(200)]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as damaged:
        for item in whole.infolist():
            data = whole.read(item.filename)
            damaged.writestr(item, data[: len(data) // 2] if "worksheets/sheet1" in item.filename else data)
    return out.getvalue()


def parquet_with_duplicates() -> bytes:
    out = io.BytesIO()
    table = pa.Table.from_arrays([pa.array([1]), pa.array([2])], names=["id", "ID"])
    pq.write_table(table, out)
    return out.getvalue()


CASES: list[tuple[str, UploadFormat, bytes, type[DomainError], str, dict[str, object]]] = [
    ("empty file", CSV, b"", EmptyUpload, "the upload is empty (0 bytes)", {}),
    ("blank lines only", CSV, b"\n\n\n", EmptyUpload, "no header row", {}),
    ("bom only", CSV, b"\xef\xbb\xbf", EmptyUpload, "no header row", {}),
    ("empty jsonl", JSONL, b"\n\n", EmptyUpload, "no records", {}),
    (
        "row with more fields",
        CSV,
        b"a,b\n1,2\n3,4,5\n",
        RaggedRow,
        "line 3 has 3 fields but the header has 2",
        {"line": 3, "expected_fields": 2, "actual_fields": 3},
    ),
    (
        "row with fewer fields",
        CSV,
        b"a,b,c\n1,2,3\n4,5\n",
        RaggedRow,
        "line 3 has 2 fields but the header has 3",
        {"line": 3},
    ),
    (
        "ragged row after a quoted newline",
        CSV,
        b'a,b\n"two\nlines",1\n3\n',
        RaggedRow,
        "line 4 has 1 fields",
        {"line": 4},
    ),
    (
        "ragged row in a later block",
        CSV,
        f"a,b\n{MANY}x,y,z\n".encode(),
        RaggedRow,
        "line 5002 has 3 fields",
        {"line": 5002},
    ),
    (
        "row longer than a block",
        CSV,
        b"a,b\n1,2\n3," + b"x" * 10_000 + b"\n",
        MalformedData,
        "a row is longer than the read block",
        {},
    ),
    (
        "duplicate column names",
        CSV,
        "运单号,车牌,运单号\n1,2,3\n".encode(),
        BadHeader,
        "duplicate column names '运单号'",
        {"duplicates": ["运单号"]},
    ),
    ("names equal but for case", CSV, b"Plate,plate\n1,2\n", BadHeader, "duplicate column names 'plate'", {}),
    (
        "empty column names",
        CSV,
        b"a,,c, \n1,2,3,4\n",
        BadHeader,
        "empty column names at column 2, 4",
        {"empty_columns": [2, 4]},
    ),
    ("empty json key", JSONL, b'{"": 1}\n', BadHeader, "empty column names at column 1", {}),
    (
        "duplicate parquet names",
        PARQUET,
        parquet_with_duplicates(),
        BadHeader,
        "duplicate column names 'ID'",
        {},
    ),
    (
        "utf-8 then gbk",
        CSV,
        "a,b\n北京,1\n".encode() + "上海,2\n".encode("gbk"),
        UndecodableText,
        "read as UTF-8 but the bytes at byte offset 13 (line 3) are not UTF-8",
        {"line": 3, "byte_offset": 13},
    ),
    (
        "gbk in a later block",
        CSV,
        f"a,b\n北京,1\n{MANY}".encode() + "上海,2\n".encode("gbk"),
        UndecodableText,
        "(line 5003) are not UTF-8",
        {"line": 5003},
    ),
    (
        # UTF-8 after a GBK header is caught where its bytes stop pairing as GB18030 (here the odd
        # byte of three three-byte characters before a comma); docs/storage.md says where this ends.
        "gbk header, utf-8 rows",
        CSV,
        "名称,b\n".encode("gbk") + "上海市,1\n".encode(),
        UndecodableText,
        "read as GB18030 but the bytes at byte offset 15 (line 2) are not GB18030",
        {"line": 2},
    ),
    ("neither encoding", CSV, b"a,b\n\x80\x80,1\n", UndecodableText, "neither UTF-8", {}),
    ("utf-16", CSV, "a,b\n".encode("utf-16"), UndecodableText, "UTF-16", {}),
    (
        "gbk in json lines",
        JSONL,
        '{"a": "北京"}\n'.encode() + '{"a": "上海"}\n'.encode("gbk"),
        UndecodableText,
        "(line 2) are not UTF-8",
        {"line": 2},
    ),
    ("invalid json", JSONL, b'{"a": 1}\n{"a": \n', MalformedData, "line 2 is not valid JSON", {"line": 2}),
    (
        "json array line",
        JSONL,
        b'{"a": 1}\n[1, 2]\n',
        MalformedData,
        "line 2 is not a JSON object",
        {"line": 2},
    ),
    (
        "json type conflict in a later block",
        JSONL,
        b'{"a": 1}\n' * 2000 + b'{"a": "x"}\n',
        TypeConflict,
        "line 2001, field 'a': \"x\" is not an integer",
        {"line": 2001, "column": "a"},
    ),
    (
        "json field only in a later block",
        JSONL,
        b'{"a": 1}\n' * 2000 + b'{"a": 1, "b": 2}\n',
        MalformedData,
        "line 2001 brings field 'b'",
        {"line": 2001, "column": "b"},
    ),
    ("not parquet", PARQUET, b"PAR1 but not really", MalformedData, "not readable Parquet", {}),
    ("not xlsx", XLSX, b"a,b\n1,2\n", MalformedData, "not a readable XLSX workbook", {}),
    ("xlsx without header", XLSX, xlsx([]), EmptyUpload, "no header row", {}),
    (
        "xlsx value beyond the header",
        XLSX,
        xlsx([["a", "b"], [1, 2], [3, 4, 5]]),
        RaggedRow,
        "row 3 has values in 3 columns but the header has 2",
        {"line": 3},
    ),
    (
        "xlsx with a cut worksheet",
        XLSX,
        xlsx_with_a_cut_sheet(),
        MalformedData,
        "the XLSX workbook is damaged",
        {},
    ),
    ("xlsx duplicate names", XLSX, xlsx([["a", "A"], [1, 2]]), BadHeader, "duplicate column names 'A'", {}),
]


@pytest.mark.parametrize(
    ("fmt", "data", "error", "message", "extensions"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_uploads_are_refused_with_their_cause(
    store: LocalObjectStore,
    fmt: UploadFormat,
    data: bytes,
    error: type[DomainError],
    message: str,
    extensions: dict[str, object],
) -> None:
    options = IngestOptions(block_bytes=4096)
    with pytest.raises(error) as raised:
        ingest(io.BytesIO(data), fmt=fmt, store=store, max_bytes=1 << 20, options=options)
    assert message in raised.value.detail
    assert extensions.items() <= raised.value.extensions.items()
    problem = raised.value.problem()
    assert problem["status"] in (400, 413, 415)
    json.dumps(problem)  # every extension renders in a problem document
    assert_nothing_left(store)


def test_over_the_limit_is_refused_before_reading(store: LocalObjectStore) -> None:
    with pytest.raises(UploadTooLarge) as raised:
        ingest(io.BytesIO(b"a,b\n" + b"1,2\n" * 1000), fmt=CSV, store=store, max_bytes=1000)
    assert "more than the limit of 1000 bytes" in raised.value.detail
    assert raised.value.extensions == {"limit_bytes": 1000}
    assert raised.value.status == 413
    assert_nothing_left(store)


def test_a_stream_over_the_limit_stops_at_the_limit(store: LocalObjectStore) -> None:
    class Endless:
        """A client that never stops sending."""

        def __init__(self) -> None:
            self.sent = 0

        def read(self, size: int = -1, /) -> bytes:
            self.sent += size
            return b"1,2\n" * (size // 4) + b"1" * (size % 4)

    stream = Endless()
    with pytest.raises(UploadTooLarge, match="limit of 100000 bytes"):
        ingest(stream, fmt=CSV, store=store, max_bytes=100_000)
    assert stream.sent <= 100_001
    assert_nothing_left(store)


def test_a_conflict_that_cannot_widen_is_named(store: LocalObjectStore) -> None:
    """Forcing a column that already is text cannot happen; a repeated widening is a conflict."""
    from logispace.storage.text_formats import WidenColumn

    class Stubborn:
        calls = 0

    def fail(*args: object, **kwargs: object) -> None:
        Stubborn.calls += 1
        raise WidenColumn("件数", pa.string(), "三", "int64")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(importlib.import_module("logispace.storage.ingest"), "_attempt", fail)
        with pytest.raises(TypeConflict, match="column '件数': value '三' does not fit int64"):
            ingest(io.BytesIO(b"a\n1\n"), fmt=CSV, store=store, max_bytes=100)
    assert Stubborn.calls == 2
