"""EPCIS response shapes: the capture job and the collections of the discovery endpoints."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# CBV 2.0 standard business steps (bare words), from the CBV business step context.
CBV_BIZ_STEPS = (
    "accepting",
    "arriving",
    "assembling",
    "collecting",
    "commissioning",
    "consigning",
    "creating_class_instance",
    "cycle_counting",
    "decommissioning",
    "departing",
    "destroying",
    "disassembling",
    "dispensing",
    "encoding",
    "entering_exiting",
    "holding",
    "inspecting",
    "installing",
    "killing",
    "loading",
    "other",
    "packing",
    "picking",
    "receiving",
    "removing",
    "repackaging",
    "repairing",
    "replacing",
    "reserving",
    "retail_selling",
    "sampling",
    "sensor_reporting",
    "shipping",
    "staging_outbound",
    "stock_taking",
    "stocking",
    "storing",
    "transporting",
    "unloading",
    "unpacking",
    "void_shipping",
)


class SkippedEvent(BaseModel):
    """An event of a captured document that was not stored (未存储的事件), and why."""

    pointer: str = Field(description="JSON pointer of the event in the captured document")
    eventID: str = Field(description="the event's eventID (its hash ID when it declared none)")  # noqa: N815
    reason: str = Field(
        description="already-stored | duplicate-in-document | error-declaration-of-stored-event"
    )
    storedEventID: str = Field(description="the eventID of the stored event it repeats")  # noqa: N815
    detail: str


class CaptureJobRead(BaseModel):
    """EPCIS capture job (采集作业) as the binding describes it, with LogiSpace's extra fields."""

    captureID: str  # noqa: N815 - the binding's member names
    createdAt: datetime  # noqa: N815
    finishedAt: datetime | None  # noqa: N815
    running: bool
    success: bool
    captureErrorBehaviour: str  # noqa: N815
    errors: list[Any]
    eventCount: int  # noqa: N815
    storedCount: int = Field(description="events of the document stored by this capture")  # noqa: N815
    skippedCount: int = Field(  # noqa: N815
        description="events of the document not stored by this capture (eventCount - storedCount)"
    )
    skipped: list[SkippedEvent] = Field(description="each event not stored, with the reason")
    documentSha256: str  # noqa: N815
    ledgerIndex: int | None = Field(description="the evidence ledger entry of this capture")  # noqa: N815


class Collection(BaseModel):
    """A JSON-LD collection of names (discovery endpoints)."""

    model_config = ConfigDict(populate_by_name=True)

    context: str = Field(
        default="https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", alias="@context"
    )
    type: str = "Collection"
    member: list[str]
