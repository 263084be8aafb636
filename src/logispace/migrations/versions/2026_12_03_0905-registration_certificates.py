"""Registration certificates (登记证书, 一证一码) and public notices (公告).

Revision ID: c5593497467a
Revises: bf6b0422996d
Create Date: 2026-12-03 09:05:48.295412
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "c5593497467a"
down_revision: str | None = "7c1d2e3f4a5b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registration_certificates",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("holder_party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "valid",
                "expired",
                "cancelled",
                "revoked",
                name="certificate_status",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("statement", sa.JSON(), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.Column("algorithm", sa.String(length=20), nullable=False),
        sa.Column("signer_party_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_ground", sa.String(length=64), nullable=True),
        sa.Column("end_ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["end_ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_certificates_end_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["holder_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_certificates_holder_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_certificates_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["registration_records.id"],
            name=op.f("fk_registration_certificates_record_id_registration_records"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["signer_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_certificates_signer_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_certificates")),
        sa.UniqueConstraint("code", name=op.f("uq_registration_certificates_code")),
        sa.UniqueConstraint("record_id", name=op.f("uq_registration_certificates_record_id")),
    )
    with op.batch_alter_table("registration_certificates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_certificates_holder_party_id"), ["holder_party_id"], unique=False
        )

    op.create_table(
        "registration_notices",
        sa.Column(
            "kind",
            sa.Enum("expiry", "revocation", name="registration_notice_kind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("certificate_code", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("holder_name", sa.String(length=200), nullable=False),
        sa.Column("data_name", sa.String(length=200), nullable=False),
        sa.Column("ground", sa.String(length=64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_on", sa.Date(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_notices_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["registration_records.id"],
            name=op.f("fk_registration_notices_record_id_registration_records"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_notices")),
    )
    with op.batch_alter_table("registration_notices", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_notices_certificate_code"), ["certificate_code"], unique=False
        )
        batch_op.create_index("ix_registration_notices_published", ["published_on"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("registration_notices", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_notices_published")
        batch_op.drop_index(batch_op.f("ix_registration_notices_certificate_code"))

    op.drop_table("registration_notices")
    with op.batch_alter_table("registration_certificates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_certificates_holder_party_id"))

    op.drop_table("registration_certificates")
