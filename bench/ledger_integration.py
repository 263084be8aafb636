"""Ledger integration throughput (存证并入吞吐, issue 16): entries/s the sequencer integrates at 1M entries,
and the merge delay observed while clients admit.

1. ``LOGISPACE_BENCH_INTEGRATION_SIZE`` (default 1,000,000) entries are admitted (written as admission
   writes them, with ``COPY`` on PostgreSQL, ``executemany`` on SQLite; not timed), then the sequencer
   (``Sequencer.drain``, batches of ``LOGISPACE_BENCH_INTEGRATION_BATCH``, default 10,000) integrates
   them all: entries/s, wall and this process's CPU, seconds per batch (first and last), statements
   and the seconds per batch of each kind of statement (``benchkit.StatementTimer``). On PostgreSQL the
   table is analyzed after the load, as autovacuum would.
2. With the tree at that size, the sequencer runs as the server runs it (a thread, maximum merge delay
   1 s) while 4 threads admit one entry per transaction for ``LOGISPACE_BENCH_DELAY_SECONDS`` (default
   15): the largest and the p99 ``integrated_at - recorded_at`` of those entries.

Baseline in the same run: the same leaf hashes folded into a ``CompactRange`` in memory (what the
tree costs without storage). Writes ``bench/results/ledger_integration-<backend>.json`` with the
load average at start and end (the machine is shared).
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import benchkit
from sqlalchemy import select, text

from logispace.core.db import committing, make_engine, make_sessionmaker
from logispace.domains import ledger
from logispace.domains.ledger import merkle, repository, service
from logispace.domains.ledger.models import LedgerEntry

SIZE = int(os.environ.get("LOGISPACE_BENCH_INTEGRATION_SIZE", "1000000"))
BATCH = int(os.environ.get("LOGISPACE_BENCH_INTEGRATION_BATCH", "10000"))
DELAY_SECONDS = float(os.environ.get("LOGISPACE_BENCH_DELAY_SECONDS", "15"))
CHUNK = 50_000
_SETVAL = "SELECT setval(pg_get_serial_sequence('ledger_entries', 'entry_id'), :n, false)"


def admitted_rows(first: int, count: int) -> tuple[list[tuple[Any, ...]], list[bytes]]:
    now = datetime.now(UTC)
    rows, hashes = [], []
    for i in range(first, first + count):
        kind, subject, body, actor = benchkit.entry(i)
        data = service.leaf_input_of(kind, subject, body, actor, now)
        hashed = merkle.leaf_hash(data)
        rows.append((i, kind, subject, now, data, hashed))
        hashes.append(hashed)
    return rows, hashes


def admit_in_bulk(engine: Any, size: int) -> list[bytes]:
    """Write ``size`` admitted entries (no tree index) as admission writes them."""
    hashes: list[bytes] = []
    for first in range(0, size, CHUNK):
        rows, chunk_hashes = admitted_rows(first, min(CHUNK, size - first))
        hashes.extend(chunk_hashes)
        if engine.dialect.name == "postgresql":
            raw = engine.raw_connection()
            try:
                with (
                    raw.cursor() as cur,
                    cur.copy(
                        "COPY ledger_entries (entry_id, kind, subject, recorded_at, leaf_input, leaf_hash) "
                        "FROM STDIN"
                    ) as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
                raw.commit()
            finally:
                raw.close()
        else:
            with engine.begin() as conn:
                conn.execute(
                    repository.insert(repository.ENTRIES),
                    [
                        {
                            "entry_id": i,
                            "kind": k,
                            "subject": s,
                            "recorded_at": t,
                            "leaf_input": d,
                            "leaf_hash": h,
                        }
                        for i, k, s, t, d, h in rows
                    ],
                )
        benchkit.log(f"admitted {first + len(rows)}")
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('ledger_entries', 'entry_id'), :n, false)"),
                {"n": size},
            )
        # What autovacuum does within a minute of such a load: without statistics the planner
        # fetches the oldest pending entries by a bitmap scan of all of them and a sort.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE ledger_entries"))
    return hashes


def merge_delay(sessions: Any, settings: Any, seconds: float) -> dict[str, Any]:
    loop = ledger.Sequencer(sessions, settings, holder="bench")
    loop.start()
    stop = threading.Event()
    counts: list[int] = []

    def admit(number: int) -> None:
        done = 0
        while not stop.is_set():
            with sessions() as session, committing(session):
                service.append(
                    session,
                    kind="bench.delay",
                    subject=f"d-{number}-{done}",
                    payload={"n": done},
                    actor=None,
                    settings=settings,
                )
            done += 1
        counts.append(done)

    since = datetime.now(UTC)
    threads = [threading.Thread(target=admit, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    deadline = time.monotonic() + 30
    with sessions() as session:
        while (
            time.monotonic() < deadline
            and session.scalar(select(LedgerEntry.entry_id).where(LedgerEntry.leaf_index.is_(None)).limit(1))
            is not None
        ):
            session.rollback()
            time.sleep(0.1)
    loop.stop()
    with sessions() as session:
        rows = session.execute(
            select(LedgerEntry.recorded_at, LedgerEntry.integrated_at).where(
                LedgerEntry.kind == "bench.delay", LedgerEntry.recorded_at >= since
            )
        ).all()
    delays = sorted((done - admitted).total_seconds() for admitted, done in rows if done is not None)
    waiting = sum(1 for _, done in rows if done is None)
    return {
        "seconds": seconds,
        "admitting_threads": 4,
        "entries_admitted": sum(counts),
        "admitted_per_s": round(sum(counts) / seconds, 1),
        "not_integrated": waiting,
        "max_merge_delay_observed_s": round(delays[-1], 3) if delays else None,
        "p99_merge_delay_s": round(delays[int(len(delays) * 0.99) - 1], 3) if delays else None,
        "p50_merge_delay_s": round(delays[len(delays) // 2], 3) if delays else None,
        "max_merge_delay_setting_s": settings.ledger_max_merge_delay,
    }


def main() -> int:
    results: dict[str, Any] = {"benchmark": "ledger_integration", "size": SIZE, "batch": BATCH}
    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        settings = benchkit.bench_settings(url).model_copy(
            update={"ledger_sequencer": "off", "ledger_batch_size": BATCH, "ledger_max_merge_delay": 1.0}
        )
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        results["machine"] = benchkit.machine(engine)
        hashes = admit_in_bulk(engine, SIZE)
        with benchkit.Stopwatch() as base:
            merkle.CompactRange().extend(hashes)
        results["baseline_compact_range_in_memory"] = {
            "seconds": round(base.wall, 3),
            "entries_per_s": round(SIZE / base.wall),
        }
        counter = benchkit.StatementCounter(engine)
        timer = benchkit.StatementTimer(engine)
        loop = ledger.Sequencer(sessions, settings, holder="bench")
        benchkit.log(f"integrating {SIZE} in batches of {BATCH}")
        batch_seconds: list[float] = []
        with benchkit.Stopwatch() as watch:
            while True:
                began = time.perf_counter()
                done = loop.run_once()
                if not done.count:
                    break
                batch_seconds.append(time.perf_counter() - began)
        results["integration"] = {
            "entries": loop.integrated,
            "seconds": round(watch.wall, 3),
            "entries_per_s": round(loop.integrated / watch.wall, 1),
            "cpu_seconds": round(watch.cpu, 3),
            "batches": len(batch_seconds),
            "first_batch_s": round(batch_seconds[0], 3),
            "last_batch_s": round(batch_seconds[-1], 3),
            "statements_per_batch": round(counter.count / max(1, len(batch_seconds)), 1),
            "statements_per_batch_note": "SQLAlchemy statements; on PostgreSQL one COPY of the subtrees more",
            "seconds_per_batch_by_statement": timer.report(max(1, len(batch_seconds)))[:6],
            "target_entries_per_s": 20_000,
        }
        results["integration"]["baseline_over_integration"] = round(
            results["baseline_compact_range_in_memory"]["entries_per_s"]
            / results["integration"]["entries_per_s"],
            1,
        )
        benchkit.log("merge delay under admission load")
        results["merge_delay"] = merge_delay(sessions, settings, DELAY_SECONDS)
        with sessions() as session:
            size = repository.tree_size(session)
            if (
                size
                != SIZE
                + results["merge_delay"]["entries_admitted"]
                - results["merge_delay"]["not_integrated"]
            ):
                raise RuntimeError(f"tree size {size} is not what was admitted")
        results["final_tree_size"] = size
        results["load_average_1_5_15_at_end"] = [round(x, 2) for x in os.getloadavg()]
        engine.dispose()
    print(benchkit.write("ledger_integration", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
