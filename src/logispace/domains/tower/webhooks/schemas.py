"""Webhook bodies (推送地址)."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class WebhookCreate(BaseModel):
    """A webhook to add: where alerts of the caller's party are posted."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        min_length=1,
        max_length=2000,
        pattern=r"^[Hh][Tt][Tt][Pp][Ss]?://\S+$",
        description="http(s) URL of a public host, without white space",
    )
    description: str | None = Field(default=None, max_length=200)


class WebhookRead(BaseModel):
    """A webhook as stored (its secret is shown once, when it is created)."""

    id: uuid.UUID
    url: str
    description: str | None
    active: bool
    created_at: datetime


class WebhookCreated(WebhookRead):
    """The new webhook and its signing secret, shown only now."""

    secret: str = Field(description="HMAC-SHA256 key of X-LogiSpace-Signature; shown only once")


class DeliveryRead(BaseModel):
    """A delivery of the outbox (推送记录)."""

    id: int
    topic: str
    status: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
