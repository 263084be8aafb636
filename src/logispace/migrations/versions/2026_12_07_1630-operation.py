"""Authorized operation (授权运营): plans and approvals, operator selection, agreements, staff, products and
prices, initial-registration duties, evaluations, platform copies, exclusion marks, the operation log.

Revision ID: 34e522611806
Revises: b7e3f1a9c2d4
Create Date: 2026-12-07 16:39:13.679832
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "34e522611806"
down_revision: str | None = "b7e3f1a9c2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "operation_exclusions",
        sa.Column("catalog_code", sa.String(length=20), nullable=False),
        sa.Column(
            "ground",
            sa.Enum(
                "national_security",
                "public_interest",
                "acquisition_agreement",
                "law",
                name="operation_exclusion_ground",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("marked_by", sa.Uuid(), nullable=True),
        sa.Column("marked_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["marked_by"],
            ["parties.id"],
            name=op.f("fk_operation_exclusions_marked_by_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_exclusions")),
        sa.UniqueConstraint("catalog_code", name=op.f("uq_operation_exclusions_catalog_code")),
    )
    op.create_table(
        "operation_plans",
        sa.Column("implementing_party_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "authorization_mode",
            sa.Enum(
                "whole",
                "by_domain",
                "by_scenario",
                name="operation_authorization_mode",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("data_scope", sa.JSON(), nullable=False),
        sa.Column("term_years", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "drafted",
                "internal_approved",
                "gov_approved",
                "filed",
                name="operation_plan_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["implementing_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_plans_implementing_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_plans")),
    )
    with op.batch_alter_table("operation_plans", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operation_plans_implementing_party_id"), ["implementing_party_id"], unique=False
        )

    op.create_table(
        "operation_logs",
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actor_party_id", sa.Uuid(), nullable=True),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column("result", sa.String(length=200), nullable=False),
        sa.Column("at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_logs_actor_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_operation_logs_actor_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_logs")),
    )
    with op.batch_alter_table("operation_logs", schema=None) as batch_op:
        batch_op.create_index("ix_operation_logs_subject_at", ["subject", "at"], unique=False)

    op.create_table(
        "operation_plan_approvals",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column(
            "stage",
            sa.Enum(
                "drafted",
                "internal_approved",
                "gov_approved",
                "filed",
                name="operation_plan_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("approving_body", sa.String(length=200), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=False),
        sa.Column("document", sa.String(length=200), nullable=False),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("recorded_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["operation_plans.id"],
            name=op.f("fk_operation_plan_approvals_plan_id_operation_plans"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_operation_plan_approvals_recorded_by_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_plan_approvals")),
        sa.UniqueConstraint("plan_id", "stage", name=op.f("uq_operation_plan_approvals_plan_id_stage")),
    )
    op.create_table(
        "operation_selections",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "tender",
                "invitation",
                "negotiation",
                name="operation_selection_method",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("notice", sa.Text(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("open", "selected", name="operation_selection_state", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("expert_group", sa.JSON(), nullable=True),
        sa.Column("expert_opinion", sa.Text(), nullable=True),
        sa.Column("expert_reviewed_on", sa.Date(), nullable=True),
        sa.Column("selected_party_id", sa.Uuid(), nullable=True),
        sa.Column("selected_on", sa.Date(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["operation_plans.id"],
            name=op.f("fk_operation_selections_plan_id_operation_plans"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["selected_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_selections_selected_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_selections")),
    )
    with op.batch_alter_table("operation_selections", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_operation_selections_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "operation_staff",
        sa.Column("operator_party_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("real_name_verified_on", sa.Date(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("vetted_on", sa.Date(), nullable=True),
        sa.Column("confidentiality_signed_on", sa.Date(), nullable=True),
        sa.Column("confidentiality_sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["operator_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_staff_operator_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_operation_staff_user_id_users"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_staff")),
        sa.UniqueConstraint("user_id", name=op.f("uq_operation_staff_user_id")),
    )
    with op.batch_alter_table("operation_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operation_staff_operator_party_id"), ["operator_party_id"], unique=False
        )

    op.create_table(
        "operation_agreements",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("selection_id", sa.Uuid(), nullable=False),
        sa.Column("implementing_party_id", sa.Uuid(), nullable=False),
        sa.Column("operator_party_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("security_duties", sa.Text(), nullable=False),
        sa.Column("exit_terms", sa.Text(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("operation_started_on", sa.Date(), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "signed",
                "active",
                "suspended",
                "terminated",
                name="operation_agreement_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("state_reason", sa.Text(), nullable=True),
        sa.Column("rectify_count", sa.Integer(), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["implementing_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_agreements_implementing_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["operator_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_agreements_operator_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["operation_plans.id"],
            name=op.f("fk_operation_agreements_plan_id_operation_plans"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["selection_id"],
            ["operation_selections.id"],
            name=op.f("fk_operation_agreements_selection_id_operation_selections"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_agreements")),
    )
    with op.batch_alter_table("operation_agreements", schema=None) as batch_op:
        batch_op.create_index(
            "ix_operation_agreements_operator_state", ["operator_party_id", "state"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_operation_agreements_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "operation_selection_candidates",
        sa.Column("selection_id", sa.Uuid(), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("checks", sa.JSON(), nullable=False),
        sa.Column("qualified", sa.Boolean(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_operation_selection_candidates_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["selection_id"],
            ["operation_selections.id"],
            name=op.f("fk_operation_selection_candidates_selection_id_operation_selections"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_selection_candidates")),
        sa.UniqueConstraint(
            "selection_id", "party_id", name=op.f("uq_operation_selection_candidates_selection_id_party_id")
        ),
    )
    op.create_table(
        "operation_evaluations",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("evaluator", sa.String(length=200), nullable=False),
        sa.Column(
            "result",
            sa.Enum(
                "pass", "fail", "rectify", name="operation_evaluation_result", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column(
            "recorded_result",
            sa.Enum(
                "pass", "fail", "rectify", name="operation_evaluation_result", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("excellent", sa.Boolean(), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("evaluated_on", sa.Date(), nullable=False),
        sa.Column("rectify_by", sa.Date(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["operation_agreements.id"],
            name=op.f("fk_operation_evaluations_agreement_id_operation_agreements"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_evaluations")),
    )
    with op.batch_alter_table("operation_evaluations", schema=None) as batch_op:
        batch_op.create_index("ix_operation_evaluations_agreement", ["agreement_id", "year"], unique=False)

    op.create_table(
        "operation_platform_copies",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("catalog_code", sa.String(length=20), nullable=False),
        sa.Column("path", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["operation_agreements.id"],
            name=op.f("fk_operation_platform_copies_agreement_id_operation_agreements"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_platform_copies")),
    )
    with op.batch_alter_table("operation_platform_copies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operation_platform_copies_agreement_id"), ["agreement_id"], unique=False
        )

    op.create_table(
        "operation_products",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column("operator_party_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "form",
            sa.Enum(
                "dataset",
                "api",
                "indicator",
                "report",
                "model",
                "service",
                name="operation_product_form",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "use_class",
            sa.Enum(
                "governance_welfare", "industry", name="operation_use_class", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("scenario", sa.Text(), nullable=False),
        sa.Column("resources", sa.JSON(), nullable=False),
        sa.Column("derived_from_id", sa.Uuid(), nullable=True),
        sa.Column(
            "state",
            sa.Enum("draft", "delivered", name="operation_product_state", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column(
            "billing_unit",
            sa.Enum(
                "product",
                "call",
                "period",
                "volume",
                name="operation_billing_unit",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "price_state",
            sa.Enum("free", "trial", "formal", name="operation_price_state", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("price_cap_fen", sa.BigInteger(), nullable=True),
        sa.Column("price_fen", sa.BigInteger(), nullable=True),
        sa.Column("trial_since", sa.Date(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["operation_agreements.id"],
            name=op.f("fk_operation_products_agreement_id_operation_agreements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["derived_from_id"],
            ["operation_products.id"],
            name=op.f("fk_operation_products_derived_from_id_operation_products"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["operator_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_products_operator_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_products")),
    )
    with op.batch_alter_table("operation_products", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_operation_products_agreement_id"), ["agreement_id"], unique=False
        )
        batch_op.create_index("ix_operation_products_operator", ["operator_party_id", "state"], unique=False)

    op.create_table(
        "operation_registration_duties",
        sa.Column("agreement_id", sa.Uuid(), nullable=False),
        sa.Column(
            "subject",
            sa.Enum("resource", "product", name="operation_duty_subject", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("catalog_code", sa.String(length=20), nullable=True),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("duty_party_id", sa.Uuid(), nullable=False),
        sa.Column("anchor_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("valid_until_cap", sa.Date(), nullable=False),
        sa.Column("review_required", sa.Boolean(), nullable=False),
        sa.Column("review_reason", sa.Text(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["operation_agreements.id"],
            name=op.f("fk_operation_registration_duties_agreement_id_operation_agreements"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["duty_party_id"],
            ["parties.id"],
            name=op.f("fk_operation_registration_duties_duty_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["operation_products.id"],
            name=op.f("fk_operation_registration_duties_product_id_operation_products"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_operation_registration_duties")),
    )
    with op.batch_alter_table("operation_registration_duties", schema=None) as batch_op:
        batch_op.create_index("ix_operation_duties_agreement", ["agreement_id", "subject"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("operation_registration_duties", schema=None) as batch_op:
        batch_op.drop_index("ix_operation_duties_agreement")

    op.drop_table("operation_registration_duties")
    with op.batch_alter_table("operation_products", schema=None) as batch_op:
        batch_op.drop_index("ix_operation_products_operator")
        batch_op.drop_index(batch_op.f("ix_operation_products_agreement_id"))

    op.drop_table("operation_products")
    with op.batch_alter_table("operation_platform_copies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operation_platform_copies_agreement_id"))

    op.drop_table("operation_platform_copies")
    with op.batch_alter_table("operation_evaluations", schema=None) as batch_op:
        batch_op.drop_index("ix_operation_evaluations_agreement")

    op.drop_table("operation_evaluations")
    op.drop_table("operation_selection_candidates")
    with op.batch_alter_table("operation_agreements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operation_agreements_plan_id"))
        batch_op.drop_index("ix_operation_agreements_operator_state")

    op.drop_table("operation_agreements")
    with op.batch_alter_table("operation_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operation_staff_operator_party_id"))

    op.drop_table("operation_staff")
    with op.batch_alter_table("operation_selections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operation_selections_plan_id"))

    op.drop_table("operation_selections")
    op.drop_table("operation_plan_approvals")
    with op.batch_alter_table("operation_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_operation_logs_subject_at")

    op.drop_table("operation_logs")
    with op.batch_alter_table("operation_plans", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_operation_plans_implementing_party_id"))

    op.drop_table("operation_plans")
    op.drop_table("operation_exclusions")
