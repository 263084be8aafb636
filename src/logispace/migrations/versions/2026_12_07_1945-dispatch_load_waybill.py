"""Dispatch loads keep their volume and the waybill draft they were made from (issue 21).

Revision ID: 8d21f0c4b7a9
Revises: 5e9b1c7a3d20
Create Date: 2026-12-07 19:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d21f0c4b7a9"
down_revision: str | None = "5e9b1c7a3d20"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dispatch_loads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("volume_m3", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("waybill_no", sa.String(length=40), nullable=True))
        batch_op.create_index("ix_dispatch_loads_waybill", ["party_id", "waybill_no"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("dispatch_loads", schema=None) as batch_op:
        batch_op.drop_index("ix_dispatch_loads_waybill")
        batch_op.drop_column("waybill_no")
        batch_op.drop_column("volume_m3")
