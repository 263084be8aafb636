"""Alert bodies (预警): rules, alerts and their handling."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from logispace.core.bodies import StrictBool, StrictFloat
from logispace.domains.tower.alerts.enums import AlertStatus, RuleKind

Threshold = Field(
    ge=0,
    le=100_000,
    description="hours (delay, dwell, handover_unverified), minutes (gps_silence), °C of tolerance "
    "(temperature) or km (route_deviation); never negative",
)


class RuleCreate(BaseModel):
    """A rule to add for the caller's party (预警规则)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=r"\S")
    kind: RuleKind
    threshold: StrictFloat = Threshold
    enabled: StrictBool = True


class RuleUpdate(BaseModel):
    """Changes to a rule; fields left out stay."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=100, pattern=r"\S")
    threshold: StrictFloat | None = Field(default=None, ge=0, le=100_000)
    enabled: StrictBool | None = None


class RuleRead(BaseModel):
    id: uuid.UUID
    name: str
    kind: RuleKind
    threshold: float
    unit: str
    enabled: bool
    created_at: datetime
    updated_at: datetime


class AlertRead(BaseModel):
    """An alert with the events that raised it (预警)."""

    id: int
    kind: RuleKind
    status: AlertStatus
    rule_id: uuid.UUID
    rule_name: str
    threshold: float
    waybill_number: str | None
    subject: str | None
    leg: int | None
    facts: dict[str, Any]
    observed_at: datetime
    raised_at: datetime
    acknowledged_at: datetime | None
    assignee_user_id: uuid.UUID | None
    resolved_at: datetime | None
    resolution_note: str | None
    event_ids: list[str] = Field(description="eventIDs of the EPCIS events that raised the alert")


class AssignRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID = Field(description="a user of the caller's party")
    note: str | None = Field(default=None, max_length=1000)


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str | None = Field(default=None, max_length=1000)


class ResolveRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=1000, pattern=r"\S", description="how it was resolved")


class AlertFilter(BaseModel):
    """Filters of the alert list."""

    status: AlertStatus | None = None
    unresolved: bool = False
    """Open and acknowledged alerts only (what still needs someone)."""
    kind: RuleKind | None = None
    waybill: str | None = None
    since_id: int | None = None
