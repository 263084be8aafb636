"""Multimodal waybills and containers (多式联运一单制 / 一箱制): waybills, legs, signed transitions,
container master data and container-waybill assignments.

Revision ID: 3ec9cf1314e7
Revises: 5e2c7a9b41d3
Create Date: 2026-12-03 08:00:45.181887
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "3ec9cf1314e7"
down_revision: str | None = "5e2c7a9b41d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "containers",
        sa.Column("number", sa.String(length=11), nullable=False),
        sa.Column("owner_code", sa.String(length=4), nullable=False),
        sa.Column("owner_party_id", sa.Uuid(), nullable=True),
        sa.Column("size_type", sa.String(length=4), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("registered_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_party_id"],
            ["parties.id"],
            name=op.f("fk_containers_owner_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_containers")),
        sa.UniqueConstraint("number", name=op.f("uq_containers_number")),
    )
    with op.batch_alter_table("containers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_containers_owner_party_id"), ["owner_party_id"], unique=False)

    op.create_table(
        "waybills",
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("consignor_uscc", sa.String(length=18), nullable=False),
        sa.Column("consignee_uscc", sa.String(length=18), nullable=False),
        sa.Column("cargo", sa.JSON(), nullable=False),
        sa.Column("dangerous_goods_class", sa.String(length=60), nullable=True),
        sa.Column("temperature_min_c", sa.Float(), nullable=True),
        sa.Column("temperature_max_c", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("current_leg", sa.Integer(), nullable=True),
        sa.Column("leg_count", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_by_party_id", sa.Uuid(), nullable=False),
        sa.Column("created_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_party_id"],
            ["parties.id"],
            name=op.f("fk_waybills_created_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_user_id"],
            ["users.id"],
            name=op.f("fk_waybills_created_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waybills")),
        sa.UniqueConstraint("number", name=op.f("uq_waybills_number")),
    )
    with op.batch_alter_table("waybills", schema=None) as batch_op:
        batch_op.create_index("ix_waybills_consignee", ["consignee_uscc"], unique=False)
        batch_op.create_index("ix_waybills_consignor", ["consignor_uscc"], unique=False)
        batch_op.create_index("ix_waybills_creator", ["created_by_party_id"], unique=False)

    op.create_table(
        "container_assignments",
        sa.Column("container_id", sa.Uuid(), nullable=False),
        sa.Column("waybill_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("released_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["container_id"],
            ["containers.id"],
            name=op.f("fk_container_assignments_container_id_containers"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_container_assignments_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_container_assignments")),
        sa.UniqueConstraint(
            "container_id", "waybill_id", name=op.f("uq_container_assignments_container_id_waybill_id")
        ),
    )
    with op.batch_alter_table("container_assignments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_container_assignments_container_assigned", ["container_id", "assigned_at"], unique=False
        )
        batch_op.create_index("ix_container_assignments_waybill", ["waybill_id"], unique=False)

    op.create_table(
        "waybill_events",
        sa.Column("waybill_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("actor_party_id", sa.Uuid(), nullable=False),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("actor_uscc", sa.String(length=18), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("from_leg", sa.Integer(), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("to_leg", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("occurred_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("document_version", sa.Integer(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_party_id"],
            ["parties.id"],
            name=op.f("fk_waybill_events_actor_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_waybill_events_actor_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_waybill_events_document_id_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_waybill_events_ledger_index_ledger_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_waybill_events_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waybill_events")),
        sa.UniqueConstraint("waybill_id", "sequence", name=op.f("uq_waybill_events_waybill_id_sequence")),
    )
    op.create_table(
        "waybill_legs",
        sa.Column("waybill_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("carrier_uscc", sa.String(length=18), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column("destination", sa.String(length=10), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_waybill_legs_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waybill_legs")),
        sa.UniqueConstraint("waybill_id", "sequence", name=op.f("uq_waybill_legs_waybill_id_sequence")),
    )
    with op.batch_alter_table("waybill_legs", schema=None) as batch_op:
        batch_op.create_index("ix_waybill_legs_carrier", ["carrier_uscc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("waybill_legs", schema=None) as batch_op:
        batch_op.drop_index("ix_waybill_legs_carrier")

    op.drop_table("waybill_legs")
    op.drop_table("waybill_events")
    with op.batch_alter_table("container_assignments", schema=None) as batch_op:
        batch_op.drop_index("ix_container_assignments_waybill")
        batch_op.drop_index("ix_container_assignments_container_assigned")

    op.drop_table("container_assignments")
    with op.batch_alter_table("waybills", schema=None) as batch_op:
        batch_op.drop_index("ix_waybills_creator")
        batch_op.drop_index("ix_waybills_consignor")
        batch_op.drop_index("ix_waybills_consignee")

    op.drop_table("waybills")
    with op.batch_alter_table("containers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_containers_owner_party_id"))

    op.drop_table("containers")
