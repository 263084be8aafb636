"""Waybill shares (运单共享): a party of a waybill lets a named party read its trace and custody for a
period, revocable, each step in the ledger.

Revision ID: 7a3d5c1e9b20
Revises: 5e1c0a7d2b93
Create Date: 2026-12-07 13:30:09.752632
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "7a3d5c1e9b20"
down_revision: str | None = "5e1c0a7d2b93"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "waybill_shares",
        sa.Column("waybill_id", sa.Uuid(), nullable=False),
        sa.Column("recipient_party_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by_party_id", sa.Uuid(), nullable=False),
        sa.Column("granted_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("valid_from", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("revoked_ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["granted_by_party_id"],
            ["parties.id"],
            name=op.f("fk_waybill_shares_granted_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_user_id"],
            ["users.id"],
            name=op.f("fk_waybill_shares_granted_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_waybill_shares_ledger_index_ledger_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_party_id"],
            ["parties.id"],
            name=op.f("fk_waybill_shares_recipient_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_user_id"],
            ["users.id"],
            name=op.f("fk_waybill_shares_revoked_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["revoked_ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_waybill_shares_revoked_ledger_index_ledger_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["waybill_id"],
            ["waybills.id"],
            name=op.f("fk_waybill_shares_waybill_id_waybills"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waybill_shares")),
    )
    with op.batch_alter_table("waybill_shares", schema=None) as batch_op:
        batch_op.create_index("ix_waybill_shares_recipient", ["recipient_party_id"], unique=False)
        batch_op.create_index("ix_waybill_shares_waybill", ["waybill_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("waybill_shares", schema=None) as batch_op:
        batch_op.drop_index("ix_waybill_shares_waybill")
        batch_op.drop_index("ix_waybill_shares_recipient")

    op.drop_table("waybill_shares")
