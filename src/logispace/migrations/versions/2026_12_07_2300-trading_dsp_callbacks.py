"""Dataspace Protocol callbacks (数据空间协议回调): a negotiation keeps the consumer connector's own process
id (``consumerPid``) and callback address, a contract those of its transfer process, and the messages owed
to a callback wait in ``trading_dsp_callbacks`` (queued with the state change, sent afterwards).

Only nullable columns are added: no table is rebuilt on SQLite.

Revision ID: d5e1f7a3b9c2
Revises: e7a1c5b9d3f2
Create Date: 2026-12-07 23:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "d5e1f7a3b9c2"
down_revision: str | None = "e7a1c5b9d3f2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("trading_negotiations", sa.Column("consumer_pid", sa.String(200), nullable=True))
    op.add_column("trading_negotiations", sa.Column("callback_address", sa.String(500), nullable=True))
    op.add_column("trading_contracts", sa.Column("transfer_consumer_pid", sa.String(200), nullable=True))
    op.add_column("trading_contracts", sa.Column("transfer_callback_address", sa.String(500), nullable=True))
    op.create_table(
        "trading_dsp_callbacks",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("process_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(700), nullable=False),
        sa.Column("message", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_trading_dsp_callbacks_process_id", "trading_dsp_callbacks", ["process_id"])
    op.create_index("ix_trading_dsp_callbacks_status", "trading_dsp_callbacks", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_trading_dsp_callbacks_status", table_name="trading_dsp_callbacks")
    op.drop_index("ix_trading_dsp_callbacks_process_id", table_name="trading_dsp_callbacks")
    op.drop_table("trading_dsp_callbacks")
    with op.batch_alter_table("trading_contracts") as batch:
        batch.drop_column("transfer_callback_address")
        batch.drop_column("transfer_consumer_pid")
    with op.batch_alter_table("trading_negotiations") as batch:
        batch.drop_column("callback_address")
        batch.drop_column("consumer_pid")
