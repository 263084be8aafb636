"""Login throttling per client and per (account, client) pair replaces the account lock (登录失败处理).

Five wrong passwords from anyone locked any account, the only administrator's included; the
counts now live in ``login_throttles`` keyed by digests, and the users' lock columns go.

Revision ID: 6c1f0a9d2e47
Revises: 5b8e2f4a9c13
Create Date: 2026-12-07 11:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "6c1f0a9d2e47"
down_revision: str | None = "5b8e2f4a9c13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "login_throttles",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=10), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("refused", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_login_throttles")),
    )
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_throttles_blocked_until"), ["blocked_until"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_logins")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(
            sa.Column("locked_until", logispace.core.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("login_throttles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_throttles_blocked_until"))
    op.drop_table("login_throttles")
