"""Intake adapters (数据接入适配器): pure mappings of outside formats onto EPCIS events and waybills.

* :mod:`.dcsa` DCSA Track & Trace 2.2 events -> EPCIS 2.0 ObjectEvents.
* :mod:`.gps_csv` vehicle GPS points (CSV) -> EPCIS 2.0 ObjectEvents with geo read points.
* :mod:`.ewaybill` 网络货运 electronic waybill -> a waybill draft (``waybills.policies.WaybillDraft``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
LS_NS = "https://logispace.example.org/ns/logistics/"
"""Namespace of LogiSpace's EPCIS extension fields (prefix ``ls``)."""
CONTAINER_URN = "urn:logispace:container:"
VEHICLE_URN = "urn:logispace:vehicle:"
LOCODE_URN = "urn:logispace:unlocode:"


@dataclass(frozen=True)
class Issue:
    """A warning or error about one input item: where (index or CSV line) and what."""

    where: str
    message: str


@dataclass
class Mapped:
    """An EPCIS document built by an adapter, the warnings kept and the items refused."""

    document: dict[str, Any]
    warnings: list[Issue] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)


def epcis_document(
    events: list[dict[str, Any]], created: str, extra_context: dict[str, str]
) -> dict[str, Any]:
    """An EPCISDocument around ``events`` (the shape the capture API accepts)."""
    return {
        "@context": [EPCIS_CONTEXT, {"ls": LS_NS, **extra_context}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": created,
        "epcisBody": {"eventList": events},
    }
