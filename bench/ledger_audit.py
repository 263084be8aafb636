"""Ledger audit time (存证审计): ``audit.audit`` over a stored log, per 100k entries.

The log grows in one scratch database through the repository's own append (``benchkit.fill``) to
each size of ``SIZES``; at each size the audit recomputes every leaf hash, subtree and tree head
from storage. Baseline in the same run: recomputing the root in memory from the same leaf inputs
(SHA-256 leaf hashes into a ``CompactRange``), nothing read from the database. At the first size
the script also times the audit at other batch sizes, and the previous implementation (one
``session.get`` per interior node), kept here only as a reference point.

Writes ``bench/results/ledger_audit-<backend>.json``. Environment: ``LOGISPACE_BENCH_DATABASE_URL``
(PostgreSQL server database, else SQLite), ``LOGISPACE_BENCH_AUDIT_SIZES`` (default
``100000,1000000``).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import benchkit
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.ledger import repository
from logispace.domains.ledger.audit import AuditResult, audit
from logispace.domains.ledger.merkle import CompactRange, leaf_hash
from logispace.domains.ledger.models import LedgerEntry, LedgerNode, LedgerTreeHead

SIZES = [int(s) for s in os.environ.get("LOGISPACE_BENCH_AUDIT_SIZES", "100000,1000000").split(",")]
OTHER_BATCHES = (1_000, 100_000)


def previous_audit(session: Session, batch: int = 10_000) -> AuditResult:
    """The audit as it was before batching (commit 4ae6ed2): one ``session.get`` per interior node."""
    size = repository.tree_size(session)
    heads = {h.tree_size: bytes(h.root_hash) for h in session.scalars(select(LedgerTreeHead))}
    rebuilt = CompactRange()
    expected_index = 0
    while expected_index < size:
        rows = session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.leaf_index >= expected_index)
            .order_by(LedgerEntry.leaf_index)
            .limit(batch)
        ).all()
        if not rows:
            break
        stored_nodes = {
            (n.level, n.node_index): bytes(n.hash)
            for n in session.scalars(
                select(LedgerNode).where(
                    LedgerNode.level == 0,
                    LedgerNode.node_index.between(rows[0].leaf_index, rows[-1].leaf_index),
                )
            )
        }

        def node(key: tuple[int, int], leaves: dict[tuple[int, int], bytes] = stored_nodes) -> bytes | None:
            if key[0] == 0:
                return leaves.get(key)
            stored = session.get(LedgerNode, key)  # one statement per interior node, as it was
            return None if stored is None else bytes(stored.hash)

        failed = benchkit.check_batch(rows, size, expected_index, rebuilt, node, heads)
        if failed is not None:
            return failed
        expected_index += len(rows)
    return AuditResult(size, None, None)


def main() -> int:
    results: dict[str, Any] = {"benchmark": "ledger_audit"}
    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        settings = benchkit.bench_settings(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        counter = benchkit.StatementCounter(engine)
        results["machine"] = benchkit.machine(engine)
        held: list[bytes] = []
        inputs: list[bytes] = []
        rows = []
        for n, size in enumerate(SIZES):
            benchkit.log(f"fill {len(held)} -> {size}")
            start = time.perf_counter()
            benchkit.fill(sessions, settings, len(held), size, held, inputs)
            fill_s = time.perf_counter() - start

            with benchkit.Stopwatch() as memory:
                rebuilt = CompactRange()
                for data in inputs:
                    rebuilt.append(leaf_hash(data))
                memory_root = rebuilt.root()
            memory_s = memory.wall

            benchkit.log(f"filled in {fill_s:.1f}s; auditing")
            with sessions() as session:
                if repository.root_at(session, size) != memory_root:
                    raise RuntimeError("stored root differs from the in-memory root")
                statements = counter.count
                with benchkit.Stopwatch() as audited:
                    result = audit(session)
                audit_s = audited.wall
                statements = counter.count - statements
            if not result.ok or result.tree_size != size:
                raise RuntimeError(f"audit failed on an untouched log: {result}")
            row: dict[str, Any] = {
                "tree_size": size,
                "fill_seconds_from_previous_size": round(fill_s, 2),
                "audit_seconds": round(audit_s, 4),
                "audit_seconds_per_100k": benchkit.per_100k(audit_s, size),
                "audit_statements": statements,
                "memory_root_seconds": round(memory_s, 4),
                "memory_root_seconds_per_100k": benchkit.per_100k(memory_s, size),
                "audit_over_memory": round(audit_s / memory_s, 2),
                "audit_cpu_seconds": round(audited.cpu, 4),
                "audit_cpu_seconds_per_100k": benchkit.per_100k(audited.cpu, size),
                "memory_root_cpu_seconds": round(memory.cpu, 4),
                "audit_over_memory_cpu": round(audited.cpu / memory.cpu, 2),
            }
            if n == 0:
                for batch in OTHER_BATCHES:
                    with sessions() as session:
                        start = time.perf_counter()
                        other = audit(session, batch=batch)
                        row[f"audit_seconds_batch_{batch}"] = round(time.perf_counter() - start, 4)
                    if not other.ok:
                        raise RuntimeError(f"audit(batch={batch}) failed: {other}")
                with sessions() as session:
                    statements = counter.count
                    with benchkit.Stopwatch() as previous:
                        old = previous_audit(session)
                    row["previous_audit_seconds"] = round(previous.wall, 4)
                    row["previous_audit_cpu_seconds"] = round(previous.cpu, 4)
                    row["previous_audit_statements"] = counter.count - statements
                if old != result:
                    raise RuntimeError(f"previous and current audit disagree: {old} vs {result}")
            rows.append(row)
            benchkit.log(f"{size}: audit {audit_s:.2f}s, in memory {memory_s:.2f}s")
        engine.dispose()
    results["sizes"] = rows
    results["note"] = (
        "audit = logispace.domains.ledger.audit.audit(batch=10000) on the stored log; memory_root = "
        "leaf_hash of the same leaf inputs into a CompactRange, in memory; previous_audit = the "
        "implementation before batching, at the first size only"
    )
    out = benchkit.write("ledger_audit", results)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    benchkit.log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
