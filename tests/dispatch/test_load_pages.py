"""Dispatch form pages (货源发布与运力登记): a load posted and a vehicle registered through the same
bodies and services as the API; a refused form comes back in Chinese, naming the field, with the API's
status, and nothing is written."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import World
from tests.identity.support import Browser
from tests.web.page_text import foreign_words, parse

API = "/api/v1/dispatch"
NEXT_YEAR = (datetime.now(UTC).date() + timedelta(days=365)).isoformat()

LOAD = {
    "load_reference": "PG-1",
    "posted": "on",
    "pickup_lon": "108.37",
    "pickup_lat": "22.82",
    "pickup_place": "450100",
    "drop_lon": "108.65",
    "drop_lat": "21.98",
    "drop_place": "",
    "weight_t": "12.5",
    "volume_m3": "30",
    "vehicle_type": "",
    "earliest_pickup": "2030-01-02T08:00",
    "latest_pickup": "2030-01-02T12:00",
    "required_qualification": "",
}
VEHICLE = {
    "plate": "桂A12345",
    "vehicle_type": "box",
    "capacity_t": "30",
    "qualifications": ["RTC"],
    "certificate_valid_until": NEXT_YEAR,
    "driver_qualified": "on",
    "lon": "108.37",
    "lat": "22.82",
    "available_from": "",
}


@pytest.fixture
def page(app: FastAPI, world: World) -> Browser:
    return Browser(TestClient(app, base_url="http://testserver"), world.b_admin.username)


def test_a_load_and_a_vehicle_posted_through_the_forms(
    page: Browser, client: TestClient, world: World
) -> None:
    for url in ("/dispatch/loads/new", "/dispatch/vehicles/new"):
        shown = page.get(url)
        assert shown.status_code == 200
        assert foreign_words(parse(shown.text)[0], {world.b_admin.username}) == []
    assert page.post("/dispatch/loads", LOAD).status_code == 303
    assert page.post("/dispatch/vehicles", VEHICLE).status_code == 303
    headers = world.b_admin.headers
    (load,) = client.get(f"{API}/loads", headers=headers).json()
    assert (load["reference"], load["posted"], load["weight_t"], load["volume_m3"]) == (
        "PG-1",
        True,
        12.5,
        30,
    )
    assert load["earliest_pickup"].startswith("2030-01-02T00:00")  # 08:00 Beijing time
    assert load["drop_place"] is None and load["vehicle_type"] is None
    (vehicle,) = client.get(f"{API}/vehicles", headers=headers).json()
    assert (vehicle["plate"], vehicle["qualifications"], vehicle["eligible"]) == ("桂A12345", ["RTC"], True)
    board = page.get("/dispatch").text
    assert "PG-1" in board and "桂A12345" in board


CASES: list[tuple[str, dict[str, Any], int, list[str]]] = [
    ("/dispatch/loads", {**LOAD, "weight_t": ""}, 422, ["重量（吨）：必须填写。"]),
    ("/dispatch/loads", {**LOAD, "pickup_lat": "95"}, 422, ["装货地纬度：超出了允许的最大值。"]),
    ("/dispatch/loads", {**LOAD, "weight_t": "十吨"}, 422, ["重量（吨）：请填写数字。"]),
    ("/dispatch/loads", {**LOAD, "load_reference": "货1"}, 422, ["货源编号：格式不正确。"]),
    (
        "/dispatch/loads",
        {**LOAD, "latest_pickup": "2030-01-02T07:00"},
        422,
        ["最晚装货时间：装货时限的结束时间早于开始时间。"],
    ),
    ("/dispatch/vehicles", {**VEHICLE, "plate": "ABC"}, 422, ["车牌号：内容过短。"]),
    ("/dispatch/vehicles", {**VEHICLE, "plate": "ABC1234"}, 422, ["车牌号：格式不正确。"]),
    ("/dispatch/vehicles", {**VEHICLE, "capacity_t": "-1"}, 422, ["载重（吨）：不能小于允许的最小值。"]),
    ("/dispatch/vehicles", {**VEHICLE, "vehicle_type": "rocket"}, 422, ["车型：请从列表中选择。"]),
    (
        "/dispatch/loads/from-waybill",
        {"waybill_no": "NO-SUCH-1"},
        404,
        ["未找到该运单，或本单位不是该运单的当事方。"],
    ),
]


@pytest.mark.parametrize(("url", "form", "status", "messages"), CASES)
def test_a_refused_form_says_why_in_chinese_and_writes_nothing(
    page: Browser,
    client: TestClient,
    world: World,
    url: str,
    form: dict[str, Any],
    status: int,
    messages: list[str],
) -> None:
    refused = page.post(url, form)
    assert refused.status_code == status, refused.text
    assert 'data-testid="form-errors"' in refused.text
    for message in messages:
        assert message in refused.text
    assert foreign_words(parse(refused.text)[0], {world.b_admin.username}) == []
    for kind in ("loads", "vehicles"):
        assert client.get(f"{API}/{kind}", headers=world.b_admin.headers).json() == []


def test_a_second_load_or_plate_is_a_conflict_and_an_analyst_may_not_post(
    page: Browser, app: FastAPI, world: World
) -> None:
    assert page.post("/dispatch/loads", LOAD).status_code == 303
    assert page.post("/dispatch/vehicles", VEHICLE).status_code == 303
    again = page.post("/dispatch/loads", LOAD)
    assert again.status_code == 409 and "本单位已有该编号的货源" in again.text
    twice = page.post("/dispatch/vehicles", VEHICLE)
    assert twice.status_code == 409 and "本单位已登记该车牌号的车辆" in twice.text
    analyst = Browser(TestClient(app, base_url="http://testserver"), world.a_analyst.username)
    assert analyst.get("/dispatch/loads/new").status_code == 403
    refused = analyst.post("/dispatch/vehicles", VEHICLE)
    assert refused.status_code == 403 and "您没有办理此事项的权限" in refused.text
