"""Renewal requests (续展申请): the holder asks, the authority approves or refuses (004:812; 004:5456).

Revision ID: 3e7a9c1d5b20
Revises: 9a4b6c2d1e70
Create Date: 2026-12-03 11:24:35.960162
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "3e7a9c1d5b20"
down_revision: str | None = "9a4b6c2d1e70"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registration_renewal_requests",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("holder_party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "pending", "approved", "refused", name="renewal_request_state", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("still_needed", sa.Boolean(), nullable=False),
        sa.Column("requested_valid_to", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("requested_by_party_id", sa.Uuid(), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("requested_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("previous_valid_to", sa.Date(), nullable=False),
        sa.Column("granted_valid_to", sa.Date(), nullable=True),
        sa.Column("decided_by_party_id", sa.Uuid(), nullable=True),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("decided_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("decision_ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_renewal_requests_decided_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["users.id"],
            name=op.f("fk_registration_renewal_requests_decided_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decision_ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_renewal_requests_decision_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["holder_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_renewal_requests_holder_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_renewal_requests_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["registration_records.id"],
            name=op.f("fk_registration_renewal_requests_record_id_registration_records"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_renewal_requests_requested_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["users.id"],
            name=op.f("fk_registration_renewal_requests_requested_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_renewal_requests")),
    )
    with op.batch_alter_table("registration_renewal_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_renewal_requests_record_id"), ["record_id"], unique=False
        )
        batch_op.create_index(
            "ix_registration_renewal_requests_state", ["state", "requested_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_renewal_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_renewal_requests_state")
        batch_op.drop_index(batch_op.f("ix_registration_renewal_requests_record_id"))

    op.drop_table("registration_renewal_requests")
