"""Container registrations per party (集装箱登记按主体): no answer tells that another party registered a box.

A container number is one physical box worldwide (ISO 6346) and stays one ``containers`` row shared by
every waybill naming it (一箱制: one record across carriers, one waybill at a time). Its master data was
registered once: a second party registering the number answered 409 ``container-already-registered``
while reading it answered 404, an existence oracle. Now each registering party keeps its own row in
``container_registrations`` (unique per container and party), answered as a first registration. The
owner of record on ``containers`` (the first registrant) is kept; its registration is copied here.

Revision ID: 7d4a2c9e1f60
Revises: 7a3d5c1e9b20
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "7d4a2c9e1f60"
down_revision: str | None = "7a3d5c1e9b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

containers = sa.table(
    "containers",
    sa.column("id", sa.Uuid()),
    sa.column("owner_party_id", sa.Uuid()),
    sa.column("size_type", sa.String()),
    sa.column("registered_at", logispace.core.db.UTCDateTime(timezone=True)),
    sa.column("created_at", logispace.core.db.UTCDateTime(timezone=True)),
)


def upgrade() -> None:
    registrations = op.create_table(
        "container_registrations",
        sa.Column("container_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("size_type", sa.String(length=4), nullable=False),
        sa.Column("registered_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["containers.id"],
            name=op.f("fk_container_registrations_container_id_containers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_container_registrations_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_container_registrations")),
        sa.UniqueConstraint(
            "container_id", "party_id", name=op.f("uq_container_registrations_container_id_party_id")
        ),
    )
    with op.batch_alter_table("container_registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_container_registrations_party_id"), ["party_id"], unique=False)
    bind = op.get_bind()
    owned = bind.execute(
        sa.select(
            containers.c.id,
            containers.c.owner_party_id,
            containers.c.size_type,
            containers.c.registered_at,
            containers.c.created_at,
        ).where(containers.c.owner_party_id.is_not(None))
    ).all()
    rows = [
        {
            "id": uuid.uuid4(),
            "container_id": row.id,
            "party_id": row.owner_party_id,
            "size_type": row.size_type or "",
            "registered_at": row.registered_at or row.created_at,
            "created_at": row.registered_at or row.created_at,
        }
        for row in owned
    ]
    if rows:
        op.bulk_insert(registrations, rows)


def downgrade() -> None:
    # The owner of record stays on ``containers``; the other parties' registrations are dropped.
    with op.batch_alter_table("container_registrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_container_registrations_party_id"))
    op.drop_table("container_registrations")
