"""Data circulation and trading (流通交易): parties, the prohibited list, objects, listings, negotiations
with their offers, contracts, settlement accounts in double entry (transfers, postings) and refusals.

Revision ID: 5c1e7a9b3d24
Revises: 34e522611806
Create Date: 2026-12-07 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "5c1e7a9b3d24"
down_revision: str | None = "34e522611806"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trading_objects",
        sa.Column("provider_party_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "data_product_service",
                "compute_resource",
                "data_tool",
                name="trading_object_category",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "subtype",
            sa.Enum(
                "dataset",
                "api",
                "indicator",
                "report",
                "model",
                "processing_service",
                "cloud_storage",
                "cloud_security",
                "visualization",
                "prediction",
                "ai_tool",
                name="trading_object_subtype",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "delivery_mode",
            sa.Enum(
                "api",
                "dataset",
                "report",
                "algorithm_model",
                "compute_deployment",
                "system_deployment",
                "other_service",
                name="trading_delivery_mode",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("public_data_product", sa.Boolean(), nullable=False),
        sa.Column("merchant_product", sa.Boolean(), nullable=False),
        sa.Column("certificate_code", sa.String(length=32), nullable=True),
        sa.Column("asset_registration_no", sa.String(length=64), nullable=True),
        sa.Column("compliance_report", sa.Text(), nullable=True),
        sa.Column("catalog_code", sa.String(length=20), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("declaration", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "submitted",
                "registered",
                "refused",
                name="trading_object_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("voucher_code", sa.String(length=32), nullable=True),
        sa.Column("guided_cap_fen", sa.BigInteger(), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("refusal_ground", sa.String(length=40), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_objects_provider_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_objects")),
        sa.UniqueConstraint("voucher_code", name=op.f("uq_trading_objects_voucher_code")),
    )
    with op.batch_alter_table("trading_objects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_trading_objects_provider_state", ["provider_party_id", "state"], unique=False
        )

    op.create_table(
        "trading_parties",
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "natural_person",
                "legal_person",
                "unincorporated",
                name="trading_party_kind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.Column("attestations", sa.JSON(), nullable=False),
        sa.Column("registered_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_trading_parties_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_parties")),
        sa.UniqueConstraint("party_id", name=op.f("uq_trading_parties_party_id")),
    )
    op.create_table(
        "trading_prohibited_entries",
        sa.Column("catalog_code", sa.String(length=20), nullable=True),
        sa.Column("keyword", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by_party_id", sa.Uuid(), nullable=False),
        sa.Column("added_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_prohibited_entries_added_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_prohibited_entries")),
    )
    with op.batch_alter_table("trading_prohibited_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trading_prohibited_entries_catalog_code"), ["catalog_code"], unique=False
        )

    op.create_table(
        "trading_refusals",
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("refused_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_trading_refusals_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_refusals")),
    )
    with op.batch_alter_table("trading_refusals", schema=None) as batch_op:
        batch_op.create_index("ix_trading_refusals_subject_at", ["subject", "refused_at"], unique=False)

    op.create_table(
        "trading_listings",
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("provider_party_id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column(
            "pricing_method",
            sa.Enum(
                "negotiated",
                "appraised",
                "pricing_tool",
                name="trading_pricing_method",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("purposes", sa.JSON(), nullable=False),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("listed", "withdrawn", name="trading_listing_state", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("listed_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["trading_objects.id"],
            name=op.f("fk_trading_listings_object_id_trading_objects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_listings_provider_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_listings")),
    )
    with op.batch_alter_table("trading_listings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trading_listings_provider_party_id"), ["provider_party_id"], unique=False
        )

    op.create_table(
        "trading_negotiations",
        sa.Column("listing_id", sa.Uuid(), nullable=False),
        sa.Column("provider_party_id", sa.Uuid(), nullable=False),
        sa.Column("consumer_party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "REQUESTED",
                "OFFERED",
                "ACCEPTED",
                "AGREED",
                "VERIFIED",
                "FINALIZED",
                "TERMINATED",
                name="trading_negotiation_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("price_fen", sa.BigInteger(), nullable=False),
        sa.Column(
            "pricing_method",
            sa.Enum(
                "negotiated",
                "appraised",
                "pricing_tool",
                name="trading_neg_pricing_method",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consumer_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_negotiations_consumer_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["listing_id"],
            ["trading_listings.id"],
            name=op.f("fk_trading_negotiations_listing_id_trading_listings"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_negotiations_provider_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_negotiations")),
    )
    with op.batch_alter_table("trading_negotiations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trading_negotiations_consumer_party_id"), ["consumer_party_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trading_negotiations_provider_party_id"), ["provider_party_id"], unique=False
        )

    op.create_table(
        "trading_contracts",
        sa.Column("negotiation_id", sa.Uuid(), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=False),
        sa.Column("provider_party_id", sa.Uuid(), nullable=False),
        sa.Column("consumer_party_id", sa.Uuid(), nullable=False),
        sa.Column("data_content", sa.Text(), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("quality", sa.Text(), nullable=False),
        sa.Column("method", sa.Text(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column(
            "pricing_method",
            sa.Enum(
                "negotiated",
                "appraised",
                "pricing_tool",
                name="trading_contract_pricing",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("security_duties", sa.Text(), nullable=False),
        sa.Column("confidentiality", sa.Text(), nullable=False),
        sa.Column("duration_days", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "signed",
                "delivered",
                "settled",
                "refunded",
                name="trading_contract_state",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("grant_id", sa.Uuid(), nullable=True),
        sa.Column("voucher_code", sa.String(length=32), nullable=True),
        sa.Column("voucher", sa.JSON(), nullable=True),
        sa.Column("subsidy_fen", sa.BigInteger(), nullable=False),
        sa.Column("agreed_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signed_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("settled_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consumer_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_contracts_consumer_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["grant_id"],
            ["access_grants.id"],
            name=op.f("fk_trading_contracts_grant_id_access_grants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["trading_negotiations.id"],
            name=op.f("fk_trading_contracts_negotiation_id_trading_negotiations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["object_id"],
            ["trading_objects.id"],
            name=op.f("fk_trading_contracts_object_id_trading_objects"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["provider_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_contracts_provider_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_contracts")),
        sa.UniqueConstraint("negotiation_id", name=op.f("uq_trading_contracts_negotiation_id")),
        sa.UniqueConstraint("voucher_code", name=op.f("uq_trading_contracts_voucher_code")),
    )
    with op.batch_alter_table("trading_contracts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trading_contracts_consumer_party_id"), ["consumer_party_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_trading_contracts_provider_party_id"), ["provider_party_id"], unique=False
        )

    op.create_table(
        "trading_offers",
        sa.Column("negotiation_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column(
            "state_after",
            sa.Enum(
                "REQUESTED",
                "OFFERED",
                "ACCEPTED",
                "AGREED",
                "VERIFIED",
                "FINALIZED",
                "TERMINATED",
                name="trading_offer_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("price_fen", sa.BigInteger(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["negotiation_id"],
            ["trading_negotiations.id"],
            name=op.f("fk_trading_offers_negotiation_id_trading_negotiations"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"], ["parties.id"], name=op.f("fk_trading_offers_party_id_parties"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_offers")),
        sa.UniqueConstraint("negotiation_id", "seq", name=op.f("uq_trading_offers_negotiation_id_seq")),
    )
    with op.batch_alter_table("trading_offers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trading_offers_negotiation_id"), ["negotiation_id"], unique=False
        )

    op.create_table(
        "trading_accounts",
        sa.Column(
            "kind",
            sa.Enum("party", "escrow", name="trading_account_kind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("party_id", sa.Uuid(), nullable=True),
        sa.Column("contract_id", sa.Uuid(), nullable=True),
        sa.Column("balance_fen", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["trading_contracts.id"],
            name=op.f("fk_trading_accounts_contract_id_trading_contracts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_trading_accounts_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_accounts")),
        sa.UniqueConstraint(
            "kind", "party_id", "contract_id", name=op.f("uq_trading_accounts_kind_party_id_contract_id")
        ),
    )
    op.create_table(
        "trading_transfers",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "escrow", "release", "refund", name="trading_transfer_kind", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["trading_contracts.id"],
            name=op.f("fk_trading_transfers_contract_id_trading_contracts"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_transfers")),
    )
    with op.batch_alter_table("trading_transfers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trading_transfers_contract_id"), ["contract_id"], unique=False)

    op.create_table(
        "trading_postings",
        sa.Column("transfer_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("amount_fen", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["trading_accounts.id"],
            name=op.f("fk_trading_postings_account_id_trading_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["transfer_id"],
            ["trading_transfers.id"],
            name=op.f("fk_trading_postings_transfer_id_trading_transfers"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_postings")),
    )
    with op.batch_alter_table("trading_postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trading_postings_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_trading_postings_transfer_id"), ["transfer_id"], unique=False)
    op.create_table(
        "trading_disputes",
        sa.Column("contract_id", sa.Uuid(), nullable=False),
        sa.Column("raised_by_party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "mode",
            sa.Enum(
                "negotiation",
                "mediation",
                "arbitration",
                "litigation",
                name="trading_dispute_mode",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.Column("raised_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["contract_id"],
            ["trading_contracts.id"],
            name=op.f("fk_trading_disputes_contract_id_trading_contracts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_party_id"],
            ["parties.id"],
            name=op.f("fk_trading_disputes_raised_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trading_disputes")),
    )
    with op.batch_alter_table("trading_disputes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trading_disputes_contract_id"), ["contract_id"], unique=False)


# Dropped children first; a table's indexes go with it.
TABLES_IN_DROP_ORDER = (
    "trading_disputes",
    "trading_postings",
    "trading_transfers",
    "trading_accounts",
    "trading_offers",
    "trading_contracts",
    "trading_negotiations",
    "trading_listings",
    "trading_refusals",
    "trading_prohibited_entries",
    "trading_parties",
    "trading_objects",
)


def downgrade() -> None:
    for table in TABLES_IN_DROP_ORDER:
        op.drop_table(table)
