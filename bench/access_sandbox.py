"""Sandbox SQL overhead: ``run_sql`` (parse, check, run in a sealed DuckDB, output control) against the same
SQL on raw DuckDB over the same Parquet, group-by aggregates at 10M waybills, same run.

Generates the waybills as Parquet in a temporary folder with DuckDB (not timed; realistic columns:
waybill number, shipper USCC, plate, origin and destination cities, mode, pickup time, weight, volume,
freight, pieces, status, driver ID number), then times each query alternately:

* raw:     one DuckDB connection kept open (the most favourable baseline) with the same thread and
           memory settings, a view over the same files, ``execute(sql).fetchall()``;
* sandbox: ``logispace.domains.access.delivery.run_sql`` with a k threshold (a fresh sealed
           connection per query, the hidden group count, k check, canonical JSON and hashes);
* sandbox with ε: the same through OpenDP noise (only the queries that can be noised).

The ledger entry the access domain appends per query is not part of this (it is that domain's).
Writes ``bench/results/access_sandbox.json``: per query the median and p95 wall seconds of each, this
process's CPU seconds, and the ratio sandbox/raw of the medians; the target is at most 1.2.
``--rows 1000000`` for a quick run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from logispace.domains.access.delivery import GrantedTable, Limits, OutputPolicy, run_sql

RESULTS = Path(__file__).parent / "results" / "access_sandbox.json"
TARGET_RATIO = 1.2
THREADS = 2
MEMORY_MB = 4096

CITIES = [
    "南宁市", "钦州市", "柳州市", "桂林市", "防城港市", "北海市", "玉林市", "百色市", "梧州市", "贵港市",
    "呼和浩特市", "包头市", "鄂尔多斯市", "满洲里市", "二连浩特市", "重庆市", "成都市", "昆明市", "广州市",
    "深圳市",
]  # fmt: skip
MODES = ["公路", "铁路", "水路", "公铁联运", "铁海联运"]
STATUSES = ["已揽收", "运输中", "到达中转", "派送中", "已签收", "异常"]

COLUMNS = (
    "waybill_id", "shipper_uscc", "plate", "origin", "destination", "mode", "pickup_at", "weight_kg",
    "volume_m3", "freight_yuan", "pieces", "status", "driver_id_number",
)  # fmt: skip

QUERIES = {
    "count_by_origin": "SELECT origin, COUNT(*) AS n FROM waybills GROUP BY origin",
    "sum_avg_by_mode": (
        "SELECT mode, COUNT(*) AS n, SUM(weight_kg) AS weight, AVG(freight_yuan) AS freight "
        "FROM waybills GROUP BY mode"
    ),
    "lane_by_month": (
        "SELECT origin, destination, date_trunc('month', pickup_at) AS month, COUNT(*) AS n, "
        "SUM(freight_yuan) AS freight FROM waybills WHERE status = '已签收' GROUP BY ALL"
    ),
    "filtered_shipper_region": (
        "SELECT substr(shipper_uscc, 3, 6) AS area, mode, COUNT(*) AS n, SUM(pieces) AS pieces "
        "FROM waybills WHERE weight_kg > 1000 AND pickup_at >= TIMESTAMPTZ '2026-03-01 00:00:00+00' "
        "GROUP BY area, mode"
    ),
    "distinct_drivers_by_origin": (
        "SELECT origin, COUNT(DISTINCT driver_id_number) AS drivers, COUNT(*) AS n "
        "FROM waybills GROUP BY origin"
    ),
}
NOISABLE = ("count_by_origin", "filtered_shipper_region")


def generate(folder: Path, rows: int, files: int) -> list[Path]:
    """Waybills as ``files`` Parquet files (zstd, row groups of 122,880), generated in SQL."""
    conn = duckdb.connect(config={"threads": THREADS})
    cities = "[" + ", ".join(f"'{c}'" for c in CITIES) + "]"
    modes = "[" + ", ".join(f"'{m}'" for m in MODES) + "]"
    statuses = "[" + ", ".join(f"'{s}'" for s in STATUSES) + "]"
    per_file = rows // files
    paths = []
    for part in range(files):
        path = folder / f"waybills-{part:02d}.parquet"
        first = part * per_file
        count = per_file if part < files - 1 else rows - first
        select = f"""
            SELECT
              'LS' || lpad(CAST(i AS VARCHAR), 12, '0') AS waybill_id,
              '91' || CAST(450100 + (hash(i) % 97) AS VARCHAR) || 'MA5L'
                || lpad(CAST(hash(i) % 100000 AS VARCHAR), 5, '0') || 'X' AS shipper_uscc,
              '桂' || chr(65 + CAST(hash(i + 1) % 20 AS INTEGER))
                || lpad(CAST(hash(i + 2) % 100000 AS VARCHAR), 5, '0') AS plate,
              {cities}[1 + CAST(hash(i + 3) % {len(CITIES)} AS INTEGER)] AS origin,
              {cities}[1 + CAST(hash(i + 4) % {len(CITIES)} AS INTEGER)] AS destination,
              {modes}[1 + CAST(hash(i + 5) % {len(MODES)} AS INTEGER)] AS mode,
              TIMESTAMPTZ '2026-01-01 00:00:00+00'
                + to_seconds(CAST(hash(i + 6) % 31536000 AS BIGINT)) AS pickup_at,
              CAST(1 + hash(i + 7) % 30000 AS DOUBLE) AS weight_kg,
              round(CAST(hash(i + 8) % 8000 AS DOUBLE) / 100, 2) AS volume_m3,
              CAST((hash(i + 9) % 9000000) / 100 AS DECIMAL(12, 2)) AS freight_yuan,
              CAST(1 + hash(i + 10) % 40 AS INTEGER) AS pieces,
              {statuses}[1 + CAST(hash(i + 11) % {len(STATUSES)} AS INTEGER)] AS status,
              '450102' || CAST(1960 + hash(i + 12) % 40 AS VARCHAR) || '0315'
                || lpad(CAST(hash(i + 12) % 5000 AS VARCHAR), 4, '0') AS driver_id_number
            FROM range({first}, {first + count}) t(i)
        """  # noqa: S608 - generated from our own constants
        conn.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)")
        paths.append(path)
    conn.close()
    return paths


def raw_connection(paths: list[Path]) -> duckdb.DuckDBPyConnection:
    conn = duckdb.connect(config={"threads": THREADS, "memory_limit": f"{MEMORY_MB}MB"})
    files = "[" + ", ".join(f"'{p}'" for p in paths) + "]"
    conn.execute(f"CREATE VIEW waybills AS SELECT * FROM read_parquet({files})")  # noqa: S608 - our files
    return conn


def timed(run: object) -> tuple[float, float, object]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = run()  # type: ignore[operator]
    return time.perf_counter() - wall, time.process_time() - cpu, out


def stats(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "median_s": round(statistics.median(ordered), 4),
        "p95_s": round(ordered[max(0, round(len(ordered) * 0.95) - 1)], 4),
        "min_s": round(ordered[0], 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--repeat", type=int, default=7, help="runs of each query and mode, alternating")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="access-sandbox-") as work:
        began = time.perf_counter()
        paths = generate(Path(work), args.rows, args.files)
        generated_s = time.perf_counter() - began
        size_mb = sum(p.stat().st_size for p in paths) / 2**20
        print(f"generated {args.rows:,} rows in {len(paths)} files ({size_mb:.0f} MB) in {generated_s:.0f} s")
        table = GrantedTable("waybills", tuple(paths), COLUMNS, {"driver_id_number": "mask_resident_id"})
        k_only = OutputPolicy(aggregate_only=True, min_group_size=10, epsilon_total=None, epsilon_spent=0.0)
        with_dp = OutputPolicy(
            aggregate_only=True, min_group_size=10, epsilon_total=1000.0, epsilon_spent=0.0
        )
        limits = Limits(memory_mb=MEMORY_MB, threads=THREADS, timeout_s=600, max_output_rows=100_000)
        raw = raw_connection(paths)
        report_queries: dict[str, object] = {}
        for name, sql in QUERIES.items():
            # one warm-up of each (file cache, first parse), not counted
            raw.execute(sql).fetchall()
            run_sql(sql, [table], k_only, limits)
            walls: dict[str, list[float]] = {"raw": [], "sandbox": [], "sandbox_dp": []}
            cpus: dict[str, list[float]] = {"raw": [], "sandbox": [], "sandbox_dp": []}
            groups = 0
            for _ in range(args.repeat):
                wall, cpu, rows = timed(lambda sql=sql: raw.execute(sql).fetchall())
                walls["raw"].append(wall)
                cpus["raw"].append(cpu)
                wall, cpu, result = timed(lambda sql=sql: run_sql(sql, [table], k_only, limits))
                walls["sandbox"].append(wall)
                cpus["sandbox"].append(cpu)
                groups = result.rows_returned  # type: ignore[attr-defined]
                if groups != len(rows):  # type: ignore[arg-type]
                    raise RuntimeError(
                        f"{name}: the sandbox returned {groups} groups, raw DuckDB {len(rows)}"
                    )  # type: ignore[arg-type]
                if name in NOISABLE:
                    wall, cpu, _ = timed(lambda sql=sql: run_sql(sql, [table], with_dp, limits))
                    walls["sandbox_dp"].append(wall)
                    cpus["sandbox_dp"].append(cpu)
            entry: dict[str, object] = {"sql": sql, "groups": groups}
            for mode, samples in walls.items():
                if samples:
                    entry[mode] = {**stats(samples), "cpu_median_s": round(statistics.median(cpus[mode]), 4)}
            entry["ratio_sandbox_to_raw"] = round(
                statistics.median(walls["sandbox"]) / statistics.median(walls["raw"]), 3
            )
            entry["cpu_ratio_sandbox_to_raw"] = round(
                statistics.median(cpus["sandbox"]) / statistics.median(cpus["raw"]), 3
            )
            if walls["sandbox_dp"]:
                entry["ratio_sandbox_dp_to_raw"] = round(
                    statistics.median(walls["sandbox_dp"]) / statistics.median(walls["raw"]), 3
                )
            report_queries[name] = entry
            print(
                f"{name:28s} raw {statistics.median(walls['raw']):7.3f} s  sandbox "
                f"{statistics.median(walls['sandbox']):7.3f} s  ratio {entry['ratio_sandbox_to_raw']}"
                f" (CPU {entry['cpu_ratio_sandbox_to_raw']})"
                + (f"  with ε {entry['ratio_sandbox_dp_to_raw']}" if walls["sandbox_dp"] else ""),
                flush=True,
            )
        raw.close()
        ratios = [float(q["ratio_sandbox_to_raw"]) for q in report_queries.values()]  # type: ignore[index]
        worst = max(ratios)
        cpu_ratios = [float(q["cpu_ratio_sandbox_to_raw"]) for q in report_queries.values()]  # type: ignore[index]
        report = {
            "benchmark": "access_sandbox",
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {
                "python": platform.python_version(),
                "duckdb": duckdb.__version__,
                "cpus": os.cpu_count(),
                "system": platform.platform(),
                "load_average_1_5_15_at_start": [round(x, 2) for x in os.getloadavg()],
                "note": "shared machine: other jobs run; ratios are of medians of alternating runs",
            },
            "data": {"rows": args.rows, "files": len(paths), "parquet_mb": round(size_mb, 1)},
            "settings": {"threads": THREADS, "memory_mb": MEMORY_MB, "repeat": args.repeat, "k": 10},
            "queries": report_queries,
            "worst_ratio_sandbox_to_raw": worst,
            "geometric_mean_ratio": round(statistics.geometric_mean(ratios), 3),
            "worst_cpu_ratio_sandbox_to_raw": max(cpu_ratios),
            "geometric_mean_cpu_ratio": round(statistics.geometric_mean(cpu_ratios), 3),
            "target_ratio_at_most": TARGET_RATIO,
            "met": worst <= TARGET_RATIO,
        }
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"worst ratio {worst} (target <= {TARGET_RATIO}); wrote {args.output}")


if __name__ == "__main__":
    main()
