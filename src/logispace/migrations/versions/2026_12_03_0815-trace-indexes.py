"""Trace index (全程追溯索引): EPC links carry their event's time, indexed by (EPC, role, time, event).

The trace of a container looks its EPC up across parties (the authority, and later the parties of
a waybill), and the position of the truck, train or vessel that carried it: the latest GPS point
(role ``epc``) within the leg's time window. With the time in the link, both are index range
scans whatever the length of the EPC's history; the ``(party_id, epc)`` index cannot serve a
lookup without the party. Existing links get the time of their event.

Revision ID: 3c7e1f0a9b24
Revises: 5e2c7a9b41d3
Create Date: 2026-12-03 08:15:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "3c7e1f0a9b24"
down_revision: str | None = "bf6b0422996d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("epcis_event_epcs") as batch_op:
        batch_op.add_column(
            sa.Column("event_time", logispace.core.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.execute(
        "UPDATE epcis_event_epcs SET event_time = "
        "(SELECT e.event_time FROM epcis_events e WHERE e.id = epcis_event_epcs.event_pk)"
    )
    with op.batch_alter_table("epcis_event_epcs") as batch_op:
        batch_op.alter_column(
            "event_time", existing_type=logispace.core.db.UTCDateTime(timezone=True), nullable=False
        )
        batch_op.create_index(
            "ix_epcis_event_epcs_epc_role_time", ["epc", "role", "event_time", "event_pk"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("epcis_event_epcs") as batch_op:
        batch_op.drop_index("ix_epcis_event_epcs_epc_role_time")
        batch_op.drop_column("event_time")
