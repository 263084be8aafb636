"""Trading objects name the authorized-operation product they sell (授权运营产品): a public data product's
government-guided cap is read from that product's cap (上限收费标准, per billing unit) times the units the
object covers, instead of only the cap the exchange's review recorded.

The product is named by its id without a foreign key: adding one would rebuild ``trading_objects`` on
SQLite (batch mode), which the listings and contracts that reference it, with foreign keys enforced,
forbid on a database that already trades. The trading service checks the product when the object is
registered, and operation products have no deletion path.

Revision ID: 7c3e9a41b2d5
Revises: 7c41d2e9a0b3
Create Date: 2026-12-07 20:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c3e9a41b2d5"
down_revision: str | None = "7c41d2e9a0b3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("trading_objects", sa.Column("operation_product_id", sa.Uuid(), nullable=True))
    op.add_column("trading_objects", sa.Column("units", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("trading_objects") as batch:
        batch.drop_column("units")
        batch.drop_column("operation_product_id")
