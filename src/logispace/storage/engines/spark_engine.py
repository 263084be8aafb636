"""Spark engine (分布式查询引擎): the same checked query, transpiled by sqlglot, on PySpark.

One Spark session per engine, started on first use (local mode with ``master="local[N]"`` by default,
a cluster when a master URL is configured). Each query gets its own child session, so its temporary
views over the Parquet files are seen by no other query, and runs under a job tag: at the deadline the
tag is interrupted and the caller gets its answer at once; in local mode the session and its JVM are
then ended too (a cancelled task that never looks at its interrupt flag would otherwise keep its slot
and its CPU), and the next query starts a new session. Memory is the session's: Spark sets driver
and executor memory when it starts, not per query (``EngineLimits.memory_mb`` sizes the driver of a
session this engine starts). Reading files from SQL (``parquet.`path```) is switched off.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import threading
import uuid
from collections.abc import Mapping

import sqlglot
from pyspark import SparkContext
from pyspark.errors import PySparkException
from pyspark.sql import SparkSession

from logispace.storage.engines.base import (
    EngineLimitExceeded,
    EngineLimits,
    EngineQueryFailed,
    EngineResult,
    View,
)
from logispace.storage.engines.duckdb_engine import public_message


class SparkEngine:
    """Runs SQL on Spark over Parquet views, within :class:`EngineLimits` where Spark allows."""

    name = "spark"

    def __init__(self, master: str | None = None, config: Mapping[str, str] | None = None) -> None:
        self.master = master
        self.config = dict(config or {})
        self._session: SparkSession | None = None
        self._lock = threading.Lock()

    def session(self, limits: EngineLimits) -> SparkSession:
        """The engine's Spark session, started on first use."""
        with self._lock:
            if self._session is None:
                threads = max(1, limits.threads)
                builder = (
                    SparkSession.builder.master(self.master or f"local[{threads}]")
                    .appName("logispace-sandbox")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.runSQLOnFiles", "false")
                    .config("spark.sql.shuffle.partitions", str(max(2, threads * 2)))
                    .config("spark.driver.memory", f"{max(256, limits.memory_mb)}m")
                )
                for key, value in self.config.items():
                    builder = builder.config(key, value)
                self._session = builder.getOrCreate()
                self._session.sparkContext.setLogLevel("ERROR")
            return self._session

    @property
    def local(self) -> bool:
        return self.master is None or self.master.startswith("local")

    def discard(self) -> None:
        """End the session and its JVM at once (running tasks included); the next query starts anew.

        Uses PySpark's launcher handle of the JVM process (``SparkContext._gateway.proc``)."""
        with self._lock:
            session, self._session = self._session, None
            gateway = SparkContext._gateway
            process = getattr(gateway, "proc", None)
            SparkContext._gateway = None
            SparkContext._jvm = None
            SparkContext._active_spark_context = None
            SparkSession._instantiatedSession = None
            SparkSession._activeSession = None
        if process is not None:
            process.kill()
            process.wait(timeout=30)
        if gateway is not None:
            with contextlib.suppress(Exception):
                gateway.shutdown()
        del session

    def stop(self) -> None:
        """Stop the session (tests and the CLI call this when done)."""
        with self._lock:
            if self._session is not None:
                self._session.stop()
                self._session = None

    def run(
        self, sql: str, views: Mapping[str, View], limits: EngineLimits, *, dialect: str = "duckdb"
    ) -> EngineResult:
        spark_sql = sqlglot.transpile(sql, read=dialect, write="spark")[0]
        session = self.session(limits).newSession()
        tag = f"logispace-{uuid.uuid4().hex}"
        try:
            for name, view in views.items():
                frame = session.read.parquet(*(str(p) for p in view.paths)).select(*view.columns)
                frame.createOrReplaceTempView(name)
            frame = session.sql(spark_sql)
            columns = tuple(frame.columns)
        except PySparkException as error:
            raise EngineQueryFailed(f"the query could not be run: {public_message(error)}") from error

        def collect() -> list[tuple[object, ...]]:
            session.addTag(tag)
            try:
                return [tuple(row) for row in frame.take(limits.max_output_rows + 1)]
            finally:
                session.removeTag(tag)

        pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        future = pool.submit(collect)
        try:
            rows = future.result(timeout=limits.timeout_s)
        except concurrent.futures.TimeoutError as error:
            session.interruptTag(tag)
            if self.local:
                # a cancelled job's task that does not look at its interrupt flag (a nested-loop
                # join) keeps its slot and its CPU for as long as it runs; in local mode only ending
                # the JVM stops it, and the next query starts a new session
                self.discard()
            raise EngineLimitExceeded(
                f"the query ran longer than its time limit of {limits.timeout_s:g} s and was stopped",
                limit="time",
            ) from error
        except PySparkException as error:
            if "OutOfMemory" in str(error):
                raise EngineLimitExceeded(
                    "the query needed more memory than the Spark session has and was stopped", limit="memory"
                ) from error
            raise EngineQueryFailed(f"the query could not be run: {public_message(error)}") from error
        finally:
            pool.shutdown(wait=False)
        if len(rows) > limits.max_output_rows:
            raise EngineLimitExceeded(
                f"the query returns more than {limits.max_output_rows} rows", limit="rows"
            )
        return EngineResult(columns, tuple(rows))
