"""Waybill bodies (运单报文). A new waybill's body is the policy's
:class:`~.policies.WaybillDraft`, which checks its identifiers itself (422 naming the value)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from logispace.core.bodies import NOT_BLANK
from logispace.domains.logistics.waybills.policies import (
    Action,
    CargoLine,
    Status,
    TemperatureRange,
    TransportMode,
)

Note = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=NOT_BLANK)
]
Verdict = Literal["authentic", "tampered", "missing"]


class ActionRequest(BaseModel):
    """An action on a waybill (运单操作): issue, pick up, hand over, deliver, close, exceptions."""

    model_config = ConfigDict(extra="forbid")

    action: Action
    note: Note | None = Field(default=None, description="e.g. the reason of a delay or refusal")


class LegRead(BaseModel):
    """A leg (运输区段)."""

    sequence: int
    mode: TransportMode
    carrier_uscc: str
    origin: str
    destination: str


class TransitionRead(BaseModel):
    """One step of a waybill's history (流转记录), with its notarized document."""

    sequence: int
    action: str
    actor_party_id: uuid.UUID
    actor_uscc: str
    from_status: Status | None
    from_leg: int | None
    to_status: Status
    to_leg: int | None
    note: str | None
    occurred_at: datetime
    document_id: uuid.UUID | None = Field(description="the signed document of this step (none for the draft)")
    document_version: int | None
    document_url: str | None
    ledger_index: int | None
    receipt_url: str | None


PlaceCode = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Za-z0-9]{2,10}$")
]


class WaybillFilter(BaseModel):
    """Filters of a waybill list (运单筛选): status, corridor (the first leg's origin and the last
    leg's destination), a mode used on any leg, and the creation date in Beijing time."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    status: Status | None = None
    mode: TransportMode | None = None
    origin: PlaceCode | None = Field(default=None, description="the corridor's origin (UN/LOCODE)")
    destination: PlaceCode | None = Field(default=None, description="the corridor's destination")
    created_from: date | None = Field(default=None, description="created on or after this day (Beijing)")
    created_to: date | None = Field(default=None, description="created on or before this day (Beijing)")


class WaybillSummary(BaseModel):
    """A waybill in a list (运单列表项)."""

    number: str
    status: Status
    current_leg: int | None
    leg_count: int
    consignor_uscc: str
    consignee_uscc: str
    containers: list[str]
    origin: str | None = Field(description="the first leg's origin (UN/LOCODE)")
    destination: str | None = Field(description="the last leg's destination (UN/LOCODE)")
    modes: list[TransportMode] = Field(description="the modes of its legs, in order, each once")
    created_at: datetime
    updated_at: datetime


class WaybillRead(WaybillSummary):
    """A multimodal waybill (多式联运运单) with legs, cargo, containers and its history."""

    state: str = Field(description="status with the leg, e.g. 'in_transit (leg 2)'")
    allowed_actions: list[Action] = Field(description="none while the chain of custody is broken")
    custody_intact: bool = Field(
        description="the stored steps and state match the ledger's steps for the waybill (else no action)"
    )
    legs: list[LegRead]
    cargo: list[CargoLine]
    dangerous_goods_class: str | None
    temperature: TemperatureRange | None
    source: str
    created_by_party_id: uuid.UUID
    transitions: list[TransitionRead]
    custody_url: str


class CustodyStep(BaseModel):
    """One signed step of the chain of custody (单证流转环节) and what was checked now."""

    sequence: int
    action: str
    actor_uscc: str
    actor_party_id: uuid.UUID
    to_status: Status
    to_leg: int | None
    occurred_at: datetime
    document_id: uuid.UUID | None
    document_version: int | None
    ledger_index: int | None
    content_matches: bool = Field(description="the stored waybill JSON hashes to the notarized SHA-256")
    signature_valid: bool = Field(description="the signature verifies under the signer's key")
    signed_by_actor: bool = Field(description="the signer is the party that took the action")
    in_order: bool = Field(description="the step names its place and the previous step's hash")
    ledger_included: bool = Field(description="the ledger entry carries the statement and is included")
    in_ledger_chain: bool = Field(
        default=True,
        description="the step is where the ledger's step entries for the waybill put it (false: added, "
        "reordered or altered)",
    )
    verdict: Verdict
    problems: list[str]


class CustodyFinding(BaseModel):
    """A difference between the stored chain and the ledger (账本核对问题), naming the step."""

    problem: Literal["missing", "extra", "reordered", "altered", "status"] = Field(
        description="missing: notarized in the ledger, not in the chain; extra: in the chain, not in the "
        "ledger; reordered: out of its ledger place; altered: differs from its ledger entry; status: the "
        "waybill's state is not the state after the last notarized step"
    )
    sequence: int | None = Field(description="the step's sequence (for missing: as the ledger records it)")
    action: str | None
    ledger_index: int | None = Field(description="the ledger entry that names the step")
    detail: str


class CustodyReport(BaseModel):
    """The chain of custody of a waybill (单证可信流转), verified end to end (单证认证鉴真)."""

    number: str
    verdict: Literal["authentic", "tampered"]
    status_matches: bool = Field(
        description="the waybill's status is the last signed step's and the last notarized step's"
    )
    ledger_checked: bool = Field(
        description="the ledger holds step entries for this waybill (false: recorded before they existed)"
    )
    ledger_matches: bool = Field(description="every step notarized for the waybill is in the chain, in order")
    expected_status: Status | None = Field(description="the status after the last notarized step")
    expected_leg: int | None
    findings: list[CustodyFinding] = Field(description="each difference from the ledger, naming the step")
    steps: list[CustodyStep]
    verified_at: datetime
