"""Crash safety of admission and integration (issue 16): real processes killed with SIGKILL at each
point lose no entry and never give an index twice.

A process admits entries, commits and is killed; then ``logispace ledger sequencer --once`` is
killed (``LOGISPACE_LEDGER_CRASH_AT``) after selecting a batch, after writing the entries' tree
indices, after writing the subtrees, after signing the head (before storing it), and after
committing. A clean run afterwards integrates every entry exactly once, at consecutive indices,
and the audit finds the log intact. The killed processes are forks of the test process
(``tests.forking``: a fresh interpreter spent seconds importing the platform, twice per case), the
sequencer's the real command line; the clean run drains in this process with the same
:class:`Sequencer`.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from logispace.core.config import Settings
from logispace.core.db import make_engine, make_sessionmaker, unit_of_work
from logispace.domains.ledger import repository, service
from logispace.domains.ledger.audit import audit
from logispace.domains.ledger.models import LedgerEntry, LedgerTreeHead
from logispace.domains.ledger.sequencer import Sequencer
from tests.databases import migrated_database
from tests.forking import cli_in_fork, in_fork


@pytest.fixture
def url(tmp_path: Path) -> Iterator[str]:
    with migrated_database(tmp_path) as made:
        yield made


def admit_and_die(url: str, n: int) -> None:
    """A process admits ``n`` entries, commits, and is killed."""

    def admit() -> None:
        settings = Settings(database_url=url, ledger_sequencer="off")
        with unit_of_work(url) as session:
            service.append_many(
                session, [("crash.test", f"s{i}", {"i": i}, None) for i in range(n)], settings
            )
        os.kill(os.getpid(), signal.SIGKILL)

    assert in_fork(admit, {}) == -signal.SIGKILL


def sequencer(url: str, crash: str, batch: int = 4) -> int:
    """``logispace ledger sequencer --once --batch-size 4`` with ``LOGISPACE_LEDGER_CRASH_AT=crash``,
    in a forked process; its exit status."""
    env = {
        "LOGISPACE_DATABASE_URL": url,
        "LOGISPACE_LEDGER_SEQUENCER": "off",
        "LOGISPACE_LEDGER_CRASH_AT": crash,
    }
    return cli_in_fork(["ledger", "sequencer", "--once", "--batch-size", str(batch)], env)


def drain_here(url: str, batch: int = 4) -> int:
    """What ``logispace ledger sequencer --once`` does, in this process: the number integrated."""
    engine = make_engine(url, pool=False)
    try:
        settings = Settings(database_url=url, ledger_sequencer="off", ledger_batch_size=batch)
        return Sequencer(make_sessionmaker(engine), settings).drain()
    finally:
        engine.dispose()


def state(url: str) -> tuple[int, list[int | None], int]:
    """(tree size, the entries' tree indices in entry id order, number of signed heads)."""
    engine = make_engine(url, pool=False)
    try:
        with make_sessionmaker(engine)() as s:
            indices = list(s.scalars(select(LedgerEntry.leaf_index).order_by(LedgerEntry.entry_id)))
            heads = int(s.scalar(select(func.count()).select_from(LedgerTreeHead)) or 0)
            return repository.tree_size(s), indices, heads
    finally:
        engine.dispose()


def audit_ok(url: str) -> bool:
    engine = make_engine(url, pool=False)
    try:
        with make_sessionmaker(engine)() as s:
            return audit(s).ok
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("point", "integrated_by_the_killed_run"),
    [("selected", 0), ("entries", 0), ("tree", 0), ("signed", 0), ("committed", 6)],
)
def test_a_killed_sequencer_loses_nothing_and_never_reuses_an_index(
    url: str, point: str, integrated_by_the_killed_run: int
) -> None:
    admit_and_die(url, 6)
    assert state(url) == (0, [None] * 6, 0)  # the admitting process died after its commit: all kept
    assert sequencer(url, crash=point) == -signal.SIGKILL
    size, indices, _ = state(url)
    assert size == integrated_by_the_killed_run
    if point != "committed":  # the killed batch left nothing behind
        assert indices == [None] * 6
    assert drain_here(url) == 6 - integrated_by_the_killed_run
    size, indices, heads = state(url)
    assert (size, indices) == (6, list(range(6)))
    assert heads == 2  # batches of 4 and 2: one head each, none lost or doubled
    assert audit_ok(url)
