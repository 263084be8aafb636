"""E-waybill intake bodies (网络货运电子运单接入报文): each mapped row, and the drafts created."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from logispace.domains.logistics.waybills.policies import TransportMode


class EWaybillRow(BaseModel):
    """One 网络货运 e-waybill mapped onto a draft: the draft or the errors, and warnings."""

    index: int
    waybill_no: str | None
    draft: dict[str, Any] | None
    modes: list[TransportMode]
    plate: str | None
    warnings: list[str]
    errors: list[str]


class EWaybillIntake(BaseModel):
    """What the e-waybill intake answers: each row, and the drafts created (none on a dry run)."""

    rows: list[EWaybillRow]
    created: list[str]
