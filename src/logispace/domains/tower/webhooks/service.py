"""Webhooks (预警推送): a party's endpoints and the outbox its alerts are queued in.

:func:`enqueue` writes a delivery per active webhook of the party in the caller's transaction (the
capture or the request that raised or handled the alert); nothing touches the network here. The
delivery worker (:mod:`.delivery`) sends them afterwards. Services never commit.
"""

from __future__ import annotations

import json
import secrets
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.keystore import master_key
from logispace.core.signing import seal, unseal
from logispace.domains.identity import Principal
from logispace.domains.identity import own_party as _party
from logispace.domains.identity import party_writer as _manager
from logispace.domains.tower.webhooks import targets
from logispace.domains.tower.webhooks.errors import WebhookNotFound
from logispace.domains.tower.webhooks.models import Delivery, Webhook
from logispace.domains.tower.webhooks.schemas import WebhookCreate, WebhookCreated, WebhookRead

PENDING = "pending"
DELIVERED = "delivered"
FAILED = "failed"


def read(w: Webhook) -> WebhookRead:
    return WebhookRead(
        id=w.id, url=w.url, description=w.description, active=w.active, created_at=w.created_at
    )


def create(
    session: Session,
    p: Principal,
    settings: Settings,
    body: WebhookCreate,
    *,
    resolve: targets.Resolver | None = None,
) -> WebhookCreated:
    """Add a webhook for the caller's party after checking its URL (nothing stored if refused)."""
    party = _manager(p)
    targets.check_url(
        body.url,
        targets.allowed_hosts(settings.tower_webhook_allowed_hosts),
        resolve or targets.system_resolver,
    )
    secret = "whsec_" + secrets.token_urlsafe(32)
    webhook_id = uuid.uuid4()
    hook = Webhook(
        id=webhook_id,
        party_id=party,
        url=body.url,
        description=body.description,
        sealed_secret=seal(master_key(settings), secret.encode(), webhook_id.bytes),
        active=True,
        created_at=utcnow(),
    )
    session.add(hook)
    session.flush()
    return WebhookCreated(**read(hook).model_dump(), secret=secret)


def secret_of(settings: Settings, hook: Webhook) -> str:
    """The webhook's signing secret (for the delivery worker)."""
    return unseal(master_key(settings), hook.sealed_secret, hook.id.bytes).decode()


def _visible(session: Session, p: Principal, webhook_id: uuid.UUID) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None or hook.deleted_at is not None or hook.party_id != _party(p):
        raise WebhookNotFound(f"no webhook {webhook_id}")
    return hook


def listed(session: Session, p: Principal) -> list[WebhookRead]:
    """The caller's party's webhooks."""
    stmt = (
        select(Webhook)
        .where(Webhook.party_id == _party(p), Webhook.deleted_at.is_(None))
        .order_by(Webhook.created_at, Webhook.id)
    )
    return [read(w) for w in session.scalars(stmt)]


def get(session: Session, p: Principal, webhook_id: uuid.UUID) -> WebhookRead:
    return read(_visible(session, p, webhook_id))


def delete(session: Session, p: Principal, webhook_id: uuid.UUID) -> None:
    """Stop posting to a webhook; its delivery history stays."""
    hook = _visible(session, p, webhook_id)
    _manager(p)
    hook.active = False
    hook.deleted_at = utcnow()
    session.flush()


def deliveries(session: Session, p: Principal, webhook_id: uuid.UUID, limit: int = 50) -> list[Delivery]:
    """The webhook's latest deliveries, newest first."""
    hook = _visible(session, p, webhook_id)
    stmt = select(Delivery).where(Delivery.webhook_id == hook.id).order_by(Delivery.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def enqueue(
    session: Session,
    party_ids: set[uuid.UUID],
    topic: str,
    payloads: dict[uuid.UUID, list[dict[str, Any]]],
    now: datetime | None = None,
) -> int:
    """Queue ``payloads[party]`` for every active webhook of each party, in the caller's transaction.

    One query finds the webhooks of all the parties; returns how many deliveries were queued.
    """
    if not party_ids:
        return 0
    hooks = list(
        session.scalars(
            select(Webhook).where(Webhook.party_id.in_(list(party_ids)), Webhook.active.is_(True))
        )
    )
    moment = now or utcnow()
    rows = [
        Delivery(
            webhook_id=hook.id,
            topic=topic,
            body=json.dumps(
                {"topic": topic, "data": payload}, ensure_ascii=False, sort_keys=True, default=str
            ),
            status=PENDING,
            attempts=0,
            next_attempt_at=moment,
            created_at=moment,
        )
        for hook in hooks
        for payload in payloads.get(hook.party_id, [])
    ]
    session.add_all(rows)
    if rows:
        session.flush()
    return len(rows)
