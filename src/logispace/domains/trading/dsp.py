"""The Eclipse Dataspace Protocol 2024-1 (数据空间协议) over the exchange: the catalog (DCAT with ODRL offers)
and contract negotiation as JSON-LD messages, for connectors of other data spaces.

A connector is a party registered for trading, authenticated by its party's bearer token. Each message is
expanded as JSON-LD against the held DSP 2024-1 context and checked for its type, the properties its type
requires and the process ids it names (:mod:`.dsp_messages`), then mapped onto the domain's own
negotiation (:mod:`.service`, :mod:`.settlement`): the process id (``providerPid``) is the negotiation's
URN and the states are the same machine, so a negotiation started by a connector is the one the pages
show, and the reverse. The transfer process of a contract is its delivery and settlement (its process id is
the contract's). A message that is not valid for its type is refused naming what is wrong; a step out of
order is the domain's 409 with the state and allowed actions.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import Principal
from logispace.domains.trading import listings, negotiation, reads, repository, service, settlement
from logispace.domains.trading.dsp_messages import (
    CONTEXT,
    LOGISPACE,
    NS,
    PREFIXES,
    SOURCE,
    Message,
    agreement_terms,
    callback_address,
    expand,
    first_value,
    invalid,
    offer_terms,
)
from logispace.domains.trading.enums import NegotiationAction, TradingRole
from logispace.domains.trading.errors import TradingNotFound, TradingRefused
from logispace.domains.trading.models import Negotiation
from logispace.domains.trading.schemas import NegotiationCreate, NegotiationStep, SettlementCreate

VERSION = "2024/1"
A = NegotiationAction


class DspUnknownProcess(TradingRefused):
    """A message names a process the connector has no part in, or that does not exist (404)."""

    status = 404
    code = "trading-dsp-unknown-process"
    title = "No such contract negotiation"


def _context() -> list[Any]:
    return [CONTEXT, {"logispace": LOGISPACE}]


def _pid(value: Any, name: str) -> uuid.UUID:
    text = str(value or "")
    try:
        return uuid.UUID(text.removeprefix("urn:uuid:"))
    except ValueError:
        raise invalid(f"{name} must be a urn:uuid process id", name) from None


def _consumer_pid(message: Message) -> str:
    value = str(message.value("consumerPid"))
    if len(value) > 200:
        raise invalid("dspace:consumerPid is at most 200 characters", "dspace:consumerPid")
    return value


def _same_process(message: Message, provider_pid: str, consumer_pid: str, process: str) -> None:
    """The message's ``providerPid`` and ``consumerPid`` are those of the process it is sent to."""
    for name, expected in (("providerPid", provider_pid), ("consumerPid", consumer_pid)):
        if message.value(name) != expected:
            raise DspUnknownProcess(
                f"dspace:{name} {str(message.value(name))[:100]!r} does not name this {process}",
                source=SOURCE,
                field=f"dspace:{name}",
            )


# -- catalog (目录): DCAT with ODRL offers --------------------------------------------------------------


def catalog(session: Session, p: Principal, message: Any) -> dict[str, Any]:
    """The catalog of live listings as a ``dcat:Catalog``: each listing a ``dcat:Dataset`` with its terms as
    an ``odrl:Offer`` carrying the asking price (logispace:price, yuan) and the purposes it allows."""
    expand(message, "CatalogRequestMessage")
    rows = repository.market(session, p.party_id, service.is_exchange(p))
    return {
        "@context": _context(),
        "@id": "urn:logispace:catalog",
        "@type": "dcat:Catalog",
        "dct:title": "LogiSpace 数据流通交易目录",
        "dcat:dataset": [dataset(listing, obj) for listing, obj in rows],
    }


def dataset(listing: Any, obj: Any) -> dict[str, Any]:
    offer = dict(listing.policy)
    offer.pop("@context", None)
    return {
        "@id": f"urn:uuid:{listing.id}",
        "@type": "dcat:Dataset",
        "dct:title": listing.title,
        "dct:description": obj.description,
        "odrl:hasPolicy": [
            {
                **{f"odrl:{k}" if k not in ("@type", "uid") else k: v for k, v in offer.items()},
                "@id": f"urn:uuid:{listing.id}",
                "@type": "odrl:Offer",
                "logispace:price": str(service.yuan(listing.price_fen)),
            }
        ],
    }


def dataset_of(session: Session, p: Principal, listing_id: uuid.UUID) -> dict[str, Any]:
    listing = listings.visible_listing(session, p, listing_id)
    obj = service.visible_object(session, p, listing.object_id)
    return {"@context": _context(), **dataset(listing, obj)}


# -- contract negotiation (合同协商) ---------------------------------------------------------------------


def negotiation_doc(row: Negotiation) -> dict[str, Any]:
    """A ``dspace:ContractNegotiation``: the process ids and the state."""
    pid = f"urn:uuid:{row.id}"
    return {
        "@context": _context(),
        "@type": "dspace:ContractNegotiation",
        "dspace:providerPid": pid,
        "dspace:consumerPid": consumer_pid_of(row),
        "dspace:state": f"dspace:{row.state.value}",
        "logispace:price": str(service.yuan(row.price_fen)),
    }


def consumer_pid_of(row: Negotiation) -> str:
    """The consumer's own process id, or the negotiation's when it was opened on the platform."""
    return row.consumer_pid or f"urn:uuid:{row.id}"


def subject_of(pid: str) -> str:
    """The refusal record's subject for a process id: the negotiation's, or ``unknown`` for a malformed id."""
    try:
        return service.subject("negotiation", uuid.UUID(pid.removeprefix("urn:uuid:")))
    except ValueError:
        return service.subject("negotiation", "unknown")


def known(session: Session, p: Principal, pid: str) -> Negotiation:
    """The negotiation named by a process id, if the connector is one of its parties (404 otherwise)."""
    try:
        return negotiation.visible_negotiation(session, p, uuid.UUID(pid.removeprefix("urn:uuid:")))
    except (TradingNotFound, ValueError):
        raise DspUnknownProcess(f"no contract negotiation {pid[:100]}", source=SOURCE) from None


def request(
    session: Session, p: Principal, message: Any, pid: str | None, settings: Settings
) -> tuple[Negotiation, bool]:
    """``ContractRequestMessage``: the consumer's first request on a dataset's offer (a new negotiation,
    keeping the consumer's ``consumerPid`` and ``callbackAddress``), or its counter-offer on an existing one.
    Returns the negotiation and whether it is new."""
    if pid is None:
        body = expand(message, "ContractRequestMessage")
        target, price, purpose = offer_terms(body)
        listing_id = _pid(target, "dspace:offer.@id")
        consumer_pid, callback = _consumer_pid(body), callback_address(body)
        service.require_role(session, p, TradingRole.DEMANDER)
        try:
            create = NegotiationCreate.model_validate(
                {"listing_id": str(listing_id), "price": price, "purpose": purpose or ""}
            )
        except ValidationError as exc:
            raise invalid(_invalid(exc), "dspace:offer") from None
        row = negotiation.open_negotiation(session, p, create, settings)
        row.consumer_pid, row.callback_address = consumer_pid, callback
        session.flush()
        return row, True
    row = known(session, p, pid)
    body = _negotiation_message(row, message, "ContractRequestMessage", "counter")
    return _step(session, p, row, {"action": "request", "price": offer_terms(body)[1]}, settings), False


def _negotiation_message(row: Negotiation, message: Any, kind: str, variant: str | None = None) -> Message:
    body = expand(message, kind, variant)
    _same_process(body, f"urn:uuid:{row.id}", consumer_pid_of(row), "contract negotiation")
    return body


def provider_offer(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Negotiation:
    """``ContractOfferMessage``: the provider's counter-offer."""
    row = known(session, p, pid)
    price = offer_terms(_negotiation_message(row, message, "ContractOfferMessage"))[1]
    return _step(session, p, row, {"action": "offer", "price": price}, settings)


EVENTS = {NS + "ACCEPTED": "accept", NS + "FINALIZED": "finalize"}


def event(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Negotiation:
    """``ContractNegotiationEventMessage``: ``ACCEPTED`` by the consumer, ``FINALIZED`` by the provider."""
    row = known(session, p, pid)
    kind = _negotiation_message(row, message, "ContractNegotiationEventMessage").value("eventType")
    if kind not in EVENTS:
        raise invalid("dspace:eventType must be dspace:ACCEPTED or dspace:FINALIZED", "dspace:eventType")
    return _step(session, p, row, {"action": EVENTS[kind]}, settings)


def agreement(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Negotiation:
    """``ContractAgreementMessage``: the provider's agreement, with the contract's mandatory contents
    (``logispace:terms``: data content, quality, method, security duties, confidentiality)."""
    row = known(session, p, pid)
    terms = agreement_terms(_negotiation_message(row, message, "ContractAgreementMessage"))
    return _step(session, p, row, {"action": "agree", "terms": terms}, settings)


def verification(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Negotiation:
    """``ContractAgreementVerificationMessage``: the consumer signs (and pays into escrow)."""
    row = known(session, p, pid)
    _negotiation_message(row, message, "ContractAgreementVerificationMessage")
    return _step(session, p, row, {"action": "verify"}, settings)


def termination(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Negotiation:
    """``ContractNegotiationTerminationMessage``: either side ends the negotiation."""
    row = known(session, p, pid)
    reason = _negotiation_message(row, message, "ContractNegotiationTerminationMessage").value("reason")
    note = reason if isinstance(reason, str) and reason.strip() else None
    return _step(session, p, row, {"action": "terminate", "note": note}, settings)


def _step(
    session: Session, p: Principal, row: Negotiation, body: dict[str, Any], settings: Settings
) -> Negotiation:
    try:
        step = NegotiationStep.model_validate({k: v for k, v in body.items() if v is not None})
    except ValidationError as exc:
        raise invalid(_invalid(exc), "body") from None
    return settlement.step_negotiation(session, p, row.id, step, settings)


def _invalid(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors())


def agreement_doc(session: Session, p: Principal, row: Negotiation) -> dict[str, Any]:
    """The negotiation with its contract id once agreed (the ``odrl:Agreement`` is the delivery grant)."""
    read = reads.negotiation_read(session, p, row)
    return {**negotiation_doc(row), "logispace:contract": str(read.contract_id) if read.contract_id else None}


# -- transfer process (数据传输): the contract's delivery and settlement -------------------------------------

TRANSFER_STATES = {
    None: "dspace:REQUESTED",
    "signed": "dspace:REQUESTED",
    "delivered": "dspace:STARTED",
    "settled": "dspace:COMPLETED",
    "refunded": "dspace:TERMINATED",
}
"""A contract has one transfer process (its id is the contract's): requested once signed, started when the
provider delivers (a grant of the access domain), completed when the consumer accepts and the escrow is
released, terminated when the provider refunds."""


def transfer_subject(pid: str) -> str:
    try:
        return service.subject("contract", uuid.UUID(pid.removeprefix("urn:uuid:")))
    except ValueError:
        return service.subject("contract", "unknown")


def contract_of_process(session: Session, p: Principal, pid: str) -> Any:
    """The contract whose transfer process ``pid`` names, for its parties (404 otherwise)."""
    return _contract(session, p, pid)


def _contract(session: Session, p: Principal, pid: str) -> Any:
    try:
        return settlement.visible_contract(session, p, uuid.UUID(pid.removeprefix("urn:uuid:")))
    except (TradingNotFound, ValueError):
        raise DspUnknownProcess(f"no transfer process {pid[:100]}", source=SOURCE) from None


def transfer_consumer_pid(contract: Any) -> str:
    return contract.transfer_consumer_pid or f"urn:uuid:{contract.id}"


def transfer_doc(contract: Any) -> dict[str, Any]:
    """A ``dspace:TransferProcess``; once started, the data address is the grant of the access domain."""
    doc: dict[str, Any] = {
        "@context": _context(),
        "@type": "dspace:TransferProcess",
        "dspace:providerPid": f"urn:uuid:{contract.id}",
        "dspace:consumerPid": transfer_consumer_pid(contract),
        "dspace:state": TRANSFER_STATES[contract.state.value if contract.state else None],
    }
    if contract.grant_id is not None:
        doc["dspace:dataAddress"] = {
            "@type": "dspace:DataAddress",
            "dspace:endpointType": "https://w3id.org/idsa/v4.1/HTTP",
            "dspace:endpoint": f"/api/v1/access/grants/{contract.grant_id}",
        }
    return doc


def transfer_request(session: Session, p: Principal, message: Any, settings: Settings) -> Any:
    """``TransferRequestMessage``: the consumer asks for the data of a signed contract (its agreement),
    leaving its ``consumerPid`` and ``callbackAddress`` for the transfer's messages."""
    body = expand(message, "TransferRequestMessage")
    consumer_pid, callback = _consumer_pid(body), callback_address(body)
    contract = _contract(session, p, str(body.value("agreementId")))
    if p.party_id != contract.consumer_party_id:
        raise DspUnknownProcess("the consumer of the agreement requests its transfer", source=SOURCE)
    if contract.state is None:
        raise invalid("the agreement is not signed yet", "dspace:agreementId")
    contract.transfer_consumer_pid, contract.transfer_callback_address = consumer_pid, callback
    payload = {
        "contract_id": str(contract.id),
        "format": str(first_value(body.node, PREFIXES["dct"] + "format") or ""),
        "source": SOURCE,
    }
    service.append(
        session, settings, "transfer_requested", service.subject("contract", contract.id), payload, p
    )
    return contract


def _transfer_message(contract: Any, message: Any, kind: str) -> None:
    body = expand(message, kind)
    _same_process(body, f"urn:uuid:{contract.id}", transfer_consumer_pid(contract), "transfer process")


def transfer_start(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Any:
    """``TransferStartMessage``: the provider delivers (a grant bound to the contract's purpose)."""
    contract = _contract(session, p, pid)
    _transfer_message(contract, message, "TransferStartMessage")
    return settlement.deliver(session, p, contract.id, [], settings)


def transfer_completion(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Any:
    """``TransferCompletionMessage``: the consumer accepts delivery; the escrow is released (voucher)."""
    contract = _contract(session, p, pid)
    _transfer_message(contract, message, "TransferCompletionMessage")
    return settlement.settle(session, p, contract.id, SettlementCreate(outcome="release"), settings)


def transfer_termination(session: Session, p: Principal, pid: str, message: Any, settings: Settings) -> Any:
    """``TransferTerminationMessage``: the provider ends a failed delivery; the escrow is refunded."""
    contract = _contract(session, p, pid)
    _transfer_message(contract, message, "TransferTerminationMessage")
    return settlement.settle(session, p, contract.id, SettlementCreate(outcome="refund"), settings)
