"""Ledger audit with column and signature checks (存证审计, issue 16 point 4): before and after.

``audit.audit`` now also decodes every leaf input to check the stored ``kind``, ``subject``,
``recorded_at`` and ``actor_party_id`` columns against it, and verifies every signed tree head's
signature under the published key it names. Baseline in the same run: the audit as it was before
(``audit_before``, kept below only as a reference point: leaf hashes, subtrees and head roots).

Two logs, each in its own scratch database, filled through the repository's own append
(``benchkit.fill``):

* ``batched``: ``LOGISPACE_BENCH_AUDIT_SIZE`` entries (default 100,000), one signed tree head per
  20,000 entries (the fill of ``ledger_audit.py``): what the column checks cost;
* ``head_per_entry``: ``LOGISPACE_BENCH_AUDIT_HEADED`` entries (default 20,000), one transaction and
  one signed tree head per entry, as the platform's single appends write them: what verifying
  every head's signature costs (reported per 100k entries).

Each audit runs ``ROUNDS`` times alternating before/after; medians. Writes
``bench/results/ledger_audit_columns-<backend>.json``. ``LOGISPACE_BENCH_DATABASE_URL`` names a
PostgreSQL server database (else SQLite).
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
from pathlib import Path
from typing import Any

import benchkit
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, sessionmaker

from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.ledger import repository
from logispace.domains.ledger.audit import AuditResult, audit
from logispace.domains.ledger.merkle import CompactRange
from logispace.domains.ledger.models import LedgerEntry, LedgerNode, LedgerTreeHead

SIZE = int(os.environ.get("LOGISPACE_BENCH_AUDIT_SIZE", "100000"))
HEADED = int(os.environ.get("LOGISPACE_BENCH_AUDIT_HEADED", "20000"))
ROUNDS = int(os.environ.get("LOGISPACE_BENCH_AUDIT_ROUNDS", "3"))


def audit_before(session: Session, batch: int = 10_000) -> AuditResult:
    """The audit before issue 16 (commit 46f9c44): hashes, subtrees and head roots; no columns, no
    signatures."""
    size = repository.tree_size(session)
    rebuilt = CompactRange()
    expected_index = 0
    while expected_index < size:
        rows = session.execute(
            select(LedgerEntry.leaf_index, LedgerEntry.leaf_input, LedgerEntry.leaf_hash)
            .where(LedgerEntry.leaf_index >= expected_index, LedgerEntry.leaf_index < size)
            .order_by(LedgerEntry.leaf_index)
            .limit(batch)
        ).all()
        if not rows:
            return AuditResult(size, expected_index, "entry missing")
        first, last = rows[0].leaf_index, rows[-1].leaf_index
        ranges = []
        for level in range((last + 1).bit_length()):
            lo = -(-(first + 1) >> level) - 1
            hi = ((last + 1) >> level) - 1
            if lo <= hi:
                ranges.append(and_(LedgerNode.level == level, LedgerNode.node_index.between(lo, hi)))
        stored_nodes = {
            (lv, ix): bytes(h)
            for lv, ix, h in session.execute(
                select(LedgerNode.level, LedgerNode.node_index, LedgerNode.hash).where(or_(*ranges))
            )
        }
        heads = {
            tree_size: bytes(root)
            for tree_size, root in session.execute(
                select(LedgerTreeHead.tree_size, LedgerTreeHead.root_hash).where(
                    LedgerTreeHead.tree_size.between(first + 1, last + 1)
                )
            )
        }
        failed = benchkit.check_batch(rows, size, expected_index, rebuilt, stored_nodes.get, heads)
        if failed is not None:
            return failed
        expected_index += len(rows)
    return AuditResult(size, None, None)


def compare(sessions: sessionmaker[Session], size: int) -> dict[str, Any]:
    """Median wall and CPU seconds of the audit before and after, alternating, ``ROUNDS`` times."""
    samples: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
    heads = 0
    for _ in range(ROUNDS):
        for name, run in (("before", audit_before), ("after", audit)):
            with sessions() as session, benchkit.Stopwatch() as watch:
                result = run(session)
            if not result.ok or result.tree_size != size:
                raise RuntimeError(f"{name} audit failed on an untouched log: {result}")
            if name == "after":
                heads = result.heads_checked
            samples[name].append((watch.wall, watch.cpu))
    before = statistics.median(w for w, _ in samples["before"])
    after = statistics.median(w for w, _ in samples["after"])
    before_cpu = statistics.median(c for _, c in samples["before"])
    after_cpu = statistics.median(c for _, c in samples["after"])
    return {
        "tree_size": size,
        "signed_heads": heads,
        "before_seconds": round(before, 4),
        "after_seconds": round(after, 4),
        "before_seconds_per_100k": benchkit.per_100k(before, size),
        "after_seconds_per_100k": benchkit.per_100k(after, size),
        "after_over_before": round(after / before, 2),
        "before_cpu_seconds": round(before_cpu, 4),
        "after_cpu_seconds": round(after_cpu, 4),
        "after_over_before_cpu": round(after_cpu / before_cpu, 2),
        "all_wall_seconds": {k: [round(w, 4) for w, _ in v] for k, v in samples.items()},
    }


def scenario(size: int, entries_per_head: int, results: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        settings = benchkit.bench_settings(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        results.setdefault("machine", benchkit.machine(engine))
        benchkit.FILL_BATCH = entries_per_head
        benchkit.log(f"fill {size} entries, one head per {entries_per_head}")
        with benchkit.Stopwatch() as filled:
            benchkit.fill(sessions, settings, 0, size, [])
        row = {"entries_per_head": entries_per_head, "fill_seconds": round(filled.wall, 2)}
        row.update(compare(sessions, size))
        engine.dispose()
        benchkit.log(f"{size} / {entries_per_head}: {row['before_seconds']}s -> {row['after_seconds']}s")
        return row


def main() -> int:
    results: dict[str, Any] = {"benchmark": "ledger_audit_columns"}
    results["batched"] = scenario(SIZE, 20_000, results)
    results["head_per_entry"] = scenario(HEADED, 1, results)
    results["note"] = (
        "before = the audit before issue 16 (hashes, subtrees, head roots); after = audit.audit, which "
        "also decodes each leaf input to check kind/subject/recorded_at/actor_party_id and verifies each "
        f"tree head's signature under its published key; medians of {ROUNDS} alternating runs, batch 10000"
    )
    out = benchkit.write("ledger_audit_columns", results)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    benchkit.log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
