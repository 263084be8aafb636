"""Authorized operation: the records of the annual price and operation report (年度经营情况报告, 004:1035),
one a product and year: its price, sales volume and revenue, and its maximum allowed revenue, from which the
deviation and who adjusts are computed (004:1031).

Revision ID: 5e2a9c7d1f40
Revises: e6fa04b8c3d5
Create Date: 2026-12-07 21:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "5e2a9c7d1f40"
down_revision: str | None = "e6fa04b8c3d5"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "operation_report_lines",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=True),
        sa.Column("volume", sa.BigInteger(), nullable=False),
        sa.Column("revenue_fen", sa.BigInteger(), nullable=False),
        sa.Column("max_revenue_fen", sa.BigInteger(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["operation_agreements.id"],
            name=op.f("fk_operation_report_lines_agreement_id_operation_agreements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["operation_products.id"],
            name=op.f("fk_operation_report_lines_product_id_operation_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["parties.id"],
            name=op.f("fk_operation_report_lines_recorded_by_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_report_lines")),
        sa.UniqueConstraint("agreement_id", "year", "product_id", name="uq_operation_report_lines_product"),
    )


def downgrade() -> None:
    op.drop_table("operation_report_lines")
