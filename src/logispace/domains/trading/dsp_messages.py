"""Dataspace Protocol 2024-1 messages as JSON-LD (数据空间协议消息校验): each incoming message is expanded
with pyld against the protocol's context, held in this package (``contexts/dspace-2024-1.jsonld``, never
fetched: any other remote context is refused), and its expanded form is checked for its ``@type`` and the
properties its message type requires (:data:`REQUIRED`). A message that fails names what is wrong
(``field``, in the compact ``dspace:`` form) and is refused as :class:`DspMessageInvalid` (400)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

from logispace.domains.trading.errors import TradingRefused

CONTEXT = "https://w3id.org/dspace/2024/1/context.json"
NS = "https://w3id.org/dspace/v0.8/"
ODRL = "http://www.w3.org/ns/odrl/2/"
LOGISPACE = "https://logispace.example/ns/trading#"
SOURCE = "004:5103"

# The platform's own terms are known to every message (logispace:price, logispace:purpose and the
# contract's mandatory contents as a JSON literal), so a connector needs only the protocol's context.
LOCAL_CONTEXT: dict[str, Any] = {"logispace": LOGISPACE, "logispace:terms": {"@type": "@json"}}

REQUIRED: dict[str, tuple[str, ...]] = {
    "CatalogRequestMessage": (),
    "ContractRequestMessage": ("consumerPid", "offer", "callbackAddress"),
    "ContractRequestMessage/counter": ("providerPid", "consumerPid", "offer"),
    "ContractOfferMessage": ("providerPid", "consumerPid", "offer"),
    "ContractNegotiationEventMessage": ("providerPid", "consumerPid", "eventType"),
    "ContractAgreementMessage": ("providerPid", "consumerPid", "agreement"),
    "ContractAgreementVerificationMessage": ("providerPid", "consumerPid"),
    "ContractNegotiationTerminationMessage": ("providerPid", "consumerPid"),
    "TransferRequestMessage": ("consumerPid", "agreementId", "dct:format", "callbackAddress"),
    "TransferStartMessage": ("providerPid", "consumerPid"),
    "TransferCompletionMessage": ("providerPid", "consumerPid"),
    "TransferTerminationMessage": ("providerPid", "consumerPid"),
}
"""The properties each message type requires (DSP 2024-1; a counter-request names the provider's pid):
``dspace:`` unless another prefix is given."""

PREFIXES = {"dspace": NS, "dct": "http://purl.org/dc/terms/"}


def _iri(name: str) -> tuple[str, str]:
    """The compact name and the IRI of a required property."""
    prefix, _, local = name.rpartition(":")
    return f"{prefix or 'dspace'}:{local}", PREFIXES[prefix or "dspace"] + local


class DspMessageInvalid(TradingRefused):
    """A Dataspace Protocol message that is not valid JSON-LD for its type (400), naming what is wrong."""

    status = 400
    code = "trading-dsp-invalid-message"
    title = "The Dataspace Protocol message is not valid for its type"


def invalid(detail: str, field: str) -> DspMessageInvalid:
    return DspMessageInvalid(detail, source=SOURCE, field=field)


@cache
def _held_context() -> dict[str, Any]:
    text = resources.files("logispace.domains.trading").joinpath("contexts/dspace-2024-1.jsonld").read_text()
    document: dict[str, Any] = json.loads(text)
    return document


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    """The document loader: the held DSP context, nothing else (no request leaves the platform)."""
    if url != CONTEXT:
        raise jsonld.JsonLdError(
            f"the context {url[:200]} is not held by the exchange", "jsonld.LoadDocumentError"
        )
    return {"contextUrl": None, "documentUrl": url, "document": _held_context()}


def _reason(exc: BaseException) -> str:
    """The innermost cause of a pyld error, with its JSON-LD error code."""
    while isinstance(getattr(exc, "cause", None), BaseException):
        exc = exc.cause  # type: ignore[attr-defined]
    code = getattr(exc, "code", None)
    text = str(exc.args[0]) if exc.args else type(exc).__name__
    return f"{code}: {text}" if code else text


class Message:
    """A message's expanded node with readers for its ``dspace:`` properties."""

    def __init__(self, kind: str, node: dict[str, Any]) -> None:
        self.kind = kind
        self.node = node

    def value(self, name: str) -> Any:
        """The first value of ``dspace:<name>``: a literal's ``@value`` or a reference's ``@id``."""
        return first_value(self.node, NS + name)

    def child(self, name: str) -> dict[str, Any] | None:
        """The node object of ``dspace:<name>``."""
        values = self.node.get(NS + name) or []
        return values[0] if values and isinstance(values[0], dict) else None


def first_value(node: dict[str, Any], iri: str) -> Any:
    values = node.get(iri) or []
    if not values or not isinstance(values[0], dict):
        return None
    item = values[0]
    return item.get("@value", item.get("@id"))


def types_of(node: dict[str, Any]) -> list[str]:
    return list(node.get("@type") or [])


def expand(message: Any, kind: str, variant: str | None = None) -> Message:
    """Expand ``message`` and check it is a ``dspace:<kind>`` with the properties its type requires."""
    if not isinstance(message, dict):
        raise invalid(f"a {kind} is a JSON object", "body")
    context = message.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if CONTEXT not in contexts:
        raise invalid(f"@context must include the Dataspace Protocol context {CONTEXT}", "@context")
    for other in contexts:
        if isinstance(other, str) and other != CONTEXT:
            raise invalid(
                f"the context {other[:200]} is not held by the exchange: only the Dataspace Protocol "
                "context and inline contexts are read (no context is fetched)",
                "@context",
            )
    try:
        expanded = jsonld.expand(message, {"documentLoader": _loader, "expandContext": LOCAL_CONTEXT})
    except jsonld.JsonLdError as exc:
        raise invalid(f"the message is not valid JSON-LD: {_reason(exc)[:300]}", "@context") from None
    if len(expanded) != 1 or not isinstance(expanded[0], dict):
        raise invalid(f"a {kind} is one JSON-LD node", "body")
    node = expanded[0]
    if types_of(node) != [NS + kind]:
        raise invalid(f"@type must be dspace:{kind}, not {message.get('@type')!r}", "@type")
    for name in REQUIRED[f"{kind}/{variant}" if variant else kind]:
        compact, iri = _iri(name)
        values = node.get(iri) or []
        if not values:
            raise invalid(f"a {kind} requires {compact}", compact)
        if name.endswith(("Pid", "Id", "Address", "format")) and not isinstance(values[0].get("@value"), str):
            raise invalid(f"{compact} is a string", compact)
    return Message(kind, node)


def offer_terms(message: Message) -> tuple[Any, str, str | None]:
    """The ``odrl:Offer`` of a request or offer: its ``@id``, ``logispace:price`` (yuan) and purpose."""
    offer = message.child("offer")
    if offer is None or ODRL + "Offer" not in types_of(offer):
        raise invalid("dspace:offer must be an odrl:Offer", "dspace:offer")
    price = first_value(offer, LOGISPACE + "price")
    if not isinstance(price, str):
        raise invalid("the offer carries logispace:price in yuan, as a string", "logispace:price")
    purpose = first_value(offer, LOGISPACE + "purpose")
    return offer.get("@id"), price, purpose if isinstance(purpose, str) else None


def agreement_terms(message: Message) -> Any:
    """The contract's mandatory contents (``logispace:terms``) of an ``odrl:Agreement``."""
    agreement = message.child("agreement")
    if agreement is None or ODRL + "Agreement" not in types_of(agreement):
        raise invalid("dspace:agreement must be an odrl:Agreement", "dspace:agreement")
    return first_value(agreement, LOGISPACE + "terms")


def callback_address(message: Message) -> str | None:
    """The consumer's callback address, an absolute http(s) URL."""
    value = message.value("callbackAddress")
    if value is None:
        return None
    if not isinstance(value, str) or not value.startswith(("https://", "http://")) or len(value) > 500:
        raise invalid(
            "dspace:callbackAddress must be an http(s) URL of at most 500 characters",
            "dspace:callbackAddress",
        )
    return value.rstrip("/")
