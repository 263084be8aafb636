"""The trading API: register -> list -> negotiate -> sign -> deliver -> settle -> voucher, and each bad
input of issue 22 (a problem naming what and why, the refusal recorded, nothing else changed)."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.access.models import Grant
from logispace.domains.ledger import canonical_json
from logispace.domains.trading.enums import NegotiationAction
from logispace.domains.trading.models import Posting, TradingRefusal
from tests.contrib.stdlib_verifier import lv as offline
from tests.identity.support import assert_problem
from tests.trading.conftest import (
    API,
    TERMS,
    Market,
    balances_sum,
    counts,
    listing,
    negotiate,
    object_body,
    registered_object,
    signed,
    step,
)


def test_a_trade_from_listing_to_voucher(client: TestClient, db: Session, market: Market) -> None:
    m = market
    offer = listing(client, m, price="250000.00")
    assert offer["policy"]["@type"] == "Offer"
    assert offer["policy"]["permission"][0]["constraint"][0]["rightOperand"] == ["supply_chain_finance"]
    thread = negotiate(client, m, offer["id"], price="230000.00")
    nid = thread["id"]
    assert (thread["state"], thread["allowed_actions"]) == ("REQUESTED", ["terminate"])
    countered = step(client, m.provider, nid, "offer", price="245000.00").json()
    assert (countered["state"], countered["allowed_actions"]) == ("OFFERED", ["terminate"])
    assert step(client, m.demander, nid, "offer", price="1.00").json()["allowed"] == [
        "request",
        "accept",
        "terminate",
    ]
    accepted = step(client, m.demander, nid, "accept").json()
    assert accepted["state"] == "ACCEPTED" and accepted["price"] == "245000.00"
    agreed = step(client, m.provider, nid, "agree", terms=TERMS).json()
    assert agreed["state"] == "AGREED" and agreed["contract_id"]
    cid = agreed["contract_id"]
    verified = step(client, m.demander, nid, "verify").json()
    assert verified["state"] == "VERIFIED"
    assert client.get(f"{API}/contracts/{cid}", headers=m.demander.headers).json()["escrow"] == "245000.00"
    assert balances_sum(db) == 0
    final = step(client, m.provider, nid, "finalize").json()
    assert final["state"] == "FINALIZED"
    assert [(o["action"], o["state_after"], o["price"]) for o in final["offers"]] == [
        ("request", "REQUESTED", "230000.00"),
        ("offer", "OFFERED", "245000.00"),
        ("accept", "ACCEPTED", None),
        ("agree", "AGREED", None),
        ("verify", "VERIFIED", None),
        ("finalize", "FINALIZED", None),
    ]

    delivered = client.post(f"{API}/contracts/{cid}/delivery", json={}, headers=m.provider.headers)
    assert delivered.status_code == 200, delivered.text
    grant = db.get(Grant, uuid.UUID(delivered.json()["grant_id"]))
    assert grant is not None and grant.assignee_party_id == m.demander.party_id
    assert grant.scenario_code == "supply_chain_finance"
    assert grant.policy["@type"] == "Agreement"
    assert client.get(f"/api/v1/access/grants/{grant.id}", headers=m.demander.headers).status_code == 200

    part = client.post(
        f"{API}/contracts/{cid}/settlement",
        json={"outcome": "release", "amount": "45000.00"},
        headers=m.demander.headers,
    ).json()
    assert (part["state"], part["escrow"], part["voucher_code"]) == ("delivered", "200000.00", None)
    done = client.post(
        f"{API}/contracts/{cid}/settlement", json={"outcome": "release"}, headers=m.demander.headers
    )
    assert done.status_code == 200, done.text
    contract = done.json()
    assert (contract["state"], contract["escrow"]) == ("settled", "0.00")
    assert contract["subsidy"] == "49000.00"  # 20% of 245,000 (004:4727)
    assert balances_sum(db) == 0
    account = client.get(f"{API}/account", headers=m.provider.headers).json()
    assert account["balance"] == "245000.00"
    assert [t["kind"] for t in account["transfers"]] == ["escrow", "release", "release"]
    assert client.get(f"{API}/account", headers=m.demander.headers).json()["balance"] == "-245000.00"

    voucher = client.get(f"{API}/contracts/{cid}/voucher", headers=m.demander.headers).json()
    statement = voucher["statement"]
    assert statement["code"] == contract["voucher_code"] and statement["amount"] == "245000.00"
    # offline, with the standard-library verifier only: the platform's signature and the ledger receipt
    assert offline.verify_signature(
        statement["algorithm"],
        base64.b64decode(voucher["public_key"]),
        canonical_json(statement),
        base64.b64decode(voucher["signature"]),
    )
    assert offline.verify_receipt(voucher["receipt"]).status == "valid"
    leaf = json.loads(base64.b64decode(voucher["receipt"]["entry"]["leaf_input"]))
    assert leaf["kind"] == "trading.voucher_issued"
    assert leaf["payload"]["statement_sha256"] == hashlib.sha256(canonical_json(statement)).hexdigest()
    tampered = {**statement, "amount": "1.00"}
    assert not offline.verify_signature(
        statement["algorithm"],
        base64.b64decode(voucher["public_key"]),
        canonical_json(tampered),
        base64.b64decode(voucher["signature"]),
    )


def test_double_entry_postings_sum_to_zero_per_transfer(
    client: TestClient, db: Session, market: Market
) -> None:
    contract_id = signed(client, market)["contract_id"]
    client.post(f"{API}/contracts/{contract_id}/delivery", json={}, headers=market.provider.headers)
    client.post(
        f"{API}/contracts/{contract_id}/settlement",
        json={"outcome": "refund"},
        headers=market.provider.headers,
    )
    postings = db.scalars(select(Posting)).all()
    by_transfer: dict[uuid.UUID, int] = {}
    for posting in postings:
        by_transfer[posting.transfer_id] = by_transfer.get(posting.transfer_id, 0) + posting.amount_fen
    assert len(by_transfer) == 2 and set(by_transfer.values()) == {0}
    assert balances_sum(db) == 0
    refunded = client.get(f"{API}/contracts/{contract_id}", headers=market.demander.headers).json()
    assert (refunded["state"], refunded["escrow"], refunded["voucher_code"]) == ("refunded", "0.00", None)
    assert client.get(f"{API}/account", headers=market.demander.headers).json()["balance"] == "0.00"


def _refused(client: TestClient, db: Session, response: object, code: str, source: str) -> dict[str, object]:
    body = assert_problem(response, 409, code)
    assert body["source"] == source, body
    refusal = db.scalars(select(TradingRefusal).order_by(TradingRefusal.refused_at.desc())).first()
    assert refusal is not None and refusal.code == code and refusal.source == source
    return body


@pytest.mark.parametrize(
    ("declaration", "ground", "source"),
    [
        ({"state_secrets": True}, "state_secrets", "004:5070"),
        ({"national_security": True}, "national_security", "004:5071"),
        ({"identifies_persons": True}, "personal_data_without_consent", "004:5072"),
        ({"personality_rights": True}, "personality_rights", "004:5073"),
        ({"trade_secret_or_ip": True}, "trade_secret_without_consent", "004:5074"),
        ({"illegal_source": True}, "illegal_source", "004:5075"),
        ({"other_legal_prohibition": True}, "other_legal_prohibition", "004:5076"),
    ],
)
def test_an_object_on_a_prohibited_ground_is_refused_naming_it(
    client: TestClient, db: Session, market: Market, declaration: dict[str, bool], ground: str, source: str
) -> None:
    before = counts(db)
    response = client.post(
        f"{API}/objects", json=object_body(market, declaration=declaration), headers=market.provider.headers
    )
    body = _refused(client, db, response, "trading-prohibited-object", source)
    assert body["ground"] == ground and ground in str(body["detail"])
    after = counts(db)
    assert (after.objects, after.refusals, after.ledger) == (
        before.objects,
        before.refusals + 1,
        before.ledger + 1,
    )


def test_consent_lifts_the_personal_data_and_trade_secret_grounds(client: TestClient, market: Market) -> None:
    declaration = {
        "identifies_persons": True,
        "persons_consent": True,
        "trade_secret_or_ip": True,
        "rights_holder_consent": True,
    }
    response = client.post(
        f"{API}/objects", json=object_body(market, declaration=declaration), headers=market.provider.headers
    )
    assert response.status_code == 201, response.text


def test_the_prohibited_list_refuses_an_object(client: TestClient, db: Session, market: Market) -> None:
    entry = client.post(
        f"{API}/prohibited",
        json={"keyword": "运单", "reason": "主管部门列入禁止交易清单"},
        headers=market.exchange.headers,
    )
    assert entry.status_code == 201, entry.text
    assert_problem(
        client.post(
            f"{API}/prohibited", json={"keyword": "x", "reason": "r"}, headers=market.provider.headers
        ),
        403,
        "trading-not-allowed",
    )
    response = client.post(f"{API}/objects", json=object_body(market), headers=market.provider.headers)
    assert (
        _refused(client, db, response, "trading-prohibited-object", "004:5050")["ground"] == "prohibited_list"
    )


def test_a_missing_registration_is_refused(client: TestClient, db: Session, market: Market) -> None:
    before = counts(db)
    public = object_body(market, public_data_product=True)
    _refused(
        client,
        db,
        client.post(f"{API}/objects", json=public, headers=market.provider.headers),
        "trading-registration-missing",
        "004:5458",
    )
    unknown = object_body(market, public_data_product=True, certificate_code="DJR-NOPE")
    _refused(
        client,
        db,
        client.post(f"{API}/objects", json=unknown, headers=market.provider.headers),
        "trading-registration-missing",
        "004:5458",
    )
    # a data merchant's product needs its data asset registration (004:5150)
    from tests.trading.conftest import register_party

    register_party(client, market.provider, "data_merchant")
    merchant = object_body(market, merchant_product=True)
    _refused(
        client,
        db,
        client.post(f"{API}/objects", json=merchant, headers=market.provider.headers),
        "trading-registration-missing",
        "004:5150",
    )
    merchant["asset_registration_no"] = "NMDA-2026-000123"
    assert client.post(f"{API}/objects", json=merchant, headers=market.provider.headers).status_code == 201
    assert counts(db).refusals == before.refusals + 3


def test_a_price_above_the_guided_cap_is_refused(client: TestClient, db: Session, market: Market) -> None:
    obj = registered_object(client, market)
    assert obj["guided_cap"] is None
    # a cap is for a public data product only; the review records it (I-6)
    created = client.post(f"{API}/objects", json=object_body(market), headers=market.provider.headers).json()
    review = {"passed": True, "note": "通过", "guided_cap": "1000.00"}
    assert_problem(
        client.post(f"{API}/objects/{created['id']}/review", json=review, headers=market.exchange.headers),
        422,
    )


def test_an_offer_on_a_closed_negotiation_names_the_state(
    client: TestClient, db: Session, market: Market
) -> None:
    nid = negotiate(client, market, listing(client, market)["id"])["id"]
    assert step(client, market.demander, nid, "terminate").json()["state"] == "TERMINATED"
    before = counts(db)
    body = _refused(
        client,
        db,
        step(client, market.provider, nid, "offer", price="1.00"),
        "trading-invalid-transition",
        "004:5175",
    )
    assert (body["state"], body["allowed"]) == ("TERMINATED", [])
    assert "closed" in str(body["detail"])
    after = counts(db)
    assert (after.offers, after.refusals) == (before.offers, before.refusals + 1)


def test_a_transition_out_of_order_names_state_and_allowed_actions(
    client: TestClient, db: Session, market: Market
) -> None:
    nid = negotiate(client, market, listing(client, market)["id"])["id"]
    body = _refused(
        client, db, step(client, market.demander, nid, "verify"), "trading-invalid-transition", "004:5175"
    )
    assert (body["state"], body["allowed"]) == ("REQUESTED", ["terminate"])
    body = _refused(
        client, db, step(client, market.provider, nid, "accept"), "trading-invalid-transition", "004:5175"
    )
    assert (body["state"], body["allowed"]) == ("REQUESTED", ["offer", "agree", "terminate"])


def test_settlement_beyond_the_escrow_is_refused(client: TestClient, db: Session, market: Market) -> None:
    cid = signed(client, market, price="1000.00")["contract_id"]
    client.post(f"{API}/contracts/{cid}/delivery", json={}, headers=market.provider.headers)
    before = counts(db)
    response = client.post(
        f"{API}/contracts/{cid}/settlement",
        json={"outcome": "release", "amount": "1000.01"},
        headers=market.demander.headers,
    )
    assert (
        _refused(client, db, response, "trading-settlement-beyond-escrow", "004:5185")["escrow"] == "1000.00"
    )
    after = counts(db)
    assert (after.transfers, after.refusals) == (before.transfers, before.refusals + 1)
    assert client.get(f"{API}/contracts/{cid}", headers=market.demander.headers).json()["escrow"] == "1000.00"
    # a release before delivery is out of order; a refund by the demander is not its step
    fresh = signed(client, market, price="10.00")["contract_id"]
    early = client.post(
        f"{API}/contracts/{fresh}/settlement", json={"outcome": "release"}, headers=market.demander.headers
    )
    assert _refused(client, db, early, "trading-invalid-transition", "004:5175")["allowed"] == ["delivered"]
    assert_problem(
        client.post(
            f"{API}/contracts/{fresh}/settlement", json={"outcome": "refund"}, headers=market.demander.headers
        ),
        403,
        "trading-not-allowed",
    )


def test_small_contracts_get_no_subsidy(client: TestClient, market: Market) -> None:
    cid = signed(client, market, price="200000.00")["contract_id"]
    client.post(f"{API}/contracts/{cid}/delivery", json={}, headers=market.provider.headers)
    done = client.post(
        f"{API}/contracts/{cid}/settlement", json={"outcome": "release"}, headers=market.demander.headers
    )
    assert (done.json()["state"], done.json()["subsidy"]) == ("settled", "0.00")


def test_a_party_needs_its_role_and_attestations(client: TestClient, db: Session, market: Market) -> None:
    incomplete = {
        "kind": "legal_person",
        "roles": ["provider"],
        "attestations": {"provider": {"source_statement": True}},
    }
    body = _refused(
        client,
        db,
        client.post(f"{API}/parties", json=incomplete, headers=market.world.a_analyst.headers),
        "trading-attestation-missing",
        "004:5137",
    )
    assert "follows_rules" in str(body["detail"])
    # the demander has not registered as a provider: no object
    _refused(
        client,
        db,
        client.post(f"{API}/objects", json=object_body(market), headers=market.demander.headers),
        "trading-party-not-registered",
        "004:5177",
    )


def test_no_auction_order_book_or_matching_path(app: FastAPI) -> None:
    """X-8 (004:5103): the API has no auction, order book, matching or market-making route, and a
    negotiation moves only by the seven bilateral steps."""
    paths = [p for p in app.openapi()["paths"] if p.startswith(API)]
    assert f"{API}/negotiations/{{negotiation_id}}/steps" in paths
    assert not [
        p for p in paths if any(w in p for w in ("auction", "order", "match", "bid", "book", "maker"))
    ]
    assert {a.value for a in NegotiationAction} == {
        "request",
        "offer",
        "accept",
        "agree",
        "verify",
        "finalize",
        "terminate",
    }
