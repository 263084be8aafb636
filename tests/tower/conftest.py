"""Fixtures of the alert tests: the waybill corridor's parties and a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from logispace.core.clock import set_clock
from tests.logistics.waybill_support import corridor  # noqa: F401  (the parties of a waybill)
from tests.tower.alert_support import ISSUE, Clock


@pytest.fixture
def clock() -> Iterator[Clock]:
    fixed = Clock(ISSUE)
    set_clock(fixed)
    yield fixed
    set_clock(None)
