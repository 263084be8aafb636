"""Catalogue (数据资源目录): grades, categories, resources, data items, list versions; seeded.

Revision ID: 498b52199283
Revises: 68cafb480059
Create Date: 2026-11-22 19:59:56.163876
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import logispace.core.db

revision: str = "498b52199283"
down_revision: str | None = "68cafb480059"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_categories",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("parent_code", sa.String(length=32), nullable=True),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_code"],
            ["catalog_categories.code"],
            name=op.f("fk_catalog_categories_parent_code_catalog_categories"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_catalog_categories")),
    )
    with op.batch_alter_table("catalog_categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_categories_parent_code"), ["parent_code"], unique=False)

    op.create_table(
        "catalog_grades",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column(
            "sharing_ceiling",
            sa.Enum(
                "unconditional",
                "conditional",
                "not_shared",
                name="sharing_type",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "open_ceiling",
            sa.Enum(
                "unconditional", "conditional", "not_opened", name="open_type", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("ceiling_basis", sa.Text(), nullable=False),
        sa.Column("source_ref", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_catalog_grades")),
        sa.UniqueConstraint("rank", name=op.f("uq_catalog_grades_rank")),
    )
    op.create_table(
        "catalog_data_items",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("source_party_id", sa.Uuid(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("declared_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["catalog_categories.code"],
            name=op.f("fk_catalog_data_items_category_code_catalog_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["source_party_id"],
            ["parties.id"],
            name=op.f("fk_catalog_data_items_source_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_data_items")),
        sa.UniqueConstraint("code", name=op.f("uq_catalog_data_items_code")),
    )
    with op.batch_alter_table("catalog_data_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_data_items_source_party_id"), ["source_party_id"], unique=False
        )

    op.create_table(
        "catalog_list_versions",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("published_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_party_id", sa.Uuid(), nullable=True),
        sa.Column("entry_count", sa.Integer(), nullable=False),
        sa.Column("added", sa.Integer(), nullable=False),
        sa.Column("changed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["published_by_party_id"],
            ["parties.id"],
            name=op.f("fk_catalog_list_versions_published_by_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_list_versions")),
        sa.UniqueConstraint("version", name=op.f("uq_catalog_list_versions_version")),
    )
    op.create_table(
        "catalog_resources",
        sa.Column("catalog_code", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            sa.Enum("draft", "published", "withdrawn", name="resource_status", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("holder_party_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("data_scale", sa.String(length=200), nullable=True),
        sa.Column("record_count", sa.BigInteger(), nullable=True),
        sa.Column(
            "update_frequency",
            sa.Enum(
                "realtime",
                "hourly",
                "daily",
                "weekly",
                "monthly",
                "quarterly",
                "yearly",
                "irregular",
                "static",
                name="update_frequency",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column(
            "right_type",
            sa.Enum(
                "resource_holding",
                "processing_use",
                "product_operation",
                name="right_type",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("right_term_start", sa.Date(), nullable=True),
        sa.Column("right_term_end", sa.Date(), nullable=True),
        sa.Column("data_quality", sa.Text(), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=False),
        sa.Column("application_scenarios", sa.JSON(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("theme", sa.String(length=100), nullable=True),
        sa.Column("spatial_coverage", sa.String(length=200), nullable=True),
        sa.Column("temporal_start", sa.Date(), nullable=True),
        sa.Column("temporal_end", sa.Date(), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_phone", sa.String(length=40), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("grade_code", sa.String(length=32), nullable=False),
        sa.Column(
            "sharing_type",
            sa.Enum(
                "unconditional",
                "conditional",
                "not_shared",
                name="sharing_type",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sharing_conditions", sa.Text(), nullable=True),
        sa.Column("sharing_basis", sa.Text(), nullable=True),
        sa.Column(
            "open_type",
            sa.Enum(
                "unconditional", "conditional", "not_opened", name="open_type", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("open_conditions", sa.Text(), nullable=True),
        sa.Column("open_basis", sa.Text(), nullable=True),
        sa.Column("data_item_id", sa.Uuid(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("published_ledger_index", sa.BigInteger(), nullable=True),
        sa.Column("withdrawn_at", logispace.core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"],
            ["catalog_categories.code"],
            name=op.f("fk_catalog_resources_category_code_catalog_categories"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["data_item_id"],
            ["catalog_data_items.id"],
            name=op.f("fk_catalog_resources_data_item_id_catalog_data_items"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["grade_code"],
            ["catalog_grades.code"],
            name=op.f("fk_catalog_resources_grade_code_catalog_grades"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["holder_party_id"],
            ["parties.id"],
            name=op.f("fk_catalog_resources_holder_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_resources")),
        sa.UniqueConstraint("catalog_code", name=op.f("uq_catalog_resources_catalog_code")),
    )
    with op.batch_alter_table("catalog_resources", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_catalog_resources_data_item_id"), ["data_item_id"], unique=False)
        batch_op.create_index(
            "ix_catalog_resources_holder_status", ["holder_party_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_catalog_resources_status_category", ["status", "category_code"], unique=False
        )

    op.create_table(
        "catalog_list_entries",
        sa.Column("list_version_id", sa.Uuid(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("catalog_code", sa.String(length=20), nullable=False),
        sa.Column(
            "change",
            sa.Enum(
                "added", "changed", "unchanged", "removed", name="list_change", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("holder_party_id", sa.Uuid(), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("grade_code", sa.String(length=32), nullable=False),
        sa.Column(
            "sharing_type",
            sa.Enum(
                "unconditional",
                "conditional",
                "not_shared",
                name="sharing_type",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sharing_conditions", sa.Text(), nullable=True),
        sa.Column("sharing_basis", sa.Text(), nullable=True),
        sa.Column(
            "open_type",
            sa.Enum(
                "unconditional", "conditional", "not_opened", name="open_type", native_enum=False, length=32
            ),
            nullable=False,
        ),
        sa.Column("open_conditions", sa.Text(), nullable=True),
        sa.Column("open_basis", sa.Text(), nullable=True),
        sa.Column(
            "update_frequency",
            sa.Enum(
                "realtime",
                "hourly",
                "daily",
                "weekly",
                "monthly",
                "quarterly",
                "yearly",
                "irregular",
                "static",
                name="update_frequency",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_party_id"],
            ["parties.id"],
            name=op.f("fk_catalog_list_entries_holder_party_id_parties"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["list_version_id"],
            ["catalog_list_versions.id"],
            name=op.f("fk_catalog_list_entries_list_version_id_catalog_list_versions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_catalog_list_entries_resource_id_catalog_resources"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_list_entries")),
        sa.UniqueConstraint(
            "list_version_id",
            "catalog_code",
            name=op.f("uq_catalog_list_entries_list_version_id_catalog_code"),
        ),
    )
    with op.batch_alter_table("catalog_list_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_list_entries_list_version_id"), ["list_version_id"], unique=False
        )
    _seed()
    _create_no_delete_triggers()


def downgrade() -> None:
    _drop_no_delete_triggers()
    with op.batch_alter_table("catalog_list_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_list_entries_list_version_id"))

    op.drop_table("catalog_list_entries")
    with op.batch_alter_table("catalog_resources", schema=None) as batch_op:
        batch_op.drop_index("ix_catalog_resources_status_category")
        batch_op.drop_index("ix_catalog_resources_holder_status")
        batch_op.drop_index(batch_op.f("ix_catalog_resources_data_item_id"))

    op.drop_table("catalog_resources")
    op.drop_table("catalog_list_versions")
    with op.batch_alter_table("catalog_data_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_data_items_source_party_id"))

    op.drop_table("catalog_data_items")
    op.drop_table("catalog_grades")
    with op.batch_alter_table("catalog_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_categories_parent_code"))

    # SQLite checks the self-reference row by row when it drops the table: children go first.
    op.execute("DELETE FROM catalog_categories WHERE parent_code IS NOT NULL")
    op.drop_table("catalog_categories")


# -- seed: grading levels (policy-spec §6.2, DESIGN Q-10) and the category tree (Q-11) ------------
# Literal rows, frozen with this revision; a deployment changes them by a migration of its own.

GRADES = [
    {
        "code": "core",
        "rank": 4,
        "name_zh": "核心数据",
        "name_en": "Core data",
        "definition": "对领域、群体、区域具有较高覆盖度或者达到较高精度、较大规模、一定深度的重要数据，"
        "一旦被非法使用"
        "或者共享，可能直接影响政治安全、国家安全重点领域、国民经济命脉、重要民生、重大公共利益。",
        "sharing_ceiling": "not_shared",
        "open_ceiling": "not_opened",
        "ceiling_basis": "核心数据不得共享或开放; core data is never shared or opened",
        "source_ref": "004:4277; 004:4327",
    },
    {
        "code": "important",
        "rank": 3,
        "name_zh": "重要数据",
        "name_en": "Important data",
        "definition": "特定领域、特定群体、特定区域或者达到一定精度和规模的数据，"
        "一旦被泄露或者篡改、损毁，可能直接危害"
        "国家安全、经济运行、社会稳定、公共健康和安全。",
        "sharing_ceiling": "conditional",
        "open_ceiling": "conditional",
        "ceiling_basis": "重要数据按“原始数据不出域、数据可用不可见、数据可控可计量”有条件流通; "
        "important data flows "
        "only under conditions (raw data stays in its domain, usable but not visible)",
        "source_ref": "004:717; 004:4331",
    },
    {
        "code": "general_sensitive",
        "rank": 2,
        "name_zh": "一般数据（敏感数据）",
        "name_en": "General data: sensitive",
        "definition": "一旦被泄露或者篡改、损毁，对经济运行、社会稳定、公共利益有一定影响，"
        "或者对组织自身或者公民个体"
        "造成重要影响的数据。",
        "sharing_ceiling": "conditional",
        "open_ceiling": "conditional",
        "ceiling_basis": "敏感级及以上数据对外提供须取得数据主体同意，"
        "不得公开（法律另有规定或取得授权同意的除外）; "
        "sensitive data is provided and opened only with consent or a legal basis",
        "source_ref": "004:4327; 004:4331",
    },
    {
        "code": "general_other",
        "rank": 1,
        "name_zh": "其他一般数据",
        "name_en": "General data: other",
        "definition": "核心数据、重要数据、敏感数据以外的其他一般数据。",
        "sharing_ceiling": "unconditional",
        "open_ceiling": "unconditional",
        "ceiling_basis": "其他一般数据可无条件共享和开放; "
        "other general data may be shared and opened without conditions",
        "source_ref": "004:4283; 004:717",
    },
]

# (code, parent, 中文, English, source line)
CATEGORIES = [
    ("ENT", None, "企业资质", "Enterprise qualifications", "000:25; 000:29"),
    ("ENT.ROAD", "ENT", "道路运输经营许可", "Road transport operating licences", "000:25; 002:10"),
    ("ENT.WATER", "ENT", "水路运输经营许可", "Waterway transport licences", "000:25"),
    ("ENT.FWD", "ENT", "货运代理与报关企业", "Freight forwarders and customs brokers", "000:25; 000:29"),
    ("ENT.POST", "ENT", "快递业务经营许可", "Express delivery licences", "000:25"),
    ("ENT.CREDIT", "ENT", "企业信用", "Enterprise credit", "000:29"),
    ("PRAC", None, "从业人员", "Practitioners", "000:25; 000:27"),
    (
        "PRAC.DRIVER",
        "PRAC",
        "道路运输从业资格",
        "Road transport practitioner qualifications",
        "000:25; 002:10",
    ),
    ("PRAC.CREW", "PRAC", "船员", "Seafarers", "000:25"),
    ("PRAC.DG", "PRAC", "危险货物运输从业人员", "Dangerous goods personnel", "000:25; 000:34"),
    ("VEH", None, "车船注册", "Vehicle and vessel registration", "000:25"),
    ("VEH.VEHICLE", "VEH", "营运车辆", "Commercial vehicles", "000:25; 002:10"),
    ("VEH.VESSEL", "VEH", "船舶", "Vessels", "000:25"),
    ("VEH.CONTAINER", "VEH", "集装箱与载运单元", "Containers and load units", "000:36"),
    ("CUS", None, "通关物流", "Customs logistics", "000:25; 000:29"),
    ("CUS.DECL", "CUS", "报关单与舱单", "Declarations and manifests", "000:25"),
    ("CUS.PORT", "CUS", "港口与海关协同", "Port and customs coordination", "000:29"),
    ("CUS.RELEASE", "CUS", "查验与放行", "Inspection and release", "000:25"),
    ("INFRA", None, "基础设施", "Infrastructure", "000:25"),
    ("INFRA.HUB", "INFRA", "物流枢纽与货运场站", "Logistics hubs and freight yards", "000:25; 000:32"),
    ("INFRA.PORT", "INFRA", "港口码头与航道", "Ports, berths and channels", "000:25"),
    ("INFRA.RAIL", "INFRA", "铁路货运站与专用线", "Rail freight stations and sidings", "000:25"),
    ("INFRA.WAREHOUSE", "INFRA", "仓储设施", "Warehouses", "000:25; 000:34"),
    ("CAP", None, "运力", "Transport capacity", "000:25"),
    ("CAP.ROAD", "CAP", "公路运力", "Road capacity", "000:25"),
    ("CAP.RAIL", "CAP", "铁路运力", "Rail capacity", "000:25"),
    ("CAP.WATER", "CAP", "水路运力", "Waterway and shipping capacity", "000:25"),
    ("CAP.AIR", "CAP", "航空货运运力", "Air cargo capacity", "000:25"),
    ("PRICE", None, "价格", "Prices", "000:25; 000:27"),
    ("PRICE.FREIGHT", "PRICE", "运价", "Freight rates", "000:25"),
    ("PRICE.FEE", "PRICE", "港口与场站收费", "Port and terminal charges", "000:25"),
    ("PRICE.INDEX", "PRICE", "物流价格指数", "Logistics price indices", "000:25; 000:34"),
    ("ROAD", None, "路网", "Road network", "000:27"),
    ("ROAD.STATUS", "ROAD", "路况与通行", "Traffic and road status", "000:27"),
    ("ROAD.TOLL", "ROAD", "收费公路与通行费", "Toll roads and tolls", "000:27"),
    ("TRACK", None, "轨迹", "Trajectories", "000:27"),
    ("TRACK.VEHICLE", "TRACK", "车辆轨迹", "Vehicle trajectories", "000:27"),
    ("TRACK.VESSEL", "TRACK", "船舶轨迹", "Vessel trajectories", "000:27"),
    ("TRACK.CARGO", "TRACK", "货物追踪", "Cargo tracking", "000:27; 000:34"),
    ("MULTI", None, "多式联运单证", "Multimodal transport documents", "000:36"),
]


def _seed() -> None:
    grades = sa.table(
        "catalog_grades",
        *(sa.column(name) for name in GRADES[0]),
    )
    op.bulk_insert(grades, GRADES)
    categories = sa.table(
        "catalog_categories",
        sa.column("code"),
        sa.column("parent_code"),
        sa.column("name_zh"),
        sa.column("name_en"),
        sa.column("position"),
        sa.column("source_ref"),
    )
    op.bulk_insert(
        categories,
        [
            {"code": c, "parent_code": p, "name_zh": zh, "name_en": en, "position": i, "source_ref": ref}
            for i, (c, p, zh, en, ref) in enumerate(CATEGORIES)
        ],
    )


# Retention: resources, data items and list versions are never deleted (withdrawn, not removed).
NO_DELETE = ("catalog_resources", "catalog_data_items", "catalog_list_versions", "catalog_list_entries")


def _create_no_delete_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION catalog_refuse_delete() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'catalogue table % keeps its records: % refused', TG_TABLE_NAME, TG_OP
                    USING ERRCODE = 'integrity_constraint_violation';
            END $$
            """
        )
        for table in NO_DELETE:
            op.execute(
                f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION catalog_refuse_delete()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION catalog_refuse_delete()"
            )
        return
    for table in NO_DELETE:
        op.execute(
            f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'catalogue table {table} keeps its records: DELETE refused'); END"
        )


def _drop_no_delete_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in NO_DELETE:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION IF EXISTS catalog_refuse_delete()")
        return
    for table in NO_DELETE:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
