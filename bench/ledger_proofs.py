"""Ledger proof latency (存证证明): inclusion and consistency proofs from stored subtrees, by log size.

The log grows in one scratch database through ``benchkit.fill`` (admission, then
``repository.integrate_leaves``, ``benchkit.FILL_BATCH`` entries and one signed tree head per
transaction) to each size of ``SIZES``. At each size:

* ``repository.stored_inclusion_proof`` / ``stored_consistency_proof`` for random indices and first
  sizes (p50/p95, statements and stored nodes fetched per proof), each checked once with
  ``verify_inclusion`` / ``verify_consistency`` against the stored root;
* the same proofs through the HTTP API (``/api/v1/ledger/proofs/...``) via httpx2's ASGITransport,
  a smaller sample;
* the baseline: the same proof computed in memory with ``merkle.inclusion_proof`` /
  ``consistency_proof`` from a held list of all leaf hashes, which rehashes the subtrees it needs
  (O(n) per proof; fewer samples at large sizes).

A fit at the end compares how p50 grows with n against log n and against n.

Writes ``bench/results/ledger_proofs-<backend>.json``. Environment: ``LOGISPACE_BENCH_DATABASE_URL``
(PostgreSQL server database, else SQLite), ``LOGISPACE_BENCH_PROOF_SIZES`` (default
``1000,10000,100000,1000000``), ``LOGISPACE_BENCH_ROUNDS`` (stored proofs per size, default 500).
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import benchkit
import httpx2

from logispace.app.main import create_app
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.ledger import merkle, repository

SIZES = [
    int(s) for s in os.environ.get("LOGISPACE_BENCH_PROOF_SIZES", "1000,10000,100000,1000000").split(",")
]
ROUNDS = int(os.environ.get("LOGISPACE_BENCH_ROUNDS", "500"))
API_ROUNDS = max(20, ROUNDS // 5)
BASELINE_HASH_BUDGET = 4_000_000  # leaf-hash visits the in-memory baseline may spend per size and kind


def timed(calls: list[Callable[[], object]]) -> dict[str, float]:
    for call in calls[:5]:
        call()
    wall, cpu = [], []
    for call in calls:
        with benchkit.Stopwatch() as watch:
            call()
        wall.append(watch.wall)
        cpu.append(watch.cpu)
    return benchkit.percentiles(wall, cpu)


def counted(
    session: Any, counter: benchkit.StatementCounter, calls: list[Callable[[], object]]
) -> dict[str, Any]:
    """Statements and stored nodes per proof (an untimed pass with ``_load_nodes`` wrapped)."""
    fetched: list[int] = []
    original = repository._load_nodes

    def counting(s: Any, keys: Any) -> dict[tuple[int, int], bytes]:
        found = original(s, keys)
        fetched.append(len(found))
        return found

    repository._load_nodes = counting  # type: ignore[assignment]
    before = counter.count
    try:
        for call in calls:
            call()
    finally:
        repository._load_nodes = original  # type: ignore[assignment]
    return {
        "statements_per_proof": round((counter.count - before) / len(calls), 2),
        "nodes_fetched_mean": round(sum(fetched) / len(calls), 2),
        "nodes_fetched_max": max(fetched) if fetched else 0,
    }


async def api_samples(app: Any, size: int, rng: random.Random) -> dict[str, Any]:
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://bench") as client,
    ):
        out: dict[str, Any] = {}
        for kind in ("inclusion", "consistency"):
            urls = []
            for _ in range(API_ROUNDS):
                if kind == "inclusion":
                    urls.append(
                        f"/api/v1/ledger/proofs/inclusion?index={rng.randrange(size)}&tree_size={size}"
                    )
                else:
                    urls.append(
                        f"/api/v1/ledger/proofs/consistency?first={rng.randrange(1, size)}&second={size}"
                    )
            first = await client.get(urls[0])
            if first.status_code != 200:
                raise RuntimeError(f"{urls[0]}: {first.status_code} {first.text}")
            wall, cpu = [], []
            for url in urls:
                with benchkit.Stopwatch() as watch:
                    response = await client.get(url)
                wall.append(watch.wall)
                cpu.append(watch.cpu)
                if response.status_code != 200:
                    raise RuntimeError(f"{url}: {response.status_code}")
            out[kind] = benchkit.percentiles(wall, cpu)
        return out


def measure(
    sessions: Any, counter: benchkit.StatementCounter, settings: Any, size: int, held: list[bytes]
) -> dict[str, Any]:
    rng = random.Random(size)
    indices = [rng.randrange(size) for _ in range(ROUNDS)]
    firsts = [rng.randrange(1, size) for _ in range(ROUNDS)]
    out: dict[str, Any] = {"tree_size": size}
    with sessions() as session:
        root = repository.root_at(session, size)
        if root != merkle.root_of(held):
            raise RuntimeError("stored root differs from the root of the held leaf hashes")
        for i in indices[:20]:
            merkle.verify_inclusion(
                i, size, held[i], repository.stored_inclusion_proof(session, i, size), root
            )
        for m in firsts[:20]:
            old_root = repository.root_at(session, m)
            merkle.verify_consistency(
                m, size, repository.stored_consistency_proof(session, m, size), old_root, root
            )

        inclusion = [lambda i=i: repository.stored_inclusion_proof(session, i, size) for i in indices]
        consistency = [lambda m=m: repository.stored_consistency_proof(session, m, size) for m in firsts]
        out["stored_inclusion"] = timed(inclusion)
        out["stored_inclusion"].update(counted(session, counter, inclusion[:100]))
        out["stored_consistency"] = timed(consistency)
        out["stored_consistency"].update(counted(session, counter, consistency[:100]))

    out["api"] = asyncio.run(api_samples(create_app(settings), size, rng))

    samples = max(3, min(ROUNDS, BASELINE_HASH_BUDGET // size))
    subtree = merkle.subtree_from_leaves(held)
    base_inclusion = [lambda i=i: merkle.inclusion_proof(i, size, subtree) for i in indices[:samples]]
    base_consistency = [lambda m=m: merkle.consistency_proof(m, size, subtree) for m in firsts[:samples]]
    for i in indices[:3]:
        with sessions() as session:
            if merkle.inclusion_proof(i, size, subtree) != repository.stored_inclusion_proof(
                session, i, size
            ):
                raise RuntimeError("stored and in-memory inclusion proofs differ")
    out["memory_inclusion"] = timed(base_inclusion)
    out["memory_consistency"] = timed(base_consistency)
    for kind in ("inclusion", "consistency"):
        stored, memory = out[f"stored_{kind}"], out[f"memory_{kind}"]
        out[f"{kind}_memory_over_stored_p50"] = round(memory["p50_ms"] / stored["p50_ms"], 2)
        out[f"{kind}_memory_over_stored_cpu_p50"] = round(memory["cpu_p50_ms"] / stored["cpu_p50_ms"], 2)
    return out


def fit(sizes: list[int], times: list[float]) -> dict[str, Any]:
    """Least-squares fits of p50 against log2(n) and against n (R² of each), and growth ratios."""

    def r_squared(xs: list[float]) -> float:
        mx, my = sum(xs) / len(xs), sum(times) / len(times)
        sxx = sum((x - mx) ** 2 for x in xs)
        sxy = sum((x - mx) * (y - my) for x, y in zip(xs, times, strict=True))
        syy = sum((y - my) ** 2 for y in times)
        if sxx == 0 or syy == 0:
            return 1.0
        return round(sxy * sxy / (sxx * syy), 4)

    ratios = []
    for (n1, t1), (n2, t2) in zip(
        zip(sizes, times, strict=True), zip(sizes[1:], times[1:], strict=True), strict=False
    ):
        ratios.append(
            {
                "from": n1,
                "to": n2,
                "time_ratio": round(t2 / t1, 3),
                "log_ratio": round(math.log2(n2) / math.log2(n1), 3),
                "linear_ratio": round(n2 / n1, 3),
            }
        )
    return {
        "r2_vs_log2_n": r_squared([math.log2(n) for n in sizes]),
        "r2_vs_n": r_squared([float(n) for n in sizes]),
        "ratios": ratios,
    }


def main() -> int:
    results: dict[str, Any] = {"benchmark": "ledger_proofs", "rounds": ROUNDS, "api_rounds": API_ROUNDS}
    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        settings = benchkit.bench_settings(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        counter = benchkit.StatementCounter(engine)
        results["machine"] = benchkit.machine(engine)
        held: list[bytes] = []
        per_size = []
        for size in SIZES:
            benchkit.log(f"fill {len(held)} -> {size}")
            start = time.perf_counter()
            benchkit.fill(sessions, settings, len(held), size, held)
            fill_s = time.perf_counter() - start
            benchkit.log(f"filled in {fill_s:.1f}s; measuring")
            row = measure(sessions, counter, settings, size, held)
            row["fill_seconds_from_previous_size"] = round(fill_s, 2)
            per_size.append(row)
            benchkit.log(
                f"{size}: inclusion p50 {row['stored_inclusion']['p50_ms']} ms, "
                f"memory {row['memory_inclusion']['p50_ms']} ms"
            )
        engine.dispose()
    results["sizes"] = per_size
    results["table_p50_ms"] = [
        {
            "tree_size": r["tree_size"],
            "stored_inclusion": r["stored_inclusion"]["p50_ms"],
            "stored_inclusion_cpu": r["stored_inclusion"]["cpu_p50_ms"],
            "stored_consistency_cpu": r["stored_consistency"]["cpu_p50_ms"],
            "stored_consistency": r["stored_consistency"]["p50_ms"],
            "api_inclusion": r["api"]["inclusion"]["p50_ms"],
            "api_consistency": r["api"]["consistency"]["p50_ms"],
            "memory_inclusion": r["memory_inclusion"]["p50_ms"],
            "memory_consistency": r["memory_consistency"]["p50_ms"],
            "nodes_inclusion": r["stored_inclusion"]["nodes_fetched_mean"],
            "nodes_consistency": r["stored_consistency"]["nodes_fetched_mean"],
        }
        for r in per_size
    ]
    sizes = [r["tree_size"] for r in per_size]
    if len(sizes) > 1:
        kinds = ("stored_inclusion", "stored_consistency", "memory_inclusion", "memory_consistency")
        results["growth"] = {kind: fit(sizes, [r[kind]["p50_ms"] for r in per_size]) for kind in kinds}
        results["growth_cpu"] = {
            kind: fit(sizes, [r[kind]["cpu_p50_ms"] for r in per_size]) for kind in kinds
        }
    out = benchkit.write("ledger_proofs", results)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    benchkit.log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
