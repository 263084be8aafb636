"""Control tower (控制塔): measures for KPIs, the agreed terms and costs of legs, stored ETA predictions.

Revision ID: 3b7e9d2c5a14
Revises: 8d2a4c6e1f05
Create Date: 2026-12-07 16:34:08.064596
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "3b7e9d2c5a14"
down_revision: str | None = "8d2a4c6e1f05"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tower_eta_predictions",
        sa.Column("waybill_id", sa.Uuid(), nullable=False),
        sa.Column("leg", sa.Integer(), nullable=False),
        sa.Column("predicted_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("predicted_arrival", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_tower_eta_predictions_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tower_eta_predictions")),
    )
    with op.batch_alter_table("tower_eta_predictions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tower_eta_predictions_waybill_leg", ["waybill_id", "leg", "predicted_at"], unique=False
        )

    op.create_table(
        "tower_leg_terms",
        sa.Column("waybill_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("promised_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("cost_transport", sa.Float(), nullable=False),
        sa.Column("cost_storage", sa.Float(), nullable=False),
        sa.Column("cost_handling", sa.Float(), nullable=False),
        sa.Column("cost_management", sa.Float(), nullable=False),
        sa.Column("recorded_by_party_id", sa.Uuid(), nullable=False),
        sa.Column("recorded_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_party_id"],
            ["parties.id"],
            name=op.f("fk_tower_leg_terms_recorded_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_tower_leg_terms_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tower_leg_terms")),
        sa.UniqueConstraint("waybill_id", "sequence", name=op.f("uq_tower_leg_terms_waybill_id_sequence")),
    )
    op.create_table(
        "tower_measures",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("waybill_id", sa.Uuid(), nullable=True),
        sa.Column("leg", sa.Integer(), nullable=True),
        sa.Column("corridor", sa.String(length=30), nullable=True),
        sa.Column("mode", sa.String(length=12), nullable=True),
        sa.Column("node", sa.String(length=10), nullable=True),
        sa.Column("owner_uscc", sa.String(length=18), nullable=True),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_tower_measures_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tower_measures")),
    )
    with op.batch_alter_table("tower_measures", schema=None) as batch_op:
        batch_op.create_index("ix_tower_measures_kind_day", ["kind", "day"], unique=False)
        batch_op.create_index(batch_op.f("ix_tower_measures_owner_uscc"), ["owner_uscc"], unique=False)
        batch_op.create_index("ix_tower_measures_waybill", ["waybill_id"], unique=False)

    op.create_table(
        "tower_shipment_parties",
        sa.Column("waybill_id", sa.Uuid(), nullable=False),
        sa.Column("uscc", sa.String(length=18), nullable=False),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_tower_shipment_parties_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("waybill_id", "uscc", name=op.f("pk_tower_shipment_parties")),
    )
    with op.batch_alter_table("tower_shipment_parties", schema=None) as batch_op:
        batch_op.create_index("ix_tower_shipment_parties_uscc", ["uscc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tower_shipment_parties", schema=None) as batch_op:
        batch_op.drop_index("ix_tower_shipment_parties_uscc")

    op.drop_table("tower_shipment_parties")
    with op.batch_alter_table("tower_measures", schema=None) as batch_op:
        batch_op.drop_index("ix_tower_measures_waybill")
        batch_op.drop_index(batch_op.f("ix_tower_measures_owner_uscc"))
        batch_op.drop_index("ix_tower_measures_kind_day")

    op.drop_table("tower_measures")
    op.drop_table("tower_leg_terms")
    with op.batch_alter_table("tower_eta_predictions", schema=None) as batch_op:
        batch_op.drop_index("ix_tower_eta_predictions_waybill_leg")

    op.drop_table("tower_eta_predictions")
