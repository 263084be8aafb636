"""Sandbox SQL (沙箱查询, 可用不可见): check, run within limits, control the output, describe the result.

Only aggregates that pass output control leave; raw rows stay in the engine's memory and are
dropped with its connection.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path

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
    plan: disclosure.NoisePlan | None = None
    if output.epsilon_total is not None:  # the noise plan reads the files' statistics: made per query
        query = analyze(sql, tables)
        plan = disclosure.plan_noise(query, tables, output)
        engine_sql = _named(plan.select, query).sql(dialect=DIALECT, comments=False)
    else:
        query, engine_sql = _prepared(sql, _shapes(tables))
    columns, rows = _execute(engine_sql, query, tables, limits, engine)
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
        rows_read=sum(_rows_of(path) for name in query.tables for path in granted[name].parquet_paths),
        rows_returned=len(values),
        cells_returned=len(values) * len(columns),
        bytes_returned=len(body),
        epsilon_spent=spent,
        noised=plan is not None,
        query_hash=sha256_hex(query.normalized),
        result_hash=sha256_hex(body),
        engine=engine,
    )


# What a table is to the checker: its name, its granted columns and their desensitization rules (not its
# files, which the checker never reads).
_Shape = tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]
PREPARED_KEPT = 512


def _shapes(tables: Sequence[GrantedTable]) -> tuple[_Shape, ...]:
    return tuple((t.name, tuple(t.columns), tuple(sorted(t.masking.items()))) for t in tables)


@functools.lru_cache(maxsize=PREPARED_KEPT)
def _prepared(sql: str, shapes: tuple[_Shape, ...]) -> tuple[CheckedQuery, str]:
    """The checked query and the SQL the engine runs for it under the k threshold (the hidden group count
    added, every output named), computed once per SQL text and granted tables.

    Checking and rewriting depend on nothing else, so the same text over the same tables is checked once
    and its outcome reused: a refused query raises and is not kept, so it is checked (and refused) each
    time; a grant whose tables, columns or masking differ has other shapes, hence its own entry."""
    tables = [GrantedTable(name, (), columns, dict(masking)) for name, columns, masking in shapes]
    query = analyze(sql, tables)
    counted = _named(disclosure.with_group_count(query), query)
    return query, counted.sql(dialect=DIALECT, comments=False)


def _rows_of(path: Path) -> int:
    """The rows of one Parquet file, from its footer, read again only when the file changes."""
    stat = path.stat()
    return _footer_rows(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1024)
def _footer_rows(path: Path, _mtime_ns: int, _size: int) -> int:
    return parquet_rows([path])


def _named(select: exp.Select, query: CheckedQuery) -> exp.Select:
    """``select`` (a copy the caller owns) with every user output aliased to its engine-independent name."""
    projections = select.expressions
    for index, output in enumerate(query.outputs):
        body = projections[index].unalias()
        projections[index] = exp.alias_(body, output.name or output_name(body), quoted=True, copy=False)
    select.set("expressions", projections)
    return select


def _execute(
    sql: str,
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
        result = runner.run(sql, views, engine_limits, dialect=DIALECT)
    except EngineLimitExceeded as error:
        raise SandboxLimitExceeded(error.detail, limit=error.limit) from error
    except EngineQueryFailed as error:
        raise SandboxQueryFailed(error.detail) from error
    return result.columns, list(result.rows)
