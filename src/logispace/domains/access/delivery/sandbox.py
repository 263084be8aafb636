"""Sandbox SQL (沙箱查询, 可用不可见): check, run within limits, control the output, describe the result.

Only aggregates that pass output control leave; raw rows stay in the engine's memory and are
dropped with its connection.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from logispace.domains.access.delivery import disclosure
from logispace.domains.access.delivery.check import DIALECT, CheckedQuery, analyze, output_name
from logispace.domains.access.delivery.errors import (
    DeliveryRefused,
    SandboxLimitExceeded,
    SandboxQueryFailed,
)
from logispace.domains.access.delivery.results import canonical, json_rows, sha256_hex
from logispace.domains.access.delivery.schemas import GrantedTable, Limits, OutputPolicy, SqlResult
from logispace.storage.engines import (
    EngineLimitExceeded,
    EngineLimits,
    EngineQueryFailed,
    View,
    get_engine,
    parquet_rows,
)


def run_sql(
    sql: str,
    tables: Sequence[GrantedTable],
    output: OutputPolicy,
    limits: Limits = Limits(),  # noqa: B008  (frozen dataclass: a shared default is safe)
    engine: str = "duckdb",
    salt: bytes = b"",
) -> SqlResult:
    """Run sandbox ``sql`` over the granted ``tables`` under ``output`` control and ``limits``.

    Raises a :class:`DeliveryRefused` subclass naming what and why when the query is refused, runs
    past a limit or its output may not leave. ``salt`` is accepted for symmetry with API mode; sandbox
    output is aggregates only, so no column is hashed.
    """
    query = analyze(sql, tables)
    plan = disclosure.plan_noise(query, tables, output) if output.epsilon_total is not None else None
    select = plan.select if plan is not None else disclosure.with_group_count(query)
    columns, rows = _execute(_named(select, query), query, tables, limits, engine)
    spent = 0.0
    if plan is not None:
        columns, rows, spent = disclosure.add_noise(plan, columns, rows, output.min_group_size)
    else:
        rows = disclosure.enforce_k(columns, rows, output.min_group_size)
        columns = tuple(c for c in columns if c != disclosure.HIDDEN_COUNT)
    values = json_rows(rows)
    body = canonical(columns, values)
    granted = {t.name: t for t in tables}
    return SqlResult(
        columns=columns,
        rows=values,
        rows_read=sum(parquet_rows(granted[name].parquet_paths) for name in query.tables),
        rows_returned=len(values),
        cells_returned=len(values) * len(columns),
        bytes_returned=len(body),
        epsilon_spent=spent,
        noised=plan is not None,
        query_hash=sha256_hex(query.normalized),
        result_hash=sha256_hex(body),
        engine=engine,
    )


def _named(select: exp.Select, query: CheckedQuery) -> exp.Select:
    """``select`` (a copy the caller owns) with every user output aliased to its engine-independent name."""
    projections = select.expressions
    for index, output in enumerate(query.outputs):
        body = projections[index].unalias()
        projections[index] = exp.alias_(body, output.name or output_name(body), quoted=True, copy=False)
    select.set("expressions", projections)
    return select


def _execute(
    select: exp.Select,
    query: CheckedQuery,
    tables: Sequence[GrantedTable],
    limits: Limits,
    engine: str,
) -> tuple[tuple[str, ...], list[tuple[object, ...]]]:
    granted = {t.name: t for t in tables}
    views = {name: View(granted[name].parquet_paths, granted[name].columns) for name in query.tables}
    try:
        runner = get_engine(engine)
    except KeyError as error:
        raise DeliveryRefused(f"engine {engine!r} is not available (duckdb or spark)") from error
    engine_limits = EngineLimits(limits.memory_mb, limits.threads, limits.timeout_s, limits.max_output_rows)
    try:
        result = runner.run(
            select.sql(dialect=DIALECT, comments=False), views, engine_limits, dialect=DIALECT
        )
    except EngineLimitExceeded as error:
        raise SandboxLimitExceeded(error.detail, limit=error.limit) from error
    except EngineQueryFailed as error:
        raise SandboxQueryFailed(error.detail) from error
    return result.columns, list(result.rows)
