"""API mode (接口查询): granted fields of one table with row filters, each column desensitized by its rule.

The SQL is built from the request with sqlglot (names quoted, values as literals), never from text
the caller wrote, and runs on DuckDB within the default limits. Rows are ordered by the selected
fields so that pages do not overlap. A filter on a desensitized column is refused: matching its raw
value would let a caller confirm a person's ID number or phone one guess at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlglot import exp

from logispace.domains.access.delivery.check import DIALECT
from logispace.domains.access.delivery.errors import (
    DeliveryRefused,
    QueryBadFilter,
    QueryColumnNotGranted,
    QueryLimitExceeded,
)
from logispace.domains.access.delivery.masking import RULES
from logispace.domains.access.delivery.results import canonical, json_rows, sha256_hex
from logispace.domains.access.delivery.schemas import GrantedTable, Limits, QueryResult, RowFilter
from logispace.storage.engines import (
    EngineLimitExceeded,
    EngineLimits,
    EngineQueryFailed,
    View,
    get_engine,
    parquet_rows,
)

OPERATORS = ("=", "!=", "<", "<=", ">", ">=", "in", "like")
MAX_IN_VALUES = 1000
MAX_OFFSET = 10_000_000
_SCALARS = (bool, str, int, float, Decimal, date, datetime)


def run_query(
    table: GrantedTable,
    fields: Sequence[str],
    filters: Sequence[RowFilter],
    limit: int,
    offset: int,
    salt: bytes,
) -> QueryResult:
    """Rows ``offset .. offset+limit`` of ``table``'s ``fields`` that match every filter, desensitized."""
    limits = Limits()
    columns = _fields(table, fields)
    _page(limit, offset, limits)
    rules = {c: table.masking[c] for c in columns if c in table.masking}
    for column, code in rules.items():
        if code not in RULES:
            raise DeliveryRefused(f"column {column} names an unknown desensitization rule {code!r}")
    select = exp.select(*(exp.column(c, quoted=True) for c in columns)).from_(
        exp.to_table(table.name, quoted=True)
    )
    for row_filter in filters:
        select = select.where(_condition(table, row_filter), copy=False)
    select = select.order_by(*(exp.column(c, quoted=True) for c in columns), copy=False)
    select = select.limit(limit, copy=False).offset(offset, copy=False)
    sql = select.sql(dialect=DIALECT)
    view = View(table.parquet_paths, table.columns)
    engine_limits = EngineLimits(limits.memory_mb, limits.threads, limits.timeout_s, limit)
    try:
        result = get_engine("duckdb").run(sql, {table.name: view}, engine_limits)
    except EngineLimitExceeded as error:
        raise QueryLimitExceeded(error.detail, limit=error.limit) from error
    except EngineQueryFailed as error:
        raise QueryBadFilter(f"the filters cannot be applied to this table: {error.detail}") from error
    masked = [
        tuple(RULES[rules[c]].apply(v, salt) if c in rules else v for c, v in zip(columns, row, strict=True))
        for row in result.rows
    ]
    values = json_rows(masked)
    body = canonical(columns, values)
    return QueryResult(
        columns=columns,
        rows=values,
        rows_read=parquet_rows(table.parquet_paths),
        rows_returned=len(values),
        cells_returned=len(values) * len(columns),
        bytes_returned=len(body),
        query_hash=sha256_hex(sql),
        result_hash=sha256_hex(body),
    )


def _fields(table: GrantedTable, fields: Sequence[str]) -> tuple[str, ...]:
    if isinstance(fields, str) or not fields:
        raise QueryBadFilter("name at least one field to return, as a list of column names")
    if len(set(fields)) != len(fields):
        raise QueryBadFilter("a field is named twice")
    outside = [f for f in fields if f not in table.columns]
    if outside:
        raise QueryColumnNotGranted(
            f"field {', '.join(map(str, outside))} is not among the granted columns of {table.name} "
            f"({', '.join(table.columns)})"
        )
    return tuple(fields)


def _page(limit: int, offset: int, limits: Limits) -> None:
    if not isinstance(limit, int) or isinstance(limit, bool) or not 1 <= limit <= limits.max_output_rows:
        raise QueryBadFilter(
            f"limit must be a whole number from 1 to {limits.max_output_rows}, not {limit!r}"
        )
    if not isinstance(offset, int) or isinstance(offset, bool) or not 0 <= offset <= MAX_OFFSET:
        raise QueryBadFilter(f"offset must be a whole number from 0 to {MAX_OFFSET}, not {offset!r}")


def _condition(table: GrantedTable, row_filter: RowFilter) -> exp.Expr:
    column, op, value = row_filter.column, row_filter.op, row_filter.value
    if column not in table.columns:
        raise QueryColumnNotGranted(
            f"filter column {column} is not among the granted columns of {table.name} "
            f"({', '.join(table.columns)})"
        )
    if column in table.masking:
        raise QueryBadFilter(
            f"column {column} is desensitized ({table.masking[column]}) and cannot be filtered on: "
            "matching its raw value would disclose it"
        )
    if op not in OPERATORS:
        raise QueryBadFilter(f"operator {op!r} on {column} is not one of {', '.join(OPERATORS)}")
    target = exp.column(column, quoted=True)
    if op == "in":
        if not isinstance(value, list | tuple) or not value or len(value) > MAX_IN_VALUES:
            raise QueryBadFilter(
                f"'in' on {column} takes a list of 1 to {MAX_IN_VALUES} values, not {type(value).__name__}"
            )
        return exp.In(this=target, expressions=[_literal(column, v) for v in value])
    if op == "like":
        if not isinstance(value, str):
            raise QueryBadFilter(f"'like' on {column} takes a text pattern with % and _")
        return exp.Like(this=target, expression=exp.Literal.string(value))
    comparison = {"=": exp.EQ, "!=": exp.NEQ, "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}[op]
    return comparison(this=target, expression=_literal(column, value))


def _literal(column: str, value: object) -> exp.Expr:
    if not isinstance(value, _SCALARS):
        raise QueryBadFilter(
            f"the value for {column} must be text, a number or a date, not {type(value).__name__}"
        )
    if isinstance(value, float) and value != value:
        raise QueryBadFilter(f"the value for {column} is not a number")
    if isinstance(value, datetime | date):
        return exp.Literal.string(value.isoformat())
    return exp.convert(value)
