"""Vehicle GPS points (车辆定位数据, CSV) -> EPCIS 2.0 ObjectEvents.

Columns: ``plate,time,longitude,latitude,speed`` (a header line with these names is required;
extra columns are ignored). Each good row becomes an OBSERVE ObjectEvent of the vehicle
``urn:logispace:vehicle:<plate, percent-encoded>`` with bizStep ``transporting``, disposition
``in_transit``, readPoint ``geo:<latitude>,<longitude>`` (RFC 5870) and ``ls:speedKmh``. A time
without a UTC offset is read as Beijing time (+08:00). Bad rows are reported with their line
number (the header is line 1) and never dropped silently.
"""

from __future__ import annotations

import csv
import io
import math
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

from logispace.core.identifiers import IdentifierError
from logispace.core.transport_ids import check_plate
from logispace.domains.logistics.intake.adapters import VEHICLE_URN, Issue, Mapped, epcis_document

COLUMNS = ("plate", "time", "longitude", "latitude", "speed")
BEIJING = timezone(timedelta(hours=8))
MAX_SPEED_KMH = 200.0


def _number(row: dict[str, str], name: str, low: float, high: float) -> float:
    try:
        value = float(row[name])
    except (TypeError, ValueError):
        raise ValueError(f"{name} {row.get(name)!r} is not a number") from None
    if not math.isfinite(value) or not low <= value <= high:
        raise ValueError(f"{name} {value} is outside {low}..{high}")
    return value


def _event(row: dict[str, str]) -> dict[str, Any]:
    try:
        plate = check_plate(row["plate"] or "")
    except IdentifierError as exc:
        raise ValueError(str(exc)) from None
    try:
        moment = datetime.fromisoformat((row["time"] or "").strip())
    except ValueError:
        raise ValueError(f"time {row['time']!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    lon = _number(row, "longitude", -180.0, 180.0)
    lat = _number(row, "latitude", -90.0, 90.0)
    speed = _number(row, "speed", 0.0, MAX_SPEED_KMH)
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return {
        "type": "ObjectEvent",
        "eventTime": moment.isoformat(),
        "eventTimeZoneOffset": f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}",
        "epcList": [VEHICLE_URN + quote(plate.text, safe="")],
        "action": "OBSERVE",
        "bizStep": "transporting",
        "disposition": "in_transit",
        "readPoint": {"id": f"geo:{lat},{lon}"},
        "ls:plate": plate.text,
        "ls:plateKind": str(plate.kind),
        "ls:speedKmh": speed,
    }


def map_csv(text: str, created: str) -> Mapped:
    """GPS points as one EPCIS document; each bad row is an error naming its line."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return Mapped(
            epcis_document([], created, {}),
            errors=[Issue("line 1", f"missing columns: {', '.join(missing)}")],
        )
    reader.fieldnames = header
    events: list[dict[str, Any]] = []
    errors: list[Issue] = []
    for row in reader:
        line = f"line {reader.line_num}"
        try:
            events.append(_event({k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}))
        except ValueError as exc:
            errors.append(Issue(line, str(exc)))
    return Mapped(epcis_document(events, created, {}), errors=errors)
