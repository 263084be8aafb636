"""Request and response bodies of the operation API. Unknown fields are refused (422)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from logispace.core.bodies import NOT_BLANK, JsonDate, JsonInt
from logispace.domains.operation.enums import (
    AgreementState,
    AuthorizationMode,
    BillingUnit,
    DutySubject,
    EvaluationResult,
    ExclusionGround,
    PlanState,
    PriceState,
    ProductForm,
    ProductState,
    SelectionMethod,
    SelectionState,
    UseClass,
)

Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=NOT_BLANK)
]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)
]
CatalogCode = Annotated[str, StringConstraints(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9]+$")]
Money = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,13}(\.[0-9]{1,2})?$"),
    Field(description="yuan, as a decimal string"),
]
Percent = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{1,2}(\.[0-9]{1,3})?$"),
    Field(description="percent, as a decimal string"),
]


class Input(BaseModel):
    """Base of request bodies: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class PlannedProduct(Input):
    """An entry of the plan's product and service list, in one of the two classes (004:907)."""

    name: Title
    use_class: UseClass


class PlanSections(Input):
    """The text sections an implementation plan must have (004:897-919)."""

    necessity_feasibility: Text
    operator_selection_criteria: Text
    build_content: Text
    tech_assurance: Text
    schedule: Text
    evaluation_criteria: Text
    exit_mechanism: Text
    asset_management: Text
    cost_revenue: Text
    security_measures: Text
    rights_obligations: Text
    supervision: Text


class PlanCreate(Input):
    """An implementation plan (实施方案): name, mode, data scope, term, sections, product list."""

    name: Title
    authorization_mode: AuthorizationMode
    data_scope: list[CatalogCode] = Field(min_length=1, max_length=200)
    term_years: JsonInt = Field(ge=1, le=5)
    sections: PlanSections
    products: list[PlannedProduct] = Field(min_length=1, max_length=200)


class ApprovalCreate(Input):
    """An approval of a plan: the approving body, the date, the document (004:921; 004:923)."""

    approving_body: Title
    approved_on: JsonDate
    document: Title


class FilingCreate(Input):
    """A filing (备案) on a date."""

    filed_on: JsonDate


class SelectionCreate(Input):
    """An operator selection on a filed plan (004:931): method and notice."""

    method: SelectionMethod
    notice: Text


class CandidateCreate(Input):
    """A candidate with its qualification checks (资格审查, 004:5603-5613)."""

    party_id: uuid.UUID
    checks: dict[str, bool] = Field(default_factory=dict, max_length=10)


class ExpertReviewCreate(Input):
    """The expert group's comprehensive review (专家组综合评审, 004:5597)."""

    experts: list[Title] = Field(min_length=1, max_length=50)
    opinion: Text
    reviewed_on: JsonDate


class SelectCreate(Input):
    """The selected operator (选定运营机构) on a date."""

    party_id: uuid.UUID
    selected_on: JsonDate


class AgreementCreate(Input):
    """An authorization agreement's clauses (004:937-963; 004:5565)."""

    selection_id: uuid.UUID
    scope: list[CatalogCode] = Field(min_length=1, max_length=200)
    term_start: JsonDate
    term_end: JsonDate
    products: list[Title] = Field(min_length=1, max_length=200)
    security_duties: Text
    exit_terms: Text
    signed_on: JsonDate
    term_exception: Text | None = Field(
        default=None,
        description="why the term exceeds 5 years: accepted with it under the national rules only "
        "(原则上最长不超过5年, 004:941); inner_mongolia refuses any term over 5 years (004:5601)",
    )


class StepCreate(Input):
    """The reason of an agreement step."""

    reason: Text


class StaffCreate(Input):
    """A processing staff member of the operator (数据加工人员) and their records (OPS-R13, 004:5633)."""

    user_id: uuid.UUID
    real_name_verified_on: JsonDate | None = None
    filed_on: JsonDate | None = None
    vetted_on: JsonDate | None = None
    confidentiality_signed_on: JsonDate | None = None
    confidentiality_sha256: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")


class ProductCreate(Input):
    """A product of the operator under an agreement (公共数据产品和服务)."""

    agreement_id: uuid.UUID
    name: Title
    form: ProductForm
    use_class: UseClass
    scenario: Text
    resources: list[CatalogCode] = Field(min_length=1, max_length=50)
    derived_from_id: uuid.UUID | None = None
    billing_unit: BillingUnit | None = None


class CapCreate(Input):
    """The cap (上限收费标准) the authorizing subject sets for an industry product (004:1017; 004:1027)."""

    price_cap_fen: JsonInt = Field(ge=0, le=10**12, description="amount in fen (分)")
    billing_unit: BillingUnit


class PriceCreate(Input):
    """The operator's specific price (具体收费标准), at or below the cap (004:1017)."""

    price_fen: JsonInt = Field(ge=0, le=10**12, description="amount in fen (分)")


class FormalPriceCreate(Input):
    """The move from trial to formal price (004:1019): the MAR inputs and the new cap (yuan; percent)."""

    cost: Money
    subsidy: Money
    bond_yield: Percent
    rate: Percent
    tax: Money
    price_cap_fen: JsonInt = Field(ge=0, le=10**12, description="amount in fen (分)")
    expected_volume: JsonInt = Field(ge=1, le=10**12)


class DeliverCreate(Input):
    """The delivery of a product (交付) on a date: the first one starts authorized operation (I-1)."""

    delivered_on: JsonDate


class EvaluationCreate(Input):
    """An annual evaluation (年度考核评估, 004:5696-5706)."""

    year: JsonInt = Field(ge=2024, le=2100)
    evaluator: Title
    result: EvaluationResult
    excellent: bool = False
    opinion: Text
    evaluated_on: JsonDate


class ReportCreate(Input):
    """The annual price and operation report on a year, as sent (年度经营情况报告, 004:1035)."""

    year: JsonInt = Field(ge=2024, le=2100)
    submitted_on: JsonDate
    summary: Text


class ReportLineCreate(Input):
    """A product's figures in the annual report on a year (004:1035): sales volume, revenue (yuan) and,
    once the product has a formal price, its maximum allowed revenue (yuan) for the deviation (004:1031)."""

    year: JsonInt = Field(ge=2024, le=2100)
    product_id: uuid.UUID
    volume: JsonInt = Field(ge=0, le=10**12)
    revenue: Money
    max_allowed_revenue: Money | None = None


class CopyCreate(Input):
    """Data put on the platform for the agreement (平台留存数据): a copy of a resource in its scope."""

    catalog_code: CatalogCode


class ExclusionCreate(Input):
    """A mark that a resource must not be operated (OPS-R20, 004:5687-5692)."""

    catalog_code: CatalogCode
    ground: ExclusionGround
    note: Text


class Output(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class ApprovalRead(Output):
    stage: PlanState
    approving_body: str
    approved_on: date
    document: str
    ledger_index: int


class PlanRead(Output):
    id: uuid.UUID
    implementing_party_id: uuid.UUID
    name: str
    authorization_mode: AuthorizationMode
    data_scope: list[str]
    term_years: int
    sections: dict[str, Any]
    products: list[dict[str, str]]
    state: PlanState
    filed_on: date | None
    approvals: list[ApprovalRead] = Field(default_factory=list)
    ledger_index: int


class CandidateRead(Output):
    party_id: uuid.UUID
    checks: dict[str, bool]
    qualified: bool


class SelectionRead(Output):
    id: uuid.UUID
    plan_id: uuid.UUID
    method: SelectionMethod
    notice: str
    state: SelectionState
    expert_group: list[str] | None
    expert_opinion: str | None
    expert_reviewed_on: date | None
    selected_party_id: uuid.UUID | None
    selected_on: date | None
    candidates: list[CandidateRead] = Field(default_factory=list)
    ledger_index: int


class AgreementRead(Output):
    id: uuid.UUID
    plan_id: uuid.UUID
    selection_id: uuid.UUID
    implementing_party_id: uuid.UUID
    operator_party_id: uuid.UUID
    scope: list[str]
    term_start: date
    term_end: date
    products: list[str]
    security_duties: str
    exit_terms: str
    signed_on: date
    term_exception: str | None = None
    filed_on: date | None
    operation_started_on: date | None
    state: AgreementState
    state_reason: str | None
    retain_until: date
    ledger_index: int


class StaffRead(Output):
    id: uuid.UUID
    operator_party_id: uuid.UUID
    user_id: uuid.UUID
    real_name_verified_on: date | None
    filed_on: date | None
    vetted_on: date | None
    confidentiality_signed_on: date | None
    cleared: bool
    ledger_index: int


class ProductRead(Output):
    id: uuid.UUID
    agreement_id: uuid.UUID
    operator_party_id: uuid.UUID
    name: str
    form: ProductForm
    use_class: UseClass
    scenario: str
    resources: list[str]
    derived_from_id: uuid.UUID | None
    state: ProductState
    delivered_on: date | None
    billing_unit: BillingUnit | None
    price_state: PriceState
    price_cap_fen: int | None
    price_fen: int | None
    trial_since: date | None
    ledger_index: int


class DutyRead(Output):
    id: uuid.UUID
    agreement_id: uuid.UUID
    subject: DutySubject
    catalog_code: str | None
    product_id: uuid.UUID | None
    duty_party_id: uuid.UUID
    anchor_on: date
    due_on: date
    source: str
    valid_until_cap: date
    review_required: bool
    review_reason: str | None
    application_id: uuid.UUID | None = None


class ReportRead(Output):
    """An annual report's state: due by 31 March of the next year (004:1035), overdue, or filed."""

    year: int
    due_on: date
    state: str
    submitted_on: date | None
    days_overdue: int


class ReportLineRead(Output):
    """A product's record in the annual report, with its deviation from the maximum allowed revenue and
    who adjusts (``operator_specific_prices`` at 10% or less, else ``authorizing_subject_caps``; 004:1031)."""

    year: int
    product_id: uuid.UUID
    product_name: str
    price_state: str
    billing_unit: str | None
    price: Decimal | None
    volume: int
    revenue: Decimal
    max_allowed_revenue: Decimal | None
    deviation_percent: Decimal | None
    above_mar: bool | None
    adjuster: str | None


class EvaluationRead(Output):
    id: uuid.UUID
    agreement_id: uuid.UUID
    year: int
    evaluator: str
    result: EvaluationResult
    recorded_result: EvaluationResult
    excellent: bool
    opinion: str
    evaluated_on: date
    rectify_by: date | None
    ledger_index: int


class CopyRead(Output):
    id: uuid.UUID
    agreement_id: uuid.UUID
    catalog_code: str
    sha256: str
    bytes: int
    created_at: datetime
    deleted_at: datetime | None


class ExclusionRead(Output):
    catalog_code: str
    ground: ExclusionGround
    note: str


class RevenueRead(BaseModel):
    operating_cost: Decimal
    allowed_profit: Decimal
    max_allowed_revenue: Decimal
    rate_ceiling_percent: Decimal


class LogRead(Output):
    subject: str
    action: str
    actor_party_id: uuid.UUID | None
    result: str
    at: datetime
    retain_until: date
    ledger_index: int
