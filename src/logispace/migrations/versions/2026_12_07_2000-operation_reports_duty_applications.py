"""Authorized operation: the annual price and operation reports (年度经营情况报告, 004:1035), the
registration application filed for each initial-registration duty (I-1), and the stated reason of an
agreement term over 5 years under the national rules (Q-12, 004:941).

Revision ID: 7c41d2e9a0b3
Revises: 8d21f0c4b7a9
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "7c41d2e9a0b3"
down_revision: str | None = "8d21f0c4b7a9"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "operation_annual_reports",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("submitted_on", sa.Date(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("submitted_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["operation_agreements.id"],
            name=op.f("fk_operation_annual_reports_agreement_id_operation_agreements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by"],
            ["parties.id"],
            name=op.f("fk_operation_annual_reports_submitted_by_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_annual_reports")),
        sa.UniqueConstraint("agreement_id", "year", name="uq_operation_annual_reports_year"),
    )
    with op.batch_alter_table("operation_registration_duties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("application_id", sa.Uuid(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_operation_registration_duties_application_id_registration_applications"),
            "registration_applications",
            ["application_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    with op.batch_alter_table("operation_agreements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("term_exception", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("operation_agreements", schema=None) as batch_op:
        batch_op.drop_column("term_exception")
    with op.batch_alter_table("operation_registration_duties", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_operation_registration_duties_application_id_registration_applications"),
            type_="foreignkey",
        )
        batch_op.drop_column("application_id")
    op.drop_table("operation_annual_reports")
