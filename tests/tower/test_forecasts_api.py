"""The forecast route (需求预测接口) on three hand-made waybills booked 30 hours apart: the history and
forecast of a corridor and of one commodity, each party's scope, bad queries as problems."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor, create
from tests.tower.volume_support import CORRIDOR, DURIAN


def get(client: TestClient, headers: dict[str, str], query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/v1/tower/forecasts{query}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_corridor_s_history_forecast_and_accuracy(client: TestClient, booked: Corridor) -> None:
    body = get(client, booked.shipper.headers, f"?corridor={CORRIDOR}&horizon=5")
    assert (body["measure"], body["horizon"], body["season_length"]) == ("shipments", 5, 24)
    assert body["step"] == "1h"
    (series,) = body["series"]
    assert (series["corridor"], series["commodity"]) == (CORRIDOR, None)
    assert (series["points"], series["total"]) == (61, 3)
    assert series["model"] == "seasonal_exponential_smoothing" and series["reason"] is None
    history = series["history"]
    assert len(history) == 61 and [p["y"] for p in history if p["y"]] == [1, 1, 1]
    assert history[0]["ds"].startswith("2026-11-14T00:00:00") and history[30]["y"] == 1
    assert [p["ds"][:19] for p in series["forecast"]] == [f"2026-11-16T{h:02d}:00:00" for h in range(13, 18)]
    assert all(p["y"] >= 0 for p in series["forecast"])
    assert series["accuracy"]["holdout"] == 24 and 0 <= series["accuracy"]["smape"] <= 200


def test_every_series_listed_and_one_commodity_in_tonnes(client: TestClient, booked: Corridor) -> None:
    listed = get(client, booked.consignee.headers)["series"]
    assert [(s["commodity"], s["points"], s["model"], s["history"]) for s in listed] == [
        (None, 61, "seasonal_exponential_smoothing", []),
        ("冷冻榴莲 frozen durian", 61, "seasonal_exponential_smoothing", []),
        ("锂电池 lithium batteries", 61, "seasonal_exponential_smoothing", []),
    ]
    tonnes = get(client, booked.road.headers, f"?corridor={CORRIDOR}&commodity={DURIAN}&measure=tonnes")
    (series,) = tonnes["series"]
    assert series["commodity"] == DURIAN and series["total"] == pytest.approx(3 * 21.5005)
    assert len(series["forecast"]) == 24  # the default horizon


def test_a_short_series_is_listed_with_its_reason(client: TestClient, corridor: Corridor) -> None:
    create(client, corridor.shipper, corridor.body())
    (series,) = get(client, corridor.shipper.headers, f"?corridor={CORRIDOR}")["series"]
    assert (series["points"], series["model"], series["reason"]) == (1, None, "too_few_points")
    assert len(series["history"]) == 1 and series["forecast"] == [] and series["accuracy"] is None


def test_a_party_never_sees_another_party_s_volumes(
    client: TestClient, booked: Corridor, world: World
) -> None:
    for outsider in (booked.outsider.headers, world.a_admin.headers):
        assert get(client, outsider)["series"] == []
        hidden = client.get(f"/api/v1/tower/forecasts?corridor={CORRIDOR}", headers=outsider)
        assert assert_problem(hidden, 404, "tower-corridor-not-found")["field"] == "corridor"
    everything = get(client, world.authority_admin.headers, f"?corridor={CORRIDOR}")
    assert everything["party"] is None and everything["series"][0]["total"] == 3
    assert client.get("/api/v1/tower/forecasts").status_code == 401


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("?corridor=CNSHA-DEHAM", 404, "corridor"),
        (f"?corridor={CORRIDOR}&commodity=无此品名", 404, "commodity"),
        (f"?corridor={CORRIDOR}&horizon=0", 422, "horizon"),
        (f"?corridor={CORRIDOR}&horizon=169", 422, "horizon"),
        (f"?corridor={CORRIDOR}&horizon=x", 422, "horizon"),
        ("?corridor=not-a-corridor", 422, "corridor"),
        (f"?corridor={CORRIDOR}&measure=pallets", 422, "measure"),
        ("?colour=red", 422, "colour"),
    ],
)
def test_bad_queries_are_problems_naming_the_field(
    client: TestClient, booked: Corridor, query: str, status: int, field: str
) -> None:
    response = client.get(f"/api/v1/tower/forecasts{query}", headers=booked.shipper.headers)
    body = assert_problem(response, status)
    assert field in response.text, body


def test_the_forecast_table_exports_as_csv_and_xlsx(
    client: TestClient, booked: Corridor, world: World
) -> None:
    url = f"/api/v1/tower/forecasts/export?corridor={CORRIDOR}&horizon=3"
    answer = client.get(url, headers=booked.shipper.headers)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert 'filename="tower-forecasts.csv"' in answer.headers["content-disposition"]
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "corridor,commodity,part,hour,volume,model,reason"
    parts = [line.split(",")[2] for line in lines[1:]]
    assert parts == ["history"] * 61 + ["forecast"] * 3
    chinese = client.get(url + "&header=zh&format=xlsx", headers=booked.shipper.headers)
    assert chinese.status_code == 200 and chinese.content[:2] == b"PK"  # a zip: the XLSX workbook
    listed = client.get("/api/v1/tower/forecasts/export?header=zh", headers=booked.consignee.headers)
    rows = listed.content.decode("utf-8-sig").splitlines()
    assert (
        rows[0].startswith("通道,品名,数据类别,时段,运量")
        and [r.split(",")[2] for r in rows[1:]] == ["series"] * 3
    )
    hidden = client.get(url, headers=world.a_admin.headers)  # another party's corridor: as if missing
    assert_problem(hidden, 404, "tower-corridor-not-found")
    assert client.get(url).status_code == 401
    bad = client.get(url + "&format=pdf", headers=booked.shipper.headers)
    assert "format" in assert_problem(bad, 422)["detail"]
