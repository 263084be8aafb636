"""Database plumbing: declarative base, engine and session factories, portable column types.

SQLite (the embedded default) and PostgreSQL (psycopg 3) behave the same to the code above:
foreign keys are enforced, transactions begin explicitly so SAVEPOINTs work, and datetimes are
always timezone-aware UTC.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool
from sqlalchemy.types import TypeDecorator, Uuid

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as UTC and always returned timezone-aware.

    PostgreSQL keeps ``timestamptz``; SQLite keeps the UTC wall time. Naive values are refused,
    so a local time can never be stored by mistake.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base of every table, with the constraint naming convention."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {datetime: UTCDateTime(), uuid.UUID: Uuid()}  # noqa: RUF012


class IdMixin:
    """A random UUID primary key: ids in URLs reveal nothing about other records."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


def backend_name(url: str) -> str:
    """The database backend of a URL: ``sqlite`` or ``postgresql``."""
    return make_url(url).get_backend_name()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (SAVEPOINT support).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get(_SQLITE_IMMEDIATE)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_SQLITE_IMMEDIATE = "logispace_sqlite_immediate"


def begin_writing(session: Session) -> None:
    """Start ``session``'s transaction as a writer on SQLite (``BEGIN IMMEDIATE``); nothing on
    PostgreSQL. Call it before the first statement of a unit of work that will write.

    A SQLite transaction begun plainly reads from a snapshot; when it then writes after another
    process committed, SQLite refuses at once with "database is locked" (the busy timeout does not
    apply: waiting cannot make the snapshot current). Taking the write lock at BEGIN waits for it,
    up to the busy timeout, instead.
    """
    if session.get_bind().dialect.name == "sqlite" and not session.in_transaction():
        session.connection(execution_options={_SQLITE_IMMEDIATE: True})


def make_engine(url: str, *, echo: bool = False, pool: bool = True) -> Engine:
    """Create an engine for ``url`` with the portable settings of this module."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, echo=echo, connect_args={"check_same_thread": False}, poolclass=None if pool else NullPool
        )
        _configure_sqlite(engine)
    else:
        engine = create_engine(url, echo=echo, poolclass=None if pool else NullPool)
    if pool:
        _ping_after_idle(engine)
    return engine


IDLE_PING_SECONDS = 5.0
"""A pooled connection idle for longer than this is pinged before it is handed out."""


def _ping_after_idle(engine: Engine) -> None:
    """Ping a pooled connection on checkout only when it has been idle for
    :data:`IDLE_PING_SECONDS`: a server restart or an idle timeout is noticed before a request uses
    the connection, while a busy pool (the case where a round trip per checkout costs most: a
    ledger admission is three statements) pays nothing. A ping that fails makes the pool open a
    fresh connection (``DisconnectionError``)."""

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info[_CHECKED_IN] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get(_CHECKED_IN)
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return  # just opened, or used moments ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the pooled connection no longer answers") from error


_CHECKED_IN = "logispace_checked_in"


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that never expire objects on commit (responses are built after it)."""
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=True)


@contextmanager
def committing(session: Session) -> Iterator[Session]:
    """Commit ``session`` when the block ends; roll it back if the block raises."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise


@contextmanager
def unit_of_work(url: str, *, writing: bool = True) -> Iterator[Session]:
    """A session for one command or task: committed when the block ends, rolled back on error. A
    command that writes (the default) begins as a writer on SQLite (:func:`begin_writing`), as a
    request that may write does; ``writing=False`` for one that only reads (it then never holds
    SQLite's write lock)."""
    engine = make_engine(url, pool=False)
    try:
        with make_sessionmaker(engine)() as session, committing(session):
            if writing:
                begin_writing(session)
            yield session
    finally:
        engine.dispose()


def transaction_cache(session: Session, name: str) -> dict[Any, Any]:
    """A dict named ``name`` that lives as long as the session's current (innermost) transaction.

    For values read within one unit of work and reused by its later steps (an opened signing
    key): a commit, a rollback or a new savepoint starts with an empty dict, so nothing a
    rolled-back write made outlives it. Whoever changes the underlying rows drops the entry.
    """
    transaction = session.get_nested_transaction() or session.get_transaction()
    held = session.info.get(name)
    if held is None or held[0] is not transaction:
        held = session.info[name] = (transaction, {})
    cache: dict[Any, Any] = held[1]
    return cache
