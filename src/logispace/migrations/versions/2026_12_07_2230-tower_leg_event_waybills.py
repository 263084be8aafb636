"""Leg events found by their waybill (区段事件运单索引): ``tower_leg_event_waybills`` links each leg event
(loading, departing, arriving, unloading) to the waybill numbers its ``bizTransactionList`` names, so a
few waybills' leg events are read through this key instead of a text search of every event's JSON.
Filled here from the stored events.

Revision ID: d5e9f3a7b2c4
Revises: d5e1f7a3b9c2
Create Date: 2026-12-07 22:30:00
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "d5e9f3a7b2c4"
down_revision: str | None = "d5e1f7a3b9c2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CBV = "https://ref.gs1.org/cbv/BizStep-"
LEG_STEPS = tuple(CBV + s for s in ("loading", "departing", "arriving", "unloading"))
WAYBILL_URN = "urn:logispace:waybill:"
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _numbers(body: object) -> set[str]:
    if isinstance(body, str):
        body = json.loads(body)
    items = body.get("bizTransactionList") if isinstance(body, dict) else None
    out = set()
    for item in items or ():
        value = item.get("bizTransaction", "") if isinstance(item, dict) else ""
        if isinstance(value, str) and value.startswith(WAYBILL_URN):
            number = value.removeprefix(WAYBILL_URN)
            if 0 < len(number) <= 40:
                out.add(number)
    return out


def upgrade() -> None:
    links = op.create_table(
        "tower_leg_event_waybills",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("event_pk", BigId, nullable=False),
        sa.ForeignKeyConstraint(["event_pk"], ["epcis_events.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("number", "event_pk"),
    )
    events = sa.table("epcis_events", sa.column("id"), sa.column("biz_step"), sa.column("body"))
    conn = op.get_bind()
    rows = conn.execute(sa.select(events.c.id, events.c.body).where(events.c.biz_step.in_(LEG_STEPS)))
    batch: list[dict[str, object]] = []
    for pk, body in rows:
        batch.extend({"number": n, "event_pk": pk} for n in sorted(_numbers(body)))
        if len(batch) >= 5_000:
            conn.execute(sa.insert(links), batch)
            batch = []
    if batch:
        conn.execute(sa.insert(links), batch)


def downgrade() -> None:
    op.drop_table("tower_leg_event_waybills")
