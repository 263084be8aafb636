"""Catalogue upload: our streaming CSV -> Parquet ingest against DuckDB's own COPY, same file, same run.

Generates a logistics-like CSV of waybills (ids, plates, Chinese place names, timestamps, decimals)
in a temporary folder (not timed), then converts it twice, each in its own subprocess so that
peak memory (ru_maxrss) belongs to one conversion only:

* ours:   ``logispace.storage.ingest`` into a fresh object store (includes the source and object
          SHA-256, encoding validation, and fsync before the object is renamed into place);
* duckdb: ``COPY (SELECT * FROM read_csv(...)) TO '...parquet' (FORMAT parquet)``.

Writes ``bench/results/catalog_upload.json`` with MB/s of both, the ratio, peak memory and the
output sizes. ``--size-mb 64`` for a quick run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "catalog_upload.json"
MB = 1024 * 1024

PLACES = [
    "北京市朝阳区", "上海市浦东新区", "广州市黄埔区", "深圳市盐田区", "南宁市江南区", "钦州市钦南区",
    "防城港市港口区", "北海市海城区", "柳州市柳南区", "桂林市七星区", "呼和浩特市赛罕区",
    "包头市昆都仑区", "鄂尔多斯市东胜区", "满洲里市", "二连浩特市", "重庆市沙坪坝区", "成都市青白江区",
    "西安市国际港务区", "郑州市航空港区", "武汉市东西湖区", "天津市滨海新区", "宁波市北仑区",
    "青岛市黄岛区", "厦门市海沧区", "昆明市官渡区", "凭祥市", "东兴市", "乌鲁木齐市米东区",
]  # fmt: skip
PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
STATUSES = ["已揽收", "运输中", "到达中转", "派送中", "已签收", "异常"]
MODES = ["公路", "铁路", "水路", "公铁联运", "铁海联运"]
HEADER = (
    "waybill_id,shipper_uscc,plate,origin,destination,mode,pickup_at,delivered_at,"
    "weight_kg,volume_m3,freight_yuan,pieces,status\n"
)


def generate(path: Path, size_bytes: int, seed: int = 20261122) -> int:
    """Write waybill rows until the file reaches ``size_bytes``; returns the row count."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        written = len(HEADER.encode())
        while written < size_bytes:
            lines = []
            for _ in range(10_000):
                rows += 1
                pickup = start + timedelta(seconds=rng.randrange(0, 300 * 86400))
                delivered = pickup + timedelta(seconds=rng.randrange(3600, 7 * 86400))
                plate = f"{rng.choice(PROVINCES)}{rng.choice(letters)}{rng.randrange(10000, 99999)}"
                lines.append(
                    f"WB{rows:014d},91450{rng.randrange(10**12, 10**13)}X,{plate},"
                    f"{rng.choice(PLACES)},{rng.choice(PLACES)},{rng.choice(MODES)},"
                    f"{pickup:%Y-%m-%d %H:%M:%S},{delivered:%Y-%m-%d %H:%M:%S},"
                    f"{rng.uniform(0.5, 40000):.2f},{rng.uniform(0.01, 120):.3f},"
                    f"{rng.uniform(20, 90000):.2f},{rng.randrange(1, 500)},{rng.choice(STATUSES)}\n"
                )
            chunk = "".join(lines)
            out.write(chunk)
            written += len(chunk.encode())
    return rows


def child_ours(
    csv_path: str, work: str, block_mb: int, compression: str, level: int | None
) -> dict[str, object]:
    from logispace.storage import IngestOptions, LocalObjectStore, UploadFormat, ingest

    store = LocalObjectStore(Path(work) / "objects")
    options = IngestOptions(block_bytes=block_mb * MB, compression=compression, compression_level=level)
    began = time.perf_counter()
    with open(csv_path, "rb") as source:
        result = ingest(source, fmt=UploadFormat.CSV, store=store, max_bytes=4 * 1024**3, options=options)
    seconds = time.perf_counter() - began
    return {
        "seconds": seconds,
        "rows": result.row_count,
        "output_bytes": result.object_size,
        "fields": [f"{f.name}:{f.arrow_type}" for f in result.fields],
    }


def child_duckdb(csv_path: str, work: str, compression: str) -> dict[str, object]:
    import duckdb

    target = Path(work) / "duckdb.parquet"
    connection = duckdb.connect()
    began = time.perf_counter()
    # Paths of our own temporary folder; COPY ... TO takes no bound parameter for its target.
    query = f"SELECT * FROM read_csv('{csv_path}')"  # noqa: S608 - our own file
    copy = f"COPY ({query}) TO '{target}' (FORMAT parquet, COMPRESSION {compression})"
    connection.execute(copy)
    seconds = time.perf_counter() - began
    rows = connection.execute("SELECT count(*) FROM read_parquet(?)", [str(target)]).fetchone()
    return {"seconds": seconds, "rows": rows[0] if rows else 0, "output_bytes": target.stat().st_size}


def run_child(args: list[str]) -> dict[str, object]:
    done = subprocess.run(  # noqa: S603 - our own script with our own arguments
        [sys.executable, __file__, "--child", *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"child {args[0]} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=1024, help="size of the generated CSV (default 1024)")
    parser.add_argument("--block-mb", type=int, default=8, help="CSV block size of our reader")
    parser.add_argument("--compression", default="zstd", help="Parquet compression of ours (zstd, snappy)")
    parser.add_argument("--level", type=int, default=1, help="compression level of ours (zstd)")
    parser.add_argument("--duckdb-compression", default="snappy", help="DuckDB's (its default: snappy)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--csv", type=Path, help="use this CSV if it exists, else generate it there and keep it"
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        kind, *rest = args.child
        if kind == "ours":
            level = None if rest[4] == "none" else int(rest[4])
            result = child_ours(rest[0], rest[1], int(rest[2]), rest[3], level)
        else:
            result = child_duckdb(rest[0], rest[1], rest[2])
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(result))
        return

    with tempfile.TemporaryDirectory(prefix="catalog-upload-") as work:
        csv_path = args.csv or Path(work) / "waybills.csv"
        if csv_path.exists():
            with csv_path.open("rb") as existing:
                rows = sum(chunk.count(b"\n") for chunk in iter(lambda: existing.read(16 * MB), b"")) - 1
        else:
            print(f"generating {args.size_mb} MB of waybills in {csv_path} ...", flush=True)
            rows = generate(csv_path, args.size_mb * MB)
        size_mb = csv_path.stat().st_size / MB
        level = "none" if args.level is None else str(args.level)
        ours = run_child(["ours", str(csv_path), work, str(args.block_mb), args.compression, level])
        duck = run_child(["duckdb", str(csv_path), work, args.duckdb_compression])
        for name, result in (("ours", ours), ("duckdb", duck)):
            result["mb_per_s"] = round(size_mb / float(str(result["seconds"])), 1)
            result["seconds"] = round(float(str(result["seconds"])), 2)
            result["peak_rss_mb"] = round(float(str(result["peak_rss_mb"])), 1)
            print(
                f"{name:7s} {result['seconds']:8.2f} s {result['mb_per_s']:8.1f} MB/s "
                f"peak {result['peak_rss_mb']:7.1f} MB  "
                f"parquet {int(str(result['output_bytes'])) / MB:.1f} MB"
            )
        if ours["rows"] != rows or duck["rows"] != rows:
            raise RuntimeError(
                f"row counts differ: generated {rows}, ours {ours['rows']}, duckdb {duck['rows']}"
            )
        ratio = round(float(str(ours["mb_per_s"])) / float(str(duck["mb_per_s"])), 3)
        report = {
            "benchmark": "catalog_upload",
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "system": platform.platform(),
            },
            "csv": {"size_mb": round(size_mb, 1), "rows": rows},
            "settings": {
                "block_mb": args.block_mb,
                "compression": args.compression,
                "level": args.level,
                "duckdb_compression": args.duckdb_compression,
            },
            "ours": ours,
            "duckdb": duck,
            "ratio_ours_to_duckdb": ratio,
            "targets": {"ratio_at_least": 0.5, "ours_peak_rss_mb_at_most": 500},
            "met": {
                "ratio": ratio >= 0.5,
                "peak_rss": float(str(ours["peak_rss_mb"])) <= 500,
            },
        }
        print(f"ratio ours/duckdb: {ratio}")
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
