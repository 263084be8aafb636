"""The KPI query written once (sqlglot) gives the same numbers on the platform's database (SQLite, or
PostgreSQL in the PostgreSQL pass), on DuckDB and on PySpark local over the same measures as Parquet."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert
from sqlalchemy.orm import Session

from logispace.domains.tower.analytics import engines
from logispace.domains.tower.analytics.query import KpiFilter, sql
from logispace.domains.tower.kpis.definitions import KPI_BY_NAME, KindStats, evaluate
from logispace.domains.tower.kpis.measures import Assignment, container_turns
from logispace.domains.tower.kpis.models import TowerMeasure
from logispace.domains.tower.kpis.service import measure_row
from logispace.storage.engines import SparkEngine
from tests.tower.support import Shipment, at

pytestmark = pytest.mark.spark

KINDS = (
    "leg_transit_h",
    "dwell_h",
    "handover_delay_h",
    "tonne_km",
    "co2e_kg",
    "km_driven",
    "km_empty",
    "container_turn_h",
)
LEG_TRANSIT = KindStats(3, 27.0, 2.0, 24.0, 1)
OTHER_OWNER = "91500000MA00000011"


def add_container_turns(db: Session, owner: str) -> None:
    """Three turns of two boxes (5.5 h, 30.25 h of the owner's box; 12 h of another owner's box): no
    waybill, no corridor or mode, in the owner's scope through ``owner_uscc``."""
    box, other = "MSKU1234565", "TGHU7654321"
    assignments = [
        Assignment(box, at(0.0), at(10.0), owner),
        Assignment(box, at(15.5), at(20.0), owner),
        Assignment(box, at(50.25), None, owner),
        Assignment(other, at(1.0), at(2.0), OTHER_OWNER),
        Assignment(other, at(14.0), None, OTHER_OWNER),
    ]
    db.execute(insert(TowerMeasure), [measure_row(m) for m in container_turns(assignments)])
    db.flush()


def _rounded(
    stats: dict[engines.Group, dict[str, KindStats]],
) -> dict[engines.Group, dict[str, tuple[object, ...]]]:
    return {
        group: {k: (s.n, round(s.total, 6), s.p50, s.p90, s.shipments) for k, s in by_kind.items()}
        for group, by_kind in stats.items()
    }


def test_the_same_kpi_query_gives_the_same_numbers_on_every_engine(
    db: Session, shipment: Shipment, tmp_path: Path, spark: SparkEngine
) -> None:
    uscc = shipment.corridor.shipper.uscc
    add_container_turns(db, uscc)
    filters = [
        KpiFilter(KINDS),
        KpiFilter(KINDS, party_uscc=uscc, group_by=("mode",)),
        KpiFilter(
            KINDS,
            party_uscc=uscc,
            corridor="450702-500112",
            day_from="2026-11-01",
            day_to="2026-11-30",
            group_by=("corridor", "day"),
        ),
    ]
    views = engines.export_parquet(db, tmp_path)
    for f in filters:
        on_database = _rounded(engines.on_session(db, f))
        assert on_database, sql(f, "sqlite")
        assert _rounded(engines.on_engine("duckdb", views, f)) == on_database
        assert _rounded(engines.on_engine("spark", views, f)) == on_database
    whole = engines.on_session(db, filters[0])[()]
    assert whole["leg_transit_h"] == LEG_TRANSIT
    assert whole["container_turn_h"] == KindStats(3, 47.75, 12.0, 30.25, 0)
    own = engines.on_session(db, KpiFilter(("container_turn_h",), party_uscc=uscc, group_by=("day",)))
    assert {g: v["container_turn_h"].total for g, v in own.items()} == {
        ("2026-11-02",): 5.5,
        ("2026-11-04",): 30.25,
    }
    assert evaluate(KPI_BY_NAME["empty_running_rate"], whole)["value"] == 0.5
    by_mode = engines.on_session(db, filters[1])
    assert by_mode[("rail",)]["leg_transit_h"] == KindStats(1, 24.0, 24.0, 24.0, 1)
    assert by_mode[(None,)]["container_turn_h"] == KindStats(2, 35.75, 5.5, 30.25, 0)  # not the other owner's


def test_the_query_is_transpiled_for_each_dialect() -> None:
    f = KpiFilter(("otif",), party_uscc="91450100MA00000065", group_by=("day",))
    for dialect in ("sqlite", "postgres", "duckdb", "spark"):
        text = sql(f, dialect)
        assert "ROW_NUMBER() OVER (PARTITION BY kind, day ORDER BY value" in text
        assert "'91450100MA00000065'" in text
    with pytest.raises(ValueError, match="cannot group by 'party'"):
        KpiFilter(("otif",), group_by=("party",))
    quoted = sql(KpiFilter(("otif",), corridor="x' OR '1'='1"), "sqlite")
    assert "corridor = 'x'' OR ''1''=''1'" in quoted
