"""Where the KPI query runs (指标查询引擎): on the platform's own database (SQLite or PostgreSQL, through
the request's session) or on a query engine over Parquet (DuckDB, Spark: local in tests, a cluster by
configuration, :mod:`logispace.storage.engines`), for corridors that outgrow one machine.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from logispace.domains.tower.analytics.query import (
    MEASURES,
    SHIPMENT_PARTIES,
    SOURCE_DIALECT,
    STATS,
    KpiFilter,
    sql,
)
from logispace.domains.tower.kpis.definitions import KindStats
from logispace.domains.tower.kpis.models import ShipmentParty, TowerMeasure
from logispace.storage.engines import EngineLimits, View, get_engine

Group = tuple[str | None, ...]
MEASURE_COLUMNS = ("kind", "value", "day", "waybill_id", "leg", "corridor", "mode", "node", "owner_uscc")
PARTY_COLUMNS = ("waybill_id", "uscc")
SESSION_DIALECTS = {"sqlite": "sqlite", "postgresql": "postgres"}


def rows_to_stats(
    rows: Iterable[Sequence[object]], group_by: Sequence[str]
) -> dict[Group, dict[str, KindStats]]:
    """The query's rows as ``{group: {kind: KindStats}}``, numbers as plain Python numbers."""
    out: dict[Group, dict[str, KindStats]] = defaultdict(dict)
    width = len(group_by)
    for row in rows:
        group = tuple(None if v is None else str(v) for v in row[:width])
        kind, n, total, p50, p90, shipments = row[width : width + len(STATS)]
        out[group][str(kind)] = KindStats(
            int(n),  # type: ignore[call-overload]
            float(total or 0.0),  # type: ignore[arg-type]
            None if p50 is None else float(p50),  # type: ignore[arg-type]
            None if p90 is None else float(p90),  # type: ignore[arg-type]
            int(shipments),  # type: ignore[call-overload]
        )
    return dict(out)


def on_session(session: Session, f: KpiFilter) -> dict[Group, dict[str, KindStats]]:
    """Run the query on the session's database (SQLite or PostgreSQL)."""
    dialect = SESSION_DIALECTS[session.get_bind().dialect.name]
    rows = session.execute(text(sql(f, dialect))).all()
    return rows_to_stats(rows, f.group_by)


def export_parquet(session: Session, folder: Path) -> dict[str, View]:
    """Write the measures and the shipment parties as Parquet files in ``folder``: the views an engine
    over Parquet reads (ids as text)."""
    folder.mkdir(parents=True, exist_ok=True)
    measures = session.execute(select(*(getattr(TowerMeasure, c) for c in MEASURE_COLUMNS))).all()
    parties = session.execute(select(ShipmentParty.waybill_id, ShipmentParty.uscc)).all()
    views = {}
    for name, columns, rows in (
        (MEASURES, MEASURE_COLUMNS, measures),
        (SHIPMENT_PARTIES, PARTY_COLUMNS, parties),
    ):
        data = {c: [None if r[i] is None else _plain(c, r[i]) for r in rows] for i, c in enumerate(columns)}
        path = folder / f"{name}.parquet"
        pq.write_table(pa.table(data, schema=_schema(columns)), path)
        views[name] = View((path,), columns)
    return views


def _plain(column: str, value: object) -> object:
    return str(value) if column == "waybill_id" else value


def _schema(columns: Sequence[str]) -> pa.Schema:
    types = {"value": pa.float64(), "leg": pa.int64()}
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])


def on_engine(
    engine: str, views: dict[str, View], f: KpiFilter, limits: EngineLimits | None = None
) -> dict[Group, dict[str, KindStats]]:
    """Run the query on a query engine over Parquet (``duckdb`` or ``spark``)."""
    limits = limits or EngineLimits(memory_mb=1024, threads=2, timeout_s=300.0, max_output_rows=100_000)
    result = get_engine(engine).run(sql(f, SOURCE_DIALECT), views, limits, dialect=SOURCE_DIALECT)
    return rows_to_stats(result.rows, f.group_by)
