"""Dataspace Protocol 2024-1 endpoints (数据空间协议接口) under ``/api/dsp``: the catalog and contract
negotiation of :mod:`.dsp`, for connectors authenticated by their party's bearer token. A refused message
leaves its refusal record (:mod:`.audit`) and changes nothing else; so does a call without a valid token
(:func:`require_connector`). A refusal answers an RFC 9457 problem that is also the protocol's error message
(``dspace:ContractNegotiationError``, ``dspace:TransferError`` or ``dspace:CatalogError``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Body, Depends, Request
from fastapi.responses import JSONResponse

from logispace.core.config import Settings
from logispace.core.errors import NotAuthenticated
from logispace.domains.identity import Principal, require_principal
from logispace.domains.trading import dsp, service
from logispace.domains.trading.audit import audited, record_anonymous_refusal
from logispace.domains.trading.dsp_messages import CONTEXT
from logispace.domains.trading.errors import TradingRefused
from logispace.domains.trading.models import Negotiation
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router


async def require_connector(request: Request, db: DbSession, settings: AppSettings) -> Principal:
    """The calling connector: its party's bearer token. A call without one, or with an unknown, expired or
    revoked token, is refused (401) and its refusal recorded without a party (once a minute per action
    and code: :func:`.audit.record_anonymous_refusal`)."""
    try:
        return await require_principal(request, db, settings)
    except NotAuthenticated as exc:
        db.rollback()
        action = f"{request.method} {request.url.path.removeprefix('/api/dsp')}"
        record_anonymous_refusal(db, action=action, error=exc, settings=settings)
        db.commit()
        raise


CurrentPrincipal = Annotated[Principal, Depends(require_connector)]

router = api_router("/api/dsp", tags=["dataspace-protocol"])

ERRORS = {"catalog": "CatalogError", "negotiation": "ContractNegotiationError", "transfer": "TransferError"}


@contextmanager
def dsp_refusal(process: str, pid: str | None = None) -> Iterator[None]:
    """A refusal's problem also carries the protocol's error message for ``process``."""
    try:
        yield
    except TradingRefused as exc:
        exc.extensions.update(
            {
                "@context": [CONTEXT],
                "@type": f"dspace:{ERRORS[process]}",
                "dspace:code": str(exc.status),
                "dspace:reason": [exc.detail],
            }
        )
        if pid is not None:
            exc.extensions["dspace:providerPid"] = pid
        raise


Message = Annotated[dict[str, Any], Body(description="a Dataspace Protocol 2024-1 JSON-LD message")]
LD = "application/ld+json"


def _json(document: dict[str, Any], status: int = 200) -> JSONResponse:
    return JSONResponse(document, status_code=status, media_type=LD)


@router.post("/catalog/request", summary="CatalogRequestMessage: the catalog (dcat:Catalog with odrl:Offer)")
def catalog_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, message: Message
) -> JSONResponse:
    with (
        dsp_refusal("catalog"),
        audited(db, p, settings, subject=service.subject("catalog", "dsp"), action="catalog"),
    ):
        document = dsp.catalog(db, p, message)
    return _json(document)


@router.get("/catalog/datasets/{dataset_id}", summary="One dataset (a listing) with its offer")
def catalog_dataset(db: DbSession, p: CurrentPrincipal, dataset_id: uuid.UUID) -> JSONResponse:
    return _json(dsp.dataset_of(db, p, dataset_id))


@router.post(
    "/negotiations/request", status_code=201, summary="ContractRequestMessage: start a contract negotiation"
)
def negotiation_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, message: Message
) -> JSONResponse:
    with (
        dsp_refusal("negotiation"),
        audited(db, p, settings, subject=service.subject("negotiation", "new"), action="request"),
    ):
        row, _ = dsp.request(db, p, message, None, settings)
    return _json(dsp.negotiation_doc(row), 201)


@router.get("/negotiations/{pid}", summary="The contract negotiation's state (ContractNegotiation)")
def negotiation_state(db: DbSession, p: CurrentPrincipal, settings: AppSettings, pid: str) -> JSONResponse:
    with (
        dsp_refusal("negotiation", pid),
        audited(db, p, settings, subject=dsp.subject_of(pid), action="state"),
    ):
        row = dsp.known(db, p, pid)
    return _json(dsp.agreement_doc(db, p, row))


Step = Callable[..., Any]


def _answer(
    db: Any, p: Principal, settings: Settings, process: str, pid: str, action: str, call: Step, message: Any
) -> JSONResponse:
    """One message to a process: the step under its refusal record, answered with the process's state."""
    subject = dsp.subject_of(pid) if process == "negotiation" else dsp.transfer_subject(pid)
    with dsp_refusal(process, pid), audited(db, p, settings, subject=subject, action=action):
        row = call(db, p, pid, message, settings)
    return _json(dsp.agreement_doc(db, p, row) if process == "negotiation" else dsp.transfer_doc(row))


def _consumer_request(db: Any, p: Principal, pid: str, message: Any, settings: Settings) -> Negotiation:
    return dsp.request(db, p, message, pid, settings)[0]


STEPS: tuple[tuple[str, str, str, Step, str], ...] = (
    # process, path after the pid, refusal action, handler, summary
    (
        "negotiation",
        "request",
        "request",
        _consumer_request,
        "ContractRequestMessage: the consumer's counter-offer",
    ),
    (
        "negotiation",
        "offers",
        "offer",
        dsp.provider_offer,
        "ContractOfferMessage: the provider's counter-offer",
    ),
    ("negotiation", "events", "event", dsp.event, "ContractNegotiationEventMessage: ACCEPTED or FINALIZED"),
    ("negotiation", "agreement", "agree", dsp.agreement, "ContractAgreementMessage: the provider agrees"),
    (
        "negotiation",
        "agreement/verification",
        "verify",
        dsp.verification,
        "ContractAgreementVerificationMessage: the consumer signs and pays into escrow",
    ),
    ("negotiation", "termination", "terminate", dsp.termination, "ContractNegotiationTerminationMessage"),
    ("transfer", "start", "deliver", dsp.transfer_start, "TransferStartMessage: the provider delivers"),
    (
        "transfer",
        "completion",
        "release",
        dsp.transfer_completion,
        "TransferCompletionMessage: accepted, escrow released",
    ),
    (
        "transfer",
        "termination",
        "refund",
        dsp.transfer_termination,
        "TransferTerminationMessage: failed, escrow refunded",
    ),
)
"""The messages sent to a process, each a ``POST /<process>s/{pid}/<path>`` route."""


def _add_step(process: str, path: str, action: str, call: Step, summary: str) -> None:
    def endpoint(
        db: DbSession, p: CurrentPrincipal, settings: AppSettings, pid: str, message: Message
    ) -> JSONResponse:
        return _answer(db, p, settings, process, pid, action, call, message)

    endpoint.__name__ = f"{process}_{path.replace('/', '_')}"
    router.add_api_route(f"/{process}s/{{pid}}/{path}", endpoint, methods=["POST"], summary=summary)


for _step in STEPS:
    _add_step(*_step)


@router.post(
    "/transfers/request", status_code=201, summary="TransferRequestMessage: the data of an agreement"
)
def transfer_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, message: Message
) -> JSONResponse:
    with (
        dsp_refusal("transfer"),
        audited(db, p, settings, subject=service.subject("contract", "transfer"), action="transfer"),
    ):
        contract = dsp.transfer_request(db, p, message, settings)
    return _json(dsp.transfer_doc(contract), 201)


@router.get("/transfers/{pid}", summary="The transfer process's state (TransferProcess)")
def transfer_state(db: DbSession, p: CurrentPrincipal, settings: AppSettings, pid: str) -> JSONResponse:
    with (
        dsp_refusal("transfer", pid),
        audited(db, p, settings, subject=dsp.transfer_subject(pid), action="transfer-state"),
    ):
        contract = dsp.contract_of_process(db, p, pid)
    return _json(dsp.transfer_doc(contract))
