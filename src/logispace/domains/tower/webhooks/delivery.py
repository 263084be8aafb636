"""The webhook delivery worker (推送投递): sends what the outbox holds, outside any capture.

Each due delivery is posted with its signature headers (:mod:`.signing`); a 2xx answer marks it
delivered. Anything else (an error status, a timeout, a refused address) counts an attempt and
schedules the next one after 1 minute, doubling each time up to 1 hour, until
``tower_webhook_max_attempts`` attempts have failed. The URL is checked again before every attempt
(DNS may have changed since the webhook was saved). One unit of work per delivery: a slow receiver
holds no transaction of anyone else.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.tower.webhooks import signing, targets
from logispace.domains.tower.webhooks.errors import WebhookUrlRefused
from logispace.domains.tower.webhooks.models import Delivery, Webhook
from logispace.domains.tower.webhooks.service import DELIVERED, FAILED, PENDING, secret_of


class Poster(Protocol):
    """Posts a body and answers the HTTP status (raises :class:`OSError` when nothing answered)."""

    def __call__(self, url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> int: ...


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None  # a redirect is an answer (3xx), never followed: it could lead inside the network


_OPENER = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> int:
    """POST with the standard library; redirects are not followed."""
    request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")  # noqa: S310 - http(s) only, checked
    try:
        with _OPENER.open(request, timeout=timeout) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4 ... minutes, at most an hour."""
    wait: timedelta = FIRST_BACKOFF * (2 ** max(attempts - 1, 0))
    return min(wait, MAX_BACKOFF)


@dataclass
class Outcome:
    """What one run of the worker did."""

    delivered: int = 0
    retried: int = 0
    failed: int = 0


def due(session: Session, now: datetime, limit: int) -> list[int]:
    """Ids of deliveries due now, oldest first."""
    stmt = (
        select(Delivery.id)
        .where(Delivery.status == PENDING, Delivery.next_attempt_at <= now)
        .order_by(Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def attempt(
    session: Session,
    settings: Settings,
    delivery_id: int,
    client: Poster = post,
    *,
    now: datetime | None = None,
    resolve: targets.Resolver | None = None,
) -> str:
    """Post one delivery and record the result; its new status."""
    row = session.get(Delivery, delivery_id, with_for_update=True)
    if row is None or row.status != PENDING:
        return row.status if row is not None else FAILED
    hook = session.get(Webhook, row.webhook_id)
    moment = now or utcnow()
    error: str | None = None
    code: int | None = None
    if hook is None or not hook.active:
        row.status, row.last_error = FAILED, "the webhook was deleted"
        session.flush()
        return row.status
    try:
        targets.check_url(
            hook.url,
            targets.allowed_hosts(settings.tower_webhook_allowed_hosts),
            resolve or targets.system_resolver,
        )
        body = row.body.encode()
        stamp = int(moment.timestamp())
        headers = {
            "Content-Type": "application/json",
            signing.TIMESTAMP: str(stamp),
            signing.SIGNATURE: signing.signature(secret_of(settings, hook), stamp, body),
            signing.DELIVERY: str(row.id),
            signing.TOPIC: row.topic,
        }
        code = client(hook.url, body, headers, settings.tower_webhook_timeout_seconds)
        if not 200 <= code < 300:
            error = f"the receiver answered {code}"
    except WebhookUrlRefused as exc:
        error = exc.detail
    except (OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
    row.attempts += 1
    row.last_status_code = code
    row.last_error = error
    if error is None:
        row.status, row.delivered_at = DELIVERED, moment
    elif row.attempts >= settings.tower_webhook_max_attempts:
        row.status = FAILED
    else:
        row.next_attempt_at = moment + backoff(row.attempts)
    session.flush()
    return row.status


def run(
    sessions: Callable[[], Session],
    settings: Settings,
    client: Poster = post,
    *,
    now: datetime | None = None,
    limit: int = 100,
    resolve: targets.Resolver | None = None,
) -> Outcome:
    """Deliver what is due: each delivery in its own unit of work (``sessions()`` opens one)."""
    moment = now or utcnow()
    with sessions() as session:
        ids = due(session, moment, limit)
    outcome = Outcome()
    for delivery_id in ids:
        with sessions() as session, session.begin():
            status = attempt(session, settings, delivery_id, client, now=moment, resolve=resolve)
        if status == DELIVERED:
            outcome.delivered += 1
        elif status == FAILED:
            outcome.failed += 1
        else:
            outcome.retried += 1
    return outcome
