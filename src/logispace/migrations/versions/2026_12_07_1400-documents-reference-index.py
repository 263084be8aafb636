"""Documents are found by their reference (单证编号): the custody check of a waybill recorded before
the ledger's ``waybill.step`` entries looks up the step documents by the waybill number.

Revision ID: 9b4d2e6f1a38
Revises: 7d4a2c9e1f60
Create Date: 2026-12-07 14:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "9b4d2e6f1a38"
down_revision: str | None = "7d4a2c9e1f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.create_index("ix_documents_reference", ["reference"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_reference")
