"""Bodies of the ETA route (预计到达时间接口)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class LegEta(BaseModel):
    """A leg with its actual or predicted arrival (区段预计到达)."""

    sequence: int
    mode: str
    origin: str
    destination: str
    departed_at: datetime | None
    arrived_at: datetime | None
    predicted_arrival: datetime | None = Field(description="None once the leg has arrived")
    method: str | None = Field(description="baseline (corridor history) or gps (last position and speed)")
    inputs: dict[str, Any] | None


class PredictionRead(BaseModel):
    """A stored prediction (预测记录) and, once its leg arrived, its error in hours."""

    leg: int
    predicted_at: datetime
    predicted_arrival: datetime
    method: str
    error_h: float | None


class EtaRead(BaseModel):
    """ETA of a waybill (运单预计到达): each leg, the final arrival, and the prediction history."""

    waybill: str
    status: str
    corridor: str
    predicted_at: datetime
    arrival: datetime | None = Field(description="the last leg's actual or predicted arrival")
    legs: list[LegEta]
    history: list[PredictionRead]
