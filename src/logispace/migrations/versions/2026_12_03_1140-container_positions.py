"""Container positions (箱序): a waybill's containers keep the order its draft listed them in.

``container_assignments.position`` is the container's place in the draft's list (1, 2, ...).
Before it, the containers of a waybill were read in the order of their random row ids, so the
page, the API and every signed step after the first could list them in another order than the
draft. Existing rows take the order of the waybill's first signed step (its snapshot lists the
draft's containers); a container that snapshot does not name follows, by number.

Revision ID: 9a4b6c2d1e70
Revises: 9a4d2c7e1b36
Create Date: 2026-12-03 11:40:00
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "9a4b6c2d1e70"
down_revision: str | None = "9a4d2c7e1b36"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

assignments = sa.table(
    "container_assignments",
    sa.column("id", sa.Uuid()),
    sa.column("container_id", sa.Uuid()),
    sa.column("waybill_id", sa.Uuid()),
    sa.column("position", sa.Integer()),
)
containers = sa.table("containers", sa.column("id", sa.Uuid()), sa.column("number", sa.String()))
events = sa.table(
    "waybill_events",
    sa.column("waybill_id", sa.Uuid()),
    sa.column("sequence", sa.Integer()),
    sa.column("snapshot", sa.JSON()),
)


def _backfill() -> None:
    bind = op.get_bind()
    drafted: dict[Any, list[str]] = {}
    for waybill_id, snapshot in bind.execute(
        sa.select(events.c.waybill_id, events.c.snapshot).where(events.c.sequence == 1)
    ):
        if isinstance(snapshot, dict) and isinstance(snapshot.get("containers"), list):
            drafted[waybill_id] = [str(n) for n in snapshot["containers"]]
    rows: dict[Any, list[tuple[str, Any]]] = defaultdict(list)
    for row_id, waybill_id, number in bind.execute(
        sa.select(assignments.c.id, assignments.c.waybill_id, containers.c.number).join(
            containers, containers.c.id == assignments.c.container_id
        )
    ):
        rows[waybill_id].append((number, row_id))
    for waybill_id, numbered in rows.items():
        order = drafted.get(waybill_id, [])
        place = {n: i for i, n in enumerate(order)}
        numbered.sort(key=lambda r: (place.get(r[0], len(order)), r[0]))
        for position, (_, row_id) in enumerate(numbered, start=1):
            bind.execute(sa.update(assignments).where(assignments.c.id == row_id).values(position=position))


def upgrade() -> None:
    with op.batch_alter_table("container_assignments") as batch_op:
        batch_op.add_column(sa.Column("position", sa.Integer(), nullable=True))
    _backfill()
    with op.batch_alter_table("container_assignments") as batch_op:
        batch_op.alter_column("position", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_container_assignments_waybill_id_position"), ["waybill_id", "position"]
        )


def downgrade() -> None:
    with op.batch_alter_table("container_assignments") as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_container_assignments_waybill_id_position"), type_="unique")
        batch_op.drop_column("position")
