"""Hand-made bookings for the forecast tests (需求预测): three waybills of one corridor, 30 hours apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from logispace.domains.logistics.waybills.models import Waybill
from tests.logistics.waybill_support import Corridor, create

CORRIDOR = "450702-500112"
BOOKED = datetime(2026, 11, 14, 0, 20, tzinfo=UTC)
DURIAN = "冷冻榴莲 frozen durian"


@pytest.fixture
def booked(client: TestClient, corridor: Corridor, db: Session) -> Corridor:
    """Three waybills of the corridor's shipper, booked at 0 h, 30 h and 60 h: 61 hourly points."""
    for n in range(3):
        number = create(client, corridor.shipper, corridor.body())["number"]
        at = BOOKED + timedelta(hours=30 * n)
        db.execute(update(Waybill).where(Waybill.number == number).values(created_at=at))
    db.commit()
    return corridor
