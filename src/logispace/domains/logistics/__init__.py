"""Logistics (物流): EPCIS 2.0 capture and query of tracking events (issue 5).

Built so far: the EPCIS 2.0 REST binding under ``/epcis`` (capture, capture jobs, the simple event
query, events by EPC, event types, business steps), the CBV 2.0 event hash ID, the intake of DCSA
events and vehicle GPS CSV (API and CLI) and the full-chain trace of an EPC or container.
"""

from logispace.domains.logistics.api import router as api_router
from logispace.domains.logistics.hashing import event_hash_id, pre_hash
from logispace.domains.logistics.intake_api import router as intake_api_router
from logispace.domains.logistics.intake_cli import app as intake_cli
from logispace.domains.logistics.trace_api import router as trace_api_router

__all__ = ["api_router", "event_hash_id", "intake_api_router", "intake_cli", "pre_hash", "trace_api_router"]
