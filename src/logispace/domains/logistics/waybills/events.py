"""Waybill events (运单事件): what a waybill step announces for higher domains to react to.

Published on :data:`logispace.core.events.bus` at the end of the step, inside its transaction and only
when someone subscribed. The control tower keeps its measures up to date on it (``app/wiring.py``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True)
class WaybillChanged:
    """A waybill was created or took a step (运单已变更): its legs, containers or status may have changed."""

    waybill_id: uuid.UUID
    action: str
