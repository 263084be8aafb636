"""DCSA Track & Trace 2.2 events (DCSA 箱货跟踪事件) -> EPCIS 2.0 ObjectEvents.

Mapping (docs/logistics.md has the table):

* EQUIPMENT events observe the container (``equipmentReference``) as the EPC
  ``urn:logispace:container:<number>``; ``equipmentEventTypeCode`` gives the CBV bizStep
  (LOAD loading, DISC unloading, GTIN arriving, GTOT departing, STUF packing, STRP unpacking,
  PICK departing, DROP arriving, INSP inspecting; others keep no bizStep).
* TRANSPORT events observe the vessel (or other means) of the transport call: ARRI arriving,
  DEPA departing; the EPC is ``urn:logispace:vessel:<IMO number>`` or the transport call ID.
* SHIPMENT events observe the document (booking, transport document ...) as
  ``urn:logispace:dcsa-document:<type>:<id>``; no bizStep.

The location (``eventLocation`` or the transport call) becomes the readPoint: a geo URI when
coordinates are given, else ``urn:logispace:unlocode:<code>``. Document references become the
bizTransactionList (TRD as ``bol``). DCSA codes are kept as ``ls:`` extension fields.

Only actual events (``eventClassifierCode`` ACT) are observations; planned and estimated ones are
reported and left out. A container number that fails ISO 6346 is kept with a warning (DCSA
samples often carry such numbers). The field names follow DCSA TNT 2.2 as remembered, without
the specification at hand: check against the OpenAPI before relying on rarer fields.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote

from logispace.core.identifiers import IdentifierError
from logispace.core.transport_ids import check_container
from logispace.domains.logistics.intake.adapters import (
    CONTAINER_URN,
    LOCODE_URN,
    Issue,
    Mapped,
    epcis_document,
)

EQUIPMENT_BIZ_STEPS = {
    "LOAD": "loading",
    "DISC": "unloading",
    "GTIN": "arriving",
    "GTOT": "departing",
    "STUF": "packing",
    "STRP": "unpacking",
    "PICK": "departing",
    "DROP": "arriving",
    "INSP": "inspecting",
}
TRANSPORT_BIZ_STEPS = {"ARRI": "arriving", "DEPA": "departing"}
VESSEL_URN = "urn:logispace:vessel:"
DOCUMENT_URN = "urn:logispace:dcsa-document:"
BIZ_TRANSACTION_URN = "urn:logispace:dcsa-reference:"


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset()
    if delta is None:
        raise ValueError("eventDateTime has no UTC offset")
    minutes = int(delta.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _read_point(location: Any) -> dict[str, str] | None:
    if not isinstance(location, dict):
        return None
    lat, lon = location.get("latitude"), location.get("longitude")
    if lat is not None and lon is not None:
        return {"id": f"geo:{float(lat)},{float(lon)}"}
    code = location.get("UNLocationCode")
    if isinstance(code, str) and code:
        return {"id": LOCODE_URN + quote(code.replace(" ", "").upper(), safe="")}
    return None


def _biz_transactions(event: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for ref in event.get("documentReferences") or []:
        kind, value = ref.get("documentReferenceType"), ref.get("documentReferenceValue")
        if not isinstance(kind, str) or not isinstance(value, str):
            continue
        item = {"bizTransaction": f"{BIZ_TRANSACTION_URN}{quote(kind, safe='')}:{quote(value, safe='')}"}
        if kind == "TRD":
            item = {"type": "bol", **item}
        out.append(item)
    return out


def _container(event: dict[str, Any], where: str, warnings: list[Issue]) -> str:
    raw = event.get("equipmentReference")
    if not isinstance(raw, str) or not raw.strip():
        raise ValueError("an equipment event needs equipmentReference")
    try:
        number = check_container(raw)
    except IdentifierError as exc:
        number = raw.replace(" ", "").upper()
        warnings.append(Issue(where, f"{exc}; kept as given"))
    return CONTAINER_URN + quote(number, safe="")


def _subject(
    event: dict[str, Any], where: str, warnings: list[Issue]
) -> tuple[str, str | None, dict[str, Any]]:
    """The observed EPC, the bizStep and the DCSA extension fields of one event."""
    kind = event.get("eventType")
    if kind == "EQUIPMENT":
        code = event.get("equipmentEventTypeCode")
        ext = {"ls:equipmentEventTypeCode": code}
        if event.get("emptyIndicatorCode"):
            ext["ls:emptyIndicatorCode"] = event["emptyIndicatorCode"]
        if event.get("ISOEquipmentCode"):
            ext["ls:isoEquipmentCode"] = event["ISOEquipmentCode"]
        return _container(event, where, warnings), EQUIPMENT_BIZ_STEPS.get(str(code)), ext
    if kind == "TRANSPORT":
        code = event.get("transportEventTypeCode")
        call = event.get("transportCall") or {}
        vessel = call.get("vessel") or {}
        ident = vessel.get("vesselIMONumber") or call.get("transportCallID")
        if not ident:
            raise ValueError(
                "a transport event needs transportCall.vessel.vesselIMONumber or transportCallID"
            )
        ext = {"ls:transportEventTypeCode": code}
        if call.get("modeOfTransport"):
            ext["ls:modeOfTransport"] = call["modeOfTransport"]
        return VESSEL_URN + quote(str(ident), safe=""), TRANSPORT_BIZ_STEPS.get(str(code)), ext
    if kind == "SHIPMENT":
        doc_type, doc_id = event.get("documentTypeCode"), event.get("documentID")
        if not doc_type or not doc_id:
            raise ValueError("a shipment event needs documentTypeCode and documentID")
        ext = {
            "ls:shipmentEventTypeCode": event.get("shipmentEventTypeCode"),
            "ls:documentTypeCode": doc_type,
        }
        return f"{DOCUMENT_URN}{quote(str(doc_type), safe='')}:{quote(str(doc_id), safe='')}", None, ext
    raise ValueError(f"unknown eventType {kind!r} (expected EQUIPMENT, TRANSPORT or SHIPMENT)")


def map_event(event: dict[str, Any], where: str, warnings: list[Issue]) -> dict[str, Any]:
    """One DCSA event as an EPCIS ObjectEvent; ``ValueError`` says why it cannot be mapped."""
    try:
        moment = datetime.fromisoformat(str(event["eventDateTime"]).replace("Z", "+00:00"))
    except (KeyError, ValueError):
        raise ValueError("eventDateTime is missing or not an ISO 8601 timestamp") from None
    epc, biz_step, ext = _subject(event, where, warnings)
    out: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventTime": moment.isoformat(),
        "eventTimeZoneOffset": _offset(moment),
        "epcList": [epc],
        "action": "OBSERVE",
    }
    with contextlib.suppress(ValueError):
        out["eventID"] = uuid.UUID(str(event.get("eventID"))).urn
    if biz_step:
        out["bizStep"] = biz_step
    location = event.get("eventLocation") or event.get("transportCall")
    read_point = _read_point(location)
    if read_point:
        out["readPoint"] = read_point
    transactions = _biz_transactions(event)
    if transactions:
        out["bizTransactionList"] = transactions
    out["ls:dcsaEventType"] = event.get("eventType")
    out.update({k: v for k, v in ext.items() if v is not None})
    return out


def map_events(events: list[dict[str, Any]], created: str) -> Mapped:
    """DCSA T&T events as one EPCIS document; unmappable events are listed as errors by index."""
    warnings: list[Issue] = []
    errors: list[Issue] = []
    mapped: list[dict[str, Any]] = []
    for i, event in enumerate(events):
        where = f"event {i}"
        if not isinstance(event, dict):
            errors.append(Issue(where, "not a JSON object"))
            continue
        classifier = event.get("eventClassifierCode", "ACT")
        if classifier != "ACT":
            warnings.append(
                Issue(where, f"eventClassifierCode {classifier} is not an actual event; not captured")
            )
            continue
        try:
            mapped.append(map_event(event, where, warnings))
        except ValueError as exc:
            errors.append(Issue(where, str(exc)))
        except (TypeError, AttributeError) as exc:  # a member of the wrong JSON type
            errors.append(Issue(where, f"a member has the wrong JSON type: {exc}"))
    return Mapped(epcis_document(mapped, created, {}), warnings, errors)
