"""Alert API (预警): ``/api/v1/tower/alerts`` (the feed, its stream and handling), ``/api/v1/tower/rules``
and ``/api/v1/tower/webhooks``.

Every route needs a login. A party reads and handles only its own alerts, rules and webhooks; an
alert, rule or webhook of another party answers 404 like a missing one. Authority staff read the
alerts of the parties in their jurisdiction (not their rules or webhooks) and handle none.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import Header, Path, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy.orm import Session, sessionmaker

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.tower.alerts import service
from logispace.domains.tower.alerts.enums import AlertStatus, RuleKind
from logispace.domains.tower.alerts.schemas import (
    AlertFilter,
    AlertRead,
    AssignRequest,
    NoteRequest,
    ResolveRequest,
    RuleCreate,
    RuleRead,
    RuleUpdate,
)
from logispace.domains.tower.webhooks import service as webhooks
from logispace.domains.tower.webhooks.schemas import DeliveryRead, WebhookCreate, WebhookCreated, WebhookRead
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/tower", tags=["tower alerts"])

AlertId = Annotated[int, Path(ge=1, le=2**63 - 1, description="alert id")]
STREAM_POLL_SECONDS = 2.0
STREAM_BATCH = 100


@router.get("/alerts", summary="The caller's alerts, newest first, with the events that raised them")
def list_alerts(
    db: DbSession,
    p: CurrentPrincipal,
    paging: Annotated[PageParams, Query()],
    status: AlertStatus | None = None,
    kind: RuleKind | None = None,
    waybill: Annotated[str | None, Query(max_length=40, description="waybill number")] = None,
) -> Page[AlertRead]:
    items, total = service.alerts(db, p, paging, AlertFilter(status=status, kind=kind, waybill=waybill))
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


def _frames(alerts: list[AlertRead]) -> Iterator[str]:
    for a in alerts:
        data = json.dumps(a.model_dump(mode="json"), ensure_ascii=False)
        yield f"id: {a.id}\nevent: alert\ndata: {data}\n\n"


def _follow(maker: sessionmaker[Session], where: service.Scope, after: int, seconds: float) -> Iterator[str]:
    """Poll for newer alerts until ``seconds`` have passed, a comment line as keep-alive."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(min(STREAM_POLL_SECONDS, max(deadline - time.monotonic(), 0)))
        with maker() as session:
            fresh = service.alerts_after(session, where, after, STREAM_BATCH)
        if fresh:
            after = fresh[-1].id
            yield from _frames(fresh)
        else:
            yield ": keep-alive\n\n"


@router.get(
    "/alerts/stream",
    summary="Server-Sent Events: the caller's alerts as they are raised (event `alert`, id = alert id)",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "an event stream"}},
)
def stream_alerts(
    request: Request,
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    last_event_id: Annotated[
        str | None,
        Header(max_length=40, description="resume after this alert id (what the stream sent last)"),
    ] = None,
    after: Annotated[int | None, Query(ge=0, le=10**18, description="start after this alert id")] = None,
    seconds: Annotated[
        float,
        Query(
            ge=0,
            le=3600,
            description="how long to keep the stream open (at most the operator's limit); "
            "0 sends the backlog and ends",
        ),
    ] = 300,
) -> StreamingResponse:
    where = service.scope(db, p)
    resume = (
        int(last_event_id) if last_event_id and last_event_id.isdigit() and len(last_event_id) < 19 else None
    )
    start = after if after is not None else resume if resume is not None else service.latest_id(db, where)
    backlog = service.alerts_after(db, where, start, STREAM_BATCH)
    cursor = backlog[-1].id if backlog else start
    maker: sessionmaker[Session] = request.app.state.sessionmaker
    open_for = min(seconds, settings.tower_alert_stream_max_seconds)

    def events() -> Iterator[str]:
        yield "retry: 5000\n\n"
        yield from _frames(backlog)
        if open_for > 0:
            yield from _follow(maker, where, cursor, open_for)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.get("/alerts/{alert_id}", summary="One alert with the events that raised it")
def get_alert(db: DbSession, p: CurrentPrincipal, alert_id: AlertId) -> AlertRead:
    return service.alert(db, p, alert_id)


@router.post("/alerts/{alert_id}/ack", summary="Acknowledge an alert (确认)")
def ack_alert(db: DbSession, p: CurrentPrincipal, alert_id: AlertId, body: NoteRequest) -> AlertRead:
    return service.acknowledge(db, p, alert_id, body.note)


@router.post("/alerts/{alert_id}/assign", summary="Assign an alert to a user of the party (指派)")
def assign_alert(db: DbSession, p: CurrentPrincipal, alert_id: AlertId, body: AssignRequest) -> AlertRead:
    return service.assign(db, p, alert_id, body.user_id, body.note)


@router.post("/alerts/{alert_id}/resolve", summary="Resolve an alert with a note (解决)")
def resolve_alert(db: DbSession, p: CurrentPrincipal, alert_id: AlertId, body: ResolveRequest) -> AlertRead:
    return service.resolve(db, p, alert_id, body.note)


# -- rules ------------------------------------------------------------------------------------------


@router.get("/rules", summary="The caller's party's alert rules")
def list_rules(db: DbSession, p: CurrentPrincipal) -> list[RuleRead]:
    return [service.rule_read(r) for r in service.rules(db, p)]


@router.post("/rules", status_code=201, summary="Add an alert rule (kind and threshold)")
def create_rule(db: DbSession, p: CurrentPrincipal, body: RuleCreate) -> RuleRead:
    return service.rule_read(service.create_rule(db, p, body))


@router.get("/rules/{rule_id}", summary="One alert rule")
def get_rule(db: DbSession, p: CurrentPrincipal, rule_id: uuid.UUID) -> RuleRead:
    return service.rule_read(service.rule(db, p, rule_id))


@router.patch("/rules/{rule_id}", summary="Change a rule's name, threshold or switch it on or off")
def update_rule(db: DbSession, p: CurrentPrincipal, rule_id: uuid.UUID, body: RuleUpdate) -> RuleRead:
    return service.rule_read(service.update_rule(db, p, rule_id, body))


@router.delete("/rules/{rule_id}", status_code=204, summary="Delete a rule (its alerts stay)")
def delete_rule(db: DbSession, p: CurrentPrincipal, rule_id: uuid.UUID) -> None:
    service.delete_rule(db, p, rule_id)


# -- webhooks ---------------------------------------------------------------------------------------


@router.get("/webhooks", summary="The caller's party's webhooks")
def list_webhooks(db: DbSession, p: CurrentPrincipal) -> list[WebhookRead]:
    return webhooks.listed(db, p)


@router.post(
    "/webhooks",
    status_code=201,
    summary="Add a webhook: alerts are posted there signed with HMAC-SHA256 (the secret is shown once)",
)
def create_webhook(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: WebhookCreate
) -> WebhookCreated:
    return webhooks.create(db, p, settings, body)


@router.get("/webhooks/{webhook_id}", summary="One webhook")
def get_webhook(db: DbSession, p: CurrentPrincipal, webhook_id: uuid.UUID) -> WebhookRead:
    return webhooks.get(db, p, webhook_id)


@router.delete("/webhooks/{webhook_id}", status_code=204, summary="Stop posting to a webhook")
def delete_webhook(db: DbSession, p: CurrentPrincipal, webhook_id: uuid.UUID) -> None:
    webhooks.delete(db, p, webhook_id)


@router.get("/webhooks/{webhook_id}/deliveries", summary="The webhook's latest deliveries (outbox)")
def list_deliveries(db: DbSession, p: CurrentPrincipal, webhook_id: uuid.UUID) -> list[DeliveryRead]:
    return [
        DeliveryRead.model_validate(d, from_attributes=True) for d in webhooks.deliveries(db, p, webhook_id)
    ]
