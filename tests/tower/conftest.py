"""Fixtures of the control-tower tests: the parties of a waybill corridor, a hand-made shipment (KPIs and
ETA) and a fixed clock (alerts)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from logispace.core.clock import set_clock
from tests.logistics.waybill_support import corridor  # noqa: F401  (the parties of the waybill)
from tests.tower.alert_support import ISSUE, Clock
from tests.tower.support import shipment  # noqa: F401  (the hand-made shipment)
from tests.tower.volume_support import booked  # noqa: F401  (three bookings 30 hours apart)


@pytest.fixture
def clock() -> Iterator[Clock]:
    fixed = Clock(ISSUE)
    set_clock(fixed)
    yield fixed
    set_clock(None)
