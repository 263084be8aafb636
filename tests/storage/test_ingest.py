"""Upload ingestion (数据上传入库): every format into Parquet, encodings, widening, the result read back."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logispace.storage import (
    IngestOptions,
    LocalObjectStore,
    UnsupportedFormat,
    UploadFormat,
    format_for,
    ingest,
    workbook,
)
from logispace.storage.ingest import IngestResult
from tests.storage.conftest import stored_objects

LIMIT = 10 * 1024 * 1024
ROWS = [
    {"运单号": "WB0001", "车牌": "桂A12345", "起运地": "钦州市钦南区", "重量kg": 1250.5, "件数": 3},
    {"运单号": "WB0002", "车牌": "蒙K54321", "起运地": "二连浩特市", "重量kg": 80.25, "件数": 1},
    {"运单号": "WB0003", "车牌": "京A00001", "起运地": "北京市朝阳区", "重量kg": None, "件数": 12},
]
EXPECTED = pa.table(
    {
        "运单号": pa.array([r["运单号"] for r in ROWS], pa.string()),
        "车牌": pa.array([r["车牌"] for r in ROWS], pa.string()),
        "起运地": pa.array([r["起运地"] for r in ROWS], pa.string()),
        "重量kg": pa.array([r["重量kg"] for r in ROWS], pa.float64()),
        "件数": pa.array([r["件数"] for r in ROWS], pa.int64()),
    }
)


def csv_text() -> str:
    lines = [",".join(ROWS[0])]
    for row in ROWS:
        lines.append(",".join("" if v is None else str(v) for v in row.values()))
    return "\n".join(lines) + "\n"


def jsonl_bytes() -> bytes:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS).encode()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def parquet_bytes(table: pa.Table) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out, row_group_size=2)
    return out.getvalue()


def run(store: LocalObjectStore, data: bytes, fmt: UploadFormat, **kwargs: object) -> IngestResult:
    return ingest(io.BytesIO(data), fmt=fmt, store=store, max_bytes=LIMIT, **kwargs)  # type: ignore[arg-type]


def read_back(store: LocalObjectStore, result: IngestResult) -> pa.Table:
    return pq.read_table(store.path_of(result.object_sha256))


SOURCES: list[tuple[str, UploadFormat, Callable[[], bytes], str | None]] = [
    ("csv utf-8", UploadFormat.CSV, lambda: csv_text().encode(), "utf-8"),
    ("csv utf-8 bom", UploadFormat.CSV, lambda: b"\xef\xbb\xbf" + csv_text().encode(), "utf-8-sig"),
    ("csv gbk", UploadFormat.CSV, lambda: csv_text().encode("gbk"), "gb18030"),
    ("csv gb18030", UploadFormat.CSV, lambda: csv_text().encode("gb18030"), "gb18030"),
    ("csv crlf", UploadFormat.CSV, lambda: csv_text().replace("\n", "\r\n").encode(), "utf-8"),
    ("jsonl", UploadFormat.JSONL, jsonl_bytes, "utf-8"),
    ("jsonl gbk", UploadFormat.JSONL, lambda: jsonl_bytes().decode().encode("gbk"), "gb18030"),
    (
        "xlsx",
        UploadFormat.XLSX,
        lambda: xlsx_bytes([list(ROWS[0]), *[list(r.values()) for r in ROWS]]),
        None,
    ),
    ("parquet", UploadFormat.PARQUET, lambda: parquet_bytes(EXPECTED), None),
]


@pytest.mark.parametrize(("fmt", "make", "encoding"), [s[1:] for s in SOURCES], ids=[s[0] for s in SOURCES])
def test_every_format_becomes_the_same_parquet(
    store: LocalObjectStore, fmt: UploadFormat, make: Callable[[], bytes], encoding: str | None
) -> None:
    data = make()
    result = run(store, data, fmt)
    table = read_back(store, result)
    assert table.equals(EXPECTED), table.to_pylist()
    assert result.row_count == 3
    assert result.encoding == encoding
    assert result.source_format is fmt
    assert result.source_size == len(data)
    assert [(f.name, f.logical_type) for f in result.fields] == [
        ("运单号", "string"),
        ("车牌", "string"),
        ("起运地", "string"),
        ("重量kg", "float"),
        ("件数", "integer"),
    ]
    assert store.size(result.object_sha256) == result.object_size
    assert not store.exists(result.source_sha256)
    assert store.partials() == []


def test_the_same_upload_gives_the_same_object(store: LocalObjectStore) -> None:
    first = run(store, csv_text().encode(), UploadFormat.CSV)
    second = run(store, csv_text().encode("gbk"), UploadFormat.CSV)
    assert first.object_sha256 == second.object_sha256
    assert first.source_sha256 != second.source_sha256
    assert len(stored_objects(store)) == 1


def test_keep_source_stores_the_raw_upload(store: LocalObjectStore) -> None:
    data = csv_text().encode("gbk")
    result = run(store, data, UploadFormat.CSV, keep_source=True)
    assert result.source_stored
    assert store.open(result.source_sha256).read() == data


def test_a_stream_that_cannot_seek_is_copied_first(store: LocalObjectStore) -> None:
    class Once:
        def __init__(self, data: bytes) -> None:
            self._data = io.BytesIO(data)

        def read(self, size: int = -1, /) -> bytes:
            return self._data.read(size)

    result = ingest(Once(csv_text().encode()), fmt=UploadFormat.CSV, store=store, max_bytes=LIMIT)
    assert read_back(store, result).equals(EXPECTED)


def test_header_only_is_zero_rows_of_text_columns(store: LocalObjectStore) -> None:
    result = run(store, "运单号,车牌\n".encode(), UploadFormat.CSV)
    table = read_back(store, result)
    assert (result.row_count, table.num_rows) == (0, 0)
    assert table.schema == pa.schema([("运单号", pa.string()), ("车牌", pa.string())])
    xlsx = run(store, xlsx_bytes([["运单号", "车牌"]]), UploadFormat.XLSX)
    assert xlsx.row_count == 0
    assert [f.arrow_type for f in xlsx.fields] == ["string", "string"]


def test_csv_columns_widen_when_a_later_block_disagrees(store: LocalObjectStore) -> None:
    rows = "".join(f"{i},{i},{i}\n" for i in range(20_000))
    data = ("id,weight,code\n" + rows + "20000,2.5,X-1\n").encode()
    result = run(store, data, UploadFormat.CSV, options=IngestOptions(block_bytes=64 * 1024))
    table = read_back(store, result)
    assert table.schema == pa.schema([("id", pa.int64()), ("weight", pa.float64()), ("code", pa.string())])
    assert table.num_rows == 20_001
    assert table.column("weight")[-1].as_py() == 2.5
    assert table.column("code")[0].as_py() == "0"
    assert table.column("code")[-1].as_py() == "X-1"
    assert sorted(result.widened) == ["code", "weight"]
    assert stored_objects(store) == [store.path_of(result.object_sha256)]  # no leftover of a first read
    assert store.partials() == []


def test_xlsx_keeps_cell_types_and_widens_later_batches(store: LocalObjectStore) -> None:
    when = dt.datetime(2026, 11, 22, 8, 30)  # noqa: DTZ001 - spreadsheet cells carry no time zone
    rows: list[list[object]] = [["id", "at", "ok", "mixed", None]]
    rows += [[i, when, True, i, None] for i in range(30)]
    rows += [[None, None, None, None, None]]  # an empty row is skipped
    rows += [[30, when, False, "三十"]]
    data = xlsx_bytes(rows)
    result = ingest(io.BytesIO(data), fmt=UploadFormat.XLSX, store=store, max_bytes=LIMIT)
    table = read_back(store, result)
    assert table.column_names == ["id", "at", "ok", "mixed"]
    assert table.num_rows == 31
    assert table.schema.field("at").type == pa.timestamp("us")
    assert table.column("at")[0].as_py() == when
    assert table.column("ok").to_pylist()[-1] is False
    assert table.column("mixed").to_pylist()[-2:] == ["29", "三十"]


def test_xlsx_batches_widen_integers_to_floats() -> None:
    rows: list[list[object]] = [["n"]] + [[i] for i in range(25)] + [[2.5]]
    names, batches = workbook.read_xlsx(io.BytesIO(xlsx_bytes(rows)), {}, batch_rows=10)
    assert names == ["n"]
    with pytest.raises(workbook.WidenColumn) as raised:
        list(batches)
    assert (raised.value.column, raised.value.to) == ("n", pa.float64())


def test_parquet_uploads_keep_nested_types(store: LocalObjectStore) -> None:
    table = pa.table(
        {"id": [1, 2], "stops": [["钦州", "南宁"], []], "at": pa.array([1, 2], pa.timestamp("ms"))}
    )
    result = run(store, parquet_bytes(table), UploadFormat.PARQUET)
    assert read_back(store, result).equals(table)
    assert [f.logical_type for f in result.fields] == ["integer", "list", "timestamp"]


@pytest.mark.parametrize(
    ("filename", "media_type", "expected"),
    [
        ("运单.CSV", None, UploadFormat.CSV),
        ("data.xlsx", None, UploadFormat.XLSX),
        ("events.jsonl", None, UploadFormat.JSONL),
        ("events.ndjson", None, UploadFormat.JSONL),
        ("part-0.parquet", None, UploadFormat.PARQUET),
        (None, "text/csv; charset=gbk", UploadFormat.CSV),
        ("upload.bin", "application/vnd.apache.parquet", UploadFormat.PARQUET),
    ],
)
def test_format_from_name_or_media_type(
    filename: str | None, media_type: str | None, expected: UploadFormat
) -> None:
    assert format_for(filename, media_type) is expected


@pytest.mark.parametrize(
    ("filename", "media_type"), [("report.pdf", None), ("data.xls", "application/pdf"), (None, None)]
)
def test_other_formats_are_unsupported(filename: str | None, media_type: str | None) -> None:
    with pytest.raises(UnsupportedFormat) as raised:
        format_for(filename, media_type)
    assert raised.value.status == 415
    assert raised.value.extensions["supported"] == ["csv", "xlsx", "jsonl", "parquet"]
    assert "CSV, XLSX, JSON Lines or Parquet" in raised.value.detail


def test_xlsx_empty_cells_in_a_later_batch_keep_the_type() -> None:
    rows: list[list[object]] = [["n", "s"]] + [[i, "x"] for i in range(10)] + [[None, "y"]] * 10
    _, batches = workbook.read_xlsx(io.BytesIO(xlsx_bytes(rows)), {}, batch_rows=10)
    assert [b.schema.field("n").type for b in batches] == [pa.int64(), pa.int64()]
