"""Query engines (查询引擎): the one interface every engine over Parquet implements.

Domain-free: an engine runs one SQL ``SELECT`` over named views, each a set of Parquet files cut down
to some of their columns, under memory, thread, time and output-row limits. It knows nothing of who
asks or why; the caller checks the SQL before it gets here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyarrow.parquet as pq

from logispace.core.errors import BadRequest, Conflict


@dataclass(frozen=True)
class View:
    """A named view over Parquet files exposing only ``columns`` (in that order)."""

    paths: tuple[Path, ...]
    columns: tuple[str, ...]


@dataclass(frozen=True)
class EngineLimits:
    """Resource limits of one query: memory in MiB, worker threads, wall-clock seconds, result rows."""

    memory_mb: int = 512
    threads: int = 2
    timeout_s: float = 10.0
    max_output_rows: int = 10_000


@dataclass(frozen=True)
class EngineResult:
    """The column names and rows of a query, as the engine's Python driver returns them."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]


class QueryEngine(Protocol):
    """Runs one ``SELECT`` over views of Parquet files within limits."""

    name: str

    def run(
        self, sql: str, views: Mapping[str, View], limits: EngineLimits, *, dialect: str = "duckdb"
    ) -> EngineResult:
        """Run ``sql`` (written in ``dialect``; the engine transpiles it to its own) over ``views``."""
        ...


class EngineLimitExceeded(Conflict):
    """The query ran past one of its limits and was stopped (超出资源限制)."""

    status = 409
    code = "engine-limit-exceeded"
    title = "The query ran past its limits"

    def __init__(self, detail: str, *, limit: str) -> None:
        super().__init__(detail, limit=limit)
        self.limit = limit


class EngineQueryFailed(BadRequest):
    """The engine could not run the query (a type error, an unknown name, a bad cast: 查询执行失败)."""

    code = "engine-query-failed"
    title = "The query could not be run"


def parquet_rows(paths: Sequence[Path]) -> int:
    """The number of rows in Parquet files, read from their footers (no data is scanned)."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in paths)


def quote_identifier(name: str) -> str:
    """``name`` as a double-quoted SQL identifier (both DuckDB and Spark with ANSI quoting accept it)."""
    return '"' + name.replace('"', '""') + '"'
