"""The map of a trace (轨迹图): the route and GPS track of a waybill or container, as the JSON the
page's chart script draws (longitude and latitude axes; nothing fetched from outside).

Each leg is a polyline of its means' GPS points, oldest first; the current position is a point of
its own. A leg without points is left out; a trace without any is no map (``None``).
"""

from __future__ import annotations

import json

from logispace.domains.logistics.trace.schemas import Position, TraceRead, WaybillTraceRead

MAX_POINTS = 2000
"""Points drawn per leg at most: a longer track is thinned evenly, its first and last point kept."""


def _thin(points: list[Position]) -> list[list[float]]:
    if len(points) > MAX_POINTS:
        step = (len(points) - 1) / (MAX_POINTS - 1)
        points = [points[round(i * step)] for i in range(MAX_POINTS)]
    return [[round(p.longitude, 6), round(p.latitude, 6)] for p in points]


def _document(legs: list[dict[str, object]], position: Position | None) -> str | None:
    if not legs and position is None:
        return None
    here = [round(position.longitude, 6), round(position.latitude, 6)] if position is not None else None
    return json.dumps({"legs": legs, "position": here}, ensure_ascii=False)


def waybill_map(trace: WaybillTraceRead) -> str | None:
    """The waybill's legs (sequence, mode, origin, destination, track) and its latest position."""
    legs: list[dict[str, object]] = [
        {
            "sequence": leg.sequence,
            "mode": leg.mode,
            "from": leg.origin,
            "to": leg.destination,
            "points": _thin(leg.track),
        }
        for leg in trace.legs
        if leg.track
    ]
    return _document(legs, trace.position)


def container_map(trace: TraceRead) -> str | None:
    """The container's observed legs (each means it rode on) and its latest position."""
    legs: list[dict[str, object]] = [
        {"sequence": i, "mode": leg.mode, "from": None, "to": None, "points": _thin(leg.track)}
        for i, leg in enumerate(trace.legs, start=1)
        if leg.track
    ]
    return _document(legs, trace.position)
