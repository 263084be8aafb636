"""Capture events (采集事件): what the EPCIS capture announces for higher domains to react to.

Published on :data:`logispace.core.events.bus` at the end of a capture, inside its transaction and
only when someone subscribed, so a rolled-back capture leaves no reaction and a capture nobody
watches pays nothing. The control tower's alert rules subscribe (``app/wiring.py``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CapturedEvent:
    """One stored EPCIS event: its row id, time, indexed fields and the JSON as captured."""

    pk: int
    event_time: datetime
    event_type: str
    action: str | None
    biz_step: str | None
    read_point: str | None
    body: dict[str, Any]


@dataclass(frozen=True)
class EventsCaptured:
    """A capture stored these events for ``party_id`` (事件已采集), in document order."""

    party_id: uuid.UUID
    capture_id: uuid.UUID
    events: tuple[CapturedEvent, ...]
