"""Trace indexes (全程追溯索引): EPC links by EPC alone, with role and event, for the container trace.

The trace of a container looks its EPC up across parties (the authority, and later the parties of
a waybill) and the GPS points of the truck, train or vessel that carried it (role ``epc``); the
existing ``(party_id, epc)`` index cannot serve a lookup without the party.

Revision ID: 3c7e1f0a9b24
Revises: 5e2c7a9b41d3
Create Date: 2026-12-03 08:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "3c7e1f0a9b24"
down_revision: str | None = "5e2c7a9b41d3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_epcis_event_epcs_epc_role", "epcis_event_epcs", ["epc", "role", "event_pk"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_epcis_event_epcs_epc_role", table_name="epcis_event_epcs")
