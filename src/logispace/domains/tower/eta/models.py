"""Stored ETA predictions (到达时间预测记录): kept so that their accuracy is measured once the leg arrives."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.db import Base, IdMixin


class EtaPrediction(IdMixin, Base):
    """ETA prediction (预计到达时间): of one open leg of a waybill, at ``predicted_at``.

    ``method`` is ``baseline`` (the corridor's history only) or ``gps`` (refined by the last position
    and speed); ``inputs`` holds what the model used (history size, quantiles, last point, speed).
    """

    __tablename__ = "tower_eta_predictions"
    __table_args__ = (Index("ix_tower_eta_predictions_waybill_leg", "waybill_id", "leg", "predicted_at"),)

    waybill_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("waybills.id", ondelete="RESTRICT"))
    leg: Mapped[int] = mapped_column(Integer)
    predicted_at: Mapped[datetime] = mapped_column()
    predicted_arrival: Mapped[datetime] = mapped_column()
    method: Mapped[str] = mapped_column(String(20))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
