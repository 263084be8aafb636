"""Operation tables: plans and their approvals, operator selections, agreements, the operator's staff,
products with their prices, initial-registration duties, evaluations, platform copies, exclusion marks
and the operation log.

Nothing here is deleted (I-7: rules, agreements and operation logs are kept at least 20 years, 004:5679):
an ended agreement keeps its row, a deleted platform copy keeps its record with ``deleted_at``, and every
log row carries ``retain_until``. No route deletes any of them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin
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

RETENTION_YEARS = 20
"""Operation logs, agreements and rules are kept at least 20 years (004:5679; I-7)."""


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


def _party() -> Any:
    return ForeignKey("parties.id", ondelete="RESTRICT")


class OperationPlan(IdMixin, Base):
    """Implementation plan (实施方案): the sections of 004:897-917, its data scope, its approvals."""

    __tablename__ = "operation_plans"

    implementing_party_id: Mapped[uuid.UUID] = mapped_column(_party(), index=True)
    name: Mapped[str] = mapped_column(String(200))
    authorization_mode: Mapped[AuthorizationMode] = mapped_column(
        _enum(AuthorizationMode, "operation_authorization_mode")
    )
    data_scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    """Catalogue codes of the data resources put into operation."""
    term_years: Mapped[int] = mapped_column(Integer)
    sections: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The plan's text sections by key (necessity, selection criteria, security, exit, ...)."""
    products: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    """The planned product and service list, each with its use class (004:907)."""
    state: Mapped[PlanState] = mapped_column(_enum(PlanState, "operation_plan_state"))
    filed_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class PlanApproval(IdMixin, Base):
    """An approval of a plan (审议审定): the approving body, the date, the document."""

    __tablename__ = "operation_plan_approvals"
    __table_args__ = (UniqueConstraint("plan_id", "stage"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operation_plans.id", ondelete="RESTRICT"))
    stage: Mapped[PlanState] = mapped_column(_enum(PlanState, "operation_plan_state"))
    approving_body: Mapped[str] = mapped_column(String(200))
    approved_on: Mapped[date] = mapped_column()
    document: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class OperatorSelection(IdMixin, Base):
    """Operator selection (运营机构选择): method, candidates, the expert review, the selected operator."""

    __tablename__ = "operation_selections"

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_plans.id", ondelete="RESTRICT"), index=True
    )
    method: Mapped[SelectionMethod] = mapped_column(_enum(SelectionMethod, "operation_selection_method"))
    notice: Mapped[str] = mapped_column(Text)
    state: Mapped[SelectionState] = mapped_column(_enum(SelectionState, "operation_selection_state"))
    expert_group: Mapped[list[str] | None] = mapped_column(JSON)
    expert_opinion: Mapped[str | None] = mapped_column(Text)
    expert_reviewed_on: Mapped[date | None] = mapped_column()
    selected_party_id: Mapped[uuid.UUID | None] = mapped_column(_party())
    selected_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class SelectionCandidate(IdMixin, Base):
    """A candidate of a selection (申请单位) and its qualification checks (资格审查, 004:5603-5613)."""

    __tablename__ = "operation_selection_candidates"
    __table_args__ = (UniqueConstraint("selection_id", "party_id"),)

    selection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_selections.id", ondelete="RESTRICT")
    )
    party_id: Mapped[uuid.UUID] = mapped_column(_party())
    checks: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    qualified: Mapped[bool] = mapped_column(Boolean, default=False)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Agreement(IdMixin, Base):
    """Authorization agreement (授权运营协议): scope, term, products, security duties, exit (004:937-963)."""

    __tablename__ = "operation_agreements"
    __table_args__ = (Index("ix_operation_agreements_operator_state", "operator_party_id", "state"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_plans.id", ondelete="RESTRICT"), index=True
    )
    selection_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_selections.id", ondelete="RESTRICT")
    )
    implementing_party_id: Mapped[uuid.UUID] = mapped_column(_party())
    operator_party_id: Mapped[uuid.UUID] = mapped_column(_party())
    scope: Mapped[list[str]] = mapped_column(JSON, default=list)
    term_start: Mapped[date] = mapped_column()
    term_end: Mapped[date] = mapped_column()
    products: Mapped[list[str]] = mapped_column(JSON, default=list)
    security_duties: Mapped[str] = mapped_column(Text)
    exit_terms: Mapped[str] = mapped_column(Text)
    signed_on: Mapped[date] = mapped_column()
    term_exception: Mapped[str | None] = mapped_column(Text)
    """Why the term exceeds 5 years (national: 原则上, 004:941; Q-12), or ``None``."""
    filed_on: Mapped[date | None] = mapped_column()
    operation_started_on: Mapped[date | None] = mapped_column()
    state: Mapped[AgreementState] = mapped_column(_enum(AgreementState, "operation_agreement_state"))
    state_reason: Mapped[str | None] = mapped_column(Text)
    rectify_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    retain_until: Mapped[date] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class OperatorStaff(IdMixin, Base):
    """Processing staff of an operator (数据加工人员, OPS-R13): real name, filing, vetting, secrecy."""

    __tablename__ = "operation_staff"

    operator_party_id: Mapped[uuid.UUID] = mapped_column(_party(), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"), unique=True)
    real_name_verified_on: Mapped[date | None] = mapped_column()
    filed_on: Mapped[date | None] = mapped_column()
    vetted_on: Mapped[date | None] = mapped_column()
    confidentiality_signed_on: Mapped[date | None] = mapped_column()
    confidentiality_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Product(IdMixin, Base):
    """Public data product or service (公共数据产品和服务) of an operator, with its price (收费标准)."""

    __tablename__ = "operation_products"
    __table_args__ = (Index("ix_operation_products_operator", "operator_party_id", "state"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_agreements.id", ondelete="RESTRICT"), index=True
    )
    operator_party_id: Mapped[uuid.UUID] = mapped_column(_party())
    name: Mapped[str] = mapped_column(String(200))
    form: Mapped[ProductForm] = mapped_column(_enum(ProductForm, "operation_product_form"))
    use_class: Mapped[UseClass] = mapped_column(_enum(UseClass, "operation_use_class"))
    scenario: Mapped[str] = mapped_column(Text)
    resources: Mapped[list[str]] = mapped_column(JSON, default=list)
    derived_from_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("operation_products.id", ondelete="RESTRICT")
    )
    state: Mapped[ProductState] = mapped_column(_enum(ProductState, "operation_product_state"))
    delivered_on: Mapped[date | None] = mapped_column()
    billing_unit: Mapped[BillingUnit | None] = mapped_column(_enum(BillingUnit, "operation_billing_unit"))
    price_state: Mapped[PriceState] = mapped_column(_enum(PriceState, "operation_price_state"))
    price_cap_fen: Mapped[int | None] = mapped_column(BigInteger)
    """上限收费标准 in fen (分), set by the authorizing subject (004:1017)."""
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    """具体收费标准 in fen, set by the operator at or below the cap (004:1017)."""
    trial_since: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class RegistrationDuty(IdMixin, Base):
    """Initial-registration duty (首次登记义务, I-1): who registers what by when, the validity cap (I-2)."""

    __tablename__ = "operation_registration_duties"
    __table_args__ = (Index("ix_operation_duties_agreement", "agreement_id", "subject"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_agreements.id", ondelete="RESTRICT")
    )
    subject: Mapped[DutySubject] = mapped_column(_enum(DutySubject, "operation_duty_subject"))
    catalog_code: Mapped[str | None] = mapped_column(String(20))
    product_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("operation_products.id", ondelete="RESTRICT")
    )
    duty_party_id: Mapped[uuid.UUID] = mapped_column(_party())
    anchor_on: Mapped[date] = mapped_column()
    due_on: Mapped[date] = mapped_column()
    source: Mapped[str] = mapped_column(String(100))
    valid_until_cap: Mapped[date] = mapped_column()
    review_required: Mapped[bool] = mapped_column(Boolean, default=False)
    review_reason: Mapped[str | None] = mapped_column(Text)
    application_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("registration_applications.id", ondelete="RESTRICT")
    )
    """The registration application filed for the duty (登记申请, in the registration domain), once filed."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class AnnualReport(IdMixin, Base):
    """Annual price and operation report (年度经营情况报告, 004:1035): the authorizing subject sends the
    operator's report on a year by 31 March of the next."""

    __tablename__ = "operation_annual_reports"
    __table_args__ = (UniqueConstraint("agreement_id", "year", name="uq_operation_annual_reports_year"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_agreements.id", ondelete="RESTRICT")
    )
    year: Mapped[int] = mapped_column(Integer)
    submitted_on: Mapped[date] = mapped_column()
    summary: Mapped[str] = mapped_column(Text)
    submitted_by: Mapped[uuid.UUID | None] = mapped_column(_party())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retain_until: Mapped[date] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class ReportLine(IdMixin, Base):
    """One product's record in the annual report on a year (004:1035): the price, the sales volume and the
    revenue, and the product's maximum allowed revenue (the deviation and who adjusts follow, 004:1031)."""

    __tablename__ = "operation_report_lines"
    __table_args__ = (
        UniqueConstraint("agreement_id", "year", "product_id", name="uq_operation_report_lines_product"),
    )

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_agreements.id", ondelete="RESTRICT")
    )
    year: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("operation_products.id", ondelete="RESTRICT"))
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    """The product's specific price when recorded (None: free)."""
    volume: Mapped[int] = mapped_column(BigInteger)
    revenue_fen: Mapped[int] = mapped_column(BigInteger)
    max_revenue_fen: Mapped[int | None] = mapped_column(BigInteger)
    """The product's maximum allowed revenue for the year (None: no formal price, no deviation)."""
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(_party())
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retain_until: Mapped[date] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Evaluation(IdMixin, Base):
    """Annual performance evaluation (年度考核评估, state machine F, 004:5696-5706)."""

    __tablename__ = "operation_evaluations"
    __table_args__ = (Index("ix_operation_evaluations_agreement", "agreement_id", "year"),)

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_agreements.id", ondelete="RESTRICT")
    )
    year: Mapped[int] = mapped_column(Integer)
    evaluator: Mapped[str] = mapped_column(String(200))
    result: Mapped[EvaluationResult] = mapped_column(_enum(EvaluationResult, "operation_evaluation_result"))
    recorded_result: Mapped[EvaluationResult] = mapped_column(
        _enum(EvaluationResult, "operation_evaluation_result")
    )
    """The result in force: a second 限期整改 counts as 未通过评估 (004:5706)."""
    excellent: Mapped[bool] = mapped_column(Boolean, default=False)
    opinion: Mapped[str] = mapped_column(Text)
    evaluated_on: Mapped[date] = mapped_column()
    rectify_by: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class PlatformCopy(IdMixin, Base):
    """Data kept on the operation platform for an agreement (平台留存数据), deleted on exit (004:5708)."""

    __tablename__ = "operation_platform_copies"

    agreement_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("operation_agreements.id", ondelete="RESTRICT"), index=True
    )
    catalog_code: Mapped[str] = mapped_column(String(20))
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    bytes: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class OperationExclusion(IdMixin, Base):
    """A mark that a data resource must not be put into authorized operation (不得授权运营, OPS-R20)."""

    __tablename__ = "operation_exclusions"

    catalog_code: Mapped[str] = mapped_column(String(20), unique=True)
    ground: Mapped[ExclusionGround] = mapped_column(_enum(ExclusionGround, "operation_exclusion_ground"))
    note: Mapped[str] = mapped_column(Text)
    marked_by: Mapped[uuid.UUID | None] = mapped_column(_party())
    marked_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class OperationLog(IdMixin, Base):
    """Operation log (运营日志): who did what to which record, when, with what result (004:5679)."""

    __tablename__ = "operation_logs"
    __table_args__ = (Index("ix_operation_logs_subject_at", "subject", "at"),)

    subject: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(64))
    actor_party_id: Mapped[uuid.UUID | None] = mapped_column(_party())
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    result: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    retain_until: Mapped[date] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger)
