"""Alert rules and the alert feed (预警规则与预警信息). Services never commit.

A party keeps its own rules and sees only the alerts its rules raised, which are only ever raised on
shipments it is on (consignor, consignee, creator or a leg's carrier). Authority staff see every
alert of the parties registered in their jurisdiction, read-only. An alert of another party answers
404, exactly like a missing one. Acknowledging, assigning and resolving are written to the ledger
and queued for the party's webhooks in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.errors import PermissionDenied
from logispace.core.pagination import PageParams, paged
from logispace.domains import identity, ledger
from logispace.domains.identity import Principal, Role
from logispace.domains.identity import own_party as _party
from logispace.domains.identity import party_writer as _manager
from logispace.domains.tower.alerts import repository
from logispace.domains.tower.alerts.enums import UNITS, AlertAction, AlertStatus, RuleKind
from logispace.domains.tower.alerts.errors import (
    AlertAlreadyResolved,
    AlertNotFound,
    AssigneeNotFound,
    RuleNotFound,
)
from logispace.domains.tower.alerts.models import Alert, AlertHandling, AlertRule
from logispace.domains.tower.alerts.schemas import AlertFilter, AlertRead, RuleCreate, RuleRead, RuleUpdate
from logispace.domains.tower.webhooks import service as webhooks

MANAGING_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD)
HANDLING_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD, Role.ANALYST)
LEDGER_KIND = "tower.alert"


# -- rules ------------------------------------------------------------------------------------------


def rule_read(rule: AlertRule) -> RuleRead:
    kind = RuleKind(rule.kind)
    return RuleRead(
        id=rule.id,
        name=rule.name,
        kind=kind,
        threshold=rule.threshold,
        unit=UNITS[kind],
        enabled=rule.enabled,
        created_at=rule.created_at,
        updated_at=rule.updated_at,
    )


def create_rule(session: Session, p: Principal, body: RuleCreate) -> AlertRule:
    """Add a rule for the caller's party; it applies to events captured from now on."""
    now = utcnow()
    rule = AlertRule(
        party_id=_manager(p),
        name=body.name.strip(),
        kind=str(body.kind),
        threshold=float(body.threshold),
        enabled=body.enabled,
        created_at=now,
        updated_at=now,
    )
    session.add(rule)
    session.flush()
    return rule


def rules(session: Session, p: Principal) -> list[AlertRule]:
    """The caller's party's rules (deleted ones left out)."""
    return repository.party_rules(session, _party(p))


def rule(session: Session, p: Principal, rule_id: uuid.UUID) -> AlertRule:
    found = session.get(AlertRule, rule_id)
    if found is None or found.deleted_at is not None or found.party_id != _party(p):
        raise RuleNotFound(f"no alert rule {rule_id}")
    return found


def update_rule(session: Session, p: Principal, rule_id: uuid.UUID, body: RuleUpdate) -> AlertRule:
    found = rule(session, p, rule_id)
    _manager(p)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    for name, value in changes.items():
        setattr(found, name, value.strip() if isinstance(value, str) else value)
    found.updated_at = utcnow()
    session.flush()
    return found


def delete_rule(session: Session, p: Principal, rule_id: uuid.UUID) -> None:
    """Stop a rule; its alerts stay (and keep naming it)."""
    found = rule(session, p, rule_id)
    _manager(p)
    found.enabled = False
    found.deleted_at = found.updated_at = utcnow()
    session.flush()


# -- the feed -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose alerts a caller reads: its party's, or those of the parties registered in its jurisdiction."""

    party_id: uuid.UUID | None = None
    uscc_like: str | None = None

    def select(self) -> Select[Alert]:
        if self.uscc_like is not None:
            return select(Alert).where(Alert.party_uscc.like(self.uscc_like))
        return select(Alert).where(Alert.party_id == self.party_id)


def scope(session: Session, p: Principal) -> Scope:
    """The caller's scope, decided once (a stream keeps it while it polls)."""
    if p.is_authority and p.party_id is not None:
        return Scope(uscc_like=identity.jurisdiction(session, p).uscc_like)
    return Scope(party_id=_party(p))


def visible(session: Session, p: Principal) -> Select[Alert]:
    """The alerts the caller may read: its party's, or its jurisdiction's for authority staff."""
    return scope(session, p).select()


def filtered(stmt: Select[Alert], f: AlertFilter) -> Select[Alert]:
    if f.status is not None:
        stmt = stmt.where(Alert.status == str(f.status))
    if f.unresolved:
        stmt = stmt.where(Alert.status != str(AlertStatus.RESOLVED))
    if f.kind is not None:
        stmt = stmt.where(Alert.kind == str(f.kind))
    if f.waybill:
        stmt = stmt.where(Alert.waybill_number == f.waybill.strip().upper())
    if f.since_id is not None:
        stmt = stmt.where(Alert.id > f.since_id)
    return stmt


def alerts(session: Session, p: Principal, params: PageParams, f: AlertFilter) -> tuple[list[AlertRead], int]:
    """One page of the caller's alerts, newest first."""
    stmt = filtered(visible(session, p), f).order_by(Alert.id.desc())
    rows, total = paged(session, stmt, params)
    return reads(session, rows), total


def alerts_after(session: Session, where: Scope, after: int, limit: int) -> list[AlertRead]:
    """The alerts of ``where`` raised after id ``after``, oldest first (the stream)."""
    stmt = where.select().where(Alert.id > after).order_by(Alert.id).limit(limit)
    return reads(session, list(session.scalars(stmt)))


def latest_id(session: Session, where: Scope) -> int:
    """The newest alert id of ``where`` (0 when none)."""
    newest = session.scalar(where.select().with_only_columns(Alert.id).order_by(Alert.id.desc()).limit(1))
    return int(newest or 0)


def reads(session: Session, rows: Sequence[Alert]) -> list[AlertRead]:
    ids = [a.id for a in rows]
    events = repository.event_ids_of(session, ids)
    names = repository.rule_names(session, {a.rule_id for a in rows})
    return [read(a, names.get(a.rule_id, ("", 0.0)), events.get(a.id, [])) for a in rows]


def read(a: Alert, rule_name: tuple[str, float], event_ids: list[str]) -> AlertRead:
    return AlertRead(
        id=a.id,
        kind=RuleKind(a.kind),
        status=AlertStatus(a.status),
        rule_id=a.rule_id,
        rule_name=rule_name[0],
        threshold=rule_name[1],
        waybill_number=a.waybill_number,
        subject=a.subject,
        leg=a.leg,
        facts=dict(a.facts),
        observed_at=a.observed_at,
        raised_at=a.raised_at,
        acknowledged_at=a.acknowledged_at,
        assignee_user_id=a.assignee_user_id,
        resolved_at=a.resolved_at,
        resolution_note=a.resolution_note,
        event_ids=event_ids,
    )


def alert(session: Session, p: Principal, alert_id: int) -> AlertRead:
    found = session.scalar(visible(session, p).where(Alert.id == alert_id))
    if found is None:
        raise AlertNotFound(f"no alert {alert_id}")
    return reads(session, [found])[0]


def _own(session: Session, p: Principal, alert_id: int) -> Alert:
    """An alert of the caller's party, for handling (authority staff only read)."""
    party = _party(p)
    found = session.get(Alert, alert_id, with_for_update=True)
    if found is None or found.party_id != party:
        raise AlertNotFound(f"no alert {alert_id}")
    if not p.has(*HANDLING_ROLES):
        raise PermissionDenied("a party administrator, data steward or analyst handles the party's alerts")
    if found.status == AlertStatus.RESOLVED:
        raise AlertAlreadyResolved(f"alert {alert_id} was resolved at {found.resolved_at:%Y-%m-%d %H:%M} UTC")
    return found


def _record(
    session: Session,
    p: Principal,
    a: Alert,
    action: AlertAction,
    note: str | None,
    assignee: uuid.UUID | None = None,
) -> None:
    now = utcnow()
    receipt = ledger.append(
        session,
        kind=LEDGER_KIND,
        subject=f"tower-alert:{a.id}",
        payload={
            "action": str(action),
            "kind": a.kind,
            "waybill": a.waybill_number,
            "status": a.status,
            "assignee": str(assignee) if assignee else None,
            "note": note,
        },
        actor=a.party_id,
    )
    session.add(
        AlertHandling(
            alert_id=a.id,
            action=str(action),
            actor_user_id=p.user_id,
            assignee_user_id=assignee,
            note=note,
            at=now,
            ledger_index=receipt.entry_id,
        )
    )
    session.flush()
    webhooks.enqueue(session, {a.party_id}, f"alert.{action}", {a.party_id: [payload(a)]}, now)


def acknowledge(session: Session, p: Principal, alert_id: int, note: str | None) -> AlertRead:
    """确认: the party has seen the alert."""
    a = _own(session, p, alert_id)
    if a.status == AlertStatus.OPEN:
        a.status, a.acknowledged_at = str(AlertStatus.ACKNOWLEDGED), utcnow()
    _record(session, p, a, AlertAction.ACKNOWLEDGE, note)
    return alert(session, p, alert_id)


def assign(session: Session, p: Principal, alert_id: int, user_id: uuid.UUID, note: str | None) -> AlertRead:
    """指派: a user of the party takes the alert (acknowledging it)."""
    a = _own(session, p, alert_id)
    if identity.user_party(session, user_id) != a.party_id:
        raise AssigneeNotFound(f"no user {user_id} in the caller's party", field="user_id")
    a.assignee_user_id = user_id
    if a.status == AlertStatus.OPEN:
        a.status, a.acknowledged_at = str(AlertStatus.ACKNOWLEDGED), utcnow()
    _record(session, p, a, AlertAction.ASSIGN, note, user_id)
    return alert(session, p, alert_id)


def resolve(session: Session, p: Principal, alert_id: int, note: str) -> AlertRead:
    """解决: closed with a note; the same condition may raise a new alert afterwards."""
    a = _own(session, p, alert_id)
    now = utcnow()
    a.status, a.resolved_at, a.resolution_note, a.open_key = (
        str(AlertStatus.RESOLVED),
        now,
        note.strip(),
        None,
    )
    if a.acknowledged_at is None:
        a.acknowledged_at = now
    _record(session, p, a, AlertAction.RESOLVE, note.strip())
    return alert(session, p, alert_id)


def handling(session: Session, p: Principal, alert_id: int) -> list[AlertHandling]:
    """The alert's handling steps, oldest first."""
    alert(session, p, alert_id)
    return repository.handling_of(session, alert_id)


# -- raising ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Raise:
    """A condition a rule found: what the evaluation asks to raise."""

    rule_id: uuid.UUID
    party_id: uuid.UUID
    party_uscc: str
    kind: RuleKind
    waybill_id: uuid.UUID | None
    waybill_number: str | None
    subject: str | None
    leg: int | None
    observed_at: datetime
    facts: dict[str, Any]
    event_pks: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.waybill_id}|{self.subject}|{self.leg}"


def payload(a: Alert) -> dict[str, Any]:
    """An alert as webhooks carry it."""
    return {
        "id": a.id,
        "kind": a.kind,
        "status": a.status,
        "waybill_number": a.waybill_number,
        "subject": a.subject,
        "leg": a.leg,
        "facts": a.facts,
        "observed_at": a.observed_at.isoformat(),
        "raised_at": a.raised_at.isoformat(),
        "resolution_note": a.resolution_note,
    }


def raise_alerts(session: Session, found: Sequence[Raise], now: datetime) -> list[Alert]:
    """Store the alerts of ``found`` whose condition has no unresolved alert yet, link their events
    and queue them for webhooks; the new alerts. A few queries whatever the count."""
    if not found:
        return []
    unique = {(r.rule_id, r.key): r for r in found}
    already = repository.open_keys(session, set(unique))
    new = [r for (rule_id, key), r in unique.items() if (rule_id, key) not in already]
    rows = [
        Alert(
            rule_id=r.rule_id,
            party_id=r.party_id,
            party_uscc=r.party_uscc,
            kind=str(r.kind),
            waybill_id=r.waybill_id,
            waybill_number=r.waybill_number,
            subject=r.subject,
            leg=r.leg,
            open_key=r.key,
            status=str(AlertStatus.OPEN),
            facts=r.facts,
            observed_at=r.observed_at,
            raised_at=now,
        )
        for r in new
    ]
    if not rows:
        return []
    session.add_all(rows)
    session.flush()
    repository.link_events(
        session, [(a.id, pk) for a, r in zip(rows, new, strict=True) for pk in set(r.event_pks)]
    )
    by_party: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for a in rows:
        by_party.setdefault(a.party_id, []).append(payload(a))
    webhooks.enqueue(session, set(by_party), "alert.raised", by_party, now)
    return rows
