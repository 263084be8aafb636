"""Logistics nodes with coordinates (物流节点坐标): the handover points of the platform's corridors, for
leg distances when a leg has none recorded and for the corridor map (drawn from these coordinates)."""

from __future__ import annotations

from collections.abc import Mapping

from logispace.domains.tower.kpis.measures import Node

NODES: Mapping[str, Node] = {
    n.code: n
    for n in (
        Node("CNQZH", 21.70, 108.61),
        Node("CNCKG", 29.60, 106.37),
        Node("500112", 29.72, 106.63),
        Node("510100", 30.66, 104.07),
        Node("450100", 22.82, 108.32),
        Node("450900", 22.65, 110.15),
        Node("450702", 21.95, 108.62),
        Node("SGSIN", 1.26, 103.84),
        Node("VNHPH", 20.86, 106.68),
        Node("DEDUI", 51.43, 6.76),
    )
}
"""Coordinates (WGS 84, degrees) of the corridor nodes: 钦州港, 重庆团结村, 渝北区, 成都, 南宁, 玉林, 钦南区,
Singapore, Haiphong, Duisburg."""
