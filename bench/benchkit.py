"""Shared plumbing of the ledger benches: a scratch database, machine facts, percentiles, payloads.

``LOGISPACE_BENCH_DATABASE_URL`` names a PostgreSQL server database to create a throwaway database
on (dropped at the end); without it, a SQLite file in a temporary folder. Either way the schema
comes from the alembic migrations.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from logispace import migrations
from logispace.core.config import Settings
from logispace.core.db import backend_name, committing
from logispace.domains.ledger import merkle, repository, service
from logispace.domains.ledger.audit import AuditResult

RESULTS = Path(__file__).parent / "results"
MASTER_KEY = "ab" * 32  # the bench's own throwaway master key for the ledger signing keys


@contextmanager
def scratch_database(folder: Path) -> Iterator[str]:
    """A migrated throwaway database; yields its URL and drops it afterwards."""
    server = os.environ.get("LOGISPACE_BENCH_DATABASE_URL")
    if not server:
        url = f"sqlite:///{folder / 'bench.sqlite3'}"
        migrations.upgrade(url)
        yield url
        return
    name = f"logispace_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        migrations.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_settings(url: str) -> Settings:
    return Settings(database_url=url, ledger_master_key=MASTER_KEY)  # type: ignore[arg-type]


def machine(engine: Engine) -> dict[str, Any]:
    """What the figures were measured on."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            server = str(conn.execute(text("SHOW server_version")).scalar())
        else:
            server = sqlite3.sqlite_version
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = None
    return {
        "backend": backend_name(str(engine.url)),
        "database_server_version": server,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "memory_gb": memory_gb,
        "git_commit": commit,
        "load_average_1_5_15_at_start": [round(x, 2) for x in os.getloadavg()],
        "note": "the machine is shared: other processes may run; cpu_* figures are this process's CPU time",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def percentiles(samples: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """p50/p95/mean/max of wall-clock samples in seconds, reported in milliseconds; with ``cpu``
    (this process's CPU time per sample) also its p50/p95, which other load on the machine
    disturbs far less (it leaves out the PostgreSQL server's own work)."""
    ordered = sorted(samples)
    out = {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 4),
        "p95_ms": round(_p95(ordered) * 1000, 4),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 4),
        "max_ms": round(ordered[-1] * 1000, 4),
    }
    if cpu:
        out["cpu_p50_ms"] = round(statistics.median(cpu) * 1000, 4)
        out["cpu_p95_ms"] = round(_p95(sorted(cpu)) * 1000, 4)
    return out


def _p95(ordered: list[float]) -> float:
    return ordered[max(0, round(len(ordered) * 0.95) - 1)]


class Stopwatch:
    """Wall-clock and process CPU seconds of a ``with`` block."""

    wall = 0.0
    cpu = 0.0

    def __enter__(self) -> Stopwatch:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


class StatementCounter:
    """Counts the SQL statements an engine runs (``executemany`` counts once)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


class StatementTimer:
    """Wall seconds per kind of SQL statement an engine runs (its first words, literals and
    parameters left out), measured around the cursor call: where a transaction's time goes when
    the server has no ``pg_stat_statements``."""

    def __init__(self, engine: Engine, words: int = 4) -> None:
        self.words = words
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._began: list[float] = []
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_args: object) -> None:
        self._began.append(time.perf_counter())

    def _after(self, _conn: object, _cursor: object, statement: str, *_args: object) -> None:
        kind = " ".join(statement.split()[: self.words])
        self.seconds[kind] = self.seconds.get(kind, 0.0) + time.perf_counter() - self._began.pop()
        self.calls[kind] = self.calls.get(kind, 0) + 1

    def report(self, per: int = 1) -> list[dict[str, Any]]:
        """The statement kinds, most time first: seconds and calls in all, divided by ``per``."""
        return [
            {"statement": kind, "seconds": round(s / per, 4), "calls": round(self.calls[kind] / per, 2)}
            for kind, s in sorted(self.seconds.items(), key=lambda kv: -kv[1])
        ]


def payload(i: int) -> dict[str, Any]:
    """A typical evidence payload: a document digest and a few business fields (~150 bytes)."""
    return {
        "document_sha256": hashlib.sha256(i.to_bytes(8, "big")).hexdigest(),
        "waybill": f"LS{i:012d}",
        "status": "delivered" if i % 3 else "in_transit",
        "weight_kg": i % 40_000,
    }


def entry(i: int) -> tuple[str, str, dict[str, Any], uuid.UUID | None]:
    return ("bench.waybill", f"waybill/LS{i:012d}", payload(i), None)


FILL_BATCH = 20_000


def fill(
    sessions: sessionmaker[Session],
    settings: Settings,
    start: int,
    stop: int,
    held: list[bytes],
    inputs: list[bytes] | None = None,
) -> None:
    """Append entries ``[start, stop)`` as ``service.append_many`` admits them (``repository.admit``,
    without signing entry timestamps) and integrate each batch at once (``repository.integrate_leaves``,
    as the sequencer does), ``FILL_BATCH`` entries and one signed tree head per transaction.
    Appends each leaf hash to ``held`` and, if given, each leaf input to ``inputs``."""
    for first in range(start, stop, FILL_BATCH):
        now = datetime.now(UTC)
        rows: list[dict[str, Any]] = []
        for i in range(first, min(stop, first + FILL_BATCH)):
            kind, subject, body, actor = entry(i)
            data = service.leaf_input_of(kind, subject, body, actor, now)
            rows.append(
                {
                    "kind": kind,
                    "subject": subject,
                    "actor_party_id": actor,
                    "recorded_at": now,
                    "leaf_input": data,
                    "leaf_hash": merkle.leaf_hash(data),
                }
            )
        held.extend(row["leaf_hash"] for row in rows)
        if inputs is not None:
            inputs.extend(row["leaf_input"] for row in rows)
        with sessions() as session, committing(session):
            repository.lock_for_append(session)
            key = service.active_key(session, settings)

            def sign_head(size: int, root: bytes, timestamp: datetime, key: Any = key) -> tuple[str, bytes]:
                return key.key_id, key.sign(service.tree_head_message(size, root, timestamp, key.key_id))

            ids = repository.admit(session, rows)
            leaves = [(i, row["leaf_hash"], now) for i, row in zip(ids, rows, strict=True)]
            repository.integrate_leaves(session, leaves, now, sign_head)


def check_batch(
    rows: Sequence[Any],
    size: int,
    expected_index: int,
    rebuilt: merkle.CompactRange,
    stored_node: Callable[[tuple[int, int]], bytes | None],
    heads: Mapping[int, bytes],
) -> AuditResult | None:
    """The reference audits' check of one batch of stored entries (``leaf_index``, ``leaf_input``,
    ``leaf_hash``, from ``expected_index`` on): each leaf hash recomputed and compared with the entry and
    its stored leaf node, every subtree it completes in ``rebuilt`` compared with ``stored_node((level,
    index))``, the root at each size in ``heads`` compared with it. The first failure, else ``None``."""
    for row in rows:
        if row.leaf_index != expected_index:
            return AuditResult(size, expected_index, "entry missing")
        recomputed = merkle.leaf_hash(bytes(row.leaf_input))
        if recomputed != bytes(row.leaf_hash):
            return AuditResult(size, row.leaf_index, "leaf input does not match its leaf hash")
        if stored_node((0, row.leaf_index)) != recomputed:
            return AuditResult(size, row.leaf_index, "stored leaf node does not match the leaf input")
        for level, index, node in rebuilt.append(recomputed)[1:]:
            if stored_node((level, index)) != node:
                return AuditResult(size, index << level, f"stored subtree ({level}, {index}) does not match")
        head = heads.get(rebuilt.size)
        if head is not None and head != rebuilt.root():
            return AuditResult(size, row.leaf_index, f"tree head at size {rebuilt.size} does not match")
        expected_index += 1
    return None


def per_100k(seconds: float, size: int) -> float:
    return round(seconds / size * 100_000, 4)


def write(name: str, results: dict[str, Any]) -> Path:
    out = RESULTS / f"{name}-{results['machine']['backend']}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return out


def log(message: str) -> None:
    print(f"[{datetime.now(UTC).strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
