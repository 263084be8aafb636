"""Waybill numbers unique per issuing party (运单号按签发主体唯一).

A number unique across the platform let any party learn that another party's waybill exists: creating
one with that number answered 409 ``waybill-number-taken`` while reading it answered 404. The unique
constraint becomes (creator party, number); an index keeps lookups by number fast.

Revision ID: 5b8e2f4a9c13
Revises: 6b1d0c2e7a41
Create Date: 2026-12-07 11:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "5b8e2f4a9c13"
down_revision: str | None = "6b1d0c2e7a41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("waybills", schema=None) as batch_op:
        batch_op.drop_constraint("uq_waybills_number", type_="unique")
        batch_op.create_unique_constraint(
            "uq_waybills_created_by_party_id_number", ["created_by_party_id", "number"]
        )
        batch_op.create_index("ix_waybills_number", ["number"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("waybills", schema=None) as batch_op:
        batch_op.drop_index("ix_waybills_number")
        batch_op.drop_constraint("uq_waybills_created_by_party_id_number", type_="unique")
        batch_op.create_unique_constraint("uq_waybills_number", ["number"])
