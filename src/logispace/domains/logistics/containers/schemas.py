"""Container bodies (集装箱报文, 一箱制): master data to register and a container with its history."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from logispace.domains.logistics.containers.policies import SIZE_TYPE_PATTERN, check_size_type
from logispace.domains.logistics.waybills.policies import ContainerNumber, Status
from logispace.domains.logistics.waybills.schemas import LegRead, TransitionRead

SizeType = Annotated[
    str, AfterValidator(check_size_type), Field(json_schema_extra={"pattern": SIZE_TYPE_PATTERN})
]


class ContainerCreate(BaseModel):
    """Container master data to register (集装箱主数据登记): the caller's party's own record of the box."""

    model_config = ConfigDict(extra="forbid")

    number: ContainerNumber
    size_type: SizeType = Field(description="ISO 6346 size-type code, e.g. 22G1, 45G1, 22R1")


class ContainerUse(BaseModel):
    """A container on one waybill (箱单关联): when, the waybill's status, legs and steps."""

    waybill_no: str
    status: Status
    assigned_at: datetime
    released_at: datetime | None
    legs: list[LegRead]
    transitions: list[TransitionRead]


class ContainerRead(BaseModel):
    """A container (集装箱, 一箱制): master data, the waybill holding it now, its history."""

    number: str
    owner_code: str
    owner_party_id: uuid.UUID | None = Field(
        description="the caller's party when it registered the box (its own master data), else the owner"
        " of record, the first party to register it (null: unregistered)"
    )
    size_type: str | None = Field(description="from the same registration as owner_party_id")
    size_type_description: str | None
    registered_at: datetime | None = Field(description="when that registration put the box in service")
    current_waybill: str | None = Field(description="the issued, not yet closed waybill holding it")
    history: list[ContainerUse] = Field(description="oldest first; waybills the caller may see")
