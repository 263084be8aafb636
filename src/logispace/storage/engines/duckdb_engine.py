"""DuckDB engine (嵌入式查询引擎): one fresh in-memory connection per query, sealed before the query runs.

The connection gets its memory limit, thread count and no spill folder at creation; views over the
Parquet files are created with only their allowed columns; then file access is narrowed to those
files, external access is switched off and the configuration is locked, so the query itself can
neither read another file, load an extension nor lift a limit. A timer interrupts the query at its
deadline. The connection is closed afterwards, whatever happened.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Mapping

import duckdb
import sqlglot

from logispace.storage.engines.base import (
    EngineLimitExceeded,
    EngineLimits,
    EngineQueryFailed,
    EngineResult,
    View,
    quote_identifier,
)
from logispace.storage.engines.watchdog import WATCHDOG

_BATCH_ROWS = 8192
_PATHS = re.compile(r"(?:[A-Za-z]:)?(?:/[^\s'\"/]+){2,}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def public_message(error: BaseException) -> str:
    """The engine's message, first line only, with file paths replaced (they name the object store)."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return _PATHS.sub("<file>", first)[:300]


_Key = tuple[tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...], int, int]


class DuckDBEngine:
    """Runs SQL in DuckDB over Parquet views, within :class:`EngineLimits`.

    Sealed connections are pooled by their views and memory and thread limits: a connection that
    answered a query goes back to the pool and serves the next query over the same files with the same
    limits (each is its own in-memory database, so DuckDB's caches of those files' metadata and data
    stay warm; a checked query changes nothing in it). A connection whose query failed, ran out of
    memory or was interrupted is closed, never reused. At most ``max_idle`` connections wait.
    """

    name = "duckdb"

    def __init__(self, max_idle: int = 8) -> None:
        self.max_idle = max_idle
        self._idle: OrderedDict[_Key, list[duckdb.DuckDBPyConnection]] = OrderedDict()
        self._lock = threading.Lock()

    def _key(self, views: Mapping[str, View], limits: EngineLimits) -> _Key:
        described = tuple(
            sorted((name, tuple(str(p) for p in view.paths), view.columns) for name, view in views.items())
        )
        return described, limits.memory_mb, max(1, limits.threads)

    def _take(self, key: _Key, views: Mapping[str, View], limits: EngineLimits) -> duckdb.DuckDBPyConnection:
        with self._lock:
            waiting = self._idle.get(key)
            if waiting:
                conn = waiting.pop()
                if not waiting:
                    del self._idle[key]
                return conn
        return self.connect(views, limits)

    def _give_back(self, key: _Key, conn: duckdb.DuckDBPyConnection) -> None:
        with self._lock:
            self._idle.setdefault(key, []).append(conn)
            self._idle.move_to_end(key)
            evicted: list[duckdb.DuckDBPyConnection] = []
            while sum(len(v) for v in self._idle.values()) > self.max_idle:
                _, oldest = self._idle.popitem(last=False)
                evicted.extend(oldest)
        for old in evicted:
            old.close()

    def close(self) -> None:
        """Close every pooled connection."""
        with self._lock:
            pooled = [c for conns in self._idle.values() for c in conns]
            self._idle.clear()
        for conn in pooled:
            conn.close()

    def connect(self, views: Mapping[str, View], limits: EngineLimits) -> duckdb.DuckDBPyConnection:
        """A sealed in-memory connection with ``views`` defined (also used by the benchmarks)."""
        conn = duckdb.connect(
            ":memory:",
            config={
                "memory_limit": f"{limits.memory_mb}MB",
                "threads": max(1, limits.threads),
                "temp_directory": "",
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
            },
        )
        try:
            allowed: list[str] = []
            for name, view in views.items():
                files = [str(path) for path in view.paths]
                allowed.extend(files)
                cols = ", ".join(quote_identifier(c) for c in view.columns) or "*"
                source = "[" + ", ".join(_literal(f) for f in files) + "]"
                conn.execute(
                    f"CREATE VIEW {quote_identifier(name)} AS SELECT {cols} FROM read_parquet({source})"  # noqa: S608
                )
            conn.execute("SET TimeZone = 'UTC'")
            conn.execute("SET allowed_paths = [" + ", ".join(_literal(f) for f in allowed) + "]")
            conn.execute("SET enable_external_access = false")
            conn.execute("SET lock_configuration = true")
        except BaseException:
            conn.close()
            raise
        return conn

    def run(
        self, sql: str, views: Mapping[str, View], limits: EngineLimits, *, dialect: str = "duckdb"
    ) -> EngineResult:
        if dialect != "duckdb":
            sql = sqlglot.transpile(sql, read=dialect, write="duckdb")[0]
        key = self._key(views, limits)
        conn = self._take(key, views, limits)
        healthy = False
        deadline = WATCHDOG.call_after(limits.timeout_s, conn.interrupt)
        try:
            reader = conn.sql(sql).to_arrow_reader(_BATCH_ROWS)
            columns = tuple(reader.schema.names)
            rows: list[tuple[object, ...]] = []
            for batch in reader:
                values = [column.to_pylist() for column in batch.columns]
                rows.extend(zip(*values, strict=True))
                if len(rows) > limits.max_output_rows:
                    break
            # a connection left with an unread result or a late interrupt is not reused
            healthy = len(rows) <= limits.max_output_rows
        except duckdb.InterruptException as error:
            raise EngineLimitExceeded(
                f"the query ran longer than its time limit of {limits.timeout_s:g} s and was stopped",
                limit="time",
            ) from error
        except duckdb.OutOfMemoryException as error:
            raise EngineLimitExceeded(
                f"the query needed more than its memory limit of {limits.memory_mb} MB and was stopped",
                limit="memory",
            ) from error
        except duckdb.Error as error:
            raise EngineQueryFailed(f"the query could not be run: {public_message(error)}") from error
        finally:
            deadline.cancel()
            if healthy and not deadline.fired and self.max_idle > 0:
                self._give_back(key, conn)
            else:
                conn.close()
        if len(rows) > limits.max_output_rows:
            raise EngineLimitExceeded(
                f"the query returns more than {limits.max_output_rows} rows",
                limit="rows",
            )
        return EngineResult(columns, tuple(rows))
