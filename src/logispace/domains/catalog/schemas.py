"""Request and response bodies of the catalogue API. Unknown fields are refused (422)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal, Self

from fastapi import Path
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from logispace.core.bodies import EMAIL, INTEGRAL, NOT_BLANK, PHONE, JsonDate, not_null_in_schema
from logispace.domains.catalog.enums import (
    ListChange,
    OpenType,
    ResourceStatus,
    RightType,
    SharingType,
    UpdateFrequency,
)

CatalogCode = Annotated[str, Path(max_length=20, pattern=r"^[A-Za-z0-9]+$", description="统一目录标识")]
"""A catalogue code (统一目录标识) as a path parameter, for the resource routes and the sub-packages'."""

# PostgreSQL cannot store NUL characters in text: refuse them as invalid input (422).
NO_NUL = r"^[^\x00]*$"
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)
]
ShortText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NOT_BLANK)
]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000, pattern=NO_NUL)]
Code = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$"),
]
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=254, pattern=EMAIL),
]
# Spaces around are trimmed before the check, so the pattern admits them: a phone ends in a digit or dash.
Phone = Annotated[str, StringConstraints(strip_whitespace=True, pattern=PHONE)]
FieldName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"),
    Field(description="column name: a letter or underscore, then letters, digits, underscores (max 64)"),
]
ItemCode = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(pattern=r"^[a-z][a-z0-9_.-]{1,63}$"),
    Field(
        # The before-validator hides the pattern from the JSON schema; state it (upper case is lowered).
        json_schema_extra={"pattern": r"^[A-Za-z][A-Za-z0-9_.-]{1,63}$"},
        description="stable code of a data item, e.g. vehicle_registration",
        examples=["vehicle_registration"],
    ),
]
RecordCount = Annotated[int, Field(ge=0, le=10**15, strict=True), INTEGRAL]
FieldType = Literal["string", "integer", "decimal", "boolean", "date", "datetime", "geometry", "binary"]
TextList = Annotated[list[ShortText], Field(max_length=50)]


class Input(BaseModel):
    """Base of request bodies: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class FieldSpec(Input):
    """One field of a resource's structure (数据结构): name, Chinese title, type and grade."""

    name: FieldName
    title: ShortText = Field(description="Chinese name of the field, e.g. 车牌号码")
    type: FieldType
    grade: Code | None = Field(default=None, description="field-level grade; left out: the resource's")
    description: LongText | None = None


class ResourceFields(Input):
    """The metadata shared by create and update (policy-spec §1.3, 004:5360)."""

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        fields: list[FieldSpec] | None = getattr(self, "fields", None)
        if fields:
            names = [f.name.lower() for f in fields]
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                raise ValueError(f"field names must be unique; repeated: {', '.join(duplicates)}")
        for start, end in (("right_term_start", "right_term_end"), ("temporal_start", "temporal_end")):
            a, b = getattr(self, start, None), getattr(self, end, None)
            if a is not None and b is not None and b < a:
                raise ValueError(f"{end} is before {start}")
        return self


class ResourceCreate(ResourceFields):
    """A new data resource (新建数据资源), held by the caller's party, created as a draft."""

    name: Name
    description: LongText = ""
    category: Code = Field(description="category code from GET /api/v1/catalog/categories")
    grade: Code = Field(description="grade code from GET /api/v1/catalog/grades")
    fields: list[FieldSpec] = Field(default_factory=list, max_length=500)
    data_scale: ShortText | None = Field(default=None, description="数据规模, e.g. 约 1200 万条 / 35 GB")
    record_count: RecordCount | None = None
    update_frequency: UpdateFrequency
    right_type: RightType = RightType.RESOURCE_HOLDING
    right_term_start: JsonDate | None = None
    right_term_end: JsonDate | None = None
    data_quality: LongText | None = None
    industry: ShortText = "交通运输"
    application_scenarios: TextList = Field(default_factory=list)
    keywords: TextList = Field(default_factory=list)
    theme: ShortText | None = None
    spatial_coverage: Name | None = None
    temporal_start: JsonDate | None = None
    temporal_end: JsonDate | None = None
    contact_name: ShortText | None = None
    contact_phone: Phone | None = None
    contact_email: Email | None = None
    sharing_type: SharingType
    sharing_conditions: LongText | None = None
    sharing_basis: LongText | None = None
    open_type: OpenType
    open_conditions: LongText | None = None
    open_basis: LongText | None = None
    data_item: ItemCode | None = Field(
        default=None, description="code of the data item this resource carries (一数一源), if declared"
    )


class ResourceUpdate(ResourceFields):
    """Changes to a resource; the catalogue code, holder and status never change here."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=not_null_in_schema)

    NOT_NULL: ClassVar[tuple[str, ...]] = (
        "name",
        "description",
        "category",
        "grade",
        "fields",
        "update_frequency",
        "right_type",
        "industry",
        "application_scenarios",
        "keywords",
        "sharing_type",
        "open_type",
    )

    name: Name | None = None
    description: LongText | None = None
    category: Code | None = None
    grade: Code | None = None
    fields: list[FieldSpec] | None = Field(default=None, max_length=500)
    data_scale: ShortText | None = None
    record_count: RecordCount | None = None
    update_frequency: UpdateFrequency | None = None
    right_type: RightType | None = None
    right_term_start: JsonDate | None = None
    right_term_end: JsonDate | None = None
    data_quality: LongText | None = None
    industry: ShortText | None = None
    application_scenarios: TextList | None = None
    keywords: TextList | None = None
    theme: ShortText | None = None
    spatial_coverage: Name | None = None
    temporal_start: JsonDate | None = None
    temporal_end: JsonDate | None = None
    contact_name: ShortText | None = None
    contact_phone: Phone | None = None
    contact_email: Email | None = None
    sharing_type: SharingType | None = None
    sharing_conditions: LongText | None = None
    sharing_basis: LongText | None = None
    open_type: OpenType | None = None
    open_conditions: LongText | None = None
    open_basis: LongText | None = None
    data_item: ItemCode | None = None

    @model_validator(mode="after")
    def _required_fields_not_null(self) -> Self:
        nulls = [n for n in self.NOT_NULL if n in self.model_fields_set and getattr(self, n) is None]
        if nulls:
            raise ValueError(f"{', '.join(nulls)} may be left out but not set to null")
        return self


class Withdrawal(Input):
    """Why a published resource is withdrawn (撤回); it stays on record."""

    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=NOT_BLANK)
    ]


# No NUL or path separator, and at least one character that is not white space as str.strip() reads it
# (the name is stripped before it is checked): the schema says what the model accepts.
_SPACE = r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
FILE_NAME = rf"^[^\x00/\\]*[^\x00/\\{_SPACE}][^\x00/\\]*$"


class UploadStart(Input):
    """A resumable upload to start (开始断点续传): the file's name (its suffix names the format) and size."""

    filename: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255, pattern=FILE_NAME)
    ]
    size: int = Field(ge=1, le=10**13, description="the file's size in bytes")


class UploadRead(BaseModel):
    """A resumable upload and the offset it has reached (the next chunk starts there)."""

    id: str
    catalog_code: str
    filename: str
    size: int
    offset: int
    url: str


class PartyRef(BaseModel):
    id: uuid.UUID
    name: str


class CodeName(BaseModel):
    code: str
    name_zh: str
    name_en: str


class DataItemRef(BaseModel):
    """The data item a resource carries, and whether this resource is its source or a derived copy."""

    code: str
    name: str
    source_party: PartyRef
    is_source: bool
    derived_from: list[str] = Field(description="catalogue codes of the source's published resources")


class ResourceRead(BaseModel):
    """A data resource with its metadata (数据资源元数据)."""

    catalog_code: str
    status: ResourceStatus
    holder: PartyRef
    name: str
    description: str
    category: CodeName
    grade: CodeName
    fields: list[FieldSpec]
    data_scale: str | None
    record_count: int | None
    update_frequency: UpdateFrequency
    right_type: RightType
    right_term_start: date | None
    right_term_end: date | None
    data_quality: str | None
    industry: str
    application_scenarios: list[str]
    keywords: list[str]
    theme: str | None
    spatial_coverage: str | None
    temporal_start: date | None
    temporal_end: date | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    sharing_type: SharingType
    sharing_conditions: str | None
    sharing_basis: str | None
    open_type: OpenType
    open_conditions: str | None
    open_basis: str | None
    data_item: DataItemRef | None
    revision: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    published_ledger_index: int | None
    withdrawn_at: datetime | None
    withdrawal_reason: str | None
    latest_version: int | None = Field(description="newest distribution version, none before an upload")
    data_updated_at: datetime | None = Field(description="when the newest distribution was uploaded")
    stale: bool = Field(description="past its declared update frequency (过期)")
    stale_since: datetime | None = Field(description="when it turns or turned stale")


FRESHNESS_FIELDS = {"latest_version", "data_updated_at", "stale", "stale_since"}
"""Fields that change with time or uploads, left out of the metadata fingerprint."""


class FieldRead(BaseModel):
    """A stored column: name, Arrow type and logical type (字段)."""

    name: str
    arrow_type: str
    logical_type: str


class RetypedRead(BaseModel):
    name: str
    old_type: str
    new_type: str


class DriftRead(BaseModel):
    """Schema drift (结构变化) against the previous version."""

    added: list[FieldRead]
    removed: list[FieldRead]
    retyped: list[RetypedRead]
    changed: bool


class DistributionRead(BaseModel):
    """A distribution (数据分发): one uploaded version of a resource's data, stored as Parquet."""

    catalog_code: str
    version: int
    object_sha256: str
    object_size: int
    source_sha256: str
    source_size: int
    source_format: str
    encoding: str | None
    fields: list[FieldRead]
    widened: list[str]
    row_count: int
    drift: DriftRead | None
    uploaded_at: datetime
    uploaded_by: PartyRef | None
    ledger_index: int | None


class PreviewRead(BaseModel):
    """The first rows of the newest distribution (数据预览)."""

    catalog_code: str
    version: int
    fields: list[FieldRead]
    row_count: int
    rows: list[dict[str, Any]]


class GradeRead(BaseModel):
    """A grade (数据分级) and the most open sharing and opening it allows."""

    code: str
    rank: int
    name_zh: str
    name_en: str
    definition: str
    sharing_ceiling: SharingType
    open_ceiling: OpenType
    ceiling_basis: str
    source_ref: str


class CategoryRead(BaseModel):
    """A node of the category tree (数据分类)."""

    code: str
    parent_code: str | None
    depth: int
    name_zh: str
    name_en: str
    source_ref: str


class DataItemCreate(Input):
    """Declare the caller's party the authoritative source (一数一源) of a data item."""

    code: ItemCode
    name: Name
    category: Code
    resource_code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = Field(
        default=None, description="the caller's own resource that is the source"
    )
    note: LongText | None = None


class DataItemRead(BaseModel):
    """A data item and its single authoritative source."""

    code: str
    name: str
    category: CodeName
    source_party: PartyRef
    source_resources: list[str] = Field(description="catalogue codes of the source party's resources")
    note: str | None
    declared_at: datetime
    ledger_index: int | None


class ListVersionCreate(Input):
    """Publish a new version of the logistics public data sharing/open list. Without a title, the list
    is named after its publisher (示范省数据局物流公共数据共享开放清单): a province's list is not the
    national one."""

    title: Name | None = None
    note: LongText | None = None


class ListVersionRead(BaseModel):
    """A published list version (清单版本) with its change counts."""

    version: int
    title: str
    note: str | None
    published_at: datetime
    published_by: PartyRef | None
    entry_count: int
    added: int
    changed: int
    removed: int
    ledger_index: int | None


class ListEntryRead(BaseModel):
    """One resource as listed in a version (or removed by it)."""

    catalog_code: str
    name: str
    holder: PartyRef
    category_code: str
    grade_code: str
    sharing_type: SharingType
    sharing_conditions: str | None
    sharing_basis: str | None
    open_type: OpenType
    open_conditions: str | None
    open_basis: str | None
    update_frequency: UpdateFrequency
    change: ListChange


class ListDiff(BaseModel):
    """What a version added, changed and removed against the previous one."""

    previous_version: int | None
    added: list[str]
    changed: list[str]
    removed: list[str]


class ListVersionDetail(ListVersionRead):
    """A list version with its entries and its diff against the previous version."""

    entries: list[ListEntryRead]
    diff: ListDiff


class ReportRow(BaseModel):
    """One row of the sharing report (共享情况通报): a holder party's listed resources by type."""

    holder_party_id: uuid.UUID
    holder_name: str
    listed: int
    shared_unconditional: int
    shared_conditional: int
    not_shared: int
    open_unconditional: int
    open_conditional: int
    not_opened: int
    added: int
    changed: int
    removed: int


class FacetCount(BaseModel):
    """How many matching resources carry a facet value."""

    value: str
    count: int


class ResourceSearchPage(BaseModel):
    """A page of resources; with ``q``, the full-text result (published resources) and its facets."""

    items: list[ResourceRead]
    total: int
    limit: int
    offset: int
    total_exact: bool = Field(
        default=True,
        description="false when more resources match than were counted: total is then a lower bound "
        "(the search's count limit, 1000; show it as '1000+')",
    )
    facets: dict[str, list[FacetCount]] | None = Field(
        default=None, description="counts per value over all matches (category, grade, ...), with q"
    )
    facets_exact: bool | None = Field(
        default=None,
        description="with facets: false when the counts are over the first 1000 matches only "
        "(total_exact false); listing without q and filters is always exact",
    )
