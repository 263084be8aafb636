"""Ledger admission throughput (存证受理吞吐, issue 16): appends/s from 8 concurrent clients, each append its
own business transaction (``service.append`` then commit: one INSERT, a signed entry timestamp, COMMIT).

Clients are processes (8 by default, ``LOGISPACE_BENCH_CLIENTS``), each with its own connection, each
appending ``LOGISPACE_BENCH_PER_CLIENT`` entries (default 500). Two scenarios:

* ``plain``: only the 8 clients;
* ``with_slow_transactions``: two more processes keep appending in transactions that wait 100 ms
  after their append before committing (their admitted rows are uncommitted all that time); only
  the 8 clients' figures are counted.

The sequencer is off while clients admit (``ledger_sequencer = "off"``); afterwards ``ledger.integrate``
integrates everything and the audit checks the log (the count must equal what was admitted).

Each scenario is ``LOGISPACE_BENCH_ROUNDS`` (default 5) timed rounds by the same client processes;
the result is the median round (by appends/s), with every round's rate and p99 beside it and the
clients' CPU time per append: on this 2-CPU virtual machine the same work takes from 0.8 to 2.3 ms of
client CPU per append from one minute to the next (runs ranged from 557 to 1,482 appends/s), so one
short round says little. Before each round the server is checkpointed (``CHECKPOINT``, when the
bench's user may): a checkpoint begun by creating the scratch database is not what is measured.

Baselines in the same run: the database's own cost of the same work (``raw_database_same_rows``: 8
psycopg clients, one INSERT ... RETURNING and COMMIT per entry of the same rows, into a copy of the
table; ``raw_over_admission`` = how many times faster it is than admission); canonical JSON
(``leaf_input_of``) and SHA-256 leaf hash of the same number of entries in memory, one process;
``baseline_over_admission`` = how many times slower admission is.

Writes ``bench/results/ledger_admission-<backend>.json`` with p50/p99 admission latency (append + commit)
and the load average at start and end (the machine is shared).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import benchkit
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from logispace.core.db import committing, make_engine, make_sessionmaker
from logispace.domains import ledger
from logispace.domains.ledger import repository, service
from logispace.domains.ledger.audit import audit

CLIENTS = int(os.environ.get("LOGISPACE_BENCH_CLIENTS", "8"))
PER_CLIENT = int(os.environ.get("LOGISPACE_BENCH_PER_CLIENT", "500"))
SLOW_HOLD_S = 0.1
ROUNDS = int(os.environ.get("LOGISPACE_BENCH_ROUNDS", "5"))


def _settings(url: str) -> Any:
    return benchkit.bench_settings(url).model_copy(update={"ledger_sequencer": "off"})


def client(url: str, number: int, count: int, ready: Any, starts: list[Any], out: Any) -> None:
    """Append ``count`` entries per round, one transaction each; put each round's latencies (seconds)
    and this process's CPU seconds on ``out``."""
    settings = _settings(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions() as session, committing(session):  # connect and open the key before the clock
        service.append(
            session, kind="bench.warm", subject=f"warm-{number}", payload={}, actor=None, settings=settings
        )
    for round_number, start in enumerate(starts):
        ready.put(number)
        start.wait()
        latencies = []
        cpu = time.process_time()
        for i in range(count):
            kind, subject, body, actor = benchkit.entry((round_number * 100 + number) * 1_000_000 + i)
            began = time.perf_counter()
            with sessions() as session, committing(session):
                service.append(
                    session, kind=kind, subject=subject, payload=body, actor=actor, settings=settings
                )
            latencies.append(time.perf_counter() - began)
        out.put((latencies, time.process_time() - cpu))
    engine.dispose()


def raw_client(url: str, number: int, count: int, ready: Any, starts: list[Any], out: Any) -> None:
    """The database's own cost of the same work: psycopg, no ORM, one INSERT ... RETURNING and COMMIT
    per entry of the same rows (computed before the clock) into a copy of the entries table."""
    import psycopg

    conn = psycopg.connect(make_url(url).set(drivername="postgresql").render_as_string(hide_password=False))
    for round_number, start in enumerate(starts):
        now = datetime.now(UTC)
        rows = []
        for i in range(count):
            kind, subject, body, actor = benchkit.entry((round_number * 100 + number) * 1_000_000 + i)
            data = service.leaf_input_of(kind, subject, body, actor, now)
            rows.append((kind, subject, now, data, hashlib.sha256(b"\x00" + data).digest()))
        ready.put(number)
        start.wait()
        latencies = []
        cpu = time.process_time()
        for row in rows:
            began = time.perf_counter()
            with conn.transaction():
                conn.execute(RAW_INSERT, row).fetchone()
            latencies.append(time.perf_counter() - began)
        out.put((latencies, time.process_time() - cpu))
    conn.close()


RAW_TABLE = "bench_raw_entries"
RAW_INSERT = (
    "INSERT INTO bench_raw_entries (kind, subject, recorded_at, leaf_input, leaf_hash) "
    "VALUES (%s, %s, %s, %s, %s) RETURNING entry_id"
)


def slow(url: str, number: int, stop: Any, out: Any) -> None:
    """Append in transactions that hold 100 ms before committing, until ``stop`` is set."""
    settings = _settings(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    done = 0
    while not stop.is_set():
        with sessions() as session, committing(session):
            service.append(
                session,
                kind="bench.slow",
                subject=f"slow-{number}-{done}",
                payload={},
                actor=None,
                settings=settings,
            )
            time.sleep(SLOW_HOLD_S)
        done += 1
    engine.dispose()
    out.put(done)


def checkpoint(url: str) -> bool:
    """Flush the server's dirty pages before a timed round (PostgreSQL, superuser), so that it does not
    measure a checkpoint that creating the scratch database or an earlier round started."""
    if not url.startswith("postgresql"):
        return False
    engine = make_engine(url, pool=False)
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("CHECKPOINT")
    except DBAPIError:
        return False
    finally:
        engine.dispose()
    return True


def scenario(url: str, slow_transactions: int, target: Any = None) -> dict[str, Any]:
    """``ROUNDS`` timed rounds by the same client processes; the figures of the median round (by
    appends/s) and every round's rate, since the machine's speed varies between rounds."""
    ctx = multiprocessing.get_context("spawn")
    starts, stop, out, slow_out, ready = (
        [ctx.Event() for _ in range(ROUNDS)],
        ctx.Event(),
        ctx.Queue(),
        ctx.Queue(),
        ctx.Queue(),
    )
    workers = [
        ctx.Process(target=target or client, args=(url, n, PER_CLIENT, ready, starts, out))
        for n in range(CLIENTS)
    ]
    holders = [
        ctx.Process(target=slow, args=(url, 100 + n, stop, slow_out)) for n in range(slow_transactions)
    ]
    for p in workers + holders:
        p.start()
    rounds: list[dict[str, Any]] = []
    for start in starts:
        for _ in workers:  # every client has connected, opened the key and finished its last round
            ready.get()
        checkpointed = checkpoint(url)
        time.sleep(1 if slow_transactions else 0)  # the holders are appending before the clock starts
        began = time.perf_counter()
        start.set()
        latencies: list[float] = []
        cpu = 0.0
        for _ in workers:
            got, seconds = out.get()
            latencies.extend(got)
            cpu += seconds
        elapsed = time.perf_counter() - began
        total = CLIENTS * PER_CLIENT
        benchkit.log(f"  round {len(rounds) + 1}: {total / elapsed:.1f}/s")
        rounds.append(
            {
                "appends": total,
                "seconds": round(elapsed, 3),
                "appends_per_s": round(total / elapsed, 1),
                "latency": benchkit.percentiles(latencies),
                "p99_ms": round(sorted(latencies)[int(len(latencies) * 0.99) - 1] * 1000, 2),
                "client_cpu_ms_per_append": round(cpu / total * 1000, 3),
                "checkpoint_before": checkpointed,
            }
        )
    stop.set()
    slow_done = sum(slow_out.get() for _ in holders)
    for p in workers + holders:
        p.join()
    median = sorted(rounds, key=lambda r: r["appends_per_s"])[len(rounds) // 2]
    return {
        "clients": CLIENTS,
        "appends_per_client": PER_CLIENT,
        "rounds": len(rounds),
        **median,
        "appends_per_s_each_round": [r["appends_per_s"] for r in rounds],
        "p99_ms_each_round": [r["p99_ms"] for r in rounds],
        "slow_transactions": slow_transactions,
        "slow_transactions_committed": slow_done,
    }


def baseline(count: int) -> dict[str, Any]:
    now = datetime.now(UTC)
    entries = [benchkit.entry(i) for i in range(count)]
    with benchkit.Stopwatch() as watch:
        for k, s, p, a in entries:
            hashlib.sha256(b"\x00" + service.leaf_input_of(k, s, p, a, now)).digest()
    return {"entries": count, "seconds": round(watch.wall, 4), "entries_per_s": round(count / watch.wall)}


def main() -> int:
    results: dict[str, Any] = {"benchmark": "ledger_admission"}
    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        engine = make_engine(url)
        results["machine"] = benchkit.machine(engine)
        benchkit.log(f"plain: {CLIENTS} clients x {PER_CLIENT}")
        results["plain"] = scenario(url, 0)
        benchkit.log("with two clients holding 100 ms transactions")
        results["with_slow_transactions"] = scenario(url, 2)
        if engine.dialect.name == "postgresql":
            benchkit.log(f"raw psycopg: {CLIENTS} clients x {PER_CLIENT}, the same rows")
            with engine.begin() as conn:
                conn.exec_driver_sql(f"CREATE TABLE {RAW_TABLE} (LIKE ledger_entries INCLUDING ALL)")
            results["raw_database_same_rows"] = scenario(url, 0, raw_client)
            results["plain"]["raw_over_admission"] = round(
                results["raw_database_same_rows"]["appends_per_s"] / results["plain"]["appends_per_s"], 2
            )
            with engine.begin() as conn:
                conn.exec_driver_sql(f"DROP TABLE {RAW_TABLE}")
        base = baseline(CLIENTS * PER_CLIENT)
        results["baseline_leaf_input_and_sha256"] = base
        for name in ("plain", "with_slow_transactions"):
            results[name]["baseline_over_admission"] = round(
                base["entries_per_s"] / results[name]["appends_per_s"], 1
            )
        benchkit.log("integrating and auditing")
        with make_sessionmaker(engine)() as session, committing(session):
            with benchkit.Stopwatch() as watch:
                done = ledger.integrate(session, settings=_settings(url))
            results["integration_after"] = {"entries": done.count, "seconds": round(watch.wall, 3)}
        with make_sessionmaker(engine)() as session:
            admitted = session.scalar(
                repository.select(repository.func.count()).select_from(repository.ENTRIES)
            )
            size = repository.tree_size(session)
            checked = audit(session)
        if admitted != size or not checked.ok:
            raise RuntimeError(f"admitted {admitted}, integrated {size}, audit {checked}")
        results["final_tree_size"] = size
        results["load_average_1_5_15_at_end"] = [round(x, 2) for x in os.getloadavg()]
        results["targets"] = {"appends_per_s": 1000, "p99_ms": 20}
        engine.dispose()
    print(benchkit.write("ledger_admission", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
