"""Registration: the record's industry as a column (registry filter in SQL) and each objection's review due.

``registration_records.industry`` (indexed) is backfilled from the information sheet of the record's
initial application; ``registration_objections.review_due`` from the due date of the step that filed
the objection (the same ledger entry), which is the objection review SLA counted from its filing.

Revision ID: 9a4d2c7e1b36
Revises: c5593497467a
Create Date: 2026-12-03 11:30:00.000000
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9a4d2c7e1b36"
down_revision: str | None = "c5593497467a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_records = sa.table(
    "registration_records",
    sa.column("id", sa.Uuid()),
    sa.column("initial_application_id", sa.Uuid()),
    sa.column("industry", sa.String(200)),
)
_applications = sa.table(
    "registration_applications", sa.column("id", sa.Uuid()), sa.column("info", sa.JSON())
)
_objections = sa.table(
    "registration_objections", sa.column("ledger_index", sa.BigInteger()), sa.column("review_due", sa.Date())
)
_steps = sa.table(
    "registration_steps", sa.column("ledger_index", sa.BigInteger()), sa.column("due_on", sa.Date())
)


def _industry(info: object) -> str | None:
    if isinstance(info, str):  # a driver that hands JSON back as text
        info = json.loads(info)
    value = info.get("industry") if isinstance(info, dict) else None
    text = str(value).strip()[:200] if value is not None else ""
    return text or None


def upgrade() -> None:
    with op.batch_alter_table("registration_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("industry", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_registration_records_industry"), ["industry"], unique=False)
    with op.batch_alter_table("registration_objections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review_due", sa.Date(), nullable=True))

    bind = op.get_bind()
    rows = bind.execute(
        sa.select(_records.c.id, _applications.c.info).join(
            _applications, _applications.c.id == _records.c.initial_application_id
        )
    ).all()
    for record_id, info in rows:
        industry = _industry(info)
        if industry is not None:
            bind.execute(_records.update().where(_records.c.id == record_id).values(industry=industry))
    due = (
        sa.select(_steps.c.due_on)
        .where(_steps.c.ledger_index == _objections.c.ledger_index)
        .scalar_subquery()
    )
    bind.execute(_objections.update().values(review_due=due))


def downgrade() -> None:
    with op.batch_alter_table("registration_objections", schema=None) as batch_op:
        batch_op.drop_column("review_due")
    with op.batch_alter_table("registration_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_records_industry"))
        batch_op.drop_column("industry")
