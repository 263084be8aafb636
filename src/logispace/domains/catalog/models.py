"""Catalogue tables: grades, categories, resources, distributions, data items, list versions, entries."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Enum, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin
from logispace.domains.catalog.enums import (
    ListChange,
    OpenType,
    ResourceStatus,
    RightType,
    SharingType,
    UpdateFrequency,
)


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class Grade(Base):
    """Data grade (数据分级): a configurable level with the most open sharing and opening it allows.

    Seeded by the migration with the default taxonomy of policy-spec §6.2 (004:4275-4283).
    ``rank`` orders the levels: higher is more sensitive.
    """

    __tablename__ = "catalog_grades"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    definition: Mapped[str] = mapped_column(Text)
    sharing_ceiling: Mapped[SharingType] = mapped_column(_enum(SharingType, "sharing_type"))
    open_ceiling: Mapped[OpenType] = mapped_column(_enum(OpenType, "open_type"))
    ceiling_basis: Mapped[str] = mapped_column(Text)
    source_ref: Mapped[str] = mapped_column(String(100))


class Category(Base):
    """Data category (数据分类): a node of the category tree, seeded from 000:25 and 000:27."""

    __tablename__ = "catalog_categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(
        ForeignKey("catalog_categories.code", ondelete="RESTRICT"), index=True
    )
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)
    source_ref: Mapped[str] = mapped_column(String(100))


class DataResource(IdMixin, Base):
    """Data resource (数据资源): one described data set of the catalogue with its metadata."""

    __tablename__ = "catalog_resources"
    __table_args__ = (
        Index("ix_catalog_resources_holder_status", "holder_party_id", "status"),
        Index("ix_catalog_resources_status_category", "status", "category_code"),
    )

    catalog_code: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[ResourceStatus] = mapped_column(
        _enum(ResourceStatus, "resource_status"), default=ResourceStatus.DRAFT
    )
    holder_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    # natural attributes (自然属性)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    data_scale: Mapped[str | None] = mapped_column(String(200))
    record_count: Mapped[int | None] = mapped_column(BigInteger)
    update_frequency: Mapped[UpdateFrequency] = mapped_column(_enum(UpdateFrequency, "update_frequency"))
    # legal attributes (法律属性)
    right_type: Mapped[RightType] = mapped_column(_enum(RightType, "right_type"))
    right_term_start: Mapped[date | None] = mapped_column()
    right_term_end: Mapped[date | None] = mapped_column()
    # value attributes (价值属性)
    data_quality: Mapped[str | None] = mapped_column(Text)
    industry: Mapped[str] = mapped_column(String(100))
    application_scenarios: Mapped[list[str]] = mapped_column(JSON, default=list)
    # description for finding it
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    theme: Mapped[str | None] = mapped_column(String(100))
    spatial_coverage: Mapped[str | None] = mapped_column(String(200))
    temporal_start: Mapped[date | None] = mapped_column()
    temporal_end: Mapped[date | None] = mapped_column()
    contact_name: Mapped[str | None] = mapped_column(String(100))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # classification and grading (分类分级)
    category_code: Mapped[str] = mapped_column(ForeignKey("catalog_categories.code", ondelete="RESTRICT"))
    grade_code: Mapped[str] = mapped_column(ForeignKey("catalog_grades.code", ondelete="RESTRICT"))
    # sharing and opening (共享开放)
    sharing_type: Mapped[SharingType] = mapped_column(_enum(SharingType, "sharing_type"))
    sharing_conditions: Mapped[str | None] = mapped_column(Text)
    sharing_basis: Mapped[str | None] = mapped_column(Text)
    open_type: Mapped[OpenType] = mapped_column(_enum(OpenType, "open_type"))
    open_conditions: Mapped[str | None] = mapped_column(Text)
    open_basis: Mapped[str | None] = mapped_column(Text)
    # 一数一源: the data item this resource carries (its source, or a derived copy of it)
    data_item_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("catalog_data_items.id", ondelete="RESTRICT"), index=True
    )
    revision: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column()
    published_ledger_index: Mapped[int | None] = mapped_column(BigInteger)
    withdrawn_at: Mapped[datetime | None] = mapped_column()
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)


class Distribution(IdMixin, Base):
    """Distribution (数据分发): one uploaded version of a resource's data, stored as Parquet.

    ``object_sha256`` names the Parquet object in the object store; ``source_sha256`` the bytes
    as uploaded. ``schema_fields`` is the inferred schema, ``drift`` the change against the
    previous version (``None`` for version 1).
    """

    __tablename__ = "catalog_distributions"
    __table_args__ = (UniqueConstraint("resource_id", "version"),)

    resource_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="RESTRICT"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    object_sha256: Mapped[str] = mapped_column(String(64))
    object_size: Mapped[int] = mapped_column(BigInteger)
    source_sha256: Mapped[str] = mapped_column(String(64))
    source_size: Mapped[int] = mapped_column(BigInteger)
    source_format: Mapped[str] = mapped_column(String(16))
    encoding: Mapped[str | None] = mapped_column(String(32))
    schema_fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    widened: Mapped[list[str]] = mapped_column(JSON, default=list)
    row_count: Mapped[int] = mapped_column(BigInteger)
    drift: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_party_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT")
    )
    uploaded_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)


class DataItem(IdMixin, Base):
    """Data item (数据项): a kind of data with exactly one authoritative source party (一数一源).

    Resources carrying the item point to it (``DataResource.data_item_id``); those held by the
    source party are its source, any other is a derived copy.
    """

    __tablename__ = "catalog_data_items"

    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    category_code: Mapped[str] = mapped_column(ForeignKey("catalog_categories.code", ondelete="RESTRICT"))
    source_party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)


class ListVersion(IdMixin, Base):
    """Sharing/open list version (共享开放清单版本): one published, numbered view of the catalogue."""

    __tablename__ = "catalog_list_versions"

    version: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_party_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT")
    )
    entry_count: Mapped[int] = mapped_column(Integer, default=0)
    added: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)


class ListEntry(IdMixin, Base):
    """List entry (清单条目): a resource as listed in one version, or its removal from it."""

    __tablename__ = "catalog_list_entries"
    __table_args__ = (UniqueConstraint("list_version_id", "catalog_code"),)

    list_version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("catalog_list_versions.id", ondelete="RESTRICT"), index=True
    )
    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resources.id", ondelete="RESTRICT"))
    catalog_code: Mapped[str] = mapped_column(String(20))
    change: Mapped[ListChange] = mapped_column(_enum(ListChange, "list_change"))
    name: Mapped[str] = mapped_column(String(200))
    holder_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    category_code: Mapped[str] = mapped_column(String(32))
    grade_code: Mapped[str] = mapped_column(String(32))
    sharing_type: Mapped[SharingType] = mapped_column(_enum(SharingType, "sharing_type"))
    sharing_conditions: Mapped[str | None] = mapped_column(Text)
    sharing_basis: Mapped[str | None] = mapped_column(Text)
    open_type: Mapped[OpenType] = mapped_column(_enum(OpenType, "open_type"))
    open_conditions: Mapped[str | None] = mapped_column(Text)
    open_basis: Mapped[str | None] = mapped_column(Text)
    update_frequency: Mapped[UpdateFrequency] = mapped_column(_enum(UpdateFrequency, "update_frequency"))
    fingerprint: Mapped[str] = mapped_column(String(64))


class GradeReview(IdMixin, Base):
    """Grading review (分级审核): the data authority approves a resource's grade or changes it, with its
    reason; the holder reads the decision. Each decision is a ledger entry of the same transaction."""

    __tablename__ = "catalog_grade_reviews"
    __table_args__ = (Index("ix_catalog_grade_reviews_resource", "resource_id", "decided_at"),)

    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resources.id", ondelete="RESTRICT"))
    previous_grade: Mapped[str] = mapped_column(ForeignKey("catalog_grades.code", ondelete="RESTRICT"))
    grade: Mapped[str] = mapped_column(ForeignKey("catalog_grades.code", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(Text)
    decided_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def changed(self) -> bool:
        """Whether the grade was changed (调整), rather than approved as it was (确认)."""
        return self.grade != self.previous_grade
