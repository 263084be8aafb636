"""EPCIS 2.0 (物流追踪事件): capture jobs, events with their queried fields, the EPC link table.

Revision ID: 8d912e2fa161
Revises: 498b52199283
Create Date: 2026-11-22 20:33:31.612606
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "8d912e2fa161"
down_revision: str | None = "498b52199283"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "epcis_capture_jobs",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("running", sa.Boolean(), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("error_behaviour", sa.String(length=20), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("stored_count", sa.Integer(), nullable=False),
        sa.Column("document_sha256", sa.String(length=64), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_epcis_capture_jobs_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_epcis_capture_jobs_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_capture_jobs")),
    )
    with op.batch_alter_table("epcis_capture_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_epcis_capture_jobs_party_id"), ["party_id"], unique=False)

    op.create_table(
        "epcis_events",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("capture_id", sa.Uuid(), nullable=False),
        sa.Column("event_id", sa.String(length=500), nullable=False),
        sa.Column("event_hash", sa.String(length=100), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("event_time", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("record_time", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=True),
        sa.Column("biz_step", sa.String(length=500), nullable=True),
        sa.Column("disposition", sa.String(length=500), nullable=True),
        sa.Column("read_point", sa.String(length=500), nullable=True),
        sa.Column("biz_location", sa.String(length=500), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["capture_id"],
            ["epcis_capture_jobs.id"],
            name=op.f("fk_epcis_events_capture_id_epcis_capture_jobs"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_epcis_events_party_id_parties"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_epcis_events")),
        sa.UniqueConstraint("party_id", "event_hash", name=op.f("uq_epcis_events_party_id_event_hash")),
        sa.UniqueConstraint("party_id", "event_id", name=op.f("uq_epcis_events_party_id_event_id")),
    )
    with op.batch_alter_table("epcis_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_epcis_events_capture_id"), ["capture_id"], unique=False)
        batch_op.create_index("ix_epcis_events_party_biz_step", ["party_id", "biz_step"], unique=False)
        batch_op.create_index("ix_epcis_events_party_event_time", ["party_id", "event_time"], unique=False)
        batch_op.create_index("ix_epcis_events_party_read_point", ["party_id", "read_point"], unique=False)
        batch_op.create_index("ix_epcis_events_party_record_time", ["party_id", "record_time"], unique=False)

    op.create_table(
        "epcis_event_epcs",
        sa.Column(
            "event_pk",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("epc", sa.String(length=500), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_pk"],
            ["epcis_events.id"],
            name=op.f("fk_epcis_event_epcs_event_pk_epcis_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_epcis_event_epcs_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("event_pk", "role", "epc", name=op.f("pk_epcis_event_epcs")),
    )
    with op.batch_alter_table("epcis_event_epcs", schema=None) as batch_op:
        batch_op.create_index("ix_epcis_event_epcs_party_epc", ["party_id", "epc"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("epcis_event_epcs", schema=None) as batch_op:
        batch_op.drop_index("ix_epcis_event_epcs_party_epc")

    op.drop_table("epcis_event_epcs")
    with op.batch_alter_table("epcis_events", schema=None) as batch_op:
        batch_op.drop_index("ix_epcis_events_party_record_time")
        batch_op.drop_index("ix_epcis_events_party_read_point")
        batch_op.drop_index("ix_epcis_events_party_event_time")
        batch_op.drop_index("ix_epcis_events_party_biz_step")
        batch_op.drop_index(batch_op.f("ix_epcis_events_capture_id"))

    op.drop_table("epcis_events")
    with op.batch_alter_table("epcis_capture_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_epcis_capture_jobs_party_id"))

    op.drop_table("epcis_capture_jobs")
