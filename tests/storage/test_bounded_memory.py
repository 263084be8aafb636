"""A 50 MB CSV converts in bounded memory (内存有界): peaks measured in a fresh interpreter.

Bounds are generous; they only tell a streaming conversion from one that holds the upload. Before
the read-ahead limit (text_formats.Backpressure) pyarrow buffered the whole file in Python bytes:
34 MB of Python peak for this file with 1 MiB blocks, where it is now about 8 MB.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

MEASURE = """
import json, pathlib, resource, sys, tracemalloc
import pyarrow as pa
from logispace.storage import IngestOptions, LocalObjectStore, UploadFormat, ingest
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
with open(sys.argv[1], "rb") as upload:
    result = ingest(
        upload, fmt=UploadFormat.CSV, store=LocalObjectStore(pathlib.Path(sys.argv[2])), max_bytes=1 << 30,
        options=IngestOptions(block_bytes=1 << 20, row_group_rows=32_768),
    )
print(json.dumps({
    "rows": result.row_count,
    "python_peak": tracemalloc.get_traced_memory()[1],
    "arrow_peak": pa.default_memory_pool().max_memory(),
    "rss_growth": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024,
}))
"""
MB = 1024 * 1024


def write_waybills(path: Path, size: int) -> int:
    rng = random.Random(5)
    rows = 12_000
    block = "".join(
        f"WB{i:012d},桂A{rng.randrange(10000, 99999)},钦州市钦南区,2026-11-22 08:{i % 60:02d}:00,"
        f"{rng.uniform(1, 9999):.2f},{i}\n"
        for i in range(rows)
    ).encode()
    count = 0
    with path.open("wb") as out:
        out.write("运单号,车牌,起运地,揽收时间,重量kg,件数\n".encode())
        while out.tell() < size:
            out.write(block)
            count += rows
    return count


def test_a_50_mb_csv_converts_in_bounded_memory(tmp_path: Path) -> None:
    upload = tmp_path / "waybills.csv"
    rows = write_waybills(upload, 50 * MB)
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(upload), str(tmp_path / "objects")],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(done.stdout)
    assert measured["rows"] == rows
    assert measured["python_peak"] < 20 * MB, measured  # a few 1 MiB blocks, not the 50 MB upload
    assert measured["arrow_peak"] < 32 * MB, measured  # a row group or two, not the whole table
    assert measured["rss_growth"] < 200 * MB, measured
