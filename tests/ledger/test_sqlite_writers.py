"""SQLite with several writing processes (issue 16): admissions from processes whose transactions
read before they append never fail with "database is locked".

A plainly begun SQLite transaction that reads and then writes after another process committed is
refused at once (its snapshot is stale; the busy timeout does not apply). ``begin_writing``, which
the API's unit of work calls for every request that may write, takes the write lock at BEGIN and
waits for it instead. Two processes each run 100 such transactions at once against one file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from logispace import migrations
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.ledger.models import LedgerEntry

WRITER = """
import sys
from sqlalchemy import func, select
from logispace.core.config import Settings
from logispace.core.db import begin_writing, committing, make_engine, make_sessionmaker
from logispace.domains.ledger import service
from logispace.domains.ledger.models import LedgerEntry
settings = Settings()
sessions = make_sessionmaker(make_engine(settings.resolved_database_url))
for i in range(100):
    with sessions() as session, committing(session):
        begin_writing(session)
        session.scalar(select(func.count()).select_from(LedgerEntry))  # a business read first
        service.append(session, kind="t.write", subject=f"{sys.argv[1]}-{i}", payload={}, actor=None)
"""


@pytest.mark.skipif(
    os.environ.get("LOGISPACE_TEST_DATABASE", "sqlite") != "sqlite", reason="SQLite's locking only"
)
def test_two_processes_that_read_then_append_never_meet_a_locked_database(tmp_path: Path) -> None:
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
        for name in ("a", "b")
    ]
    errors = [writer.communicate(timeout=300)[1] for writer in writers]
    assert [writer.returncode for writer in writers] == [0, 0], errors
    engine = make_engine(url, pool=False)
    with make_sessionmaker(engine)() as session:
        assert session.scalar(select(func.count()).select_from(LedgerEntry)) == 200
    engine.dispose()
