"""The alert API's authorization and bad input: every route needs a login, a party never sees or
handles another party's alerts, rules or webhooks (404 like a missing one), the authority reads its
jurisdiction's alerts only; a bad rule or webhook is a problem naming the field and stores nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.identity import PartyType, Role
from logispace.domains.tower.webhooks import delivery, signing
from tests.conftest import World
from tests.factories.identity import make_party, make_token, make_user
from tests.identity.support import assert_problem
from tests.logistics.waybill_support import Corridor
from tests.tower.alert_support import ISSUE, Clock, H, add_rules, road_leg, shipment

PUBLIC_HOOK = "http://93.184.216.34/hooks/alerts"


def raised(client: TestClient, c: Corridor, clock: Clock) -> dict[str, Any]:
    """The shipper's rules, a webhook and the alerts of the road leg: ids to attack."""
    rules = add_rules(client, c.shipper)
    hook = client.post("/api/v1/tower/webhooks", json={"url": PUBLIC_HOOK}, headers=c.shipper.headers)
    assert hook.status_code == 201, hook.text
    number, box = shipment(client, c, clock)
    road_leg(client, c, clock, number, box)
    alerts = client.get("/api/v1/tower/alerts", headers=c.shipper.headers).json()["items"]
    return {
        "alert": alerts[0]["id"],
        "rule": rules["dwell"],
        "webhook": hook.json()["id"],
        "hook": hook.json(),
    }


ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/tower/alerts/{alert}", None),
    ("POST", "/api/v1/tower/alerts/{alert}/ack", {}),
    ("POST", "/api/v1/tower/alerts/{alert}/assign", {"user_id": "{user}"}),
    ("POST", "/api/v1/tower/alerts/{alert}/resolve", {"note": "已处理"}),
    ("GET", "/api/v1/tower/rules/{rule}", None),
    ("PATCH", "/api/v1/tower/rules/{rule}", {"threshold": 1}),
    ("DELETE", "/api/v1/tower/rules/{rule}", None),
    ("GET", "/api/v1/tower/webhooks/{webhook}", None),
    ("DELETE", "/api/v1/tower/webhooks/{webhook}", None),
    ("GET", "/api/v1/tower/webhooks/{webhook}/deliveries", None),
]
MISSING = {
    "alert": "999999",
    "rule": "00000000-0000-4000-8000-000000000000",
    "webhook": "00000000-0000-4000-8000-000000000001",
}


def _fill(text: str, ids: dict[str, Any]) -> str:
    for key in ("alert", "rule", "webhook", "user"):
        text = text.replace("{" + key + "}", str(ids.get(key, "")))
    return text


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_another_partys_records_answer_like_missing_ones(
    client: TestClient, corridor: Corridor, clock: Clock, method: str, path: str, body: dict[str, Any] | None
) -> None:
    c = corridor
    ids = {**raised(client, c, clock), "user": c.shipper.actor.user_id}
    for stranger in (
        c.outsider,
        c.road,
        c.consignee,
    ):  # the road carrier and the consignee are on the waybill
        content = json.loads(_fill(json.dumps(body), ids)) if body is not None else None
        theirs = client.request(method, _fill(path, ids), json=content, headers=stranger.headers)
        missing = client.request(method, _fill(path, MISSING), json=content, headers=stranger.headers)
        assert theirs.status_code == missing.status_code == 404, (theirs.text, missing.text)
        assert theirs.json()["code"] == missing.json()["code"]
    # Nothing changed for the owner.
    alert = client.get(f"/api/v1/tower/alerts/{ids['alert']}", headers=c.shipper.headers).json()
    assert alert["status"] == "open"
    assert (
        client.get(f"/api/v1/tower/rules/{ids['rule']}", headers=c.shipper.headers).json()["threshold"] == 6
    )
    assert (
        client.get(f"/api/v1/tower/webhooks/{ids['webhook']}", headers=c.shipper.headers).status_code == 200
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/tower/alerts",
        "/api/v1/tower/rules",
        "/api/v1/tower/webhooks",
        "/api/v1/tower/alerts/stream?seconds=0",
    ],
)
def test_lists_need_a_login_and_show_only_the_callers_own(
    client: TestClient, corridor: Corridor, clock: Clock, path: str
) -> None:
    c = corridor
    raised(client, c, clock)
    assert_problem(client.get(path), 401)
    for stranger in (c.outsider, c.road):
        answer = client.get(path, headers=stranger.headers)
        assert answer.status_code == 200
        assert "temperature" not in answer.text and "93.184.216.34" not in answer.text
        assert '"total":0' in answer.text.replace(" ", "") or answer.text.strip() in ("[]", "retry: 5000")


def test_the_authority_reads_its_jurisdictions_alerts_and_handles_none(
    client: TestClient, corridor: Corridor, clock: Clock, world: World
) -> None:
    ids = raised(client, corridor, clock)
    authority = world.authority_admin.headers  # 钦州 (450700), where the corridor's parties are registered
    listed = client.get("/api/v1/tower/alerts", headers=authority).json()
    assert listed["total"] == 2
    assert client.get(f"/api/v1/tower/alerts/{ids['alert']}", headers=authority).status_code == 200
    handled = client.post(f"/api/v1/tower/alerts/{ids['alert']}/ack", json={}, headers=authority)
    assert_problem(handled, 404, "alert-not-found")
    assert client.get("/api/v1/tower/rules", headers=authority).json() == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "滞留", "kind": "dwell", "threshold": -1}, "threshold"),
        ({"name": "滞留", "kind": "dwell", "threshold": 6, "hours": 6}, "hours"),
        ({"name": "滞留", "kind": "parking", "threshold": 6}, "kind"),
        ({"name": "滞留", "kind": "dwell", "threshold": "6"}, "threshold"),
        ({"name": " ", "kind": "dwell", "threshold": 6}, "name"),
        ({"kind": "dwell", "threshold": 6}, "name"),
    ],
)
def test_a_bad_rule_names_its_field_and_stores_nothing(
    client: TestClient, corridor: Corridor, body: dict[str, Any], field: str
) -> None:
    answer = client.post("/api/v1/tower/rules", json=body, headers=corridor.shipper.headers)
    assert answer.status_code == 422, answer.text
    assert [e["loc"] for e in answer.json()["errors"]] == [["body", field]]
    assert client.get("/api/v1/tower/rules", headers=corridor.shipper.headers).json() == []


def test_a_rule_changed_with_a_negative_threshold_stays_as_it_was(
    client: TestClient, corridor: Corridor
) -> None:
    rule = add_rules(client, corridor.shipper, [{"name": "滞留", "kind": "dwell", "threshold": 6}])["dwell"]
    url = f"/api/v1/tower/rules/{rule}"
    refused = client.patch(url, json={"threshold": -0.5}, headers=corridor.shipper.headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["loc"] == ["body", "threshold"]
    changed = client.patch(
        url, json={"threshold": 12, "enabled": False}, headers=corridor.shipper.headers
    ).json()
    assert (changed["threshold"], changed["enabled"], changed["unit"]) == (12, False, "hours")
    assert client.delete(url, headers=corridor.shipper.headers).status_code == 204
    assert client.get(url, headers=corridor.shipper.headers).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/hook",
        "https://no-such-host.invalid/hook",
    ],
)
def test_a_webhook_url_inside_the_network_is_refused_and_nothing_stored(
    client: TestClient, corridor: Corridor, url: str
) -> None:
    answer = client.post("/api/v1/tower/webhooks", json={"url": url}, headers=corridor.shipper.headers)
    assert_problem(answer, 422, "webhook-url-refused")
    assert answer.json()["field"] == "url"
    assert client.get("/api/v1/tower/webhooks", headers=corridor.shipper.headers).json() == []


@pytest.mark.parametrize(
    "url", ["ftp://93.184.216.34/x", "\nhttp://93.184.216.34/x", "http://93.184.216.34/a b"]
)
def test_a_webhook_url_of_another_scheme_or_with_white_space_is_refused_by_its_schema(
    client: TestClient, corridor: Corridor, url: str
) -> None:
    answer = client.post("/api/v1/tower/webhooks", json={"url": url}, headers=corridor.shipper.headers)
    assert_problem(answer, 422, "validation-failed")
    assert "url" in answer.json()["detail"]
    assert client.get("/api/v1/tower/webhooks", headers=corridor.shipper.headers).json() == []


def test_an_operator_may_allow_a_named_host(
    app: FastAPI, client: TestClient, corridor: Corridor, settings: Settings
) -> None:
    app.state.settings = settings.model_copy(
        update={"tower_webhook_allowed_hosts": "localhost, receiver.internal"}
    )
    answer = client.post(
        "/api/v1/tower/webhooks", json={"url": "http://localhost:9000/x"}, headers=corridor.shipper.headers
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["secret"].startswith("whsec_")
    assert [
        h["url"] for h in client.get("/api/v1/tower/webhooks", headers=corridor.shipper.headers).json()
    ] == ["http://localhost:9000/x"]


class Receiver:
    """A webhook receiver answering the given statuses in turn, keeping what it got."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.got: list[tuple[str, bytes, dict[str, str]]] = []

    def __call__(self, url: str, body: bytes, headers: Any, timeout: float) -> int:
        self.got.append((url, body, dict(headers)))
        return self.statuses.pop(0)


def test_webhooks_are_signed_retried_with_backoff_and_given_up(
    client: TestClient, db: Session, corridor: Corridor, clock: Clock, settings: Settings
) -> None:
    ids = raised(client, corridor, clock)
    rows = client.get(
        f"/api/v1/tower/webhooks/{ids['webhook']}/deliveries", headers=corridor.shipper.headers
    ).json()
    assert (
        sorted((r["topic"], r["status"], r["attempts"]) for r in rows) == [("alert.raised", "pending", 0)] * 2
    )
    first, second = sorted(r["id"] for r in rows)
    receiver = Receiver(500, 204)
    now = ISSUE + 5 * H
    assert delivery.attempt(db, settings, first, receiver, now=now) == "pending"
    assert delivery.due(db, now, 10) == [second]  # the failed one waits a minute
    assert delivery.attempt(db, settings, first, receiver, now=now + timedelta(minutes=1)) == "delivered"
    url, body, headers = receiver.got[-1]
    assert url == PUBLIC_HOOK and headers[signing.DELIVERY] == str(first)
    stamp = int(headers[signing.TIMESTAMP])
    assert stamp == int((now + timedelta(minutes=1)).timestamp())
    assert signing.verify(ids["hook"]["secret"], stamp, body, headers[signing.SIGNATURE], now=stamp)
    assert json.loads(body)["topic"] == "alert.raised" and json.loads(body)["data"]["kind"] in (
        "temperature",
        "route_deviation",
    )
    # Two failures with at most two attempts: given up.
    strict = settings.model_copy(update={"tower_webhook_max_attempts": 2})
    failing = Receiver(503, 503)
    assert delivery.attempt(db, strict, second, failing, now=now) == "pending"
    assert delivery.attempt(db, strict, second, failing, now=now + timedelta(minutes=1)) == "failed"
    minutes = [delivery.backoff(n) / timedelta(minutes=1) for n in (1, 2, 3, 7, 8)]
    assert minutes == [1, 2, 4, 60, 60]


def test_an_authority_of_another_jurisdiction_sees_none_of_them(
    client: TestClient, db: Session, corridor: Corridor, clock: Clock
) -> None:
    ids = raised(client, corridor, clock)
    chengdu = make_party(
        db,
        name="成都市数据局",
        party_type=PartyType.DATA_AUTHORITY,
        uscc=uscc_with_check_character("11510100MB0000901"),
    )
    token = make_token(db, make_user(db, chengdu, Role.AUTHORITY_ADMIN))
    db.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/tower/alerts", headers=headers).json()["total"] == 0
    assert_problem(
        client.get(f"/api/v1/tower/alerts/{ids['alert']}", headers=headers), 404, "alert-not-found"
    )
