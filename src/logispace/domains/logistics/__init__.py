"""Logistics (物流): EPCIS 2.0 capture and query of tracking events (issue 5).

Built so far: the EPCIS 2.0 REST binding under ``/epcis`` (capture, capture jobs, the simple event
query, events by EPC, event types, business steps) and the CBV 2.0 event hash ID.
"""

from logispace.domains.logistics.api import router as api_router
from logispace.domains.logistics.hashing import event_hash_id, pre_hash

__all__ = ["api_router", "event_hash_id", "pre_hash"]
