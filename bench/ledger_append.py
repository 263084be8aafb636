"""Ledger append throughput (存证写入吞吐): one entry per transaction, and batches per transaction.

Each mode commits real transactions on a migrated scratch database through ``service.append`` /
``service.append_many`` (canonical JSON, leaf hash, advisory lock on PostgreSQL, signing key,
entry + subtree + signed tree head rows, a receipt with its audit path per entry, commit). The
baseline in the same run is the CPU floor of the same entries: ``leaf_input_of`` (RFC 8785) plus
the SHA-256 leaf hash with hashlib, nothing stored.

Writes ``bench/results/ledger_append-<backend>.json``; entries/s per mode and the ratio to the
baseline (how many times slower than only hashing the payloads).

Environment: ``LOGISPACE_BENCH_DATABASE_URL`` (PostgreSQL server database, else SQLite),
``LOGISPACE_BENCH_SINGLE`` (entries appended one per transaction, default 2000),
``LOGISPACE_BENCH_BATCHED`` (entries per batched mode, default 20000).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import benchkit

from logispace.core.db import committing, make_engine, make_sessionmaker
from logispace.domains import ledger
from logispace.domains.ledger import repository, service
from logispace.domains.ledger.audit import audit

SINGLE = int(os.environ.get("LOGISPACE_BENCH_SINGLE", "2000"))
BATCHED = int(os.environ.get("LOGISPACE_BENCH_BATCHED", "20000"))
BATCH_SIZES = (100, 1000)


def baseline(first: int, count: int) -> dict[str, Any]:
    """Canonical JSON + SHA-256 leaf hash of the same entries, in memory."""
    now = datetime.now(UTC)
    entries = [benchkit.entry(i) for i in range(first, first + count)]
    with benchkit.Stopwatch() as canonical:
        inputs = [service.leaf_input_of(k, s, p, a, now) for k, s, p, a in entries]
    with benchkit.Stopwatch() as hashing:
        for data in inputs:
            hashlib.sha256(b"\x00" + data).digest()
    canonical_s, hash_s = canonical.wall, hashing.wall
    total = canonical_s + hash_s
    return {
        "entries": count,
        "seconds": round(total, 4),
        "entries_per_s": round(count / total),
        "cpu_seconds": round(canonical.cpu + hashing.cpu, 4),
        "entries_per_cpu_s": round(count / (canonical.cpu + hashing.cpu)),
        "canonical_json_seconds": round(canonical_s, 4),
        "sha256_seconds": round(hash_s, 4),
        "sha256_only_entries_per_s": round(count / hash_s),
        "mean_leaf_input_bytes": round(sum(map(len, inputs)) / count, 1),
    }


def main() -> int:
    results: dict[str, Any] = {"benchmark": "ledger_append"}
    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        settings = benchkit.bench_settings(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        counter = benchkit.StatementCounter(engine)
        results["machine"] = benchkit.machine(engine)
        modes: dict[str, Any] = {}
        next_entry = 0

        # One entry per transaction: service.append, then commit.
        benchkit.log(f"single: {SINGLE} transactions")
        start_size, statements = next_entry, counter.count
        with benchkit.Stopwatch() as watch:
            for i in range(SINGLE):
                kind, subject, body, actor = benchkit.entry(next_entry + i)
                with sessions() as session, committing(session):
                    service.append(
                        session, kind=kind, subject=subject, payload=body, actor=actor, settings=settings
                    )
        elapsed = watch.wall
        next_entry += SINGLE
        modes["single"] = {
            "entries_per_transaction": 1,
            "transactions": SINGLE,
            "entries": SINGLE,
            "tree_size_before": start_size,
            "seconds": round(elapsed, 4),
            "entries_per_s": round(SINGLE / elapsed, 1),
            "ms_per_transaction": round(elapsed / SINGLE * 1000, 4),
            "statements_per_transaction": round((counter.count - statements) / SINGLE, 2),
            "cpu_seconds": round(watch.cpu, 4),
            "entries_per_cpu_s": round(SINGLE / watch.cpu, 1),
        }

        for size in BATCH_SIZES:
            transactions = max(1, BATCHED // size)
            benchkit.log(f"batched {size}: {transactions} transactions")
            start_size, statements = next_entry, counter.count
            with benchkit.Stopwatch() as watch:
                for t in range(transactions):
                    first = next_entry + t * size
                    with sessions() as session, committing(session):
                        service.append_many(
                            session, [benchkit.entry(i) for i in range(first, first + size)], settings
                        )
            elapsed = watch.wall
            count = transactions * size
            next_entry += count
            modes[f"batched_{size}"] = {
                "entries_per_transaction": size,
                "transactions": transactions,
                "entries": count,
                "tree_size_before": start_size,
                "seconds": round(elapsed, 4),
                "entries_per_s": round(count / elapsed, 1),
                "ms_per_transaction": round(elapsed / transactions * 1000, 4),
                "statements_per_transaction": round((counter.count - statements) / transactions, 2),
                "cpu_seconds": round(watch.cpu, 4),
                "entries_per_cpu_s": round(count / watch.cpu, 1),
            }

        benchkit.log("baseline")
        base = baseline(0, max(BATCHED, SINGLE))
        for mode in modes.values():
            mode["baseline_over_mode"] = round(base["entries_per_s"] / mode["entries_per_s"], 1)
            mode["baseline_over_mode_cpu"] = round(base["entries_per_cpu_s"] / mode["entries_per_cpu_s"], 1)

        with sessions() as session, committing(session):  # the appends only admitted: integrate them
            ledger.integrate(session, settings=settings)
        with sessions() as session:
            final_size = repository.tree_size(session)
            checked = audit(session)
        if final_size != next_entry or not checked.ok:
            raise RuntimeError(f"the log is not what was appended: {final_size} entries, audit {checked}")
        engine.dispose()

    results["sizes"] = {"single": SINGLE, "batched_per_mode": BATCHED, "batch_sizes": list(BATCH_SIZES)}
    results["final_tree_size"] = final_size
    results["baseline_leaf_input_and_sha256"] = base
    results["modes"] = modes
    results["note"] = (
        "baseline_over_mode = baseline entries/s divided by the mode's entries/s (x times slower than "
        "only building the canonical leaf inputs and hashing them); every mode commits each transaction; "
        "*_cpu figures use this process's CPU time (on PostgreSQL they leave out the server's work)"
    )
    out = benchkit.write("ledger_append", results)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    benchkit.log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
