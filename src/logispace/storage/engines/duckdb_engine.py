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

_BATCH_ROWS = 8192
_PATHS = re.compile(r"(?:[A-Za-z]:)?(?:/[^\s'\"/]+){2,}")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def public_message(error: BaseException) -> str:
    """The engine's message, first line only, with file paths replaced (they name the object store)."""
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return _PATHS.sub("<file>", first)[:300]


class DuckDBEngine:
    """Runs SQL in DuckDB over Parquet views, within :class:`EngineLimits`."""

    name = "duckdb"

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
        conn = self.connect(views, limits)
        timer = threading.Timer(limits.timeout_s, conn.interrupt)
        timer.daemon = True
        try:
            timer.start()
            reader = conn.sql(sql).to_arrow_reader(_BATCH_ROWS)
            columns = tuple(reader.schema.names)
            rows: list[tuple[object, ...]] = []
            for batch in reader:
                values = [column.to_pylist() for column in batch.columns]
                rows.extend(zip(*values, strict=True))
                if len(rows) > limits.max_output_rows:
                    break
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
            timer.cancel()
            conn.close()
        if len(rows) > limits.max_output_rows:
            raise EngineLimitExceeded(
                f"the query returns more than {limits.max_output_rows} rows",
                limit="rows",
            )
        return EngineResult(columns, tuple(rows))
