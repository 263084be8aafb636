"""Access tables: scenario data requests with their resources and reviews, grants with their meter, and
the deliveries made under them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    Float,
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
from logispace.domains.access.enums import (
    Decision,
    DeliveryMode,
    GrantState,
    OutputMode,
    RequestState,
    ReviewerRole,
)


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class AccessRequest(IdMixin, Base):
    """Scenario data request (场景数据需求申请): one scenario, one list of fields, one joint review."""

    __tablename__ = "access_requests"
    __table_args__ = (Index("ix_access_requests_requester_state", "requester_party_id", "state"),)

    requester_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    requester_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    scenario_code: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    expected_value: Mapped[str] = mapped_column(Text)
    period_start: Mapped[datetime] = mapped_column()
    period_end: Mapped[datetime] = mapped_column()
    output_mode: Mapped[OutputMode] = mapped_column(_enum(OutputMode, "access_output_mode"))
    min_group_size: Mapped[int] = mapped_column(Integer)
    epsilon: Mapped[float | None] = mapped_column(Float)
    state: Mapped[RequestState] = mapped_column(_enum(RequestState, "access_request_state"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)


class AccessRequestResource(IdMixin, Base):
    """A resource of a request (需求清单条目): its exact fields, its sandbox table name, its masking."""

    __tablename__ = "access_request_resources"
    __table_args__ = (
        UniqueConstraint("request_id", "resource_id"),
        UniqueConstraint("request_id", "table_name"),
    )

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("access_requests.id", ondelete="RESTRICT"), index=True
    )
    resource_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("catalog_resources.id", ondelete="RESTRICT"))
    catalog_code: Mapped[str] = mapped_column(String(20))
    holder_party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    table_name: Mapped[str] = mapped_column(String(63))
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    masking: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    important: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class AccessReview(IdMixin, Base):
    """A reviewer's decision (审核意见) on a request: the holder of a resource or the data authority."""

    __tablename__ = "access_reviews"
    __table_args__ = (UniqueConstraint("request_id", "role", "party_id"),)

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("access_requests.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[ReviewerRole] = mapped_column(_enum(ReviewerRole, "access_reviewer_role"))
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decision: Mapped[Decision] = mapped_column(_enum(Decision, "access_decision"))
    reasons: Mapped[str] = mapped_column(Text)
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Grant(IdMixin, Base):
    """Grant (数据使用授权): the usage policy (ODRL) given to the requester, with its meter (计量)."""

    __tablename__ = "access_grants"

    request_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("access_requests.id", ondelete="RESTRICT"), unique=True
    )
    assignee_party_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("parties.id", ondelete="RESTRICT"), index=True
    )
    scenario_code: Mapped[str] = mapped_column(String(64))
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    period_start: Mapped[datetime] = mapped_column()
    period_end: Mapped[datetime] = mapped_column()
    state: Mapped[GrantState] = mapped_column(_enum(GrantState, "access_grant_state"))
    state_reason: Mapped[str | None] = mapped_column(Text)
    salt: Mapped[str] = mapped_column(String(64))
    # the meter (计量)
    calls: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_read: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_returned: Mapped[int] = mapped_column(BigInteger, default=0)
    cells_returned: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes_returned: Mapped[int] = mapped_column(BigInteger, default=0)
    epsilon_total: Mapped[float | None] = mapped_column(Float)
    epsilon_spent: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Delivery(IdMixin, Base):
    """One use of data under a grant (数据交付记录): what was asked (hash), what left (hash), how much."""

    __tablename__ = "access_deliveries"
    __table_args__ = (Index("ix_access_deliveries_grant_at", "grant_id", "delivered_at"),)

    grant_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("access_grants.id", ondelete="RESTRICT"))
    mode: Mapped[DeliveryMode] = mapped_column(_enum(DeliveryMode, "access_delivery_mode"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    query_hash: Mapped[str] = mapped_column(String(64))
    result_hash: Mapped[str] = mapped_column(String(64))
    rows_read: Mapped[int] = mapped_column(BigInteger)
    rows_returned: Mapped[int] = mapped_column(BigInteger)
    cells_returned: Mapped[int] = mapped_column(BigInteger)
    bytes_returned: Mapped[int] = mapped_column(BigInteger)
    epsilon_spent: Mapped[float] = mapped_column(Float, default=0.0)
    engine: Mapped[str] = mapped_column(String(16))
    delivered_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Refusal(IdMixin, Base):
    """A refused use or step (拒绝记录): the audit record a refusal leaves, certified in the ledger, and
    nothing else."""

    __tablename__ = "access_refusals"
    __table_args__ = (Index("ix_access_refusals_subject_at", "subject", "refused_at"),)

    subject: Mapped[str] = mapped_column(String(80))
    """``access-grant:<id>`` or ``access-request:<id>``."""
    grant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("access_grants.id", ondelete="RESTRICT"))
    party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    constraint: Mapped[str | None] = mapped_column(String(64))
    source: Mapped[str | None] = mapped_column(String(100))
    query_hash: Mapped[str | None] = mapped_column(String(64))
    refused_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)
