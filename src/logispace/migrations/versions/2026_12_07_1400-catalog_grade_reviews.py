"""Grading review (分级审核): the authority's decisions on resources' grades, with their reasons.

Revision ID: 8d2a4c6e1f05
Revises: a7c3e5f1d902
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "8d2a4c6e1f05"
down_revision: str | None = "a7c3e5f1d902"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_grade_reviews",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("previous_grade", sa.String(length=32), nullable=False),
        sa.Column("grade", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_party_id", sa.Uuid(), nullable=False),
        sa.Column("decided_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("decided_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_catalog_grade_reviews_resource_id_catalog_resources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["previous_grade"],
            ["catalog_grades.code"],
            name=op.f("fk_catalog_grade_reviews_previous_grade_catalog_grades"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["grade"],
            ["catalog_grades.code"],
            name=op.f("fk_catalog_grade_reviews_grade_catalog_grades"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_party_id"],
            ["parties.id"],
            name=op.f("fk_catalog_grade_reviews_decided_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_user_id"],
            ["users.id"],
            name=op.f("fk_catalog_grade_reviews_decided_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_catalog_grade_reviews_ledger_index_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_grade_reviews")),
    )
    with op.batch_alter_table("catalog_grade_reviews", schema=None) as batch_op:
        batch_op.create_index(
            "ix_catalog_grade_reviews_resource", ["resource_id", "decided_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catalog_grade_reviews", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_grade_reviews_resource")
    op.drop_table("catalog_grade_reviews")
