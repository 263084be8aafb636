"""Fixed cost of a query under a grant (授权查询固定开销): what ``access.usage.run_sql`` adds per query.

On a tiny granted table (``--rows``, default 2,000 generated waybills) a group-by query costs DuckDB well
under a millisecond, so what the grant path costs is nearly all fixed cost: grant, ε and usage-policy
checks, the delivery engine's parse, check and rewrite with sqlglot, the pooled sealed DuckDB connection,
output control, result hashing, the meter update, the ``access.delivered`` ledger entry and the commit.
Per query, medians of wall and of this process's CPU milliseconds (DuckDB's threads included) of:

* ``grant``: ``usage.run_sql`` in its own session and committed transaction (as the API runs it);
* ``engine``: ``delivery.run_sql`` alone over the same granted table;
* ``raw``: the same SQL on an open DuckDB connection over the same stored Parquet.

``grant - raw`` is the fixed cost; ``grant - engine`` what the access domain adds around the engine. Each
is measured with the same SQL text every time (``repeated``: a dashboard asking again) and with a new
text every query (``fresh``: a different alias each time, so nothing about the text is known before).

``--before REV`` measures the grant path of commit ``REV`` (its ``src`` from ``git archive``) and of this
tree in the same run: child processes, alternating, ``--rounds`` of each, each in its own scratch database
(SQLite; PostgreSQL when ``LOGISPACE_BENCH_DATABASE_URL`` names a server). Writes
``bench/results/access_grant_fixed_cost-<backend>.json``. The end-to-end figure at 10M rows is
``bench/access_grant_query.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SQL = "SELECT city, COUNT(*) AS n, SUM(weight_kg) AS kg FROM waybills GROUP BY city"
FRESH = "SELECT city, COUNT(*) AS n{i}, SUM(weight_kg) AS kg FROM waybills GROUP BY city"


def _timed(run: Callable[[int], Any], queries: int) -> dict[str, float]:
    walls, cpus = [], []
    for i in range(queries):
        wall, cpu = time.perf_counter(), time.process_time()
        run(i)
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return {
        "wall_ms": round(statistics.median(walls) * 1000, 3),
        "cpu_ms": round(statistics.median(cpus) * 1000, 3),
    }


def child(rows: int, queries: int) -> dict[str, Any]:
    """Measure this interpreter's ``logispace`` (whichever ``src`` is first on the path)."""
    import benchkit
    import duckdb
    from access_grant_query import make_parquet, setup

    from logispace.core.config import get_settings
    from logispace.core.db import committing, make_engine, make_sessionmaker
    from logispace.domains.access import SqlCreate, delivery, request_service, usage_service

    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        os.environ["LOGISPACE_LEDGER_MASTER_KEY"] = benchkit.MASTER_KEY
        os.environ["LOGISPACE_OBJECTS_DIR"] = str(Path(tmp) / "objects")
        os.environ["LOGISPACE_DATABASE_URL"] = url
        get_settings.cache_clear()
        settings = get_settings()
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        parquet = Path(tmp) / "waybills.parquet"
        make_parquet(parquet, rows)
        user, grant_id = setup(sessions, settings, parquet)
        with sessions() as session:
            grant = request_service.visible_grant(session, user, grant_id)
            tables = usage_service.granted_tables(session, settings, grant)
        output = delivery.OutputPolicy(True, 10, None, 0.0)
        stored = ", ".join(f"'{path}'" for path in tables[0].parquet_paths)
        raw = duckdb.connect()
        raw.execute(f"CREATE VIEW waybills AS SELECT * FROM read_parquet([{stored}])")  # noqa: S608 - own files

        def text(fresh: bool, i: int) -> str:
            return FRESH.format(i=i) if fresh else SQL

        def grant_run(fresh: bool) -> Callable[[int], Any]:
            def run(i: int) -> Any:
                with sessions() as session, committing(session):
                    body = SqlCreate(sql=text(fresh, i))
                    return usage_service.run_sql(session, user, grant_id, body, settings)

            return run

        def engine_run(fresh: bool) -> Callable[[int], Any]:
            return lambda i: delivery.run_sql(text(fresh, i), tables, output, delivery.Limits())

        def raw_run(fresh: bool) -> Callable[[int], Any]:
            return lambda i: raw.execute(text(fresh, i)).fetchall()

        result: dict[str, Any] = {}
        for label, fresh in (("repeated", False), ("fresh", True)):
            for warm in (grant_run, engine_run, raw_run):
                warm(fresh)(10**6)  # first use: imports, pooled connection, the statement caches
            offset = queries * 10 if fresh else 0  # no text of the warm-up or another path reused
            timed = {
                "grant": _timed(lambda i, f=fresh, o=offset: grant_run(f)(i + o), queries),
                "engine": _timed(lambda i, f=fresh, o=offset: engine_run(f)(i + 2 * o), queries),
                "raw": _timed(lambda i, f=fresh, o=offset: raw_run(f)(i + 3 * o), queries),
            }
            result[label] = {
                **timed,
                "fixed_cpu_ms": round(timed["grant"]["cpu_ms"] - timed["raw"]["cpu_ms"], 3),
                "fixed_wall_ms": round(timed["grant"]["wall_ms"] - timed["raw"]["wall_ms"], 3),
                "access_domain_cpu_ms": round(timed["grant"]["cpu_ms"] - timed["engine"]["cpu_ms"], 3),
                "engine_fixed_cpu_ms": round(timed["engine"]["cpu_ms"] - timed["raw"]["cpu_ms"], 3),
            }
        result["machine"] = benchkit.machine(engine)
        engine.dispose()
    return result


def _source_of(rev: str, folder: Path) -> Path:
    """``src`` of commit ``rev``, extracted into ``folder``."""
    archive = folder / "src.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, stdout=out, check=True)  # noqa: S603, S607
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def _commit_of(rev: str) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", rev], cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
    return done.stdout.strip() or rev


def _run_child(src: Path, rows: int, queries: int) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{BENCH}"}
    done = subprocess.run(  # noqa: S603 - this interpreter and this script
        [sys.executable, __file__, "--child", "--rows", str(rows), "--queries", str(queries)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _median_of(runs: list[dict[str, Any]], label: str, path: str, key: str) -> float:
    return round(statistics.median(r[label][path][key] for r in runs), 3)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=200, help="queries per path and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", help="a commit to measure against this tree, alternating")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rows, args.queries)))
        return 0
    import benchkit

    trees = {"after": ROOT / "src"}
    with tempfile.TemporaryDirectory() as tmp:
        if args.before:
            trees = {"before": _source_of(args.before, Path(tmp)), **trees}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
        load_start = [round(x, 2) for x in os.getloadavg()]
        for round_no in range(args.rounds):
            for name, src in trees.items():
                runs[name].append(_run_child(src, args.rows, args.queries))
                fixed = runs[name][-1]["repeated"]["fixed_cpu_ms"]
                benchkit.log(f"round {round_no + 1} {name}: fixed cost {fixed} CPU ms (repeated SQL)")
    results: dict[str, Any] = {
        "benchmark": "access_grant_fixed_cost",
        "machine": runs["after"][0]["machine"],
        "rows": args.rows,
        "queries_per_round": args.queries,
        "rounds": args.rounds,
        "before_commit": _commit_of(args.before) if args.before else None,
        "load_average_1_5_15_at_start": load_start,
        "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],
        "cpu_count": os.cpu_count(),
        "sql": SQL,
        "fresh_sql": FRESH,
    }
    for name, tree_runs in runs.items():
        summary: dict[str, Any] = {}
        for label in ("repeated", "fresh"):
            summary[label] = {
                f"{path}_{key}": _median_of(tree_runs, label, path, key)
                for path in ("grant", "engine", "raw")
                for key in ("cpu_ms", "wall_ms")
            }
            for key in ("fixed_cpu_ms", "fixed_wall_ms", "access_domain_cpu_ms", "engine_fixed_cpu_ms"):
                summary[label][key] = round(statistics.median(r[label][key] for r in tree_runs), 3)
        rounds = [{k: v for k, v in r.items() if k != "machine"} for r in tree_runs]
        results[name] = {"median_of_rounds": summary, "rounds": rounds}
    results["note"] = (
        "per-query medians within a round, then the median of the rounds; *_cpu_ms = this process's CPU "
        "(DuckDB's threads included), the figure to read on the shared machine; fixed = grant - raw, "
        "access_domain = grant - engine, engine_fixed = engine - raw"
    )
    out = benchkit.write("access_grant_fixed_cost", results)
    print(json.dumps({k: v["median_of_rounds"] for k, v in results.items() if k in trees}, indent=2))
    benchkit.log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
