"""Request and response bodies of the access API. Unknown fields are refused (422)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from logispace.core.bodies import NOT_BLANK
from logispace.domains.access.enums import (
    Decision,
    DeliveryMode,
    GrantState,
    OutputMode,
    RequestState,
    ReviewerRole,
)
from logispace.domains.access.policies import SCENARIOS, is_table_name

NO_NUL = r"^[^\x00]*$"
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=NOT_BLANK)
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)
]
FieldName = Annotated[
    str, StringConstraints(min_length=1, max_length=63, pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
]
CatalogCode = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9]+$")]
MAX_TERM = timedelta(days=5 * 366)
"""The longest grant period: an authorization agreement's term is at most 5 years (004:941; 004:5601)."""


class Input(BaseModel):
    """Base of request bodies: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class RequestResource(Input):
    """One resource of the data list (数据需求清单): the exact fields and, optionally, its table name."""

    catalog_code: CatalogCode
    fields: list[FieldName] = Field(min_length=1, max_length=200)
    table_name: str | None = Field(
        default=None, max_length=63, pattern=r"^[a-z][a-z0-9_]{0,62}$", description="name in sandbox SQL"
    )

    @field_validator("fields")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("each field is listed once")
        return value

    @field_validator("table_name")
    @classmethod
    def _table(cls, value: str | None) -> str | None:
        if value is not None and not is_table_name(value):
            raise ValueError("a table name is a lowercase identifier (letters, digits, underscores)")
        return value


class RequestCreate(Input):
    """A scenario data request (场景数据需求申请): scenario (what, why, value), period, output, data list."""

    scenario: str = Field(
        description="scenario code, e.g. supply_chain_finance", json_schema_extra={"enum": list(SCENARIOS)}
    )
    title: Title = Field(description="what the data is for (应用场景)")
    purpose: Text = Field(description="why (使用目的)")
    expected_value: Text = Field(description="the economic or social value (004:5625)")
    period_start: AwareDatetime
    period_end: AwareDatetime
    output_mode: OutputMode = OutputMode.AGGREGATE
    min_group_size: int = Field(default=10, ge=2, le=1_000_000)
    epsilon: float | None = Field(default=None, gt=0, le=100, description="differential-privacy budget")
    resources: list[RequestResource] = Field(min_length=1, max_length=20)

    @field_validator("scenario")
    @classmethod
    def _scenario(cls, value: str) -> str:
        if value not in SCENARIOS:
            raise ValueError(f"unknown scenario; one of {', '.join(SCENARIOS)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.period_end <= self.period_start:
            raise ValueError("period_end must be after period_start")
        if self.period_end - self.period_start > MAX_TERM:
            raise ValueError("the period is at most 5 years")
        codes = [r.catalog_code for r in self.resources]
        if len(set(codes)) != len(codes):
            raise ValueError("each resource is listed once")
        return self


class DecisionCreate(Input):
    """A reviewer's decision with reasons (审核意见); a holder may set the desensitization of its fields."""

    decision: Decision
    reasons: Text
    masking: dict[str, str] | None = Field(
        default=None, description="holder only: field -> desensitization rule code, for its own resources"
    )


class GrantStep(Input):
    """Why a grant is suspended, resumed or revoked."""

    reason: Text


class SqlCreate(Input):
    """A sandbox query (沙箱计算): one SELECT over the granted tables, aggregate output only."""

    sql: str = Field(min_length=1, max_length=20_000, pattern=NO_NUL)
    purpose: str | None = Field(
        default=None, max_length=64, description="scenario code; default: the grant's"
    )


class FilterIn(Input):
    column: FieldName
    op: Literal["=", "!=", "<", "<=", ">", ">=", "in", "like"]
    value: Any = None


class QueryCreate(Input):
    """An API query (接口查询): granted fields of one table, with row filters, desensitized."""

    table: str = Field(min_length=1, max_length=63)
    fields: list[FieldName] = Field(min_length=1, max_length=200)
    filters: list[FilterIn] = Field(default_factory=list, max_length=20)
    limit: int = Field(default=100, ge=1, le=1000)
    offset: int = Field(default=0, ge=0, le=1_000_000)
    purpose: str | None = Field(
        default=None, max_length=64, description="scenario code; default: the grant's"
    )


# -- reads ----------------------------------------------------------------------------------------


class PartyRef(BaseModel):
    id: uuid.UUID
    name: str


class ScenarioRead(BaseModel):
    code: str
    name: str


class RequestResourceRead(BaseModel):
    catalog_code: str
    name: str
    holder: PartyRef
    table_name: str
    fields: list[str]
    masking: dict[str, str]


class ReviewRead(BaseModel):
    role: ReviewerRole
    party: PartyRef
    decision: Decision
    reasons: str
    decided_at: datetime
    ledger_index: int


class PendingReviewer(BaseModel):
    role: ReviewerRole
    party: PartyRef


class RequestRead(BaseModel):
    id: uuid.UUID
    state: RequestState
    scenario: ScenarioRead
    title: str
    purpose: str
    expected_value: str
    requester: PartyRef
    period_start: datetime
    period_end: datetime
    output_mode: OutputMode
    min_group_size: int
    epsilon: float | None
    resources: list[RequestResourceRead]
    reviews: list[ReviewRead]
    pending_reviewers: list[PendingReviewer]
    grant_id: uuid.UUID | None
    created_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    ledger_index: int | None


class DeliveryRead(BaseModel):
    mode: DeliveryMode
    query_hash: str
    result_hash: str
    rows_read: int
    rows_returned: int
    cells_returned: int
    bytes_returned: int
    epsilon_spent: float
    engine: str
    delivered_at: datetime
    ledger_index: int


class RefusalRead(BaseModel):
    """A refused use, as the ledger keeps it (audit record)."""

    code: str
    detail: str
    ledger_index: int


class UsageRead(BaseModel):
    """The meter of a grant (计量)."""

    grant_id: uuid.UUID
    calls: int
    rows_read: int
    rows_returned: int
    cells_returned: int
    bytes_returned: int
    epsilon_total: float | None
    epsilon_spent: float
    epsilon_left: float | None
    deliveries: list[DeliveryRead]
    refusals: list[RefusalRead]


class GrantedResourceRead(BaseModel):
    catalog_code: str
    name: str
    holder: PartyRef
    table_name: str
    columns: list[str]
    masking: dict[str, str]


class GrantRead(BaseModel):
    id: uuid.UUID
    request_id: uuid.UUID
    state: GrantState
    state_reason: str | None
    scenario: ScenarioRead
    assignee: PartyRef
    period_start: datetime
    period_end: datetime
    output_mode: OutputMode
    min_group_size: int
    policy: dict[str, Any]
    resources: list[GrantedResourceRead]
    calls: int
    epsilon_total: float | None
    epsilon_spent: float
    created_at: datetime
    ledger_index: int


class ResultRead(BaseModel):
    """What left the sandbox, with the ledger entry that certifies it."""

    columns: list[str]
    rows: list[list[Any]]
    rows_read: int
    rows_returned: int
    cells_returned: int
    bytes_returned: int
    epsilon_spent: float
    noised: bool
    query_hash: str
    result_hash: str
    engine: str
    ledger_index: int
