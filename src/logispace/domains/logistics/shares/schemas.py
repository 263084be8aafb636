"""Waybill share bodies (运单共享报文)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from logispace.domains.logistics.waybills.schemas import CustodyReport

USCC = Annotated[str, StringConstraints(pattern=r"^[0-9A-HJ-NPQRTUWXY]{18}$")]
Purpose = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=200)]


class ShareCreate(BaseModel):
    """A share to grant (运单共享授权): who may read, why, and until when."""

    model_config = ConfigDict(extra="forbid")

    recipient_uscc: USCC = Field(
        description="统一社会信用代码 of the party that may read, e.g. the shipper's bank"
    )
    purpose: Purpose = Field(description="用途, e.g. 供应链金融贸易真实性核验")
    valid_until: AwareDatetime = Field(
        description="the end of the period (exclusive), at most one year ahead"
    )
    valid_from: AwareDatetime | None = Field(default=None, description="the start; now when left out")


class ShareRead(BaseModel):
    """A share as its grantor or recipient sees it."""

    id: uuid.UUID
    waybill: str
    recipient_party_id: uuid.UUID
    recipient_name: str
    granted_by_party_id: uuid.UUID
    granted_by_name: str
    purpose: str
    valid_from: datetime
    valid_until: datetime
    revoked_at: datetime | None
    active: bool
    ledger_index: int | None
    revoked_ledger_index: int | None


class SharedWaybill(BaseModel):
    """A waybill shared with the caller, with its chain of custody verified now (真实贸易核验)."""

    share: ShareRead
    status: str
    consignor_uscc: str
    consignee_uscc: str
    custody: CustodyReport
