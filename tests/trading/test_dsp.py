"""Dataspace Protocol 2024-1 over HTTP, both sides: the consumer's connector (the demander's token) asks for
the catalog and negotiates; the provider's connector (the provider's token) counters, agrees and finalizes;
the negotiation is the domain's own (the trading API reads the same one). Bad messages (wrong type, no DSP
context, an unknown process, no token) are problems naming what, change nothing and leave their record."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.identity.support import assert_problem
from tests.trading.conftest import API, TERMS, Market, balances_sum, counts, listing

DSP = "/api/dsp"
CONTEXT = "https://w3id.org/dspace/2024/1/context.json"


def msg(kind: str, **fields: Any) -> dict[str, Any]:
    return {"@context": [CONTEXT], "@type": f"dspace:{kind}", **fields}


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
            "dspace:consumerPid": "urn:uuid:00000000-0000-4000-8000-000000000001",
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
    assert started.json()["dspace:state"] == "dspace:REQUESTED"

    def send(path: str, headers: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
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
            "dspace:consumerPid": "urn:uuid:00000000-0000-4000-8000-000000000002",
            "dspace:agreementId": f"urn:uuid:{agreed['logispace:contract']}",
            "dct:format": "HttpData-PULL",
        },
    )
    assert client.post(f"{DSP}/transfers/request", json=transfer, headers=provider).status_code == 404
    requested = client.post(f"{DSP}/transfers/request", json=transfer, headers=consumer)
    assert requested.status_code == 201, requested.text
    tid = requested.json()["dspace:providerPid"]
    assert requested.json()["dspace:state"] == "dspace:REQUESTED"
    started = client.post(f"{DSP}/transfers/{tid}/start", json=msg("TransferStartMessage"), headers=provider)
    assert started.status_code == 200, started.text
    address = started.json()["dspace:dataAddress"]["dspace:endpoint"]
    assert started.json()["dspace:state"] == "dspace:STARTED"
    assert client.get(address, headers=consumer).status_code == 200  # the grant of the access domain
    done = client.post(
        f"{DSP}/transfers/{tid}/completion", json=msg("TransferCompletionMessage"), headers=consumer
    )
    assert done.status_code == 200 and done.json()["dspace:state"] == "dspace:COMPLETED"
    assert (
        client.get(f"{API}/contracts/{agreed['logispace:contract']}/voucher", headers=consumer).status_code
        == 200
    )
    assert client.get(f"{DSP}/transfers/{tid}", headers=m.outsider.headers).status_code == 404
    assert balances_sum(db) == 0


def test_bad_messages_are_named_change_nothing_and_are_recorded(
    client: TestClient, db: Session, market: Market
) -> None:
    m = market
    offer = listing(client, m)
    consumer = m.demander.headers
    good_offer = {
        "@id": f"urn:uuid:{offer['id']}",
        "@type": "odrl:Offer",
        "logispace:price": "240000.00",
        "logispace:purpose": "supply_chain_finance",
    }
    before = counts(db)
    wrong_type = {"@context": [CONTEXT], "@type": "dspace:ContractOfferMessage", "dspace:offer": good_offer}
    problem = assert_problem(
        client.post(f"{DSP}/negotiations/request", json=wrong_type, headers=consumer),
        400,
        "trading-dsp-invalid-message",
    )
    assert "dspace:ContractRequestMessage" in problem["detail"] and problem["field"] == "@type"
    no_context = {"@type": "dspace:ContractRequestMessage", "dspace:offer": good_offer}
    assert (
        assert_problem(client.post(f"{DSP}/negotiations/request", json=no_context, headers=consumer), 400)[
            "field"
        ]
        == "@context"
    )
    no_price = msg("ContractRequestMessage", **{"dspace:offer": {**good_offer, "logispace:price": 1}})
    assert (
        assert_problem(client.post(f"{DSP}/negotiations/request", json=no_price, headers=consumer), 400)[
            "field"
        ]
        == "logispace:price"
    )
    unknown = "urn:uuid:00000000-0000-4000-8000-00000000beef"
    event = msg("ContractNegotiationEventMessage", **{"dspace:eventType": "dspace:ACCEPTED"})
    assert_problem(
        client.post(f"{DSP}/negotiations/{unknown}/events", json=event, headers=consumer),
        404,
        "trading-dsp-unknown-process",
    )
    after = counts(db)
    assert (after.negotiations, after.offers, after.contracts) == (
        before.negotiations,
        before.offers,
        before.contracts,
    )
    assert after.refusals == before.refusals + 4
    # no connector token: 401, nothing changes
    assert client.post(f"{DSP}/negotiations/request", json=msg("ContractRequestMessage")).status_code == 401
    assert counts(db).negotiations == before.negotiations
