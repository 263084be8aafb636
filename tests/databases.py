"""Throwaway databases for a test run: a SQLite file, or a new database on a PostgreSQL server.

``LOGISPACE_TEST_DATABASE`` picks the backend (``sqlite``, the default, or ``postgresql``);
``LOGISPACE_TEST_POSTGRES_URL`` names the server database to connect to for creating one.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Column, Engine, MetaData, Table, create_engine, inspect, text
from sqlalchemy.engine import make_url

from logispace import migrations
from logispace.core.db import Base, make_engine

BACKEND = os.environ.get("LOGISPACE_TEST_DATABASE", "sqlite")
POSTGRES_URL = os.environ.get(
    "LOGISPACE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
if BACKEND not in ("sqlite", "postgresql"):
    raise RuntimeError(f"LOGISPACE_TEST_DATABASE must be sqlite or postgresql, not {BACKEND!r}")


_NO_COMMIT_FLUSH = 'ALTER DATABASE "{name}" SET synchronous_commit = off'
"""A test database's commits do not wait for the WAL to reach the disk: its data is thrown away, and a
client killed at any point still leaves every commit it was told of (only a crash of the server itself
could lose the last ones), so the crash tests keep their meaning."""


@contextmanager
def throwaway_database(folder: Path) -> Iterator[str]:
    """Create an empty database of the selected backend; drop it afterwards. Yields its URL."""
    if BACKEND == "sqlite":
        path = folder / f"logispace-{uuid.uuid4().hex[:8]}.sqlite3"
        yield f"sqlite:///{path}"
        return
    name = f"logispace_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
        conn.execute(text(_NO_COMMIT_FLUSH.format(name=name)))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


_HEAD_TEMPLATE: list[str] = []
"""This process's template at the newest revision: a SQLite file's path or a PostgreSQL database's name."""


def _head_template() -> str:
    """Migrate a template database to the newest revision once per process; dropped at exit."""
    if _HEAD_TEMPLATE:
        return _HEAD_TEMPLATE[0]
    if BACKEND == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="logispace-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "head.sqlite3"
        migrations.upgrade(f"sqlite:///{path}")
        with sqlite3.connect(path) as conn:  # everything in the main file: a copy of it is whole
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        _HEAD_TEMPLATE.append(str(path))
    else:
        name = f"logispace_template_{uuid.uuid4().hex[:12]}"
        _execute_on_server(f'CREATE DATABASE "{name}"')
        _execute_on_server(_NO_COMMIT_FLUSH.format(name=name))
        atexit.register(_execute_on_server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        migrations.upgrade(make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False))
        _HEAD_TEMPLATE.append(name)
    return _HEAD_TEMPLATE[0]


def _execute_on_server(statement: str) -> None:
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(statement))
    finally:
        server.dispose()


@contextmanager
def migrated_database(folder: Path) -> Iterator[str]:
    """A throwaway database at the newest revision, dropped afterwards. Yields its URL.

    The same as :func:`throwaway_database` followed by ``migrations.upgrade``, but the migrations run
    once per process, into a template, and each database is a copy of it (a file copy on SQLite,
    ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL): a test that needs a database of its own (a
    subprocess, a crash) no longer pays for the whole migration chain."""
    template = _head_template()
    if BACKEND == "sqlite":
        path = folder / f"logispace-{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    name = f"logispace_test_{uuid.uuid4().hex[:12]}"
    _execute_on_server(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    _execute_on_server(_NO_COMMIT_FLUSH.format(name=name))  # a database's settings are not copied
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _execute_on_server(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def migrated_to(folder: Path, revision: str) -> Iterator[tuple[str, Engine]]:
    """A throwaway database migrated up to ``revision`` by the real migrations, with an engine on it
    (disposed afterwards); the test writes rows as they were then and runs ``migrations.upgrade``."""
    with throwaway_database(folder) as url:
        migrations.upgrade(url, revision)
        engine = make_engine(url, pool=False)
        try:
            yield url, engine
        finally:
            engine.dispose()


def reflected(engine: Engine, *names: str) -> list[Table]:
    """The tables ``names`` with the columns the database has now (read from it, not copied from a
    migration), typed as the models type them (a UUID column is text on SQLite), without defaults."""
    inspector = inspect(engine)
    metadata = MetaData()
    tables = []
    for name in names:
        present = {column["name"] for column in inspector.get_columns(name)}
        model = Base.metadata.tables[name]
        tables.append(
            Table(name, metadata, *[Column(c.name, c.type) for c in model.columns if c.name in present])
        )
    return tables
