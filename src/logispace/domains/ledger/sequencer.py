"""Sequencer (排序器): integrates admitted entries into the Merkle tree, in batches.

Admission (:func:`.service.append_many`) only inserts an entry and signs a promise, the signed
entry timestamp. The sequencer takes the committed entries that have no tree index yet, oldest
admission first, gives them the next consecutive tree indices, stores the subtrees they complete
and signs one tree head per batch, all in one transaction: a crash at any point either leaves the
batch whole or leaves nothing of it.

Commit order: an entry id is taken from a sequence when the admitting INSERT runs, but its
transaction may commit later than one that took a larger id. The sequencer never integrates "ids
above the last one": it selects by the per-row flag (``leaf_index IS NULL``), so an entry that
becomes visible late is integrated by a later batch with a later index; it is never skipped and its
index is never below the tree's size. Only one sequencer integrates at a time: the integration
lock (a PostgreSQL advisory lock; on SQLite the lock row ``ledger_sequencer`` taken by an upsert,
SQLite's single writer doing the rest).

It runs as a background thread of the server (``ledger_sequencer = "thread"``, the default), as
``logispace ledger sequencer`` in a process of its own (``"off"`` in the server), or inline in
every appending transaction (``"inline"``: tests and one-off tools).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, sessionmaker

from logispace.core.clock import utcnow
from logispace.core.config import Settings, get_settings
from logispace.core.db import begin_writing
from logispace.domains.ledger import repository
from logispace.domains.ledger.models import SequencerLock
from logispace.domains.ledger.service import active_key, tree_head_message

log = logging.getLogger(__name__)

CrashPoint = Callable[[str], None]
"""Called with ``"selected"``, ``"entries"``, ``"tree"`` and ``"signed"`` as a batch passes those
points (the crash tests kill the process there)."""


@dataclass(frozen=True)
class Integration:
    """What one call integrated: ``count`` entries, the tree's new size, and the longest any of
    them waited since admission (the merge delay observed)."""

    count: int
    tree_size: int
    max_delay: timedelta = timedelta(0)


def _no_crash(_where: str) -> None:
    return None


def integrate_batch(
    session: Session,
    *,
    settings: Settings | None = None,
    batch_size: int | None = None,
    until: int | None = None,
    crash_point: CrashPoint = _no_crash,
) -> Integration:
    """Integrate one batch of admitted entries under one signed tree head, in the caller's
    transaction, which must hold the integration lock."""
    settings = settings or get_settings()
    leaves = repository.pending(session, batch_size or settings.ledger_batch_size, until)
    if not leaves:
        return Integration(0, repository.tree_size(session))
    crash_point("selected")
    key = active_key(session, settings)
    now = utcnow()

    def sign_head(size: int, root: bytes, timestamp: datetime) -> tuple[str, bytes]:
        return key.key_id, key.sign(tree_head_message(size, root, timestamp, key.key_id))

    _, size, _ = repository.integrate_leaves(session, leaves, now, sign_head, crash_point)
    return Integration(len(leaves), size, max(now - admitted for _, _, admitted in leaves))


def integrate(session: Session, *, settings: Settings | None = None, until: int | None = None) -> Integration:
    """Integrate now every committed entry admitted so far (and the caller's own), batch after
    batch, in the caller's transaction: waits for the integration lock. For tests, the CLI and
    the ``inline`` mode."""
    settings = settings or get_settings()
    repository.lock_for_append(session)
    count, size, delay = 0, repository.tree_size(session), timedelta(0)
    batch_size = settings.ledger_batch_size
    while True:
        done = integrate_batch(session, settings=settings, batch_size=batch_size, until=until)
        if not done.count:
            return Integration(count, size, delay)
        count, size, delay = count + done.count, done.tree_size, max(delay, done.max_delay)
        if done.count < batch_size:  # a batch that was not full took every pending entry there was
            return Integration(count, size, delay)


def claim(session: Session, holder: str) -> bool:
    """Take the integration lock for this transaction without waiting, and record ``holder`` and
    the time in the lock row; False when another sequencer holds it."""
    if not repository.try_lock_for_append(session):
        return False
    values = {"name": "sequencer", "holder": holder[:100], "heartbeat": utcnow()}
    table = cast(Table, SequencerLock.__table__)
    dialect = session.get_bind().dialect.name
    stmt = (pg_insert(table) if dialect == "postgresql" else sqlite_insert(table)).values(**values)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["name"], set_={"holder": values["holder"], "heartbeat": values["heartbeat"]}
        )
    )
    return True


class Sequencer:
    """The integration loop: a batch per transaction, while entries wait; otherwise a short sleep
    (a tenth of the maximum merge delay, at most 0.1 s)."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        settings: Settings,
        *,
        holder: str | None = None,
        crash_point: CrashPoint = _no_crash,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.holder = holder or f"pid {os.getpid()}"
        self.crash_point = crash_point
        self.stopping = threading.Event()
        self.max_delay = timedelta(0)
        self.integrated = 0
        self._thread: threading.Thread | None = None

    @property
    def idle_seconds(self) -> float:
        return min(0.1, self.settings.ledger_max_merge_delay / 10)

    def run_once(self) -> Integration:
        """Integrate one batch, committed; zero entries when none wait or another holds the lock."""
        with self.sessions() as session:
            # Read first, in a transaction of its own: an idle sequencer never writes (on SQLite a
            # write would make other transactions' read snapshots stale).
            waiting = bool(repository.pending(session, 1))
            session.rollback()
            if waiting:
                begin_writing(session)  # SQLite: the batch reads and then writes; wait for the lock first
            if not waiting or not claim(session, self.holder):
                session.rollback()
                return Integration(0, -1)
            done = integrate_batch(session, settings=self.settings, crash_point=self.crash_point)
            session.commit()
        self.integrated += done.count
        self.max_delay = max(self.max_delay, done.max_delay)
        return done

    def drain(self) -> int:
        """Integrate batches until no entry waits; the number integrated."""
        total = 0
        while (done := self.run_once()).count:
            total += done.count
        return total

    def run(self) -> None:
        """Loop until :meth:`stop`; a failing batch is logged and retried after a pause."""
        while not self.stopping.is_set():
            try:
                done = self.run_once()
            except Exception:
                log.exception("ledger sequencer: a batch failed; retrying")
                self.stopping.wait(1.0)
                continue
            if done.count < self.settings.ledger_batch_size:
                self.stopping.wait(self.idle_seconds)

    def start(self) -> None:
        """Run the loop in a daemon thread (the server's lifespan does this)."""
        self._thread = threading.Thread(target=self.run, name="ledger-sequencer", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
