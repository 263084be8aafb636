"""The measures kept up to date as events arrive equal a full refresh of the same records (issue 20:
KPIs maintained incrementally, ``logispace tower refresh`` the repair path)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.tower import kpi_service
from logispace.domains.tower.kpis import incremental
from logispace.domains.tower.kpis.models import LegTerms, ShipmentParty, TowerMeasure
from tests.conftest import World
from tests.logistics.support import captured, document
from tests.logistics.waybill_support import Corridor, create, done
from tests.tower.support import gps, record_shipment

COLUMNS = (
    "kind",
    "value",
    "at",
    "day",
    "waybill_id",
    "leg",
    "corridor",
    "mode",
    "node",
    "owner_uscc",
    "subject",
)


def table(db: Session) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    measures = db.execute(select(*(getattr(TowerMeasure, c) for c in COLUMNS))).all()
    parties = db.execute(select(ShipmentParty.waybill_id, ShipmentParty.uscc)).all()
    return sorted(tuple(map(str, m)) for m in measures), sorted(tuple(map(str, p)) for p in parties)


def test_measures_kept_as_events_arrive_equal_a_refresh(
    client: TestClient, corridor: Corridor, world: World, db: Session, settings: Settings
) -> None:
    record_shipment(client, corridor, db)  # captures, terms and a prediction: no refresh
    kept = table(db)
    kinds = {row[0] for row in kept[0]}
    assert {
        "otif",
        "leg_transit_h",
        "dwell_h",
        "handover_delay_h",
        "km_driven",
        "co2e_kg",
        "eta_error_h",
    } <= kinds
    # a later GPS point of the truck (the van's day is untouched), then a waybill that is only created
    captured(client, corridor.road.actor, document(gps(3.8, 108.31), gps(3.85, 108.35)))
    other = create(client, corridor.shipper, corridor.body())["number"]
    done(client, corridor.shipper, other, "issue")
    kept = table(db)

    kpi_service.refresh(db, settings, utcnow())
    assert table(db) == kept


def test_a_promise_passing_without_events_is_settled_by_the_sweep(
    client: TestClient, corridor: Corridor, db: Session
) -> None:
    number = create(client, corridor.shipper, corridor.body())["number"]
    done(client, corridor.shipper, number, "issue")
    (waybill_id,) = db.scalars(select(ShipmentParty.waybill_id).distinct()).all()
    promised = utcnow() + timedelta(hours=1)
    db.add(LegTerms(waybill_id=waybill_id, sequence=len(corridor.carriers), promised_at=promised,
                    recorded_by_party_id=corridor.shipper.actor.party_id))  # fmt: skip
    db.flush()
    assert incremental.settle_due(db, promised - timedelta(minutes=1)) == 0
    assert incremental.settle_due(db, promised + timedelta(minutes=1)) == 1
    assert incremental.settle_due(db, promised + timedelta(minutes=2)) == 0  # settled once
    otif = db.scalars(select(TowerMeasure.value).where(TowerMeasure.kind == "otif")).all()
    assert otif == [0.0]
    with incremental.paused():  # a bulk load refreshing at its end keeps nothing meanwhile
        assert incremental.rebuild_waybills(db, [waybill_id], promised + timedelta(hours=1)) == 0
    assert incremental.rebuild_waybills(db, [waybill_id], promised + timedelta(hours=1)) == 1
