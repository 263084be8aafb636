"""The control-tower pages (控制塔页面) render what the API computes for the caller, in Chinese."""

from __future__ import annotations

import json
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from logispace.domains.logistics.waybills.models import Waybill
from tests.conftest import World
from tests.identity.support import Browser
from tests.logistics.waybill_support import Corridor
from tests.tower.support import Shipment
from tests.tower.volume_support import BOOKED, CORRIDOR
from tests.web.page_text import foreign_words, parse

HOUR = timedelta(hours=1)


def _text(html: str) -> str:
    return parse(html)[0]


def test_the_dashboard_eta_and_authority_pages(client: TestClient, shipment: Shipment, world: World) -> None:
    shipper = Browser(client, shipment.corridor.shipper.actor.username)
    page = shipper.client.get("/tower")
    assert page.status_code == 200, page.text
    text = _text(page.text)
    assert "准时足额交付率 100.0%" in text and "区段运输时长分布" in text and "异常预警" in text
    assert foreign_words(text) == []
    assert '"shipments": 1' in page.text  # the corridor's flow on the map
    rail = shipper.client.get("/tower?mode=rail&period_from=2026-11-01")
    assert rail.status_code == 200 and "通道全程时长 暂无" in _text(rail.text)
    bad = shipper.client.get("/tower?corridor=CNSHA-DEHAM")
    assert bad.status_code == 404 and "以下筛选条件无效" in _text(bad.text)
    found = shipper.client.get(f"/tower?waybill={shipment.number}", follow_redirects=False)
    assert found.headers["location"] == f"/tower/eta/{shipment.number}"
    eta = shipper.client.get(found.headers["location"])
    assert eta.status_code == 200
    eta_text = _text(eta.text)
    assert "预测记录" in eta_text and "4.7 小时" in eta_text and foreign_words(eta_text) == []
    assert shipper.client.get("/tower/authority").status_code == 403
    outsider = Browser(
        TestClient(client.app, base_url="http://testserver"), shipment.corridor.outsider.actor.username
    )
    assert outsider.client.get(f"/tower/eta/{shipment.number}").status_code == 404
    assert "准时足额交付率 暂无" in _text(outsider.client.get("/tower").text)


def test_the_authority_sees_cost_and_carbon_by_party(
    client: TestClient, shipment: Shipment, world: World
) -> None:
    admin = Browser(client, world.authority_admin.username)
    page = admin.client.get("/tower/authority")
    assert page.status_code == 200, page.text
    text = _text(page.text)
    assert text.count("721.6 千克二氧化碳当量") >= 5  # each party on the waybill, the corridor, the total
    assert "0.184 元/吨公里" in text and "公路" in text and "铁路" in text
    assert foreign_words(text) == []


def test_the_dashboard_draws_the_chosen_corridor_s_forecast(
    client: TestClient, shipment: Shipment, booked: Corridor, db: Session
) -> None:
    # the hand-made shipment (its KPIs make the corridor known to the dashboard) booked 30 h after the third
    db.execute(update(Waybill).where(Waybill.number == shipment.number).values(created_at=BOOKED + 90 * HOUR))
    db.commit()
    shipper = Browser(client, booked.shipper.actor.username)
    hint = _text(shipper.client.get("/tower").text)
    assert "选择通道后显示该通道未来24小时每小时新增运单数的预测" in hint
    page = shipper.client.get(f"/tower?corridor={CORRIDOR}")
    assert page.status_code == 200, _text(page.text)
    text = _text(page.text)
    assert "预测模型：季节性指数平滑（以24小时为周期）" in text and "对称平均绝对百分比误差" in text
    assert foreign_words(text) == []
    chart = json.loads(page.text.split('id="tower-forecast-data">', 1)[1].split("</script>", 1)[0])
    # 91 hours booked (11-14 00:00 to 11-17 18:00 UTC): the last 72 drawn, then the next 24, Beijing time
    assert len(chart["times"]) == 72 + 24 and chart["times"][0] == "11-15 03:00"
    assert chart["times"][71] == "11-18 02:00" and chart["times"][-1] == "11-19 02:00"
    assert chart["history"][:72].count(1) == 3 and chart["history"][72:] == [None] * 24
    assert chart["forecast"][:71] == [None] * 71 and None not in chart["forecast"][71:]
