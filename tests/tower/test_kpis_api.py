"""Control-tower KPI and ETA API (控制塔指标与预计到达接口) on the hand-made shipment of
:mod:`tests.tower.support`: exact values, each party's scope, bad filters, files."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.conftest import World
from tests.factories.logistics import waybill_number
from tests.identity.support import assert_problem
from tests.tower.support import Shipment

CORRIDOR = "450702-500112"


def values(client: TestClient, headers: dict[str, str], query: str = "") -> dict[str, dict[str, Any]]:
    response = client.get(f"/api/v1/tower/kpis{query}", headers=headers)
    assert response.status_code == 200, response.text
    groups = response.json()["groups"]
    assert len(groups) == 1
    return {k["name"]: k["values"] for k in groups[0]["kpis"]}


# Worked out by hand from tests/tower/support.py: legs of 2, 24 and 1 hours; cargo 22.3005 t; 1,140 km.
EXPECTED_FOR_THE_AUTHORITY = {
    "otif": {"value": 1.0, "due": 1, "on_time_in_full": 1},
    "transit_time_leg": {"value": 2.0, "p50": 2.0, "p90": 24.0, "mean": 9.0, "count": 3},
    "transit_time_corridor": {"value": 33.0, "p50": 33.0, "p90": 33.0, "mean": 33.0, "count": 1},
    "dwell_time": {"value": 3.0, "p50": 3.0, "p90": 3.0, "mean": 3.0, "count": 2},
    "handover_delay": {"value": 1.0, "p50": 1.0, "p90": 1.5, "mean": 1.25, "count": 2},
    "container_turn_time": {"value": None, "p50": None, "p90": None, "mean": None, "count": 0},
    "eta_accuracy": {"value": 4.0, "p50": 4.0, "p90": 4.666667, "mean": 4.333334, "count": 2},
    "empty_running_rate": {"value": 0.5, "km_empty": 11.119, "km_driven": 22.239},
    "load_factor": {"value": 0.841528, "weight_t": 66.901, "capacity_t": 79.5},
    "cost_per_tonne_km": {"value": 0.184088, "tonne_km": 25422.57, "transport_per_tonne_km": 0.149473,
                          "storage_per_tonne_km": 0.009834, "handling_per_tonne_km": 0.019668,
                          "management_per_tonne_km": 0.005114},
    "carbon": {"value": 721.64418, "per_leg": 240.54806, "total_kg": 721.644, "g_per_tonne_km": 28.385965},
}  # fmt: skip


def test_the_authority_gets_every_kpi_of_the_hand_made_shipment(
    client: TestClient, shipment: Shipment, world: World
) -> None:
    assert values(client, world.authority_admin.headers) == EXPECTED_FOR_THE_AUTHORITY
    filtered = values(client, world.authority_admin.headers, f"?corridor={CORRIDOR}&kpi=otif&kpi=carbon")
    assert filtered == {k: EXPECTED_FOR_THE_AUTHORITY[k] for k in ("otif", "carbon")}
    rail = values(client, world.authority_admin.headers, "?mode=rail&kpi=transit_time_leg")
    assert rail["transit_time_leg"] == {"value": 24.0, "p50": 24.0, "p90": 24.0, "mean": 24.0, "count": 1}
    later = values(client, world.authority_admin.headers, "?period_from=2026-11-10&kpi=transit_time_leg")
    assert later["transit_time_leg"]["count"] == 0


def test_groups_by_mode(client: TestClient, shipment: Shipment, world: World) -> None:
    response = client.get(
        "/api/v1/tower/kpis?kpi=transit_time_leg&group_by=mode", headers=world.authority_admin.headers
    )
    got = {g["group"]["mode"]: g["kpis"][0]["values"]["mean"] for g in response.json()["groups"]}
    assert got == {"rail": 24.0, "road": 1.5}


def test_each_party_sees_its_own_shipments_vehicles_and_containers_only(
    client: TestClient, shipment: Shipment, world: World
) -> None:
    c = shipment.corridor
    shipper = values(client, c.shipper.headers)
    # the shipper is on the waybill but does not own the truck: no empty running of its own
    assert shipper["empty_running_rate"] == {"value": None, "km_empty": 0.0, "km_driven": 0.0}
    assert {k: v for k, v in shipper.items() if k != "empty_running_rate"} == {
        k: v for k, v in EXPECTED_FOR_THE_AUTHORITY.items() if k != "empty_running_rate"
    }
    assert values(client, c.road.headers)["empty_running_rate"]["value"] == 0.5
    outsider = values(client, c.outsider.headers)
    assert outsider["otif"] == {"value": None, "due": 0, "on_time_in_full": 0}
    assert outsider["transit_time_leg"]["count"] == 0 and outsider["carbon"]["total_kg"] == 0.0
    theirs = client.get(f"/api/v1/tower/kpis?party={c.shipper.uscc}", headers=c.outsider.headers)
    assert_problem(theirs, 403, "tower-party-out-of-reach")
    own = client.get(f"/api/v1/tower/kpis?party={c.outsider.uscc}", headers=c.outsider.headers)
    assert own.status_code == 200
    as_shipper = values(client, world.authority_admin.headers, f"?party={c.shipper.uscc}")
    assert as_shipper == shipper
    hidden = client.get(f"/api/v1/tower/kpis?corridor={CORRIDOR}", headers=c.outsider.headers)
    missing = client.get("/api/v1/tower/kpis?corridor=CNSHA-DEHAM", headers=c.outsider.headers)
    assert assert_problem(hidden, 404, "tower-corridor-not-found")["field"] == "corridor"
    assert assert_problem(missing, 404, "tower-corridor-not-found")["title"] == hidden.json()["title"]


BAD = [
    ("?kpi=speed", "kpi"),
    ("?mode=teleport", "mode"),
    ("?period_from=2026-11-05&period_to=2026-11-01", "period_to"),
    ("?corridor=not a corridor", "corridor"),
    ("?group_by=party", "group_by"),
]


@pytest.mark.parametrize(("query", "field"), BAD)
def test_bad_filters_are_refused_naming_the_field(
    client: TestClient, world: World, query: str, field: str
) -> None:
    problem = assert_problem(client.get(f"/api/v1/tower/kpis{query}", headers=world.a_admin.headers), 422)
    assert field in str(problem)


def test_only_the_authority_rebuilds_the_measures(
    client: TestClient, shipment: Shipment, world: World
) -> None:
    assert_problem(client.post("/api/v1/tower/kpis/refresh", headers=world.a_admin.headers), 403)
    done = client.post("/api/v1/tower/kpis/refresh", headers=world.authority_admin.headers)
    assert done.status_code == 200 and done.json()["shipments"] >= 1
    assert client.get("/api/v1/tower/kpis").status_code == 401


def test_eta_of_a_waybill_and_its_history(client: TestClient, shipment: Shipment, world: World) -> None:
    c = shipment.corridor
    read = client.get(f"/api/v1/tower/eta/{shipment.number}", headers=c.rail.headers).json()
    assert read["status"] == "arrived" and read["corridor"] == CORRIDOR
    assert read["arrival"] == "2026-11-03T10:00:00Z"
    assert [leg["predicted_arrival"] for leg in read["legs"]] == [None, None, None]
    assert [(p["leg"], p["method"], p["error_h"]) for p in read["history"]] == [
        (2, "baseline", 4.0),  # 1,000 km at 50 km/h from 06:00: 02:00 next day, arrived 06:00
        (3, "baseline", 4.666667),  # + 12 h default dwell + 40 km at 60 km/h
    ]
    assert (
        client.get(f"/api/v1/tower/eta/{shipment.number}", headers=world.authority_admin.headers).status_code
        == 200
    )
    for stranger in (c.outsider.headers, world.b_admin.headers):
        theirs = client.get(f"/api/v1/tower/eta/{shipment.number}", headers=stranger)
        missing = client.get(f"/api/v1/tower/eta/{waybill_number()}", headers=stranger)
        assert assert_problem(theirs, 404, "tower-waybill-not-found")["title"] == missing.json()["title"]
        assert c.shipper.uscc not in theirs.text
        export = client.get(f"/api/v1/tower/eta/{shipment.number}/export", headers=stranger)
        assert_problem(export, 404, "tower-waybill-not-found")


def test_tables_export_as_csv_and_xlsx_with_chinese_headers(
    client: TestClient, shipment: Shipment, world: World
) -> None:
    h = world.authority_admin.headers
    response = client.get("/api/v1/tower/kpis/export?kpi=otif&format=csv&header=zh", headers=h)
    assert response.headers["content-type"].startswith("text/csv"), response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["通道", "运输方式", "日期", "节点", "指标", "指标名称", "单位", "度量", "数值"]
    assert rows[1:] == [["", "", "", "", "otif", "准时足额交付率", "%", "value", "1.0"],
                        ["", "", "", "", "otif", "准时足额交付率", "%", "due", "1"],
                        ["", "", "", "", "otif", "准时足额交付率", "%", "on_time_in_full", "1"]]  # fmt: skip
    book = client.get(f"/api/v1/tower/eta/{shipment.number}/export?format=xlsx", headers=h)
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][:4] == ["leg", "mode", "origin", "destination"]
    assert [r[:4] for r in table[1:]] == [[1, "road", "450702", "CNQZH"], [2, "rail", "CNQZH", "CNCKG"],
                                          [3, "road", "CNCKG", "500112"]]  # fmt: skip
    outsider = client.get(
        "/api/v1/tower/kpis/export?kpi=otif&format=csv", headers=shipment.corridor.outsider.headers
    )
    assert "1.0" not in outsider.content.decode("utf-8-sig").split("\r\n", 1)[1]
