"""Output control (输出控制): what may leave the sandbox after an aggregate query has run.

Two modes, chosen by the grant's output policy:

* **k threshold** (no ε): the query is run with a hidden ``COUNT(*)`` per output row. If any row
  aggregates fewer than k input rows the whole result is refused (``sandbox-group-too-small``),
  naming how many groups are too small but not which. Refusing rather than suppressing the small
  groups keeps a sum over the shown groups from being subtracted from a total to recover them. A
  query whose aggregates are distinct counts of one expression gets its hidden count in two levels
  (:mod:`.distinct`): the same rows, without slowing DuckDB's distinct-count plan.
* **differential privacy** (an ε budget): only ``COUNT(*)``, ``COUNT(column)``, ``COUNT(DISTINCT
  column)`` and ``SUM(column)`` outputs, over one table, without HAVING and without ordering by an
  aggregate. Each query spends a fixed share of the grant's budget (:data:`QUERY_EPSILON_FRACTION`),
  split evenly between the noised columns (the hidden group count among them unless the query outputs
  ``COUNT(*)`` itself). Counts get Laplace noise of sensitivity 1; sums are clamped inside the query
  to bounds read from the Parquet column statistics, widened to a power of ten, and get Laplace
  noise of sensitivity max(|lower|, |upper|). The noise comes from OpenDP's Laplace measurement, whose
  privacy map gives the ε reported as spent. Groups whose *noisy* count is below k are dropped.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import opendp.domains as dp_domains
import opendp.measurements as dp_measurements
import opendp.metrics as dp_metrics
import opendp.mod as dp_mod
import pyarrow.parquet as pq
from sqlglot import exp

from logispace.domains.access.delivery import distinct
from logispace.domains.access.delivery.check import CheckedQuery
from logispace.domains.access.delivery.errors import (
    SandboxBudgetExhausted,
    SandboxGroupTooSmall,
    SandboxUnsupported,
)

if TYPE_CHECKING:
    from logispace.domains.access.delivery.schemas import GrantedTable, OutputPolicy

HIDDEN_COUNT = "__logispace_group_rows"
QUERY_EPSILON_FRACTION = 0.1  # each noised query spends a tenth of the grant's ε: ten queries per grant
_EPS_TOLERANCE = 1e-9

# The Laplace measurement on floats is behind this flag in OpenDP. The modules are imported one by one:
# ``opendp.prelude`` also imports its scikit-learn extras, a second of start-up for every process.
dp_mod.enable_features("contrib")


def with_group_count(query: CheckedQuery) -> exp.Select:
    """The checked query with a hidden ``COUNT(*)`` appended as its last output column; a query whose
    aggregates are distinct counts of one expression gets it in two levels (:mod:`.distinct`), which
    gives the same rows faster."""
    two_level = distinct.two_level(query, HIDDEN_COUNT)
    return two_level if two_level is not None else plain_group_count(query)


def plain_group_count(query: CheckedQuery) -> exp.Select:
    """The checked query with ``COUNT(*)`` appended as its last output column, in one level."""
    select = query.expression.copy()
    select.select(exp.alias_(exp.Count(this=exp.Star()), HIDDEN_COUNT, quoted=True, copy=False), copy=False)
    return select


def enforce_k(columns: Sequence[str], rows: Sequence[tuple[Any, ...]], k: int) -> list[tuple[Any, ...]]:
    """The rows without the hidden count, if every row aggregates at least ``k`` input rows."""
    index = columns.index(HIDDEN_COUNT)
    small = sum(1 for row in rows if int(row[index] or 0) < k)
    if small:
        raise SandboxGroupTooSmall(
            f"{small} of {len(rows)} result groups aggregate fewer than {k} rows (the minimum group "
            "size of this grant), so the result is refused whole; widen the groups (fewer GROUP BY keys, "
            "coarser dates or places) or loosen the WHERE condition",
            groups_below_k=small,
            min_group_size=k,
        )
    return [row[:index] + row[index + 1 :] for row in rows]


@dataclass(frozen=True)
class NoisedColumn:
    """One output column that gets noise: its position, how sensitive it is and its ε share."""

    index: int  # position in the engine's result (the hidden count is last)
    kind: str  # "count" or "sum"
    sensitivity: float
    epsilon: float


@dataclass(frozen=True)
class NoisePlan:
    """How a query is noised, and the SQL that computes its exact, clamped inputs."""

    select: exp.Select
    columns: tuple[NoisedColumn, ...]
    count_index: int  # the result column holding the (to be noised) group count
    query_epsilon: float


def query_epsilon(policy: OutputPolicy) -> float:
    """The ε one noised query spends under ``policy``; raises when what is left cannot pay for it."""
    total = policy.epsilon_total or 0.0
    cost = total * QUERY_EPSILON_FRACTION
    left = total - policy.epsilon_spent
    if cost <= 0 or left + _EPS_TOLERANCE < cost:
        raise SandboxBudgetExhausted(
            f"the grant's privacy budget ε={total:g} has {max(left, 0.0):.4g} left and a query costs "
            f"{cost:.4g}; no more noised queries can run under this grant",
            epsilon_total=total,
            epsilon_spent=policy.epsilon_spent,
            epsilon_query=cost,
        )
    return cost


def plan_noise(query: CheckedQuery, tables: Sequence[GrantedTable], policy: OutputPolicy) -> NoisePlan:
    """Check that ``query`` can be noised, clamp its sums and share out the query's ε."""
    if len(query.tables) != 1 or query.expression.args.get("joins"):
        raise SandboxUnsupported(
            "under a privacy budget a query reads one table without joins (a join can repeat a row "
            "in many groups, and the noise could no longer hide it)"
        )
    if query.expression.args.get("having"):
        raise SandboxUnsupported(
            "under a privacy budget HAVING is not allowed: it would filter on exact aggregates"
        )
    _check_order(query)
    grant = {t.name: t for t in tables}[query.tables[0]]
    cost = query_epsilon(policy)
    select = query.expression.copy()
    projections = select.expressions
    noised: list[tuple[int, str, float]] = []
    count_index = -1
    for index, output in enumerate(query.outputs):
        if output.kind in ("key", "constant"):
            continue
        if output.function in ("COUNT", "COUNTIF"):
            noised.append((index, "count", 1.0))
            plain = output.function == "COUNT" and output.argument is None and not output.distinct
            if plain and not _filtered(projections[index]) and count_index < 0:
                count_index = index
            continue
        if output.function == "SUM" and output.argument is not None and not output.distinct:
            lower, upper = column_bounds(grant, output.argument[1])
            _clamp(projections[index], lower, upper)
            noised.append((index, "sum", max(abs(lower), abs(upper))))
            continue
        raise SandboxUnsupported(
            f"under a privacy budget output column {output.name} must be COUNT(*), COUNT(column), "
            "COUNT(DISTINCT column) or SUM(column) of one column, or a GROUP BY key; averages follow as "
            "a noised SUM divided by a noised COUNT"
        )
    if count_index < 0:
        select.select(
            exp.alias_(exp.Count(this=exp.Star()), HIDDEN_COUNT, quoted=True, copy=False), copy=False
        )
        count_index = len(select.expressions) - 1
        noised.append((count_index, "count", 1.0))
    share = cost / len(noised)
    columns = tuple(NoisedColumn(i, kind, sens, share) for i, kind, sens in noised)
    return NoisePlan(select, columns, count_index, cost)


def _filtered(projection: exp.Expr) -> bool:
    return projection.find(exp.Filter) is not None


def _check_order(query: CheckedQuery) -> None:
    order = query.expression.args.get("order")
    if order is None:
        return
    aggregate_names = {o.name.lower() for o in query.outputs if o.kind == "aggregate"}
    for item in order.expressions:
        body = item.this
        named = isinstance(body, exp.Column) and not body.table and body.name.lower() in aggregate_names
        if named or any(isinstance(n, exp.AggFunc) for n in body.walk()):
            raise SandboxUnsupported(
                "under a privacy budget ORDER BY may only name GROUP BY keys: ordering by an exact "
                "aggregate would show what the noise hides"
            )


def _clamp(projection: exp.Expr, lower: float, upper: float) -> None:
    """Rewrite ``SUM(x)`` in place as ``SUM(LEAST(GREATEST(x, lower), upper))``."""
    aggregate = projection.unalias()
    if isinstance(aggregate, exp.Filter):
        aggregate = aggregate.this
    inner = aggregate.this
    bounded = exp.Least(
        this=exp.Greatest(this=inner.copy(), expressions=[exp.Literal.number(lower)]),
        expressions=[exp.Literal.number(upper)],
    )
    aggregate.set("this", bounded)


def column_bounds(table: GrantedTable, column: str) -> tuple[float, float]:
    """Clamping bounds of a numeric column: the min and max of its Parquet statistics, widened
    outward to a power of ten so that the bounds say little about the data."""
    lows: list[float] = []
    highs: list[float] = []
    for path in table.parquet_paths:
        meta = pq.ParquetFile(path).metadata
        position = meta.schema.to_arrow_schema().get_field_index(column)
        if position < 0:
            continue
        for group in range(meta.num_row_groups):
            stats = meta.row_group(group).column(position).statistics
            if stats is None or not stats.has_min_max:
                continue
            lows.append(float(stats.min))
            highs.append(float(stats.max))
    if not lows or not all(math.isfinite(v) for v in lows + highs):
        raise SandboxUnsupported(
            f"column {column} has no numeric statistics to clamp a noised SUM by; it cannot be summed "
            "under a privacy budget"
        )
    low, high = min(lows), max(highs)
    lower = 0.0 if low >= 0 else -_power_of_ten(-low)
    upper = 0.0 if high <= 0 else _power_of_ten(high)
    return lower, upper


def _power_of_ten(value: float) -> float:
    """The smallest power of ten at least ``value`` (> 0)."""
    return float(10.0 ** math.ceil(math.log10(value)))


@functools.lru_cache(maxsize=64)
def _laplace(scale: float) -> Any:
    """OpenDP's Laplace measurement on a vector of floats (one column, one value per group): a row
    added or removed moves one group's value by at most the sensitivity, so the l1 sensitivity of
    the whole column is the same. Built once per scale (building costs milliseconds)."""
    return dp_measurements.make_laplace(
        dp_domains.vector_domain(dp_domains.atom_domain(T=float, nan=False)),
        dp_metrics.l1_distance(T=float),
        scale=scale,
    )


def _privacy_loss(scale: float, sensitivity: float) -> float:
    """The ε the measurement of ``scale`` spends at ``sensitivity``, by OpenDP's privacy map."""
    if scale <= 0:
        return 0.0
    return float(_laplace(scale).map(sensitivity))


def add_noise(
    plan: NoisePlan, columns: Sequence[str], rows: Sequence[tuple[Any, ...]], k: int
) -> tuple[tuple[str, ...], list[tuple[Any, ...]], float]:
    """Noise the planned columns, drop groups whose noisy count is below ``k`` and the hidden count;
    returns the columns, the rows and the ε the OpenDP privacy maps report as spent."""
    spent = 0.0
    table = [list(row) for row in rows]
    for column in plan.columns:
        if column.sensitivity <= 0 or not table:
            # a clamped sum of bounds [0, 0] is 0 in every group: it discloses nothing
            spent += _privacy_loss(column.sensitivity / column.epsilon, column.sensitivity)
            continue
        scale = column.sensitivity / column.epsilon
        measurement = _laplace(scale)
        spent += _privacy_loss(scale, column.sensitivity)
        exact = [float(values[column.index] or 0) for values in table]
        noisy = measurement(exact)
        for values, value in zip(table, noisy, strict=True):
            values[column.index] = max(0, round(value)) if column.kind == "count" else round(value, 2)
    noised_rows = [tuple(values) for values in table if values[plan.count_index] >= k]
    names = tuple(columns)
    if HIDDEN_COUNT in names:
        hidden = names.index(HIDDEN_COUNT)
        names = names[:hidden] + names[hidden + 1 :]
        noised_rows = [r[:hidden] + r[hidden + 1 :] for r in noised_rows]
    return names, noised_rows, spent
