"""The alert feed (异常预警) in headless chromium on the live server: a user's journey from an alert
raised by a captured event to its resolution.

The port (北部湾国际港务示范集团, the consignee) keeps a cold-chain rule; the railway captures a reading
of -5 °C for a reefer whose range is -20 to -15 °C; the port's administrator finds the alert from the
navigation, acknowledges it, resolves it with a note, and finds it under 已解决.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from logispace.core.db import make_engine, make_sessionmaker
from logispace.core.transport_ids import container_with_check_digit
from logispace.domains.identity.service import user_by_username
from logispace.domains.logistics.intake.adapters import CONTAINER_URN
from tests.conftest import LiveServer
from tests.factories.identity import make_token
from tests.web.test_browser import log_in
from tests.web.test_trace_browser import CARRIER, PORT, RAIL, Api, _time

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def reefer(live_server: LiveServer) -> Iterator[str]:
    """A reefer waybill of the carrier to the port, with the port's rule and a warm reading: its number."""
    engine = make_engine(live_server.env["LOGISPACE_DATABASE_URL"])
    with make_sessionmaker(engine)() as db:
        tokens = {}
        for name in ("carrier", "rail", "port"):
            user = user_by_username(db, name)
            assert user is not None, f"the demo user {name} is missing"
            tokens[name] = make_token(db, user)
        db.commit()
    carrier, rail, port = (Api(live_server, tokens[n]) for n in ("carrier", "rail", "port"))
    rule = port.call(
        "POST", "/api/v1/tower/rules", json={"name": "冷链温度", "kind": "temperature", "threshold": 0}
    )
    assert rule.status_code == 201, rule.text
    number = f"MT2026AL{random.randrange(10**6):06d}"
    container = container_with_check_digit(f"LSRU{random.randrange(10**6):06d}")
    draft = {
        "waybill_no": number,
        "consignor_uscc": CARRIER,
        "consignee_uscc": PORT,
        "legs": [{"mode": "rail", "carrier_uscc": RAIL, "origin": "CNCKG", "destination": "CNQZH"}],
        "cargo": [{"description": "冷冻虾仁", "packages": 900, "gross_weight_kg": 18000}],
        "containers": [container],
        "temperature": {"min_c": -20, "max_c": -15},
    }
    assert carrier.call("POST", "/api/v1/waybills", json=draft).status_code == 201
    carrier.act(number, "issue")
    rail.act(number, "pick_up")
    rail.capture(
        {
            "type": "ObjectEvent",
            "eventTime": _time(1),
            "eventTimeZoneOffset": "+00:00",
            "epcList": [CONTAINER_URN + container],
            "action": "OBSERVE",
            "bizStep": "transporting",
            "sensorElementList": [
                {"sensorReport": [{"type": "gs1:Temperature", "value": -5.0, "uom": "CEL"}]}
            ],
            "bizTransactionList": [{"type": "bol", "bizTransaction": "urn:logispace:waybill:" + number}],
        }
    )
    yield number
    engine.dispose()


def test_an_alert_is_acknowledged_then_resolved_with_a_note(
    page: Page, live_server: LiveServer, reefer: str
) -> None:
    log_in(page, "port")
    page.get_by_test_id("menu-tower").hover()
    page.get_by_test_id("nav-alerts").click()
    expect(page).to_have_url(f"{live_server.url}/tower/alerts")
    row = page.get_by_test_id("alert-row").filter(has_text=reefer)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("温度异常")
    expect(row).to_contain_text("温度 -5.0℃，超出冷链范围 -20.0～-15.0℃")
    expect(row.get_by_test_id("alert-status")).to_contain_text("待处理")

    row.get_by_test_id("alert-ack").click()
    expect(page).to_have_url(f"{live_server.url}/tower/alerts")
    row = page.get_by_test_id("alert-row").filter(has_text=reefer)
    expect(row.get_by_test_id("alert-status")).to_contain_text("已确认")
    expect(row.get_by_test_id("alert-ack")).to_have_count(0)

    row.get_by_label("处理说明").fill("冷机除霜后恢复，已通知收货人复检")
    row.get_by_test_id("alert-resolve").click()
    expect(page.get_by_test_id("alert-row").filter(has_text=reefer)).to_have_count(0)  # gone from 未解决

    page.get_by_test_id("alert-filter").get_by_role("link", name="已解决").click()
    resolved = page.get_by_test_id("alert-row").filter(has_text=reefer)
    expect(resolved.get_by_test_id("alert-status")).to_contain_text("已解决")
    expect(resolved).to_contain_text("冷机除霜后恢复，已通知收货人复检")
