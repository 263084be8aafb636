"""Alert queries (预警查询): rules, open conditions, linked events, watches and promised arrivals."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from logispace.domains import identity, logistics
from logispace.domains.tower.alerts.models import (
    Alert,
    AlertEvent,
    AlertHandling,
    AlertRule,
    PromisedArrival,
    Watch,
)


@dataclass(frozen=True)
class ActiveRule:
    """An enabled rule with its party's id and USCC, as the evaluation reads it."""

    id: uuid.UUID
    party_id: uuid.UUID
    party_uscc: str
    kind: str
    threshold: float


def party_rules(session: Session, party_id: uuid.UUID) -> list[AlertRule]:
    stmt = (
        select(AlertRule)
        .where(AlertRule.party_id == party_id, AlertRule.deleted_at.is_(None))
        .order_by(AlertRule.created_at, AlertRule.id)
    )
    return list(session.scalars(stmt))


def active_rules(session: Session, kinds: Collection[str] | None = None) -> list[ActiveRule]:
    """Every enabled rule of every party (a handful per party), with the party's USCC."""
    stmt = select(AlertRule).where(AlertRule.enabled.is_(True), AlertRule.deleted_at.is_(None))
    if kinds is not None:
        stmt = stmt.where(AlertRule.kind.in_(list(kinds)))
    found = list(session.scalars(stmt))
    usccs: dict[uuid.UUID, str | None] = {}
    for r in found:
        if r.party_id not in usccs:
            usccs[r.party_id] = identity.party_uscc(session, r.party_id)
    return [
        ActiveRule(r.id, r.party_id, uscc, r.kind, r.threshold)
        for r in found
        if (uscc := usccs[r.party_id]) is not None
    ]


def rule_names(session: Session, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, tuple[str, float]]:
    if not ids:
        return {}
    rows = session.execute(
        select(AlertRule.id, AlertRule.name, AlertRule.threshold).where(AlertRule.id.in_(list(ids)))
    )
    return {rid: (name, threshold) for rid, name, threshold in rows}


def open_keys(session: Session, pairs: Collection[tuple[uuid.UUID, str]]) -> set[tuple[uuid.UUID, str]]:
    """Which of these (rule, condition key) pairs have an unresolved alert: only those keys are read
    (through the rule's unique open key), not every open alert of the rules."""
    if not pairs:
        return set()
    rule_ids = {rid for rid, _ in pairs}
    keys = sorted({key for _, key in pairs})
    found: set[tuple[uuid.UUID, str]] = set()
    for start in range(0, len(keys), 500):
        rows = session.execute(
            select(Alert.rule_id, Alert.open_key).where(
                Alert.rule_id.in_(list(rule_ids)), Alert.open_key.in_(keys[start : start + 500])
            )
        )
        found.update((rid, key) for rid, key in rows if key is not None)
    return found & set(pairs)


def link_events(session: Session, pairs: Sequence[tuple[int, int]]) -> None:
    if pairs:
        session.execute(insert(AlertEvent), [{"alert_id": a, "event_pk": e} for a, e in pairs])


def event_ids_of(session: Session, alert_ids: Collection[int]) -> dict[int, list[str]]:
    """The eventIDs of the events that raised each alert, in capture order."""
    if not alert_ids:
        return {}
    pairs = list(
        session.execute(
            select(AlertEvent.alert_id, AlertEvent.event_pk)
            .where(AlertEvent.alert_id.in_(list(alert_ids)))
            .order_by(AlertEvent.alert_id, AlertEvent.event_pk)
        )
    )
    names = logistics.event_ids(session, sorted({pk for _, pk in pairs}))
    out: dict[int, list[str]] = defaultdict(list)
    for alert_id, pk in pairs:
        if pk in names:
            out[alert_id].append(names[pk])
    return out


def handling_of(session: Session, alert_id: int) -> list[AlertHandling]:
    stmt = select(AlertHandling).where(AlertHandling.alert_id == alert_id).order_by(AlertHandling.at)
    return list(session.scalars(stmt))


def watches_of(
    session: Session, waybill_ids: Collection[uuid.UUID]
) -> dict[tuple[uuid.UUID, str, str], Watch]:
    """The watches of the waybills, by (waybill, kind, subject)."""
    if not waybill_ids:
        return {}
    rows = session.scalars(select(Watch).where(Watch.waybill_id.in_(list(waybill_ids))))
    return {(w.waybill_id, w.kind, w.subject): w for w in rows}


def means_watches(session: Session, subjects: Collection[str]) -> list[Watch]:
    """Active watches of these means of transport (a GPS point names only its vehicle)."""
    if not subjects:
        return []
    stmt = select(Watch).where(
        Watch.kind == "means", Watch.subject.in_(list(subjects)), Watch.active.is_(True)
    )
    return list(session.scalars(stmt))


def active_watches(session: Session, kinds: Collection[str]) -> list[Watch]:
    stmt = select(Watch).where(Watch.active.is_(True), Watch.kind.in_(list(kinds)))
    return list(session.scalars(stmt))


def promised(session: Session, waybill_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    if not waybill_ids:
        return {}
    rows = session.execute(
        select(PromisedArrival.waybill_id, PromisedArrival.promised_at).where(
            PromisedArrival.waybill_id.in_(list(waybill_ids))
        )
    )
    return {wid: at for wid, at in rows}  # noqa: C416 - rows are Row objects
