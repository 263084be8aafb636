"""Control-tower measures name their subject (度量对象): the vehicle of a km measure and the container of a
turn, so that the measures of one vehicle-day or one container are rebuilt as events arrive.

Revision ID: c4d8e2f6a1b3
Revises: 8b3e6f1d9a42
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4d8e2f6a1b3"
down_revision: str | None = "8b3e6f1d9a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tower_measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject", sa.String(length=200), nullable=True))
        batch_op.create_index("ix_tower_measures_subject", ["kind", "subject"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tower_measures", schema=None) as batch_op:
        batch_op.drop_index("ix_tower_measures_subject")
        batch_op.drop_column("subject")
