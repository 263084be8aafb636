"""Dataspace Protocol messages as JSON-LD, without the database: every message type is expanded against the
held DSP 2024-1 context, and each of its required properties, its @type and its context are checked."""

from __future__ import annotations

from typing import Any

import pytest

from logispace.domains.trading import dsp_messages as m
from logispace.domains.trading.dsp_messages import CONTEXT, REQUIRED, DspMessageInvalid

OFFER = {
    "@id": "urn:uuid:00000000-0000-4000-8000-000000000009",
    "@type": "odrl:Offer",
    "logispace:price": "1.00",
}
VALUES: dict[str, Any] = {
    "providerPid": "urn:uuid:00000000-0000-4000-8000-000000000001",
    "consumerPid": "urn:uuid:00000000-0000-4000-8000-000000000002",
    "callbackAddress": "https://consumer.example/dsp",
    "offer": OFFER,
    "eventType": "dspace:ACCEPTED",
    "agreement": {"@id": "urn:uuid:00000000-0000-4000-8000-000000000003", "@type": "odrl:Agreement"},
    "agreementId": "urn:uuid:00000000-0000-4000-8000-000000000003",
    "dct:format": "HttpData-PULL",
}


def complete(key: str) -> dict[str, Any]:
    kind = key.partition("/")[0]
    body: dict[str, Any] = {"@context": [CONTEXT], "@type": f"dspace:{kind}"}
    for name in REQUIRED[key]:
        body[name if ":" in name else f"dspace:{name}"] = VALUES[name]
    return body


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_each_message_type_expands_and_names_each_missing_property(key: str) -> None:
    kind, _, variant = key.partition("/")
    body = complete(key)
    message = m.expand(body, kind, variant or None)
    assert m.types_of(message.node) == [m.NS + kind]
    for name in REQUIRED[key]:
        compact = name if ":" in name else f"dspace:{name}"
        broken = {k: v for k, v in body.items() if k != compact}
        with pytest.raises(DspMessageInvalid) as refused:
            m.expand(broken, kind, variant or None)
        assert refused.value.extensions["field"] == compact
    other = "TransferStartMessage" if kind != "TransferStartMessage" else "TransferCompletionMessage"
    with pytest.raises(DspMessageInvalid) as refused:
        m.expand({**body, "@type": f"dspace:{other}"}, kind, variant or None)
    assert refused.value.extensions["field"] == "@type"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"@context": None}, "@context"),
        ({"@context": ["https://w3id.org/dspace/v0.8/context.json"]}, "@context"),
        ({"@context": [CONTEXT, "https://remote.example/context.jsonld"]}, "@context"),
        ({"@context": [CONTEXT, {"@version": 2}]}, "@context"),
        ({"dspace:consumerPid": 7}, "dspace:consumerPid"),
        ({"dspace:callbackAddress": "urn:x"}, "dspace:callbackAddress"),
        ({"dspace:offer": {**OFFER, "@type": "odrl:Set"}}, "dspace:offer"),
        ({"dspace:offer": {**OFFER, "logispace:price": 1}}, "logispace:price"),
    ],
)
def test_a_request_that_is_not_valid_json_ld_for_its_type_names_what(
    change: dict[str, Any], field: str
) -> None:
    body = {**complete("ContractRequestMessage"), **change}

    def read() -> None:
        message = m.expand(body, "ContractRequestMessage")
        m.offer_terms(message)
        m.callback_address(message)

    with pytest.raises(DspMessageInvalid) as refused:
        read()
    assert refused.value.extensions["field"] == field
    assert refused.value.status == 400


def test_the_held_context_gives_the_iris_and_values() -> None:
    body = {**complete("ContractRequestMessage"), "dspace:offer": {**OFFER, "logispace:purpose": "x"}}
    message = m.expand(body, "ContractRequestMessage")
    assert m.offer_terms(message) == (OFFER["@id"], "1.00", "x")
    assert m.callback_address(message) == "https://consumer.example/dsp"
    event = m.expand(complete("ContractNegotiationEventMessage"), "ContractNegotiationEventMessage")
    assert event.value("eventType") == m.NS + "ACCEPTED"
