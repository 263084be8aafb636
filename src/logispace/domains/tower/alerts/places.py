"""Coordinates of handover points (交接地点坐标): kept in :mod:`logispace.core.places`, shared with
dispatch; the planned route of a leg runs straight between its origin's and destination's."""

from logispace.core.places import PLACES, coordinates

__all__ = ["PLACES", "coordinates"]
