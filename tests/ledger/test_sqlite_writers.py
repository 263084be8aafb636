"""SQLite with several writing processes (issue 16): admissions from processes whose transactions
read before they append never fail with "database is locked".

A plainly begun SQLite transaction that reads and then writes after another process committed is
refused at once (its snapshot is stale; the busy timeout does not apply). ``begin_writing``, which
the API's unit of work calls for every request that may write (and a command line's unit of work,
and the sequencer before a batch), takes the write lock at BEGIN and waits for it instead. Two
processes each run 100 such transactions at once against one file while the sequencer integrates.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from logispace import migrations
from logispace.core.config import Settings
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.ledger import repository
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.ledger.sequencer import Sequencer

WRITER = """
import sys
from contextlib import ExitStack
from sqlalchemy import func, select
from logispace.core.config import Settings
from logispace.core.db import begin_writing, committing, make_engine, make_sessionmaker, unit_of_work
from logispace.domains.ledger import service
from logispace.domains.ledger.models import LedgerEntry
settings = Settings()
sessions = make_sessionmaker(make_engine(settings.resolved_database_url))
for i in range(100):
    with ExitStack() as stack:
        if sys.argv[1] == "request":  # as the API's unit of work does
            session = stack.enter_context(sessions())
            stack.enter_context(committing(session))
            begin_writing(session)
        else:  # as a command line's unit of work does
            session = stack.enter_context(unit_of_work(settings.resolved_database_url))
        session.scalar(select(func.count()).select_from(LedgerEntry))  # a business read first
        service.append(session, kind="t.write", subject=f"{sys.argv[1]}-{i}", payload={}, actor=None)
"""


@pytest.mark.skipif(
    os.environ.get("LOGISPACE_TEST_DATABASE", "sqlite") != "sqlite", reason="SQLite's locking only"
)
def test_two_processes_that_read_then_append_never_meet_a_locked_database(tmp_path: Path) -> None:
    """One process writes as API requests do, one as command lines do, while this process runs the
    sequencer (which reads what waits, then integrates a batch)."""
    url = f"sqlite:///{tmp_path / 'writers.sqlite3'}"
    migrations.upgrade(url)
    env = {**os.environ, "LOGISPACE_DATABASE_URL": url, "LOGISPACE_LEDGER_SEQUENCER": "off"}
    env.setdefault("LOGISPACE_LEDGER_MASTER_KEY", "ab" * 32)
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, name],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("request", "command")
    ]
    engine = make_engine(url)
    sequencer = Sequencer(
        make_sessionmaker(engine), Settings(database_url=url, ledger_sequencer="off", ledger_batch_size=16)
    )
    while any(writer.poll() is None for writer in writers):
        sequencer.run_once()  # raises if its batch met a locked database
    errors = [writer.communicate(timeout=300)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors
    sequencer.drain()
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 200
        assert repository.tree_size(session) == 200
    engine.dispose()
