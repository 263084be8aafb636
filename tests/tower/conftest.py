"""Fixtures of the control-tower tests: the parties of a waybill corridor and a hand-made shipment."""

from tests.logistics.waybill_support import corridor  # noqa: F401  (the parties of the waybill)
from tests.tower.support import shipment  # noqa: F401  (the hand-made shipment)
