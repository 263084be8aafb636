"""Control-tower KPI query: the query written once (sqlglot, ``tower.analytics``) against the same
aggregate in raw SQL on the same database, and PySpark local against DuckDB on the same Parquet.

Generates ``--rows`` measures (default 10M: kinds, values, corridors, modes, days, 1M shipments) with
numpy, writes them once as Parquet and loads the same rows into ``tower_measures`` of a scratch database
(SQLite, or PostgreSQL with ``LOGISPACE_BENCH_DATABASE_URL``; loading is not timed, foreign keys are
off while loading as the rows name no stored waybill). Then, alternating, ``--repeat`` times each:

* ``sqlglot``: ``engines.on_session`` (build the query, transpile it to the dialect, run it, read the
  rows into KPI aggregates) for all KPIs grouped by corridor and mode, as the API runs it;
* ``raw``: the same aggregate as hand-written SQL on the same connection (``RAW`` below), rows fetched;
* ``duckdb`` and ``spark``: ``engines.on_engine`` over the Parquet file (the same layer, each engine's
  own transpiled SQL).

``--parquet-only`` runs DuckDB and Spark alone (no database load) into
``bench/results/tower_kpi-parquet-<backend>.json``. CPU figures include this process's descendants
(Spark's JVM, from ``/proc``). Writes ``bench/results/tower_kpi-<backend>.json``: p50/p95 of each,
``ratio_p95`` sqlglot/raw (target at most 1.5) and spark/duckdb, with the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).parent))

from benchkit import log, machine, percentiles, scratch_database, write

from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.tower.analytics import engines
from logispace.domains.tower.analytics.query import KpiFilter
from logispace.domains.tower.kpis.definitions import Kind
from logispace.storage.engines import EngineLimits, View, get_engine

KINDS = tuple(k.value for k in Kind)
CORRIDORS = (
    "CNQZH-500112",
    "VNHPH-510100",
    "450100-SGSIN",
    "450900-SGSIN",
    "500112-VNHPH",
    "500112-DEDUI",
    "510100-DEDUI",
)
MODES = ("road", "rail", "water", "multimodal")
TARGET = 1.5
LISTED = ", ".join(f"'{k}'" for k in KINDS)
RAW = (
    "SELECT corridor, mode, kind, COUNT(*) AS n, SUM(value) AS total, "  # noqa: S608 - constant kinds
    "MIN(CASE WHEN rn * 100 >= 50 * cnt THEN value END) AS p50, "
    "MIN(CASE WHEN rn * 100 >= 90 * cnt THEN value END) AS p90, "
    "COUNT(DISTINCT waybill_id) AS shipments FROM ("
    "SELECT corridor, mode, kind, value, waybill_id, "
    "ROW_NUMBER() OVER (PARTITION BY kind, corridor, mode ORDER BY value) AS rn, "
    "COUNT(*) OVER (PARTITION BY kind, corridor, mode) AS cnt "
    f"FROM tower_measures WHERE kind IN ({LISTED})) AS r "
    "GROUP BY kind, corridor, mode ORDER BY kind, corridor, mode"
)
"""The aggregate as one would write it by hand for the database (the baseline)."""


def generate(rows: int, seed: int = 20) -> pa.Table:
    rng = np.random.default_rng(seed)
    shipments = np.array([uuid.UUID(int=int(x)).hex for x in rng.integers(1, 2**62, 1_000_000)])
    days = np.array([f"2026-11-{d:02d}" for d in range(1, 31)])
    return pa.table(
        {
            "kind": pa.array(np.array(KINDS)[rng.integers(0, len(KINDS), rows)]),
            "value": pa.array(np.round(rng.gamma(2.0, 12.0, rows), 6)),
            "day": pa.array(days[rng.integers(0, len(days), rows)]),
            "waybill_id": pa.array(shipments[rng.integers(0, len(shipments), rows)]),
            "leg": pa.array(rng.integers(1, 4, rows)),
            "corridor": pa.array(np.array(CORRIDORS)[rng.integers(0, len(CORRIDORS), rows)]),
            "mode": pa.array(np.array(MODES)[rng.integers(0, len(MODES), rows)]),
            "node": pa.array(np.full(rows, None, dtype=object), type=pa.string()),
            "owner_uscc": pa.array(np.full(rows, None, dtype=object), type=pa.string()),
        }
    )


INDEXES = (
    ("ix_tower_measures_kind_day", "kind, day"),
    ("ix_tower_measures_waybill", "waybill_id"),
    ("ix_tower_measures_owner_uscc", "owner_uscc"),
    ("ix_tower_measures_subject", "kind, subject"),
)
"""The table's indexes (migrations): dropped while loading and built once afterwards, as a bulk load does."""


def load(url: str, table: pa.Table) -> None:
    """The rows into ``tower_measures`` with foreign keys and indexes off: PostgreSQL through ``COPY`` of
    CSV written by pyarrow, SQLite through ``executemany`` over the columns, 500k rows a batch; then the
    indexes are built and the table analysed."""
    engine = make_engine(url, pool=False)
    columns = ["at", *table.column_names]
    at = "2026-11-15 00:00:00+00:00"
    table = table.add_column(0, "at", pa.array(np.full(table.num_rows, at, dtype=object), type=pa.string()))
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        if raw is None:
            raise RuntimeError("no DBAPI connection")
        cursor = raw.cursor()
        postgres = engine.dialect.name == "postgresql"
        for name, _ in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        if postgres:
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            cursor.execute("PRAGMA synchronous = OFF")
        listed = ", ".join(columns)
        for batch in table.to_batches(500_000):
            if postgres:
                sink = pa.BufferOutputStream()
                pacsv.write_csv(batch, sink, pacsv.WriteOptions(include_header=False))
                with cursor.copy(f"COPY tower_measures ({listed}) FROM STDIN (FORMAT csv)") as copy:  # type: ignore[attr-defined]
                    copy.write(sink.getvalue().to_pybytes())
            else:
                marks = ", ".join("?" for _ in columns)
                data = batch.to_pydict()
                cursor.executemany(
                    f"INSERT INTO tower_measures ({listed}) VALUES ({marks})",  # noqa: S608
                    zip(*(data[c] for c in columns), strict=True),
                )
            raw.commit()
        for name, cols in INDEXES:
            cursor.execute(f"CREATE INDEX {name} ON tower_measures ({cols})")
        cursor.execute("ANALYZE tower_measures" if postgres else "ANALYZE")
        raw.commit()
    engine.dispose()


def descendants_cpu() -> float:
    """CPU seconds (user + system) of this process's live descendants, from ``/proc``: Spark's JVM does
    the work of a Spark query, and ``time.process_time`` sees none of it."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, stack = 0.0, [os.getpid()]
    while stack:
        pid = stack.pop()
        try:
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
            if pid != os.getpid():
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, ValueError):
            continue
    return total


def timed(run: Any) -> tuple[float, float, Any]:
    """Wall and CPU seconds of ``run``: this process's CPU plus its descendants' (the JVM)."""
    wall, cpu = time.perf_counter(), time.process_time() + descendants_cpu()
    out = run()
    return time.perf_counter() - wall, time.process_time() + descendants_cpu() - cpu, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument(
        "--parquet-only",
        action="store_true",
        help="DuckDB and Spark over the Parquet file only: no database load, no sqlglot/raw runs",
    )
    args = parser.parse_args()
    started_load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        log(f"generating {args.rows:,} measures")
        table = generate(args.rows)
        parquet = folder / "tower_measures.parquet"
        pq.write_table(table, parquet)
        parties = folder / "tower_shipment_parties.parquet"
        pq.write_table(
            pa.table({"waybill_id": pa.array([], pa.string()), "uscc": pa.array([], pa.string())}), parties
        )
        views = {
            "tower_measures": View((parquet,), tuple(table.column_names)),
            "tower_shipment_parties": View((parties,), ("waybill_id", "uscc")),
        }
        with scratch_database(folder) as url:
            log("loading the database")
            t0 = time.perf_counter()
            if not args.parquet_only:
                load(url, table)
            load_s = time.perf_counter() - t0
            engine = make_engine(url)
            sessions = make_sessionmaker(engine)
            f = KpiFilter(KINDS, group_by=("corridor", "mode"))
            samples: dict[str, tuple[list[float], list[float]]] = {}
            results: dict[str, Any] = {}

            def record(name: str, run: Any) -> Any:
                wall, cpu, out = timed(run)
                samples.setdefault(name, ([], []))
                samples[name][0].append(wall)
                samples[name][1].append(cpu)
                return out

            limits = EngineLimits(memory_mb=2048, threads=2, timeout_s=3600, max_output_rows=100_000)
            with sessions() as session:
                for i in range(args.repeat):
                    log(f"round {i + 1}")
                    if not args.parquet_only:
                        got = record("sqlglot", lambda: engines.on_session(session, f))
                        raw_rows = record("raw", lambda: session.execute(text(RAW)).all())
                        if len(raw_rows) != sum(len(v) for v in got.values()):
                            raise RuntimeError("the two queries disagree")
                    record("duckdb", lambda: engines.on_engine("duckdb", views, f, limits))
                    if not args.no_spark:
                        record("spark", lambda: engines.on_engine("spark", views, f, limits))
            if not args.no_spark:
                get_engine("spark").stop()  # type: ignore[attr-defined]
            for name, (wall, cpu) in samples.items():
                results[name] = percentiles(wall, cpu)
            if "sqlglot" in results:
                results["ratio_p95_sqlglot_over_raw"] = round(
                    results["sqlglot"]["p95_ms"] / results["raw"]["p95_ms"], 3
                )
                results["target_ratio"] = TARGET
            if "spark" in results:
                results["ratio_p95_spark_over_duckdb"] = round(
                    results["spark"]["p95_ms"] / results["duckdb"]["p95_ms"], 3
                )
            report = {
                "machine": {
                    **machine(engine),
                    "load_average_1_5_15_at_start": [round(x, 2) for x in started_load],
                    "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],
                },
                "rows": args.rows,
                "repeat": args.repeat,
                "load_seconds": None if args.parquet_only else round(load_s, 1),
                "parquet_only": args.parquet_only,
                "cpu_note": "cpu_* include the CPU of this process's descendants (Spark's JVM)",
                "query": "all 17 kinds of measure by corridor and mode (count, sum, p50, p90, shipments)",
                "results": results,
            }
            engine.dispose()
            out = write("tower_kpi-parquet" if args.parquet_only else "tower_kpi", report)
            log(f"wrote {out}: {results}")


if __name__ == "__main__":
    main()
