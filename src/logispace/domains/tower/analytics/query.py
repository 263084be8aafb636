"""The KPI query (指标查询), written once: one aggregate over ``tower_measures`` built with sqlglot and
transpiled to the engine's dialect (SQLite, PostgreSQL, DuckDB, Spark).

Per kind of measure and group it returns the count, the sum, the nearest-rank p50 and p90 (the
smallest value whose rank r among n satisfies ``100 r >= p n``: integer arithmetic and window
functions only, so every engine computes it the same way) and the number of distinct shipments.
A party's query keeps the measures of shipments it is a party to and those it owns (its vehicles,
its containers); the authority's keeps all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlglot
from sqlglot import exp

MEASURES = "tower_measures"
SHIPMENT_PARTIES = "tower_shipment_parties"
DIMENSIONS = ("corridor", "mode", "day", "node")
"""What KPIs may be grouped by."""
STATS = ("kind", "n", "total", "p50", "p90", "shipments")
SOURCE_DIALECT = "postgres"
"""The dialect the query is built in; :func:`sql` transpiles it."""


@dataclass(frozen=True)
class KpiFilter:
    """What the KPI query keeps (指标筛选): kinds, and optionally party, corridor, mode and days."""

    kinds: tuple[str, ...]
    party_uscc: str | None = None
    corridor: str | None = None
    mode: str | None = None
    day_from: str | None = None
    day_to: str | None = None
    group_by: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        unknown = [d for d in self.group_by if d not in DIMENSIONS]
        if unknown:
            raise ValueError(f"cannot group by {unknown[0]!r}")


def _text(value: str) -> exp.Literal:
    return exp.Literal.string(value)


def condition(f: KpiFilter) -> exp.Condition:
    """The WHERE clause of the filter, values as quoted literals."""
    conds: list[exp.Condition] = [exp.column("kind").isin(*(_text(k) for k in f.kinds))]
    for name in ("corridor", "mode"):
        value = getattr(f, name)
        if value is not None:
            conds.append(exp.column(name).eq(_text(value)))
    if f.day_from is not None:
        conds.append(exp.column("day") >= _text(f.day_from))
    if f.day_to is not None:
        conds.append(exp.column("day") <= _text(f.day_to))
    if f.party_uscc is not None:
        parties = (
            exp.select("waybill_id").from_(SHIPMENT_PARTIES).where(exp.column("uscc").eq(_text(f.party_uscc)))
        )
        conds.append(
            exp.or_(
                exp.column("waybill_id").isin(query=parties),
                exp.column("owner_uscc").eq(_text(f.party_uscc)),
            )
        )
    return exp.and_(*conds)


def build(f: KpiFilter) -> exp.Select:
    """The aggregate query as a sqlglot expression."""
    dims = list(f.group_by)
    partition = ", ".join(["kind", *dims])
    # identifiers come from DIMENSIONS only (checked by KpiFilter); values go through condition()
    ranked = sqlglot.parse_one(
        f"SELECT {', '.join([*dims, 'kind', 'value', 'waybill_id'])}, "  # noqa: S608
        f"ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY value) AS rn, "
        f"COUNT(*) OVER (PARTITION BY {partition}) AS cnt FROM {MEASURES}",
        read=SOURCE_DIALECT,
    )
    if not isinstance(ranked, exp.Select):  # pragma: no cover - the template is a SELECT
        raise TypeError("not a SELECT")
    ranked = ranked.where(condition(f))
    outer = sqlglot.parse_one(
        f"SELECT {', '.join([*dims, 'kind'])}, COUNT(*) AS n, SUM(value) AS total, "  # noqa: S608
        "MIN(CASE WHEN rn * 100 >= 50 * cnt THEN value END) AS p50, "
        "MIN(CASE WHEN rn * 100 >= 90 * cnt THEN value END) AS p90, "
        "COUNT(DISTINCT waybill_id) AS shipments FROM ranked_measures "
        f"GROUP BY {partition} ORDER BY {partition}",
        read=SOURCE_DIALECT,
    )
    if not isinstance(outer, exp.Select):  # pragma: no cover - the template is a SELECT
        raise TypeError("not a SELECT")
    return outer.from_(ranked.subquery("ranked_measures"))


def sql(f: KpiFilter, dialect: str) -> str:
    """The query in ``dialect`` (``sqlite``, ``postgres``, ``duckdb``, ``spark``)."""
    return build(f).sql(dialect=dialect)
