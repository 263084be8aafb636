"""Registration accounts (登记账户, 004:5444) and co-subjects of joint applications (共同申请, 004:771).

Revision ID: 120da998d760
Revises: 3e7a9c1d5b20
Create Date: 2026-12-03 11:24:37.003870
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "120da998d760"
down_revision: str | None = "3e7a9c1d5b20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registration_accounts",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column(
            "state",
            sa.Enum("requested", "issued", name="registration_account_state", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("requested_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("requested_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("issued_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("issued_by_party_id", sa.Uuid(), nullable=True),
        sa.Column("issued_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("issued_ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["issued_by_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_accounts_issued_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_user_id"],
            ["users.id"],
            name=op.f("fk_registration_accounts_issued_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["issued_ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_accounts_issued_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_accounts_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_registration_accounts_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_user_id"],
            ["users.id"],
            name=op.f("fk_registration_accounts_requested_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_accounts")),
        sa.UniqueConstraint("code", name=op.f("uq_registration_accounts_code")),
        sa.UniqueConstraint("party_id", name=op.f("uq_registration_accounts_party_id")),
    )
    op.create_table(
        "registration_co_subjects",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("named_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_co_subjects_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_user_id"],
            ["users.id"],
            name=op.f("fk_registration_co_subjects_confirmed_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_co_subjects_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_registration_co_subjects_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_co_subjects")),
        sa.UniqueConstraint(
            "application_id", "party_id", name=op.f("uq_registration_co_subjects_application_id_party_id")
        ),
    )
    with op.batch_alter_table("registration_co_subjects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_registration_co_subjects_party_id"), ["party_id"], unique=False)

    with op.batch_alter_table("registration_applications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "joint_mode",
                sa.Enum(
                    "joint",
                    "sole_with_agreement",
                    name="registration_joint_mode",
                    native_enum=False,
                    length=32,
                ),
                nullable=True,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_applications", schema=None) as batch_op:
        batch_op.drop_column("joint_mode")

    with op.batch_alter_table("registration_co_subjects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_co_subjects_party_id"))

    op.drop_table("registration_co_subjects")
    op.drop_table("registration_accounts")
