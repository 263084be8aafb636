"""Coordinates of handover points (交接地点坐标), domain-free reference data like the division names.

The control tower draws a leg's planned route straight between the coordinates of its origin and
destination (a place not listed has no planned route, so the route-deviation rule does not judge legs
that start or end there); dispatch places the pickup and drop of a load made from a waybill draft.

UN/LOCODE ports and rail terminals of the corridors on the platform, and the division codes
(GB/T 2260) of the cities their trucks serve; degrees, WGS 84.
"""

from __future__ import annotations

PLACES: dict[str, tuple[float, float]] = {
    "CNQZH": (21.70, 108.61),  # 钦州港
    "CNCKG": (29.60, 106.37),  # 重庆团结村
    "CNFAN": (21.61, 108.35),  # 防城港
    "CNBHY": (21.48, 109.10),  # 北海港
    "SGSIN": (1.26, 103.84),  # 新加坡
    "VNHPH": (20.86, 106.68),  # 越南海防
    "DEDUI": (51.43, 6.76),  # 德国杜伊斯堡
    "450100": (22.82, 108.32),  # 南宁市
    "450700": (21.98, 108.65),  # 钦州市
    "450702": (21.95, 108.62),  # 钦州市钦南区
    "450900": (22.65, 110.15),  # 玉林市
    "500112": (29.72, 106.63),  # 重庆市渝北区
    "510100": (30.66, 104.07),  # 成都市
}


def coordinates(code: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a handover point, or None when it is not known."""
    return PLACES.get(code)
