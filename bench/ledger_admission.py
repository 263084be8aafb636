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

Baseline in the same run: canonical JSON (``leaf_input_of``) and SHA-256 leaf hash of the same number of
entries in memory, one process; ``baseline_over_admission`` = how many times slower admission is.

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

from logispace.core.db import committing, make_engine, make_sessionmaker
from logispace.domains import ledger
from logispace.domains.ledger import repository, service
from logispace.domains.ledger.audit import audit

CLIENTS = int(os.environ.get("LOGISPACE_BENCH_CLIENTS", "8"))
PER_CLIENT = int(os.environ.get("LOGISPACE_BENCH_PER_CLIENT", "500"))
SLOW_HOLD_S = 0.1


def _settings(url: str) -> Any:
    return benchkit.bench_settings(url).model_copy(update={"ledger_sequencer": "off"})


def client(url: str, number: int, count: int, ready: Any, start: Any, out: Any) -> None:
    """Append ``count`` entries, one transaction each; put the latencies (seconds) on ``out``."""
    settings = _settings(url)
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    with sessions() as session, committing(session):  # connect and open the key before the clock
        service.append(
            session, kind="bench.warm", subject=f"warm-{number}", payload={}, actor=None, settings=settings
        )
    ready.put(number)
    start.wait()
    latencies = []
    for i in range(count):
        kind, subject, body, actor = benchkit.entry(number * 1_000_000 + i)
        began = time.perf_counter()
        with sessions() as session, committing(session):
            service.append(session, kind=kind, subject=subject, payload=body, actor=actor, settings=settings)
        latencies.append(time.perf_counter() - began)
    engine.dispose()
    out.put(latencies)


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


def scenario(url: str, slow_transactions: int) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    start, stop, out, slow_out, ready = ctx.Event(), ctx.Event(), ctx.Queue(), ctx.Queue(), ctx.Queue()
    workers = [
        ctx.Process(target=client, args=(url, n, PER_CLIENT, ready, start, out)) for n in range(CLIENTS)
    ]
    holders = [
        ctx.Process(target=slow, args=(url, 100 + n, stop, slow_out)) for n in range(slow_transactions)
    ]
    for p in workers + holders:
        p.start()
    for _ in workers:  # every client has connected and opened the key
        ready.get()
    time.sleep(1 if slow_transactions else 0)  # the holders are appending before the clock starts
    began = time.perf_counter()
    start.set()
    latencies: list[float] = []
    for _ in workers:
        latencies.extend(out.get())
    elapsed = time.perf_counter() - began
    stop.set()
    slow_done = sum(slow_out.get() for _ in holders)
    for p in workers + holders:
        p.join()
    total = CLIENTS * PER_CLIENT
    return {
        "clients": CLIENTS,
        "appends_per_client": PER_CLIENT,
        "appends": total,
        "seconds": round(elapsed, 3),
        "appends_per_s": round(total / elapsed, 1),
        "latency": benchkit.percentiles(latencies),
        "p99_ms": round(sorted(latencies)[int(len(latencies) * 0.99) - 1] * 1000, 2),
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
