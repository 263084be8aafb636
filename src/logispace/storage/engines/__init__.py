"""Query engines (查询引擎) over Parquet behind one interface: DuckDB embedded, Spark at scale.

Domain-free: an engine runs a SELECT over named views of Parquet files within memory, thread, time
and output-row limits, and maps running past a limit to :class:`EngineLimitExceeded`.
"""

import atexit

from logispace.storage.engines.base import (
    EngineLimitExceeded,
    EngineLimits,
    EngineQueryFailed,
    EngineResult,
    QueryEngine,
    View,
    parquet_rows,
    quote_identifier,
)
from logispace.storage.engines.duckdb_engine import DuckDBEngine
from logispace.storage.engines.spark_engine import SparkEngine

_DUCKDB = DuckDBEngine()
_ENGINES: dict[str, QueryEngine] = {"duckdb": _DUCKDB, "spark": SparkEngine()}
# pooled connections are closed before the interpreter tears DuckDB's types down
atexit.register(_DUCKDB.close)


def get_engine(name: str) -> QueryEngine:
    """The shared engine called ``name`` ("duckdb" or "spark"); KeyError for another name."""
    return _ENGINES[name]


def register_engine(engine: QueryEngine) -> None:
    """Put ``engine`` in place of the one of its name (a Spark engine with a cluster master URL)."""
    _ENGINES[engine.name] = engine


__all__ = [
    "DuckDBEngine",
    "EngineLimitExceeded",
    "EngineLimits",
    "EngineQueryFailed",
    "EngineResult",
    "QueryEngine",
    "SparkEngine",
    "View",
    "get_engine",
    "parquet_rows",
    "quote_identifier",
    "register_engine",
]
