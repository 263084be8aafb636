"""Factories for multimodal waybills (一单制) and containers (一箱制): request bodies and numbers."""

from __future__ import annotations

import itertools
from typing import Any

from logispace.core.transport_ids import container_with_check_digit

_serial = itertools.count(100)
# Handover points of the Qinzhou sea-rail corridor: 钦州市 -> 钦州港 -> 重庆团结村 -> 渝北区.
POINTS = ("450702", "CNQZH", "CNCKG", "500112")
MODES = ("road", "rail", "road")


def container_number(owner: str = "LSPU") -> str:
    """A fresh container number with a correct ISO 6346 check digit."""
    return container_with_check_digit(f"{owner}{next(_serial):06d}")


def waybill_number() -> str:
    return f"MT2026{next(_serial):08d}"


def waybill_body(
    *,
    consignor: str,
    consignee: str,
    carriers: list[str],
    containers: list[str] | None = None,
    number: str | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """A waybill draft body with one leg per carrier along :data:`POINTS`."""
    body: dict[str, Any] = {
        "waybill_no": number or waybill_number(),
        "consignor_uscc": consignor,
        "consignee_uscc": consignee,
        "legs": [
            {"mode": MODES[n], "carrier_uscc": carrier, "origin": POINTS[n], "destination": POINTS[n + 1]}
            for n, carrier in enumerate(carriers)
        ],
        "cargo": [
            {"description": "冷冻榴莲 frozen durian", "packages": 1200, "gross_weight_kg": 21500.5},
            {
                "description": "锂电池 lithium batteries",
                "packages": 40,
                "gross_weight_kg": 800,
                "dangerous_goods_class": "9",
                "un_number": "UN3480",
            },
        ],
        "containers": containers if containers is not None else [container_number()],
        "temperature": {"min_c": -20, "max_c": -15},
    }
    body.update(changes)
    return body
