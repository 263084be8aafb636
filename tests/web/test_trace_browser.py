"""The trace page (全程追溯) in headless chromium on the live server.

The test makes its own two-leg waybill through the API with the demo carriers' tokens (rail
重庆团结村 -> 钦州港, then sea 钦州港 -> Singapore, handed over at 钦州港) and the EPCIS events of
both carriers, then the consignor finds it from the navigation and the search box: the timeline
shows both legs and the handover, and each signed document's verdict; a document forged in the
database afterwards shows 与存证版本不一致 (tampered).
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select, update

from logispace.core.db import make_engine, make_sessionmaker
from logispace.core.identifiers import uscc_with_check_character
from logispace.core.transport_ids import container_with_check_digit
from logispace.domains.identity.service import user_by_username
from logispace.domains.logistics.intake.adapters import CONTAINER_URN
from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent
from tests.conftest import LiveServer
from tests.factories.identity import make_token
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

CARRIER = uscc_with_check_character("91500000MA0000005")  # 陆海新通道示范物流有限公司: the consignor
RAIL = uscc_with_check_character("91450000MA0000007")  # 中国铁路示范局集团有限公司
SHIPPING = uscc_with_check_character("91450700MA0000011")  # 北部湾示范航运有限公司
PORT = uscc_with_check_character("91450700MA0000004")  # 北部湾国际港务示范集团有限公司: consignee
TRAIN = "urn:logispace:train:X8081"
VESSEL = "urn:logispace:vessel:9876543"
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


@dataclass
class Api:
    """Bearer-token calls to the live server as one demo user."""

    server: LiveServer
    token: str

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return httpx.request(method, self.server.url + path, headers=headers, timeout=30, **kwargs)

    def act(self, number: str, action: str) -> None:
        response = self.call("POST", f"/api/v1/waybills/{number}/actions", json={"action": action})
        assert response.status_code == 200, response.text

    def capture(self, *events: dict[str, Any]) -> None:
        body = {
            "@context": [EPCIS_CONTEXT],
            "type": "EPCISDocument",
            "schemaVersion": "2.0",
            "creationDate": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
            "epcisBody": {"eventList": list(events)},
        }
        response = self.call(
            "POST",
            "/epcis/capture",
            content=json.dumps(body).encode(),
            headers={"Content-Type": "application/ld+json"},
        )
        assert response.status_code == 202, response.text


def _time(offset_ms: int) -> str:
    moment = datetime.now(UTC) + timedelta(milliseconds=offset_ms)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _aggregation(
    offset: int, action: str, parent: str, step: str, place: str, container: str
) -> dict[str, Any]:
    return {
        "type": "AggregationEvent",
        "eventTime": _time(offset),
        "eventTimeZoneOffset": "+00:00",
        "parentID": parent,
        "childEPCs": [CONTAINER_URN + container],
        "action": action,
        "bizStep": step,
        "bizLocation": {"id": f"urn:logispace:unlocode:{place}"},
    }


def _observe(offset: int, step: str, read_point: str, container: str) -> dict[str, Any]:
    return {
        "type": "ObjectEvent",
        "eventTime": _time(offset),
        "eventTimeZoneOffset": "+00:00",
        "epcList": [CONTAINER_URN + container],
        "action": "OBSERVE",
        "bizStep": step,
        "disposition": "in_transit",
        "readPoint": {"id": read_point},
    }


@dataclass
class Shipment:
    number: str
    container: str
    url: str


@pytest.fixture(scope="module")
def shipment(live_server: LiveServer) -> Iterator[Shipment]:
    engine = make_engine(live_server.env["LOGISPACE_DATABASE_URL"])
    with make_sessionmaker(engine)() as db:
        tokens = {}
        for name in ("carrier", "rail", "shipping"):
            user = user_by_username(db, name)
            assert user is not None, f"the demo user {name} is missing"
            tokens[name] = make_token(db, user)
        db.commit()
    carrier, rail, shipping = (Api(live_server, tokens[n]) for n in ("carrier", "rail", "shipping"))
    number = f"MT2026BR{random.randrange(10**6):06d}"
    container = container_with_check_digit(f"LSPU{random.randrange(10**6):06d}")
    draft = {
        "waybill_no": number,
        "consignor_uscc": CARRIER,
        "consignee_uscc": PORT,
        "legs": [
            {"mode": "rail", "carrier_uscc": RAIL, "origin": "CNCKG", "destination": "CNQZH"},
            {"mode": "water", "carrier_uscc": SHIPPING, "origin": "CNQZH", "destination": "SGSIN"},
        ],
        "cargo": [{"description": "笔记本电脑 laptops", "packages": 640, "gross_weight_kg": 9820.5}],
        "containers": [container],
    }
    created = carrier.call("POST", "/api/v1/waybills", json=draft)
    assert created.status_code == 201, created.text
    carrier.act(number, "issue")
    rail.act(number, "pick_up")
    rail.capture(
        _aggregation(1, "ADD", TRAIN, "loading", "CNCKG", container),
        _observe(2, "departing", "urn:logispace:unlocode:CNCKG", container),
        _observe(3, "arriving", "urn:logispace:unlocode:CNQZH", container),
        _aggregation(4, "DELETE", TRAIN, "unloading", "CNQZH", container),
    )
    shipping.act(number, "hand_over")
    shipping.capture(
        _aggregation(1, "ADD", VESSEL, "loading", "CNQZH", container),
        _observe(2, "departing", "geo:21.6800,108.5900", container),
    )
    yield Shipment(number, container, f"{live_server.url}/trace/waybills/{number}")
    engine.dispose()


def _screenshot(page: Page, name: str) -> None:
    """A full-page screenshot into ``$LOGISPACE_SCREENSHOT_DIR``, when set (to look at the page)."""
    folder = os.environ.get("LOGISPACE_SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def _forge_pick_up(live_server: LiveServer, number: str) -> None:
    """Change the stored copy of the pick-up document, as a forger with database access would."""
    engine = make_engine(live_server.env["LOGISPACE_DATABASE_URL"])
    with make_sessionmaker(engine)() as db:
        step = db.scalars(
            select(WaybillEvent)
            .join(Waybill, Waybill.id == WaybillEvent.waybill_id)
            .where(Waybill.number == number, WaybillEvent.action == "pick_up")
        ).one()
        forged = {**(step.snapshot or {}), "cargo": [{"description": "笔记本电脑 laptops", "packages": 600}]}
        db.execute(update(WaybillEvent).where(WaybillEvent.id == step.id).values(snapshot=forged))
        db.commit()
    engine.dispose()


def test_the_waybill_timeline_shows_legs_handover_and_document_verdicts(
    page: Page, live_server: LiveServer, shipment: Shipment
) -> None:
    log_in(page, "carrier")
    page.get_by_test_id("nav-trace").click()
    expect(page).to_have_url(f"{live_server.url}/trace")
    search = page.get_by_test_id("trace-search")
    search.get_by_role("searchbox").fill(shipment.number.lower())
    search.get_by_role("button", name="查询").click()
    expect(page).to_have_url(shipment.url)

    expect(page.get_by_test_id("waybill-number")).to_have_text(shipment.number)
    expect(page.get_by_test_id("waybill-status")).to_contain_text("在途")
    expect(page.get_by_test_id("waybill-consignor")).to_contain_text("陆海新通道示范物流有限公司")
    legs = page.get_by_test_id("timeline-leg")
    expect(legs).to_have_count(2)
    expect(legs.nth(0).get_by_test_id("leg-mode")).to_have_text("铁路")
    expect(legs.nth(0).get_by_test_id("leg-carrier")).to_contain_text("中国铁路示范局集团有限公司")
    expect(legs.nth(0)).to_contain_text("CNCKG")
    expect(legs.nth(0)).to_contain_text("X8081")
    expect(legs.nth(0)).to_contain_text("4 条事件")
    expect(legs.nth(1).get_by_test_id("leg-mode")).to_have_text("水路")
    expect(legs.nth(1).get_by_test_id("leg-carrier")).to_contain_text("北部湾示范航运有限公司")
    expect(legs.nth(1)).to_contain_text("进行中")
    handover = page.get_by_test_id("timeline-handover")
    expect(handover).to_have_count(1)
    expect(handover).to_contain_text("CNQZH")
    expect(handover).to_contain_text("与存证版本一致")
    expect(page.get_by_test_id("trace-position")).to_contain_text("21.6800, 108.5900")
    expect(page.get_by_test_id("trace-latest")).to_contain_text("离开")  # the EPCIS step, in Chinese

    documents = page.get_by_test_id("trace-document")
    expect(documents).to_have_count(4)  # draft, issue, pick-up, handover
    expect(page.get_by_test_id("document-verdict").locator("[data-verdict]")).to_have_text(
        ["与存证版本一致"] * 4
    )
    _screenshot(page, "trace-waybill.png")

    # The public page of a document opens from its row.
    documents.nth(3).get_by_role("link", name="打开").click()
    expect(page.get_by_test_id("document-title")).to_contain_text(shipment.number)
    expect(page.get_by_test_id("signature-verdict")).to_contain_text("有效签名")

    _forge_pick_up(live_server, shipment.number)
    page.goto(shipment.url)
    expect(page.get_by_test_id("document-verdict").locator("[data-verdict]")).to_have_text(
        ["与存证版本一致", "与存证版本一致", "与存证版本不一致", "与存证版本一致"]
    )
    expect(page.get_by_test_id("trace-document").nth(2)).to_contain_text(
        "does not hash to the notarized SHA-256"
    )
    _screenshot(page, "trace-waybill-tampered.png")


def test_the_container_page_links_its_waybill(
    page: Page, live_server: LiveServer, shipment: Shipment
) -> None:
    log_in(page, "rail")
    page.goto(f"/trace?q={shipment.container}")
    expect(page).to_have_url(f"{live_server.url}/trace/containers/{shipment.container}")
    expect(page.get_by_test_id("container-number")).to_have_text(shipment.container)
    expect(page.get_by_test_id("timeline-leg")).to_have_count(2)
    expect(page.get_by_test_id("timeline-handover")).to_contain_text("CNQZH")
    _screenshot(page, "trace-container.png")
    page.get_by_test_id("stored-waybills").get_by_role("link", name=shipment.number).click()
    expect(page).to_have_url(shipment.url)


def test_a_party_not_on_the_waybill_finds_nothing(page: Page, shipment: Shipment) -> None:
    log_in(page, "bank")
    page.goto(f"/trace?q={shipment.number}")
    expect(page.get_by_test_id("trace-not-found")).to_be_visible()
    response = page.goto(f"/trace/waybills/{shipment.number}")
    assert response is not None and response.status == 404
