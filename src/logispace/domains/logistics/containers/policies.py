"""Container master data rules (集装箱主数据规则, 一箱制): ISO 6346 size-type codes; pure, no session.

The owner code of a container number is :func:`..waybills.policies.owner_code` (waybills create
the master data of a container they name first).

A size-type code (尺寸类型代码) is four characters: length, height/width, and a type code of a
group letter and a detail digit (ISO 6346:1995 section 4), e.g. ``22G1`` (20 ft, 8 ft 6 in,
general purpose), ``45G1`` (40 ft high cube), ``22R1`` (20 ft reefer).
"""

from __future__ import annotations

import re

LENGTHS = {
    "1": "10 ft",
    "2": "20 ft",
    "3": "30 ft",
    "4": "40 ft",
    "B": "24 ft",
    "C": "24 ft 6 in",
    "G": "41 ft",
    "H": "43 ft",
    "L": "45 ft",
    "M": "48 ft",
    "N": "49 ft",
}
HEIGHTS = {
    "0": "8 ft",
    "2": "8 ft 6 in",
    "4": "9 ft",
    "5": "9 ft 6 in",
    "6": "> 9 ft 6 in",
    "8": "4 ft 3 in",
    "9": "≤ 4 ft",
    "C": "8 ft 6 in, width 2.438-2.5 m",
    "D": "9 ft, width 2.438-2.5 m",
    "E": "9 ft 6 in, width 2.438-2.5 m",
    "L": "8 ft 6 in, width > 2.5 m",
    "M": "9 ft, width > 2.5 m",
    "N": "9 ft 6 in, width > 2.5 m",
}
TYPE_GROUPS = {
    "G": "general purpose (通用箱)",
    "V": "ventilated (通风箱)",
    "B": "dry bulk (散货箱)",
    "S": "named cargo (专用箱)",
    "R": "refrigerated (冷藏箱)",
    "H": "insulated (保温箱)",
    "U": "open top (开顶箱)",
    "P": "platform / flat rack (台架箱)",
    "T": "tank (罐式箱)",
    "A": "air/surface (空陆水联运箱)",
}
_SIZE_TYPE = re.compile(f"[{''.join(LENGTHS)}][{''.join(HEIGHTS)}][{''.join(TYPE_GROUPS)}][0-9]")
SIZE_TYPE_PATTERN = f"^{_SIZE_TYPE.pattern}$"
"""The size-type code as an API schema states it (upper case; the check also takes lower case)."""


def check_size_type(value: str) -> str:
    """尺寸类型代码 (ISO 6346): length, height, type group and detail, e.g. ``22G1``, ``45R1``."""
    code = value.strip().upper()
    if not _SIZE_TYPE.fullmatch(code):
        raise ValueError(
            f"size-type code {value!r}: ISO 6346 length, height, type group and digit, e.g. 22G1, 45G1, 22R1"
        )
    return code


def describe_size_type(code: str) -> str:
    """A readable description of a checked size-type code: ``20 ft, 8 ft 6 in, general purpose``."""
    return f"{LENGTHS[code[0]]}, {HEIGHTS[code[1]]}, {TYPE_GROUPS[code[2]]}"
