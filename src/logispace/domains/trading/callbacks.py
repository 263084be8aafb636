"""Dataspace Protocol callbacks (协议回调): the provider's state-change messages to a consumer connector.

A consumer that opened a negotiation (or requested a transfer) over the protocol left its own process id
(``consumerPid``) and its ``callbackAddress``. When the negotiation is agreed, finalized, countered or
terminated by the provider's side, or the transfer is started or terminated, the message the protocol owes
the consumer (``ContractAgreementMessage`` to ``<callback>/negotiations/<consumerPid>/agreement``, ...) is
queued in ``trading_dsp_callbacks`` in the same transaction as the change: a rolled-back step owes nothing.
:func:`send_pending` posts what is queued, outside any step; a 2xx answer marks it sent, anything else
counts an attempt, and after :data:`MAX_ATTEMPTS` the message is marked failed.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.domains.trading import repository
from logispace.domains.trading.dsp_messages import CONTEXT, LOGISPACE
from logispace.domains.trading.enums import NegotiationAction
from logispace.domains.trading.models import DspCallback, Negotiation, TradeContract

A = NegotiationAction
MAX_ATTEMPTS = 5
LD = "application/ld+json"

Poster = Callable[[str, bytes, Mapping[str, str]], int]
"""Posts a body to a URL and answers the HTTP status (raises :class:`OSError` when nothing answered)."""


def _message(kind: str, provider_pid: str, consumer_pid: str, **fields: Any) -> dict[str, Any]:
    return {
        "@context": [CONTEXT, {"logispace": LOGISPACE}],
        "@type": f"dspace:{kind}",
        "dspace:providerPid": provider_pid,
        "dspace:consumerPid": consumer_pid,
        **fields,
    }


def _queue(session: Session, process_id: Any, url: str, message: dict[str, Any]) -> None:
    session.add(DspCallback(process_id=process_id, url=url, message=message, status="pending", attempts=0))


def negotiation_changed(session: Session, row: Negotiation, action: NegotiationAction, actor: Any) -> None:
    """Queue the message a negotiation step owes the consumer's connector, if it left a callback."""
    if row.callback_address is None or row.consumer_pid is None or actor == row.consumer_party_id:
        return
    provider_pid, consumer_pid = f"urn:uuid:{row.id}", row.consumer_pid
    base = f"{row.callback_address}/negotiations/{quote(consumer_pid, safe=':')}"
    if action is A.AGREE:
        contract = repository.contract_of(session, row.id)
        agreement = {
            "@id": f"urn:uuid:{contract.id if contract else row.id}",
            "@type": "odrl:Agreement",
            "odrl:target": f"urn:uuid:{row.listing_id}",
            "odrl:assigner": f"urn:uuid:{row.provider_party_id}",
            "odrl:assignee": f"urn:uuid:{row.consumer_party_id}",
            "dspace:timestamp": utcnow().isoformat(),
        }
        message = _message(
            "ContractAgreementMessage", provider_pid, consumer_pid, **{"dspace:agreement": agreement}
        )
        _queue(session, row.id, f"{base}/agreement", message)
    elif action is A.OFFER:
        offer = {
            "@id": f"urn:uuid:{row.listing_id}",
            "@type": "odrl:Offer",
            "logispace:price": f"{row.price_fen // 100}.{row.price_fen % 100:02d}",
        }
        message = _message("ContractOfferMessage", provider_pid, consumer_pid, **{"dspace:offer": offer})
        _queue(session, row.id, f"{base}/offers", message)
    elif action is A.FINALIZE:
        message = _message(
            "ContractNegotiationEventMessage",
            provider_pid,
            consumer_pid,
            **{"dspace:eventType": "dspace:FINALIZED"},
        )
        _queue(session, row.id, f"{base}/events", message)
    elif action is A.TERMINATE:
        message = _message(
            "ContractNegotiationTerminationMessage",
            provider_pid,
            consumer_pid,
            **{"dspace:code": "terminated", "dspace:reason": ["the provider or the exchange ended it"]},
        )
        _queue(session, row.id, f"{base}/termination", message)


def transfer_changed(session: Session, contract: TradeContract, kind: str) -> None:
    """Queue ``TransferStartMessage`` (``kind`` ``start``) or ``TransferTerminationMessage``
    (``termination``) for the transfer's consumer connector, if it left a callback."""
    callback, consumer_pid = contract.transfer_callback_address, contract.transfer_consumer_pid
    if callback is None or consumer_pid is None:
        return
    fields: dict[str, Any] = {}
    if kind == "start" and contract.grant_id is not None:
        fields["dspace:dataAddress"] = {
            "@type": "dspace:DataAddress",
            "dspace:endpointType": "https://w3id.org/idsa/v4.1/HTTP",
            "dspace:endpoint": f"/api/v1/access/grants/{contract.grant_id}",
        }
    elif kind == "termination":
        fields = {"dspace:code": "refunded", "dspace:reason": ["the delivery failed; the escrow is refunded"]}
    name = {"start": "TransferStartMessage", "termination": "TransferTerminationMessage"}[kind]
    message = _message(name, f"urn:uuid:{contract.id}", consumer_pid, **fields)
    url = f"{callback}/transfers/{quote(consumer_pid, safe=':')}/{kind}"
    _queue(session, contract.id, url, message)


def post(url: str, body: bytes, headers: Mapping[str, str]) -> int:
    """POST with the standard library, no redirect followed (a 3xx is an answer, not a success)."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")  # noqa: S310 - http(s) only, checked when stored
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@dataclass
class Outcome:
    """What one run of :func:`send_pending` did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0


def send_pending(session: Session, poster: Poster = post, limit: int = 100) -> Outcome:
    """Post the queued messages, oldest first; the caller commits (a worker's unit of work)."""
    outcome = Outcome()
    rows = session.scalars(
        select(DspCallback)
        .where(DspCallback.status == "pending")
        .order_by(DspCallback.created_at, DspCallback.id)
        .limit(limit)
    ).all()
    for row in rows:
        body = json.dumps(row.message, ensure_ascii=False).encode()
        try:
            status: int | None = poster(row.url, body, {"content-type": LD})
        except OSError:
            status = None
        row.attempts += 1
        row.last_status = status
        if status is not None and 200 <= status < 300:
            row.status, row.sent_at = "sent", utcnow()
            outcome.sent += 1
        elif row.attempts >= MAX_ATTEMPTS:
            row.status = "failed"
            outcome.failed += 1
        else:
            outcome.retried += 1
    session.flush()
    return outcome
