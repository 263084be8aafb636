"""Registration (公共数据资源登记): applications, attachments, steps, overruns, objections, records.

Revision ID: bf6b0422996d
Revises: 5e2c7a9b41d3
Create Date: 2026-12-03 08:02:06.074043
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "bf6b0422996d"
down_revision: str | None = "3ec9cf1314e7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registration_applications",
        sa.Column(
            "application_type",
            sa.Enum(
                "initial",
                "change",
                "correction",
                "cancellation",
                name="application_type",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "subject_kind",
            sa.Enum("resource", "product", name="registration_subject_kind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "rule_profile",
            sa.Enum("national", "inner_mongolia", name="rule_profile", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "pending_supplement",
                "not_accepted",
                "under_review",
                "review_failed",
                "in_publicity",
                "objection_review",
                "issued",
                "terminated",
                "cancelled",
                name="application_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("applicant_party_id", sa.Uuid(), nullable=False),
        sa.Column(
            "applicant_role",
            sa.Enum(
                "subject",
                "interested_party",
                "authority",
                "system",
                name="registration_actor_role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("holder_party_id", sa.Uuid(), nullable=False),
        sa.Column("catalog_resource_id", sa.Uuid(), nullable=True),
        sa.Column("catalog_code", sa.String(length=20), nullable=True),
        sa.Column("product_name", sa.String(length=200), nullable=True),
        sa.Column("data_name", sa.String(length=200), nullable=False),
        sa.Column("content_summary", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("evidence_ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("initial_application_id", sa.Uuid(), nullable=True),
        sa.Column("internal_business_review_done", sa.Boolean(), nullable=False),
        sa.Column("interested_parties_consensus", sa.Boolean(), nullable=False),
        sa.Column("info", sa.JSON(), nullable=False),
        sa.Column("operating_term_end", sa.Date(), nullable=True),
        sa.Column(
            "cancellation_ground",
            sa.Enum(
                "lost",
                "rights_ended",
                "subject_ceased",
                "other_statutory",
                name="cancellation_ground",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("refusal_grounds", sa.JSON(), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=True),
        sa.Column("running_rule", sa.String(length=64), nullable=True),
        sa.Column("running_anchor", sa.Date(), nullable=True),
        sa.Column("running_due", sa.Date(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("review_completed_on", sa.Date(), nullable=True),
        sa.Column("publicity_start", sa.Date(), nullable=True),
        sa.Column("publicity_end", sa.Date(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["applicant_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_applications_applicant_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["catalog_resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_registration_applications_catalog_resource_id_catalog_resources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["evidence_ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_applications_evidence_ledger_index_ledger_entries"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["holder_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_applications_holder_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["initial_application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_applications_initial_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_applications")),
    )
    with op.batch_alter_table("registration_applications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registration_applications_applicant_state", ["applicant_party_id", "state"], unique=False
        )
        batch_op.create_index(
            "ix_registration_applications_content_holder", ["content_sha256", "holder_party_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_applications_initial_application_id"),
            ["initial_application_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_registration_applications_state_due", ["state", "running_due"], unique=False
        )

    op.create_table(
        "registration_attachments",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("material", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("uploaded_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("uploaded_by_party_id", sa.Uuid(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_attachments_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_attachments_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_attachments_uploaded_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_attachments")),
    )
    with op.batch_alter_table("registration_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_attachments_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "registration_objections",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("objector_party_id", sa.Uuid(), nullable=True),
        sa.Column("objector_user_id", sa.Uuid(), nullable=True),
        sa.Column("objector_real_name", sa.String(length=100), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=False),
        sa.Column("filed_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("upheld", "dismissed", name="objection_outcome", native_enum=False, length=32),
            nullable=True,
        ),
        sa.Column("handling_note", sa.Text(), nullable=True),
        sa.Column("handled_on", sa.Date(), nullable=True),
        sa.Column("handled_by_party_id", sa.Uuid(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("handled_ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_objections_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["handled_by_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_objections_handled_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["handled_ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_objections_handled_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_objections_ledger_index_ledger_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["objector_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_objections_objector_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["objector_user_id"],
            ["users.id"],
            name=op.f("fk_registration_objections_objector_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_objections")),
    )
    with op.batch_alter_table("registration_objections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_objections_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "registration_overruns",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "draft",
                "submitted",
                "pending_supplement",
                "not_accepted",
                "under_review",
                "review_failed",
                "in_publicity",
                "objection_review",
                "issued",
                "terminated",
                "cancelled",
                name="application_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("deadline_rule", sa.String(length=64), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("explained_on", sa.Date(), nullable=False),
        sa.Column("working_days_overdue", sa.Integer(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("by_party_id", sa.Uuid(), nullable=True),
        sa.Column("by_user_id", sa.Uuid(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_overruns_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["by_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_overruns_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["by_user_id"],
            ["users.id"],
            name=op.f("fk_registration_overruns_by_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_overruns_ledger_index_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_overruns")),
    )
    with op.batch_alter_table("registration_overruns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_overruns_application_id"), ["application_id"], unique=False
        )

    op.create_table(
        "registration_records",
        sa.Column("initial_application_id", sa.Uuid(), nullable=False),
        sa.Column("latest_application_id", sa.Uuid(), nullable=False),
        sa.Column(
            "subject_kind",
            sa.Enum("resource", "product", name="registration_subject_kind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column(
            "rule_profile",
            sa.Enum("national", "inner_mongolia", name="rule_profile", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("holder_party_id", sa.Uuid(), nullable=False),
        sa.Column("catalog_resource_id", sa.Uuid(), nullable=True),
        sa.Column("catalog_code", sa.String(length=20), nullable=True),
        sa.Column("product_name", sa.String(length=200), nullable=True),
        sa.Column("data_name", sa.String(length=200), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "valid",
                "renewal_window",
                "cancelled",
                "revoked",
                name="record_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("coded_on", sa.Date(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=False),
        sa.Column("operating_term_end", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["catalog_resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_registration_records_catalog_resource_id_catalog_resources"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["holder_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_records_holder_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["initial_application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_records_initial_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["latest_application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_records_latest_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_records_ledger_index_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_records")),
        sa.UniqueConstraint(
            "initial_application_id", name=op.f("uq_registration_records_initial_application_id")
        ),
    )
    with op.batch_alter_table("registration_records", schema=None) as batch_op:
        batch_op.create_index(
            "ix_registration_records_content_holder", ["content_sha256", "holder_party_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_registration_records_holder_party_id"), ["holder_party_id"], unique=False
        )

    op.create_table(
        "registration_steps",
        sa.Column("application_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "submit",
                "request_supplement",
                "resubmit",
                "accept",
                "refuse",
                "pass_review",
                "fail_review",
                "explain_delay",
                "close_publicity",
                "file_objection",
                "uphold_objection",
                "dismiss_objection",
                "complete_cancellation",
                name="application_action",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "actor_role",
            sa.Enum(
                "subject",
                "interested_party",
                "authority",
                "system",
                name="registration_actor_role",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("actor_party_id", sa.Uuid(), nullable=True),
        sa.Column("actor_user_id", sa.Uuid(), nullable=True),
        sa.Column(
            "from_state",
            sa.Enum(
                "draft",
                "submitted",
                "pending_supplement",
                "not_accepted",
                "under_review",
                "review_failed",
                "in_publicity",
                "objection_review",
                "issued",
                "terminated",
                "cancelled",
                name="application_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "to_state",
            sa.Enum(
                "draft",
                "submitted",
                "pending_supplement",
                "not_accepted",
                "under_review",
                "review_failed",
                "in_publicity",
                "objection_review",
                "issued",
                "terminated",
                "cancelled",
                name="application_state",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("notice", sa.JSON(), nullable=True),
        sa.Column("deadline_rule", sa.String(length=64), nullable=True),
        sa.Column("deadline_source", sa.String(length=100), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("ledger_index", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_party_id"],
            ["parties.id"],
            name=op.f("fk_registration_steps_actor_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["actor_user_id"],
            ["users.id"],
            name=op.f("fk_registration_steps_actor_user_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["registration_applications.id"],
            name=op.f("fk_registration_steps_application_id_registration_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ledger_index"],
            ["ledger_entries.leaf_index"],
            name=op.f("fk_registration_steps_ledger_index_ledger_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_steps")),
        sa.UniqueConstraint("application_id", "seq", name=op.f("uq_registration_steps_application_id_seq")),
    )


def downgrade() -> None:
    op.drop_table("registration_steps")
    with op.batch_alter_table("registration_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_records_holder_party_id"))
        batch_op.drop_index("ix_registration_records_content_holder")

    op.drop_table("registration_records")
    with op.batch_alter_table("registration_overruns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_overruns_application_id"))

    op.drop_table("registration_overruns")
    with op.batch_alter_table("registration_objections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_objections_application_id"))

    op.drop_table("registration_objections")
    with op.batch_alter_table("registration_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_attachments_application_id"))

    op.drop_table("registration_attachments")
    with op.batch_alter_table("registration_applications", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_applications_state_due")
        batch_op.drop_index(batch_op.f("ix_registration_applications_initial_application_id"))
        batch_op.drop_index("ix_registration_applications_content_holder")
        batch_op.drop_index("ix_registration_applications_applicant_state")

    op.drop_table("registration_applications")
