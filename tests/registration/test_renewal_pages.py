"""Renewal and correction through the pages (续展, 更正登记): the holder applies for renewal from its
registrations while the window is open and sees its pending request; the authority approves or refuses
it from the review queue; a user of another party starts a correction from the public registry with its
evidence and finds it among its applications. Another party's record or request is 404 on the pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import Actor, World
from tests.factories.registration import API
from tests.identity.support import Browser
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import register
from tests.registration.test_certificates import certificate, now_headers
from tests.registration.test_pages import LogIn


@pytest.fixture
def sign_in(app: FastAPI) -> Iterator[LogIn]:
    """Log an actor in through the login page (a TestClient of its own per actor)."""
    with ExitStack() as stack:

        def open_browser(actor: Actor) -> Browser:
            return Browser(stack.enter_context(TestClient(app, base_url="http://testserver")), actor.username)

        yield open_browser


RENEWAL_ROW = re.compile(r'data-testid="renewal-request-row" data-id="([0-9a-f-]{36})"')


def test_the_holder_applies_for_renewal_and_the_authority_approves_on_the_pages(
    client: TestClient, world: World, clock: TravelClock, db: Session, sign_in: LogIn
) -> None:
    _, record = register(client, world, clock)
    valid_to = date.fromisoformat(record["valid_to"])
    url = f"/registration/records/{record['id']}/renewal"

    # before the window the page offers no renewal, and a forged form is refused on the page
    clock.to(valid_to - timedelta(days=61))
    holder = sign_in(world.b_admin)
    page = holder.get("/registration").text
    assert 'data-testid="renewal-form"' not in page
    early = holder.post(url, {"still_needed": "on"})
    assert early.status_code == 409 and "续展申请须在登记有效期届满前60日内提出" in early.text

    clock.to(valid_to - timedelta(days=20))
    holder, authority, other = sign_in(world.b_admin), sign_in(world.reviewer), sign_in(world.a_admin)
    page = holder.get("/registration").text
    assert 'data-testid="renewal-form"' in page and "申请续展" in page
    assert 'data-testid="renewal-form"' not in other.get("/registration").text
    assert other.post(url, {"still_needed": "on"}).status_code == 404  # another party's record
    filed = holder.post(url, {"still_needed": "on", "note": "仍需继续使用"})
    assert filed.status_code == 303 and filed.headers["location"] == "/registration?done=renewal"
    page = holder.get("/registration?done=renewal").text
    assert 'data-testid="renewal-pending"' in page and 'data-testid="renewal-form"' not in page
    twice = holder.post(url, {"still_needed": "on"})
    assert twice.status_code == 409 and "已有续展申请在审核中" in twice.text

    # the authority's queue lists the pending request with its forms
    queue = authority.get("/registration/review")
    assert queue.status_code == 200 and 'data-testid="renewal-requests"' in queue.text
    (request_id,) = RENEWAL_ROW.findall(queue.text)
    assert record["certificate_code"] in queue.text
    decide = f"/registration/renewal-requests/{request_id}"
    assert holder.post(f"{decide}/approve").status_code == 403  # the holder does not decide
    assert other.post(f"{decide}/approve").status_code == 404
    no_reasons = authority.post(f"{decide}/refuse", {"reasons": "  "})
    assert no_reasons.status_code == 422 and 'data-testid="renewal-requests"' in no_reasons.text
    approved = authority.post(f"{decide}/approve", {"note": "同意"})
    assert approved.status_code == 303 and approved.headers["location"] == "/registration/review?done=approve"
    assert 'data-testid="renewal-requests"' not in authority.get("/registration/review").text

    renewed = client.get(f"{API}/records/{record['id']}", headers=now_headers(db, world.b_admin)).json()
    assert renewed["valid_to"] == date(valid_to.year + 3, valid_to.month, valid_to.day).isoformat()
    assert certificate(client, record["certificate_code"])["revision"] == 2
    page = holder.get("/registration").text
    assert 'data-testid="renewal-pending"' not in page and 'data-testid="renewal-form"' not in page


def test_the_authority_refuses_with_reasons_on_the_page(
    client: TestClient, world: World, clock: TravelClock, sign_in: LogIn
) -> None:
    _, record = register(client, world, clock)
    clock.to(date.fromisoformat(record["valid_to"]) - timedelta(days=3))
    holder, authority = sign_in(world.b_admin), sign_in(world.reviewer)
    assert (
        holder.post(f"/registration/records/{record['id']}/renewal", {"still_needed": "on"}).status_code
        == 303
    )
    (request_id,) = RENEWAL_ROW.findall(authority.get("/registration/review").text)
    refused = authority.post(f"/registration/renewal-requests/{request_id}/refuse", {"reasons": "数据已停用"})
    assert refused.status_code == 303
    page = holder.get("/registration").text
    assert 'data-testid="renewal-refused"' in page and "数据已停用" in page
    assert 'data-testid="renewal-form"' in page  # the window is still open: it may file again


def test_an_interested_party_starts_a_correction_from_the_registry(
    client: TestClient, world: World, clock: TravelClock, db: Session, sign_in: LogIn
) -> None:
    _, record = register(client, world, clock)
    clock.to("2026-04-13")
    other, holder, authority = sign_in(world.a_admin), sign_in(world.b_admin), sign_in(world.reviewer)
    start = f"/registry/records/{record['id']}/correction"

    # the registry offers the correction to a logged-in user of another party only
    assert f'href="{start}"' in other.get("/registry").text
    assert f'href="{start}"' not in holder.get("/registry").text
    assert f'href="{start}"' not in authority.get("/registry").text
    assert f'href="{start}"' not in client.get("/registry").text
    assert holder.get(start).status_code == 403
    assert other.get("/registry/records/00000000-0000-4000-8000-000000000000/correction").status_code == 404
    form = other.get(start)
    assert form.status_code == 200 and record["data_name"] in form.text

    # without the evidence, or without saying what is wrong, nothing is created
    before = other.get("/registration").text.count('data-testid="application-row"')
    missing = other.client.post(
        start,
        data={
            "content_summary": "数据规模应为约 80 万条",
            "material": "correction_evidence",
            "csrf_token": other.csrf_token,
        },
        follow_redirects=False,
    )
    assert missing.status_code == 422 and "evidence" in missing.text
    blank = other.client.post(
        start,
        data={"content_summary": " ", "material": "correction_evidence", "csrf_token": other.csrf_token},
        files={"evidence": ("台账.pdf", b"%PDF-1.7 ledger", "application/pdf")},
        follow_redirects=False,
    )
    assert blank.status_code == 422
    assert other.get("/registration").text.count('data-testid="application-row"') == before

    created = other.client.post(
        start,
        data={
            "content_summary": "数据规模应为约 80 万条",
            "material": "correction_evidence",
            "csrf_token": other.csrf_token,
        },
        files={"evidence": ("台账.pdf", b"%PDF-1.7 original ledger", "application/pdf")},
        follow_redirects=False,
    )
    assert created.status_code == 303, created.text
    app_id = re.fullmatch(
        r"/registration/applications/([0-9a-f-]{36})\?done=created", created.headers["location"]
    )
    assert app_id
    application_id = app_id.group(1)
    assert application_id in other.get("/registration").text
    page = other.get(f"/registration/applications/{application_id}")
    assert page.status_code == 200 and record["data_name"] in page.text

    # as the API shows it: an interested party's correction of B's registration, evidence attached
    a_view = client.get(f"{API}/applications/{application_id}", headers=now_headers(db, world.a_admin)).json()
    assert (a_view["application_type"], a_view["applicant_role"]) == ("correction", "interested_party")
    assert a_view["registration_id"] == record["id"] and a_view["holder"]["name"] == "乙港口公司"
    assert [x["material"] for x in a_view["attachments"]] == ["correction_evidence"]
    assert a_view["content_summary"] == "数据规模应为约 80 万条"
    # the authority sees it (page and API); the holder sees what the API lets it see
    auth_api = client.get(f"{API}/applications/{application_id}", headers=now_headers(db, world.reviewer))
    assert auth_api.status_code == 200
    assert authority.get(f"/registration/applications/{application_id}").status_code == 200
    holder_api = client.get(f"{API}/applications/{application_id}", headers=now_headers(db, world.b_admin))
    assert holder.get(f"/registration/applications/{application_id}").status_code == holder_api.status_code
