"""Renewal requests (续展申请) through the API, under both rule profiles: the holder files within the 60
calendar days before expiry (V-REG-07), one pending at a time; inner_mongolia renews only data still
needed and not past the authorized operation (004:5456); the authority approves (the certificate is
re-signed) or refuses with reasons. A refused request changes nothing; another party gets 404."""

from __future__ import annotations

import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile
from logispace.domains.registration.models import RegistrationRecord
from tests.conftest import World
from tests.factories.registration import API
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import ledger_kind, register
from tests.registration.test_certificates import certificate, now_headers

BOTH = pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
JSON = dict[str, Any]
MISSING = "00000000-0000-4000-8000-000000000000"


def day(text: str) -> date:
    return date.fromisoformat(text)


def tree_size(client: TestClient) -> int:
    return int(client.get("/api/v1/ledger/tree-head").json()["tree_size"])


def file(client: TestClient, record_id: str, headers: dict[str, str], body: JSON | None = None) -> Any:
    return client.post(f"{API}/records/{record_id}/renewal-requests", json=body or {}, headers=headers)


# (case, days relative to valid_to, expected status)
WINDOW = [
    ("one day before the window", -61, 409),
    ("first day of the window", -60, 201),
    ("last day before expiry", -1, 201),
    ("on the expiry day", 0, 409),
    ("after expiry", 5, 409),
]


@BOTH
@pytest.mark.parametrize(("case", "offset", "status"), WINDOW, ids=[c[0] for c in WINDOW])
def test_the_holder_files_only_within_the_60_days_before_expiry(
    client: TestClient,
    world: World,
    clock: TravelClock,
    db: Session,
    profile: RuleProfile,
    case: str,
    offset: int,
    status: int,
) -> None:
    _, record = register(client, world, clock)
    valid_to = day(record["valid_to"])
    clock.to(valid_to + timedelta(days=offset))
    holder = now_headers(db, world.b_admin)
    before = tree_size(client)
    response = file(client, record["id"], holder, {"note": "仍需继续使用"})
    if status == 201:
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["state"] == "pending" and body["certificate_code"] == record["certificate_code"]
        assert body["window_opens"] == (valid_to - timedelta(days=60)).isoformat()
        assert body["window_closes"] == (valid_to - timedelta(days=1)).isoformat()
        assert ledger_kind(client, body["ledger_index"]) == "registration.renewal_requested"
        got = client.get(f"{API}/records/{record['id']}", headers=holder).json()
        assert got["state"] == "renewal_window" and got["valid_to"] == record["valid_to"]
    else:
        problem = assert_problem(response, 409, "registration-action-not-allowed")
        if offset < 0:
            assert problem["window_opens"] == (valid_to - timedelta(days=60)).isoformat()
            assert "60 calendar days before expiry" in problem["detail"]
        assert tree_size(client) == before  # a refused request changes nothing


@BOTH
def test_one_pending_request_at_a_time_and_approval_renews_and_re_signs(
    client: TestClient, world: World, clock: TravelClock, db: Session, profile: RuleProfile
) -> None:
    _, record = register(client, world, clock)
    code, valid_to = record["certificate_code"], day(record["valid_to"])
    clock.to(valid_to - timedelta(days=30))
    holder, auth = now_headers(db, world.b_admin), now_headers(db, world.reviewer)
    first = file(client, record["id"], holder)
    assert first.status_code == 201, first.text
    before = tree_size(client)
    twice = assert_problem(file(client, record["id"], holder), 409, "registration-renewal-pending")
    assert twice["pending_request_id"] == first.json()["id"] and tree_size(client) == before

    # the authority sees it in the pending list; the holder sees its own
    pending = client.get(f"{API}/renewal-requests?state=pending", headers=auth).json()
    assert [r["id"] for r in pending["items"]] == [first.json()["id"]]
    assert client.get(f"{API}/renewal-requests", headers=holder).json()["total"] == 1

    approved = client.post(
        f"{API}/renewal-requests/{first.json()['id']}/approve", json={"note": "同意"}, headers=auth
    )
    assert approved.status_code == 200, approved.text
    body = approved.json()
    new_to = date(valid_to.year + 3, valid_to.month, valid_to.day)
    assert body["state"] == "approved" and body["granted_valid_to"] == new_to.isoformat()
    assert body["certificate"]["revision"] == 2 and body["certificate"]["valid_from"] == valid_to.isoformat()
    assert ledger_kind(client, body["decision_ledger_index"]) == "registration.renewed"
    cert = certificate(client, code)
    assert (cert["verdict"], cert["revision"], cert["valid_to"]) == ("valid", 2, new_to.isoformat())
    got = client.get(f"{API}/records/{record['id']}", headers=holder).json()
    assert (got["state"], got["valid_to"]) == ("valid", new_to.isoformat())
    # decided once: a second decision is 409, and the new term is far from its window
    again = client.post(
        f"{API}/renewal-requests/{first.json()['id']}/refuse", json={"reasons": "x"}, headers=auth
    )
    assert_problem(again, 409)
    assert_problem(file(client, record["id"], holder), 409, "registration-action-not-allowed")


@BOTH
def test_refusal_needs_reasons_and_keeps_the_term(
    client: TestClient, world: World, clock: TravelClock, db: Session, profile: RuleProfile
) -> None:
    _, record = register(client, world, clock)
    valid_to = day(record["valid_to"])
    clock.to(valid_to - timedelta(days=10))
    holder, auth = now_headers(db, world.b_admin), now_headers(db, world.reviewer)
    request_id = file(client, record["id"], holder).json()["id"]
    url = f"{API}/renewal-requests/{request_id}/refuse"
    before = tree_size(client)
    assert_problem(client.post(url, json={}, headers=auth), 422)
    assert_problem(client.post(url, json={"reasons": "   "}, headers=auth), 422)
    assert tree_size(client) == before
    refused = client.post(url, json={"reasons": "数据已不再使用"}, headers=auth)
    assert refused.status_code == 200, refused.text
    body = refused.json()
    assert (body["state"], body["reasons"], body["granted_valid_to"]) == ("refused", "数据已不再使用", None)
    assert ledger_kind(client, body["decision_ledger_index"]) == "registration.renewal_refused"
    got = client.get(f"{API}/records/{record['id']}", headers=holder).json()
    assert got["valid_to"] == record["valid_to"] and got["state"] == "renewal_window"
    assert certificate(client, record["certificate_code"])["revision"] == 1
    # refused, not pending: the holder may file again while the window is open
    assert file(client, record["id"], holder).status_code == 201


@BOTH
def test_inner_mongolia_renews_only_data_still_needed(
    client: TestClient, world: World, clock: TravelClock, db: Session, profile: RuleProfile
) -> None:
    _, record = register(client, world, clock)
    clock.to(day(record["valid_to"]) - timedelta(days=20))
    holder = now_headers(db, world.b_admin)
    response = file(client, record["id"], holder, {"still_needed": False})
    if profile is RuleProfile.INNER_MONGOLIA:
        problem = assert_problem(response, 409, "registration-action-not-allowed")
        assert "且需继续使用的" in problem["detail"]
    else:  # the national rule has no such condition (004:812)
        assert response.status_code == 201, response.text


@BOTH
def test_the_renewed_term_is_at_most_three_years_and_in_inner_mongolia_not_past_the_operation(
    client: TestClient, world: World, clock: TravelClock, db: Session, profile: RuleProfile
) -> None:
    _, record = register(client, world, clock)
    valid_to = day(record["valid_to"])
    operation_end = valid_to + timedelta(days=400)
    db.execute(
        update(RegistrationRecord)
        .where(RegistrationRecord.id == uuid.UUID(record["id"]))
        .values(operating_term_end=operation_end)
    )
    db.commit()
    clock.to(valid_to - timedelta(days=5))
    holder, auth = now_headers(db, world.b_admin), now_headers(db, world.reviewer)
    three_years = date(valid_to.year + 3, valid_to.month, valid_to.day)
    latest = operation_end if profile is RuleProfile.INNER_MONGOLIA else three_years
    too_long = file(
        client, record["id"], holder, {"requested_valid_to": (latest + timedelta(days=1)).isoformat()}
    )
    assert assert_problem(too_long, 409)["latest_valid_to"] == latest.isoformat()
    backwards = file(client, record["id"], holder, {"requested_valid_to": valid_to.isoformat()})
    assert_problem(backwards, 422)
    filed = file(client, record["id"], holder)
    assert filed.status_code == 201 and filed.json()["latest_valid_to"] == latest.isoformat()
    approved = client.post(f"{API}/renewal-requests/{filed.json()['id']}/approve", headers=auth)
    assert approved.status_code == 200, approved.text
    assert approved.json()["granted_valid_to"] == latest.isoformat()


def test_a_shorter_term_asked_for_is_granted(
    client: TestClient, world: World, clock: TravelClock, db: Session
) -> None:
    _, record = register(client, world, clock)
    valid_to = day(record["valid_to"])
    clock.to(valid_to - timedelta(days=5))
    holder, auth = now_headers(db, world.b_admin), now_headers(db, world.reviewer)
    wanted = valid_to + timedelta(days=365)
    filed = file(client, record["id"], holder, {"requested_valid_to": wanted.isoformat()})
    assert filed.status_code == 201, filed.text
    renewed = client.post(f"{API}/records/{record['id']}/renew", headers=auth)  # approves the pending one
    assert renewed.status_code == 200, renewed.text
    assert renewed.json()["valid_to"] == wanted.isoformat()
    got = client.get(f"{API}/renewal-requests/{filed.json()['id']}", headers=holder).json()
    assert (got["state"], got["granted_valid_to"]) == ("approved", wanted.isoformat())


# -- party isolation ---------------------------------------------------------------------------------


def test_only_the_holder_files_and_only_the_authority_decides(
    client: TestClient, world: World, clock: TravelClock, db: Session
) -> None:
    _, record = register(client, world, clock)
    clock.to(day(record["valid_to"]) - timedelta(days=15))
    holder, auth = now_headers(db, world.b_admin), now_headers(db, world.reviewer)
    intruders = [now_headers(db, world.a_admin), now_headers(db, world.a_analyst)]
    before = tree_size(client)
    # another party: the record is 404 exactly like a missing one, for filing and for the list
    for headers in intruders:
        for method in ("POST", "GET"):
            url = f"{API}/records/{{}}/renewal-requests"
            foreign = client.request(
                method, url.format(record["id"]), json={} if method == "POST" else None, headers=headers
            )
            absent = client.request(
                method, url.format(MISSING), json={} if method == "POST" else None, headers=headers
            )
            assert_problem(foreign, 404, "not-found")
            assert foreign.json() == json.loads(absent.text.replace(MISSING, record["id"]))
    # the authority does not file for the holder
    assert_problem(file(client, record["id"], auth), 403)
    assert tree_size(client) == before

    request_id = file(client, record["id"], holder).json()["id"]
    before = tree_size(client)
    for headers in intruders:
        for method, path, body in (
            ("GET", "", None),
            ("POST", "/approve", {}),
            ("POST", "/refuse", {"reasons": "甲方"}),
        ):
            foreign = client.request(
                method, f"{API}/renewal-requests/{request_id}{path}", json=body, headers=headers
            )
            absent = client.request(
                method, f"{API}/renewal-requests/{MISSING}{path}", json=body, headers=headers
            )
            assert_problem(foreign, 404, "not-found")
            assert foreign.json() == json.loads(absent.text.replace(MISSING, request_id))
        listed = client.get(f"{API}/renewal-requests", headers=headers).json()
        assert listed["total"] == 0 and record["data_name"] not in json.dumps(listed)
    # the holder sees its request but does not decide it
    assert client.get(f"{API}/renewal-requests/{request_id}", headers=holder).status_code == 200
    assert_problem(client.post(f"{API}/renewal-requests/{request_id}/approve", headers=holder), 403)
    assert_problem(
        client.post(f"{API}/renewal-requests/{request_id}/refuse", json={"reasons": "x"}, headers=holder), 403
    )
    assert_problem(client.post(f"{API}/records/{record['id']}/renew", headers=holder), 403)
    assert tree_size(client) == before
    assert client.get(f"{API}/renewal-requests/{request_id}", headers=auth).json()["state"] == "pending"
