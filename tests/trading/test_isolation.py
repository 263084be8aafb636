"""Every trading route needs a principal, and a party never sees another party's private records: a
submitted object, a negotiation, a contract, its voucher and account are 404 (or empty) to an outsider,
exactly like a missing record; the market (registered objects, live listings) is seen by all."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from tests.identity.support import assert_problem
from tests.trading.conftest import API, TERMS, Market, listing, negotiate, object_body, step

NOBODY = uuid.UUID(int=7)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/parties"),
        ("get", f"/parties/{NOBODY}"),
        ("post", "/prohibited"),
        ("get", "/prohibited"),
        ("post", "/objects"),
        ("get", "/objects"),
        ("get", f"/objects/{NOBODY}"),
        ("post", f"/objects/{NOBODY}/review"),
        ("post", "/listings"),
        ("get", "/listings"),
        ("get", f"/listings/{NOBODY}"),
        ("post", "/negotiations"),
        ("get", "/negotiations"),
        ("get", f"/negotiations/{NOBODY}"),
        ("post", f"/negotiations/{NOBODY}/steps"),
        ("get", f"/contracts/{NOBODY}"),
        ("post", f"/contracts/{NOBODY}/delivery"),
        ("post", f"/contracts/{NOBODY}/settlement"),
        ("get", f"/contracts/{NOBODY}/voucher"),
        ("post", f"/contracts/{NOBODY}/disputes"),
        ("get", f"/contracts/{NOBODY}/evidence"),
        ("get", "/account"),
        ("get", "/reports/month?year=2026&number=1"),
    ],
)
def test_every_route_needs_a_principal(client: TestClient, method: str, path: str) -> None:
    assert client.request(method.upper(), API + path, json={}).status_code == 401


def test_an_outsider_sees_none_of_a_trade(client: TestClient, market: Market) -> None:
    m = market
    out = m.outsider.headers
    pending = client.post(
        f"{API}/objects", json=object_body(m, name="待审标的"), headers=m.provider.headers
    ).json()
    offer = listing(client, m, price="5000.00")
    nid = negotiate(client, m, offer["id"], price="5000.00")["id"]
    step(client, m.provider, nid, "agree", terms=TERMS)
    step(client, m.demander, nid, "verify")
    cid = step(client, m.provider, nid, "finalize").json()["contract_id"]
    client.post(f"{API}/contracts/{cid}/delivery", json={}, headers=m.provider.headers)
    client.post(f"{API}/contracts/{cid}/settlement", json={"outcome": "release"}, headers=m.demander.headers)
    assert client.get(f"{API}/contracts/{cid}/voucher", headers=m.demander.headers).status_code == 200

    # private records: 404 to the outsider, exactly like a missing one
    for path in (
        f"/objects/{pending['id']}",
        f"/negotiations/{nid}",
        f"/contracts/{cid}",
        f"/contracts/{cid}/voucher",
        f"/parties/{m.provider.party_id}",
    ):
        assert_problem(client.get(API + path, headers=out), 404)
    for path, body in (
        (f"/negotiations/{nid}/steps", {"action": "terminate"}),
        (f"/contracts/{cid}/delivery", {}),
        (f"/contracts/{cid}/settlement", {"outcome": "refund"}),
        (f"/objects/{pending['id']}/review", {"passed": True, "note": "x"}),
    ):
        assert client.post(API + path, json=body, headers=out).status_code in (403, 404), path
    assert client.get(f"{API}/negotiations", headers=out).json() == []
    assert [o["id"] for o in client.get(f"{API}/objects", headers=out).json()] == [offer["object_id"]]
    account = client.get(f"{API}/account", headers=out).json()
    assert (account["balance"], account["transfers"]) == ("0.00", [])
    # the market is public to every authenticated party; the parties see their own
    assert client.get(f"{API}/listings/{offer['id']}", headers=out).status_code == 200
    assert [n["id"] for n in client.get(f"{API}/negotiations", headers=m.demander.headers).json()] == [nid]
    assert client.get(f"{API}/negotiations", headers=m.exchange.headers).json()[0]["allowed_actions"] == []
    assert client.get(f"{API}/objects/{pending['id']}", headers=m.exchange.headers).status_code == 200


def test_only_the_exchange_reviews_and_only_the_provider_lists(client: TestClient, market: Market) -> None:
    m = market
    created = client.post(f"{API}/objects", json=object_body(m), headers=m.provider.headers).json()
    review = {"passed": True, "note": "自审"}
    assert_problem(
        client.post(f"{API}/objects/{created['id']}/review", json=review, headers=m.provider.headers),
        403,
        "trading-not-allowed",
    )
    passed = client.post(f"{API}/objects/{created['id']}/review", json=review, headers=m.exchange.headers)
    assert passed.json()["voucher_code"].startswith("JYBD-")
    body = {
        "object_id": created["id"],
        "title": "冒名挂牌",
        "price": "1.00",
        "pricing_method": "negotiated",
        "purposes": ["supply_chain_finance"],
        "duration_days": 30,
    }
    assert_problem(
        client.post(f"{API}/listings", json=body, headers=m.outsider.headers), 403, "trading-not-allowed"
    )
    # the exchange does not trade: it neither negotiates nor steps a negotiation (004:5103)
    offer = listing(client, m)
    nid = negotiate(client, m, offer["id"])["id"]
    assert_problem(step(client, m.exchange, nid, "terminate"), 403, "trading-not-allowed")
