"""Trace pages (全程追溯页面): the search box, a waybill's timeline with its legs, handover and
document verdicts, a container's page, and isolation (login, 404 for another party's waybill)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from logispace.domains.logistics.waybills.models import Waybill, WaybillEvent
from logispace.web.i18n import LANGUAGE_COOKIE
from tests.conftest import LogIn
from tests.logistics.waybill_support import Corridor


def test_the_waybill_page_shows_legs_handover_and_verdicts(
    log_in: LogIn,
    corridor: Corridor,
    journey: tuple[str, str],
    db: Session,
) -> None:
    number, container = journey
    page = log_in(corridor.shipper.actor).client
    found = page.get(f"/trace?q={number.lower()}", follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/trace/waybills/{number}"
    html = page.get(f"/trace/waybills/{number}").text
    assert html.count('data-testid="timeline-leg"') == 2
    assert html.count('data-testid="timeline-handover"') == 1
    assert "钦州某道路运输公司" in html and "某铁路集装箱公司" in html
    assert html.count('data-verdict="authentic"') == 6 + 1 + 1  # documents, handover, the chain
    assert 'href="/documents/' in html and f"/trace/containers/{container}" in html
    page.cookies.set(LANGUAGE_COOKIE, "en")
    english = page.get(f"/trace/waybills/{number}").text
    assert (
        "Leg 1" in english
        and "Handover" in english
        and "Matches the notarized version" in english
        and "Rail" in english
    )
    page.cookies.set(LANGUAGE_COOKIE, "zh")
    # A forged handover document shows tampered.
    step = db.scalars(
        select(WaybillEvent)
        .join(Waybill, Waybill.id == WaybillEvent.waybill_id)
        .where(Waybill.number == number, WaybillEvent.action == "hand_over")
    ).one()
    db.execute(
        update(WaybillEvent)
        .where(WaybillEvent.id == step.id)
        .values(snapshot={**(step.snapshot or {}), "note": "x"})
    )
    db.commit()
    forged = page.get(f"/trace/waybills/{number}").text
    assert forged.count('data-verdict="tampered"') == 3  # the document, the handover, the chain
    assert "与存证版本不一致" in forged


def test_the_container_page_and_search(
    log_in: LogIn,
    corridor: Corridor,
    journey: tuple[str, str],
) -> None:
    number, container = journey
    page = log_in(corridor.road.actor).client
    found = page.get(f"/trace?q={container[:4].lower()} {container[4:]}", follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/trace/containers/{container}"
    html = page.get(f"/trace/containers/{container}").text
    assert html.count('data-testid="timeline-leg"') == 2
    assert f'href="/trace/waybills/{number}"' in html
    assert page.get("/trace").status_code == 200
    assert page.get("/trace?q=NOSUCHWAYBILL1").status_code == 404


def test_another_party_gets_404_on_the_pages(
    log_in: LogIn,
    corridor: Corridor,
    journey: tuple[str, str],
) -> None:
    number, container = journey
    page = log_in(corridor.outsider.actor).client
    assert page.get(f"/trace/waybills/{number}").status_code == 404
    assert page.get(f"/trace/containers/{container}").status_code == 404
    searched = page.get(f"/trace?q={number}", follow_redirects=False)
    assert searched.status_code == 404 and "没有找到" in searched.text
