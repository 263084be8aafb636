"""Dispatch vehicles give their cargo space (容积, m3): matched against a load's volume when both are
given; empty means no volume constraint.

Revision ID: e6fa04b8c3d5
Revises: d5e9f3a7b2c4
Create Date: 2026-12-07 22:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e6fa04b8c3d5"
down_revision: str | None = "d5e9f3a7b2c4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("dispatch_vehicles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("capacity_m3", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dispatch_vehicles", schema=None) as batch_op:
        batch_op.drop_column("capacity_m3")
