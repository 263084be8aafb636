"""Use under a grant (授权使用): API queries and sandbox SQL through :mod:`.delivery`, metered per grant and
certified in the ledger; refusals leave an audit record and nothing else.

Before anything runs, the grant must be active (not expired, suspended or revoked), its privacy budget
not spent, and its usage policy (:func:`.policies.decide`) must permit the use. The delivery engine then
checks and runs the query (可用不可见: only aggregates leave the sandbox, 004:5635, 004:5671). What left is
metered (calls, rows read, rows and cells returned, bytes, ε) and appended to the ledger as
(grant, query hash, result hash) in the same transaction (来源可溯、去向可查, 004:5669).
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import DomainError
from logispace.core.events import bus
from logispace.domains.access import delivery, repository
from logispace.domains.access.enums import DeliveryMode, GrantState, OutputMode
from logispace.domains.access.errors import (
    BudgetExhausted,
    GrantExpired,
    GrantRevoked,
    GrantSuspended,
    NotAllowed,
    PolicyRefused,
    StateConflict,
)
from logispace.domains.access.models import AccessRequestResource, Delivery, Grant, Refusal
from logispace.domains.access.odrl import UsagePolicy, parse_policy
from logispace.domains.access.policies import Attempt, decide
from logispace.domains.access.schemas import QueryCreate, SqlCreate
from logispace.domains.access.service import (
    grant_state,
    grant_subject,
    visible_grant,
    visible_grant_and_resources,
)
from logispace.domains.catalog import newest_objects
from logispace.domains.identity import Principal
from logispace.domains.ledger import append as ledger_append
from logispace.storage import LocalObjectStore

_INACTIVE: dict[GrantState, type[DomainError]] = {
    GrantState.EXPIRED: GrantExpired,
    GrantState.SUSPENDED: GrantSuspended,
    GrantState.REVOKED: GrantRevoked,
}


@dataclass(frozen=True)
class Delivered:
    """What left the sandbox and the ledger entry that certifies it."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    rows_read: int
    rows_returned: int
    cells_returned: int
    bytes_returned: int
    epsilon_spent: float
    noised: bool
    query_hash: str
    result_hash: str
    engine: str
    ledger_index: int


@dataclass(frozen=True)
class GrantUse:
    """A use under a grant about to run (授权使用), published on the event bus before anything runs so
    that a higher domain can refuse it: the operation domain checks an operator's staff (OPS-R13, OPS-R14)."""

    grant_id: uuid.UUID
    assignee_party_id: uuid.UUID
    user_id: uuid.UUID | None
    mode: DeliveryMode
    catalog_codes: tuple[str, ...]


@dataclass(frozen=True)
class _Usable:
    """An active grant the caller may use, its parsed usage policy and its granted resources (read once)."""

    grant: Grant
    policy: UsagePolicy
    items: list[AccessRequestResource]


def _announce(session: Session, p: Principal, use: _Usable, mode: DeliveryMode) -> None:
    """Publish the use; a subscriber refuses it by raising (an :class:`AccessRefused` is audited)."""
    codes = tuple(i.catalog_code for i in use.items)
    bus.publish(session, GrantUse(use.grant.id, use.grant.assignee_party_id, p.user_id, mode, codes))


# The parsed usage policy of each grant, with a copy of the stored document it was parsed from: a grant
# whose stored policy differs from the copy (it never changes once written) is parsed again.
_POLICIES: dict[uuid.UUID, tuple[Any, UsagePolicy]] = {}
_POLICIES_KEPT = 1024


def _policy_of(grant: Grant) -> UsagePolicy:
    cached = _POLICIES.get(grant.id)
    if cached is not None and cached[0] == grant.policy:
        return cached[1]
    policy = parse_policy(grant.policy)
    if len(_POLICIES) >= _POLICIES_KEPT:
        _POLICIES.clear()
    _POLICIES[grant.id] = (copy.deepcopy(grant.policy), policy)
    return policy


def _usable(session: Session, p: Principal, grant_id: uuid.UUID) -> _Usable:
    """The grant, if the caller's party is its assignee and it is active now (403 naming why otherwise)."""
    grant, items = visible_grant_and_resources(session, p, grant_id)
    if not p.is_system and p.party_id != grant.assignee_party_id:
        raise NotAllowed(
            "only the party the grant was given to uses it (004:5621; 004:5663)", source="004:5663"
        )
    if grant.epsilon_total is not None:  # concurrent uses of one budget take turns: ε is never overspent
        grant = repository.lock_grant(session, grant.id) or grant
    state = grant_state(grant)
    if state in _INACTIVE:
        raise _INACTIVE[state](
            f"grant {grant.id} is {state.value}: {grant.state_reason or 'period ended'}",
            state=state.value,
            source="004:5675; 004:5659",
        )
    if grant.epsilon_total is not None and grant.epsilon_spent >= grant.epsilon_total:
        raise BudgetExhausted(
            f"the grant's privacy budget ε={grant.epsilon_total:g} is spent",
            epsilon_total=grant.epsilon_total,
            epsilon_spent=grant.epsilon_spent,
            source="004:717",
        )
    return _Usable(grant, _policy_of(grant), items)


def _check(
    policy: UsagePolicy,
    grant: Grant,
    p: Principal,
    purpose: str | None,
    target: str,
    fields: list[str],
    mode: OutputMode,
) -> None:
    """Ask the policy engine; the operator at the command line acts for the assignee."""
    party = grant.assignee_party_id if p.is_system else p.party_id
    attempt = Attempt(str(party), purpose or policy.purpose, utcnow(), target, fields, mode)
    refusal = decide(policy, attempt)
    if refusal is not None:
        raise PolicyRefused(
            f"{refusal.detail} [{refusal.constraint}, {refusal.source}]",
            constraint=refusal.constraint,
            source=refusal.source,
            reason=refusal.code,
        )


def granted_tables(
    session: Session,
    settings: Settings,
    grant: Grant,
    items: Sequence[AccessRequestResource] | None = None,
) -> list[delivery.GrantedTable]:
    """Each granted resource as the sandbox sees it: table name, its newest Parquet, the granted columns
    (``items``: the grant's resources when the caller has read them already)."""
    store = LocalObjectStore.from_settings(settings)
    if items is None:
        items = repository.resources_of(session, grant.request_id)
    objects = newest_objects(session, [i.resource_id for i in items])
    tables = []
    for item in items:
        if item.resource_id not in objects:
            raise StateConflict(
                f"data resource {item.catalog_code} has no data uploaded yet", state="no-data"
            )
        path = store.path_of(objects[item.resource_id])
        tables.append(delivery.GrantedTable(item.table_name, (path,), tuple(item.fields), dict(item.masking)))
    return tables


def _meter(
    session: Session,
    p: Principal,
    grant: Grant,
    mode: DeliveryMode,
    result: Any,
    epsilon: float,
    noised: bool,
    engine: str,
    settings: Settings | None,
) -> Delivered:
    # One UPDATE adds this use to the meter (the row lock of PostgreSQL, SQLite's one writer): no read first.
    repository.add_to_meter(
        session,
        grant,
        rows_read=result.rows_read,
        rows_returned=result.rows_returned,
        cells_returned=result.cells_returned,
        bytes_returned=result.bytes_returned,
        epsilon_spent=epsilon,
        at=utcnow(),
    )
    payload = {
        "grant_id": str(grant.id),
        "mode": mode.value,
        "query_hash": result.query_hash,
        "result_hash": result.result_hash,
        "rows_read": result.rows_read,
        "rows_returned": result.rows_returned,
        "cells_returned": result.cells_returned,
        "bytes_returned": result.bytes_returned,
        "epsilon_spent": epsilon,
        "source": "004:5669",
    }
    receipt = ledger_append(
        session,
        kind="access.delivered",
        subject=grant_subject(grant.id),
        payload=payload,
        actor=p.party_id,
        settings=settings,
    )
    repository.add_delivery(
        session,
        grant_id=grant.id,
        mode=mode,
        user_id=p.user_id,
        query_hash=result.query_hash,
        result_hash=result.result_hash,
        rows_read=result.rows_read,
        rows_returned=result.rows_returned,
        cells_returned=result.cells_returned,
        bytes_returned=result.bytes_returned,
        epsilon_spent=epsilon,
        engine=engine,
        delivered_at=utcnow(),
        ledger_index=receipt.entry_id,
    )
    return Delivered(
        tuple(result.columns), tuple(tuple(r) for r in result.rows), result.rows_read, result.rows_returned,
        result.cells_returned, result.bytes_returned, epsilon, noised, result.query_hash, result.result_hash,
        engine, receipt.entry_id,
    )  # fmt: skip


def run_sql(
    session: Session, p: Principal, grant_id: uuid.UUID, body: SqlCreate, settings: Settings
) -> Delivered:
    """Sandbox SQL (沙箱计算) under a grant: aggregate output only, each group at least k rows, or noise
    within the grant's remaining ε."""
    use = _usable(session, p, grant_id)
    grant, policy = use.grant, use.policy
    _announce(session, p, use, DeliveryMode.SQL)
    for target in policy.permissions:
        _check(policy, grant, p, body.purpose, target, [], OutputMode.AGGREGATE)
    tables = granted_tables(session, settings, grant, use.items)
    output = delivery.OutputPolicy(
        aggregate_only=True,
        min_group_size=policy.min_group_size,
        epsilon_total=grant.epsilon_total,
        epsilon_spent=grant.epsilon_spent,
    )
    result = delivery.run_sql(
        body.sql,
        tables,
        output,
        delivery.Limits(timeout_s=settings.sandbox_timeout_seconds),
        engine=settings.sandbox_engine,
        salt=bytes.fromhex(grant.salt),
    )
    return _meter(
        session,
        p,
        grant,
        DeliveryMode.SQL,
        result,
        result.epsilon_spent,
        result.noised,
        result.engine,
        settings,
    )


def run_query(
    session: Session, p: Principal, grant_id: uuid.UUID, body: QueryCreate, settings: Settings
) -> Delivered:
    """API query (接口查询) under a grant: granted fields of one table with row filters, desensitized."""
    use = _usable(session, p, grant_id)
    grant, policy = use.grant, use.policy
    _announce(session, p, use, DeliveryMode.QUERY)
    items = {i.table_name: i for i in use.items}
    item = items.get(body.table)
    if item is None:
        raise PolicyRefused(
            f"table {body.table} is not in the grant; granted: {', '.join(sorted(items))}",
            constraint="target",
            source="004:983; 004:5623",
            reason="resource-not-granted",
        )
    used = list(dict.fromkeys([*body.fields, *(f.column for f in body.filters)]))
    _check(policy, grant, p, body.purpose, item.catalog_code, used, OutputMode.RECORD)
    table = next(t for t in granted_tables(session, settings, grant, use.items) if t.name == body.table)
    filters = [delivery.RowFilter(f.column, f.op, f.value) for f in body.filters]
    result = delivery.run_query(
        table, body.fields, filters, body.limit, body.offset, bytes.fromhex(grant.salt)
    )
    return _meter(session, p, grant, DeliveryMode.QUERY, result, 0.0, False, "duckdb", settings)


# -- the refusals' audit records (拒绝留痕) -------------------------------------------------------------


def record_refusal(
    session: Session,
    p: Principal,
    *,
    subject: str,
    action: str,
    error: DomainError,
    grant_id: uuid.UUID | None = None,
    query_hash: str | None = None,
    settings: Settings | None = None,
) -> Refusal:
    """The audit record of a refused use or step, certified in the ledger (no query text, no data)."""
    constraint = error.extensions.get("constraint")
    source = error.extensions.get("source")
    payload = {
        "subject": subject,
        "action": action,
        "code": error.code,
        "status": error.status,
        "constraint": constraint,
        "query_hash": query_hash,
        "source": source or "004:5669",
    }
    receipt = ledger_append(
        session, kind="access.refused", subject=subject, payload=payload, actor=p.party_id, settings=settings
    )
    refusal = Refusal(
        subject=subject,
        grant_id=grant_id if grant_id is not None and session.get(Grant, grant_id) is not None else None,
        party_id=p.party_id,
        user_id=p.user_id,
        action=action,
        code=str(error.extensions.get("reason") or error.code),
        detail=error.detail[:4000],
        constraint=str(constraint) if constraint else None,
        source=str(source) if source else None,
        query_hash=query_hash,
        refused_at=utcnow(),
        ledger_index=receipt.entry_id,
    )
    session.add(refusal)
    session.flush()
    return refusal


def usage_of(
    session: Session, p: Principal, grant_id: uuid.UUID
) -> tuple[Grant, list[Delivery], list[Refusal]]:
    """The grant's meter, its latest deliveries and refusals (assignee, holders, authority)."""
    grant = visible_grant(session, p, grant_id)
    return (
        grant,
        repository.deliveries_of(session, grant.id),
        repository.refusals_of(session, grant_subject(grant.id)),
    )
