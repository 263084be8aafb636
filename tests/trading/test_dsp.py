"""Dataspace Protocol 2024-1 over HTTP, both sides: the consumer's connector (the demander's token) asks for
the catalog and negotiates, leaving its own process id and callback address; the provider's connector (the
provider's token) counters, agrees and finalizes; the negotiation is the domain's own (the trading API reads
the same one), and the messages owed to the consumer reach its callback (a consumer app over the ASGI
transport). Bad messages of every type, unknown processes and connectors without a valid token are
problems naming what, change nothing and leave a refusal record the exchange lists."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import set_clock, utcnow
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.trading import callbacks, dsp_messages
from logispace.domains.trading.audit import ANONYMOUS_WINDOW
from logispace.domains.trading.models import DspCallback, TradingRefusal
from tests.identity.support import assert_problem
from tests.trading.conftest import API, TERMS, Market, balances_sum, counts, listing, negotiate, signed, step

DSP = "/api/dsp"
CONTEXT = "https://w3id.org/dspace/2024/1/context.json"
CALLBACK = "http://consumer.test/dsp"
CPID = "urn:uuid:00000000-0000-4000-8000-000000000001"
TPID = "urn:uuid:00000000-0000-4000-8000-000000000002"


def msg(kind: str, **fields: Any) -> dict[str, Any]:
    return {"@context": [CONTEXT], "@type": f"dspace:{kind}", **fields}


def consumer_connector() -> tuple[FastAPI, list[tuple[str, dict[str, Any]]]]:
    """The consumer's side: a connector app that keeps what reaches its callback address."""
    app, received = FastAPI(), []

    @app.post("/dsp/{rest:path}")
    async def callback(rest: str, request: Request) -> dict[str, str]:
        received.append((rest, await request.json()))
        return {}

    return app, received


def poster(client: TestClient) -> callbacks.Poster:
    def post(url: str, body: bytes, headers: Mapping[str, str]) -> int:
        return client.post(url, content=body, headers=dict(headers)).status_code

    return post


def test_both_connectors_negotiate_the_domains_negotiation(
    client: TestClient, db: Session, market: Market
) -> None:
    m = market
    offer = listing(client, m, price="250000.00")
    consumer, provider = m.demander.headers, m.provider.headers

    catalog = client.post(f"{DSP}/catalog/request", json=msg("CatalogRequestMessage"), headers=consumer)
    assert catalog.status_code == 200 and catalog.headers["content-type"].startswith("application/ld+json")
    datasets = catalog.json()["dcat:dataset"]
    found = next(d for d in datasets if d["@id"] == f"urn:uuid:{offer['id']}")
    policy = found["odrl:hasPolicy"][0]
    assert (policy["@type"], policy["logispace:price"]) == ("odrl:Offer", "250000.00")

    request = msg(
        "ContractRequestMessage",
        **{
            "dspace:consumerPid": CPID,
            "dspace:callbackAddress": CALLBACK,
            "dspace:offer": {
                "@id": policy["@id"],
                "@type": "odrl:Offer",
                "logispace:price": "230000.00",
                "logispace:purpose": "supply_chain_finance",
            },
        },
    )
    started = client.post(f"{DSP}/negotiations/request", json=request, headers=consumer)
    assert started.status_code == 201, started.text
    pid = started.json()["dspace:providerPid"]
    assert (started.json()["dspace:state"], started.json()["dspace:consumerPid"]) == (
        "dspace:REQUESTED",
        CPID,
    )
    assert pid != CPID

    def send(path: str, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
        body = {**body, "dspace:providerPid": pid, "dspace:consumerPid": CPID}
        response = client.post(f"{DSP}/negotiations/{pid}/{path}", json=body, headers=headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    counter = {"@id": policy["@id"], "@type": "odrl:Offer", "logispace:price": "245000.00"}
    assert (
        send("offers", provider, msg("ContractOfferMessage", **{"dspace:offer": counter}))["dspace:state"]
        == "dspace:OFFERED"
    )
    accepted = msg("ContractNegotiationEventMessage", **{"dspace:eventType": "dspace:ACCEPTED"})
    assert send("events", consumer, accepted)["dspace:state"] == "dspace:ACCEPTED"
    agreement = {"@id": f"{pid}:agreement", "@type": "odrl:Agreement", "logispace:terms": TERMS}
    agreed = send("agreement", provider, msg("ContractAgreementMessage", **{"dspace:agreement": agreement}))
    assert agreed["dspace:state"] == "dspace:AGREED" and agreed["logispace:contract"]
    verified = send("agreement/verification", consumer, msg("ContractAgreementVerificationMessage"))
    assert verified["dspace:state"] == "dspace:VERIFIED"
    finalized = msg("ContractNegotiationEventMessage", **{"dspace:eventType": "dspace:FINALIZED"})
    assert send("events", provider, finalized)["dspace:state"] == "dspace:FINALIZED"
    assert balances_sum(db) == 0

    nid = pid.removeprefix("urn:uuid:")
    same = client.get(f"{API}/negotiations/{nid}", headers=consumer).json()
    assert (same["state"], same["price"]) == ("FINALIZED", "245000.00")
    contract = client.get(f"{API}/contracts/{agreed['logispace:contract']}", headers=consumer).json()
    assert (contract["amount"], contract["escrow"], contract["state"]) == ("245000.00", "245000.00", "signed")
    assert client.get(f"{DSP}/negotiations/{pid}", headers=m.outsider.headers).status_code == 404

    # the transfer process of the agreement: requested by the consumer, started (delivered) by the
    # provider, completed (accepted, escrow released, voucher issued) by the consumer
    transfer = msg(
        "TransferRequestMessage",
        **{
            "dspace:consumerPid": TPID,
            "dspace:callbackAddress": CALLBACK,
            "dspace:agreementId": f"urn:uuid:{agreed['logispace:contract']}",
            "dct:format": "HttpData-PULL",
        },
    )
    assert client.post(f"{DSP}/transfers/request", json=transfer, headers=provider).status_code == 404
    requested = client.post(f"{DSP}/transfers/request", json=transfer, headers=consumer)
    assert requested.status_code == 201, requested.text
    tid = requested.json()["dspace:providerPid"]
    assert (requested.json()["dspace:state"], requested.json()["dspace:consumerPid"]) == (
        "dspace:REQUESTED",
        TPID,
    )
    pids = {"dspace:providerPid": tid, "dspace:consumerPid": TPID}
    started = client.post(
        f"{DSP}/transfers/{tid}/start", json=msg("TransferStartMessage", **pids), headers=provider
    )
    assert started.status_code == 200, started.text
    address = started.json()["dspace:dataAddress"]["dspace:endpoint"]
    assert started.json()["dspace:state"] == "dspace:STARTED"
    assert client.get(address, headers=consumer).status_code == 200  # the grant of the access domain
    done = client.post(
        f"{DSP}/transfers/{tid}/completion", json=msg("TransferCompletionMessage", **pids), headers=consumer
    )
    assert done.status_code == 200 and done.json()["dspace:state"] == "dspace:COMPLETED"
    assert (
        client.get(f"{API}/contracts/{agreed['logispace:contract']}/voucher", headers=consumer).status_code
        == 200
    )
    assert client.get(f"{DSP}/transfers/{tid}", headers=m.outsider.headers).status_code == 404
    assert balances_sum(db) == 0

    # the consumer's connector receives, at its callback and under its own process ids, the provider's
    # counter-offer, the agreement, the finalization and the transfer start, each valid for its type
    app, received = consumer_connector()
    with TestClient(app, base_url="http://consumer.test") as consumer_side:
        outcome = callbacks.send_pending(db, poster(consumer_side))
    assert (outcome.sent, outcome.retried, outcome.failed) == (4, 0, 0)
    assert [path for path, _ in received] == [
        f"negotiations/{CPID}/offers",
        f"negotiations/{CPID}/agreement",
        f"negotiations/{CPID}/events",
        f"transfers/{TPID}/start",
    ]
    for _, message in received:
        kind = message["@type"].removeprefix("dspace:")
        expanded = dsp_messages.expand(message, kind)
        assert expanded.value("providerPid") in (pid, tid) and expanded.value("consumerPid") in (CPID, TPID)
    assert received[2][1]["dspace:eventType"] == "dspace:FINALIZED"
    assert received[3][1]["dspace:dataAddress"]["dspace:endpoint"] == address
    assert callbacks.send_pending(db, poster(consumer_side)).sent == 0  # each is sent once


def test_a_callback_that_fails_is_retried_then_marked_failed(
    client: TestClient, db: Session, market: Market
) -> None:
    m = market
    offer = listing(client, m)
    body = msg(
        "ContractRequestMessage",
        **{
            "dspace:consumerPid": CPID,
            "dspace:callbackAddress": CALLBACK,
            "dspace:offer": {
                "@id": f"urn:uuid:{offer['id']}",
                "@type": "odrl:Offer",
                "logispace:price": "200000.00",
                "logispace:purpose": "supply_chain_finance",
            },
        },
    )
    pid = client.post(f"{DSP}/negotiations/request", json=body, headers=m.demander.headers).json()[
        "dspace:providerPid"
    ]
    nid = pid.removeprefix("urn:uuid:")
    assert step(client, m.provider, nid, "terminate").status_code == 200  # on the pages' API: still owed
    answers = iter([503, 500, 502, 504, 500])
    for attempt in range(callbacks.MAX_ATTEMPTS):
        outcome = callbacks.send_pending(db, lambda url, body, headers: next(answers))
        assert (outcome.retried, outcome.failed) == (
            (1, 0) if attempt < callbacks.MAX_ATTEMPTS - 1 else (0, 1)
        )
    row = db.scalars(select(DspCallback).where(DspCallback.url.like("%/termination"))).one()
    assert (row.status, row.attempts, row.last_status) == ("failed", callbacks.MAX_ATTEMPTS, 500)


def test_bad_messages_of_every_type_are_named_change_nothing_and_are_recorded(
    client: TestClient, db: Session, market: Market
) -> None:
    m = market
    consumer, provider = m.demander.headers, m.provider.headers
    offer = listing(client, m)
    nid = negotiate(client, m, offer["id"])["id"]
    pid = f"urn:uuid:{nid}"
    assert step(client, m.provider, nid, "offer", price="245000.00").status_code == 200  # OFFERED
    contract = signed(client, m)["contract_id"]
    tid = f"urn:uuid:{contract}"
    unknown = "urn:uuid:00000000-0000-4000-8000-00000000beef"
    good_offer = {"@id": f"urn:uuid:{offer['id']}", "@type": "odrl:Offer", "logispace:price": "240000.00"}
    first = {"dspace:consumerPid": CPID, "dspace:callbackAddress": CALLBACK, "dspace:offer": good_offer}
    ids = {"dspace:providerPid": pid, "dspace:consumerPid": pid}
    tids = {"dspace:providerPid": tid, "dspace:consumerPid": tid}
    negotiation_error, transfer_error = "dspace:ContractNegotiationError", "dspace:TransferError"
    cases: list[tuple[str, dict[str, str], dict[str, Any], int, str, str]] = [
        # path, connector, message, status, field, DSP error type
        ("catalog/request", consumer, msg("ContractRequestMessage"), 400, "@type", "dspace:CatalogError"),
        (
            "negotiations/request",
            consumer,
            msg("ContractOfferMessage", **first),
            400,
            "@type",
            negotiation_error,
        ),
        (
            "negotiations/request",
            consumer,
            {**msg("ContractRequestMessage", **first), "@context": None},
            400,
            "@context",
            negotiation_error,
        ),
        (
            "negotiations/request",
            consumer,
            {
                **msg("ContractRequestMessage", **first),
                "@context": [CONTEXT, "https://remote.example/ctx.jsonld"],
            },
            400,
            "@context",
            negotiation_error,
        ),
        (
            "negotiations/request",
            consumer,
            msg("ContractRequestMessage", **{**first, "dspace:callbackAddress": "ftp://x"}),
            400,
            "dspace:callbackAddress",
            negotiation_error,
        ),
        (
            "negotiations/request",
            consumer,
            msg("ContractRequestMessage", **{**first, "dspace:offer": {**good_offer, "logispace:price": 1}}),
            400,
            "logispace:price",
            negotiation_error,
        ),
        (
            f"negotiations/{pid}/request",
            consumer,
            msg("ContractRequestMessage", **{"dspace:consumerPid": pid, "dspace:offer": good_offer}),
            400,
            "dspace:providerPid",
            negotiation_error,
        ),
        (
            f"negotiations/{pid}/request",
            consumer,
            msg("ContractRequestMessage", **{**ids, "dspace:consumerPid": CPID, "dspace:offer": good_offer}),
            404,
            "dspace:consumerPid",
            negotiation_error,
        ),
        (
            f"negotiations/{pid}/offers",
            provider,
            msg("ContractOfferMessage", **{**ids, "dspace:providerPid": unknown, "dspace:offer": good_offer}),
            404,
            "dspace:providerPid",
            negotiation_error,
        ),
        (
            f"negotiations/{pid}/events",
            consumer,
            msg("ContractNegotiationEventMessage", **{**ids, "dspace:eventType": "dspace:SUSPENDED"}),
            400,
            "dspace:eventType",
            negotiation_error,
        ),
        (
            f"negotiations/{pid}/agreement",
            provider,
            msg("ContractAgreementMessage", **{**ids, "dspace:agreement": {"@type": "odrl:Offer"}}),
            400,
            "dspace:agreement",
            negotiation_error,
        ),
        (
            f"negotiations/{pid}/agreement/verification",
            consumer,
            msg("ContractAgreementMessage", **ids),
            400,
            "@type",
            negotiation_error,
        ),
        (
            f"negotiations/{pid}/termination",
            consumer,
            msg("ContractNegotiationTerminationMessage", **{"dspace:providerPid": pid}),
            400,
            "dspace:consumerPid",
            negotiation_error,
        ),
        (
            f"negotiations/{unknown}/events",
            consumer,
            msg("ContractNegotiationEventMessage"),
            404,
            "",
            negotiation_error,
        ),
        (
            "transfers/request",
            consumer,
            msg(
                "TransferRequestMessage",
                **{"dspace:consumerPid": TPID, "dspace:callbackAddress": CALLBACK, "dspace:agreementId": tid},
            ),
            400,
            "dct:format",
            transfer_error,
        ),
        (
            "transfers/request",
            consumer,
            msg(
                "TransferRequestMessage",
                **{
                    "dspace:consumerPid": TPID,
                    "dspace:callbackAddress": CALLBACK,
                    "dspace:agreementId": unknown,
                    "dct:format": "HttpData-PULL",
                },
            ),
            404,
            "",
            transfer_error,
        ),
        (
            f"transfers/{tid}/start",
            provider,
            msg("TransferStartMessage", **{"dspace:consumerPid": tid}),
            400,
            "dspace:providerPid",
            transfer_error,
        ),
        (
            f"transfers/{tid}/completion",
            consumer,
            msg("TransferCompletionMessage", **{**tids, "dspace:consumerPid": TPID}),
            404,
            "dspace:consumerPid",
            transfer_error,
        ),
        (
            f"transfers/{tid}/termination",
            provider,
            msg("TransferStartMessage", **tids),
            400,
            "@type",
            transfer_error,
        ),
        (
            f"transfers/{unknown}/start",
            provider,
            msg("TransferStartMessage", **tids),
            404,
            "",
            transfer_error,
        ),
    ]
    before = counts(db)
    for path, headers, message, status, field, error in cases:
        problem = assert_problem(client.post(f"{DSP}/{path}", json=message, headers=headers), status)
        case = (path, message["@type"], field)
        assert problem["code"] == (
            "trading-dsp-invalid-message" if status == 400 else "trading-dsp-unknown-process"
        )
        assert problem.get("field", "") == field, (case, problem)
        assert (problem["@type"], problem["dspace:code"], problem["dspace:reason"]) == (
            error,
            str(status),
            [problem["detail"]],
        ), case
    after = counts(db)
    assert after == type(after)(
        **{**before.__dict__, "refusals": before.refusals + len(cases), "ledger": before.ledger + len(cases)}
    )
    state = client.get(f"{API}/negotiations/{nid}", headers=consumer).json()
    assert state["state"] == "OFFERED"
    assert client.get(f"{API}/contracts/{contract}", headers=consumer).json()["state"] == "signed"


def test_connectors_without_a_valid_token_are_refused_and_recorded(
    client: TestClient, db: Session, market: Market
) -> None:
    before = counts(db)
    codes = set()
    for headers in ({}, {"authorization": "Bearer not-a-token"}, {"authorization": "Basic eDp5"}) * 2:
        response = client.post(
            f"{DSP}/negotiations/request", json=msg("ContractRequestMessage"), headers=headers
        )
        codes.add(assert_problem(response, 401)["code"])
    after = counts(db)
    # A burst is kept once per action and code within the minute: anyone may send such calls.
    assert (after.negotiations, after.refusals, after.ledger) == (
        before.negotiations,
        before.refusals + len(codes),
        before.ledger + len(codes),
    )
    rows = db.scalars(
        select(TradingRefusal).where(TradingRefusal.subject == "trading-connector:unknown")
    ).all()
    assert {(r.party_id, r.action, r.source) for r in rows} == {
        (None, "POST /negotiations/request", "004:589")
    }
    assert db.scalar(select(LedgerEntry).where(LedgerEntry.subject == "trading-connector:unknown").limit(1))
    later = utcnow() + ANONYMOUS_WINDOW + timedelta(seconds=1)
    set_clock(lambda: later)
    try:  # a minute later the same refusal is kept again
        client.post(f"{DSP}/negotiations/request", json=msg("ContractRequestMessage"))
    finally:
        set_clock(None)
    assert counts(db).refusals == after.refusals + 1


def test_the_exchange_lists_every_refusal_a_party_only_its_own(
    client: TestClient, db: Session, market: Market
) -> None:
    m = market
    unknown = "urn:uuid:00000000-0000-4000-8000-00000000beef"
    event = msg("ContractNegotiationEventMessage")
    assert (
        client.post(
            f"{DSP}/negotiations/{unknown}/events", json=event, headers=m.demander.headers
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"{DSP}/negotiations/{unknown}/events", json=event, headers=m.outsider.headers
        ).status_code
        == 404
    )
    assert client.post(f"{DSP}/catalog/request", json=event).status_code == 401

    def listed(headers: dict[str, str], **query: str) -> list[Any]:
        response = client.get(f"{API}/refusals", params=query, headers=headers)
        assert response.status_code == 200, response.text
        return [(r["party_id"], r["code"]) for r in response.json()]

    unknown_code = "trading-dsp-unknown-process"
    everyone = listed(m.exchange.headers)
    assert {(str(m.demander.party_id), unknown_code), (str(m.outsider.party_id), unknown_code)} <= set(
        everyone
    )
    assert (None, "not-authenticated") in everyone
    assert listed(m.demander.headers) == [(str(m.demander.party_id), unknown_code)]
    assert listed(m.exchange.headers, code="not-authenticated") == [(None, "not-authenticated")]
    assert (
        client.get(f"{API}/refusals", params={"code": "Bad Code"}, headers=m.exchange.headers).status_code
        == 422
    )
