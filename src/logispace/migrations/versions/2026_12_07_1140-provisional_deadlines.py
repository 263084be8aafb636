"""Provisional deadlines (暂定期限): a deadline counted into a year whose holiday notice is not imported.

Revision ID: 6b1d0c2e7a41
Revises: 120da998d760
Create Date: 2026-12-07 11:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "6b1d0c2e7a41"
down_revision: str | None = "120da998d760"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registration_applications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("running_provisional", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("registration_steps", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("due_provisional", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_steps", schema=None) as batch_op:
        batch_op.drop_column("due_provisional")
    with op.batch_alter_table("registration_applications", schema=None) as batch_op:
        batch_op.drop_column("running_provisional")
