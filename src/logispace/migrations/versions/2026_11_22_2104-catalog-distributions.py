"""Catalogue distributions (数据分发): uploaded versions of a resource's data, stored as Parquet.

Revision ID: 2ef5f75bf31b
Revises: 8d912e2fa161
Create Date: 2026-11-22 21:04:49.408193
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "2ef5f75bf31b"
down_revision: str | None = "8d912e2fa161"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_distributions",
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("object_sha256", sa.String(length=64), nullable=False),
        sa.Column("object_size", sa.BigInteger(), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("source_size", sa.BigInteger(), nullable=False),
        sa.Column("source_format", sa.String(length=16), nullable=False),
        sa.Column("encoding", sa.String(length=32), nullable=True),
        sa.Column("schema_fields", sa.JSON(), nullable=False),
        sa.Column("widened", sa.JSON(), nullable=False),
        sa.Column("row_count", sa.BigInteger(), nullable=False),
        sa.Column("drift", sa.JSON(), nullable=True),
        sa.Column("uploaded_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_party_id", sa.Uuid(), nullable=True),
        sa.Column("uploaded_by_user_id", sa.Uuid(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_catalog_distributions_resource_id_catalog_resources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_party_id"],
            ["parties.id"],
            name=op.f("fk_catalog_distributions_uploaded_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_user_id"],
            ["users.id"],
            name=op.f("fk_catalog_distributions_uploaded_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_distributions")),
        sa.UniqueConstraint(
            "resource_id", "version", name=op.f("uq_catalog_distributions_resource_id_version")
        ),
    )
    with op.batch_alter_table("catalog_distributions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_distributions_resource_id"), ["resource_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catalog_distributions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_distributions_resource_id"))

    op.drop_table("catalog_distributions")
