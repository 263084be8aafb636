"""Identifier checks (标识符校验) of public registries, with the reason a value fails.

Each ``check_*`` returns the compact, canonical form or raises :class:`IdentifierError` with a
sentence naming what is wrong.
"""

from __future__ import annotations

from stdnum.cn import uscc as _uscc


class IdentifierError(ValueError):
    """An identifier is malformed; the message says how."""


USCC_CATEGORIES: dict[str, tuple[str, str]] = {
    "1": ("机构编制", "1239"),  # 机关, 事业单位, 中央编办直接管理机构编制的群众团体, 其他
    "2": ("外交", "19"),  # 外国常驻新闻机构, 其他
    "3": ("司法行政", "123459"),  # 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": ("文化", "19"),  # 外国在华文化中心, 其他
    "5": ("民政", "1239"),  # 社会团体, 民办非企业单位, 基金会, 其他
    "6": ("旅游", "129"),  # 外国旅游部门常驻代表机构, 港澳台地区旅游部门常驻内地（大陆）代表机构, 其他
    "7": ("宗教", "129"),  # 宗教活动场所, 宗教院校, 其他
    "8": ("工会", "19"),  # 基层工会, 其他
    "9": ("工商", "123"),  # 企业, 个体工商户, 农民专业合作社
    "A": ("中央军委改革和编制办公室", "19"),  # 军队事业单位, 其他
    "N": ("农业", "1239"),  # 组级、村级、乡镇级集体经济组织, 其他
    "Y": ("其他", "1"),
}
"""登记管理部门代码 -> (the department, its 机构类别代码): GB 32100-2015 附录 A, table A.1."""

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

_USCC_FIRST = "".join(USCC_CATEGORIES)
_USCC_SECOND = "".join(sorted({c for _, categories in USCC_CATEGORIES.values() for c in categories}))
USCC_JSON_SCHEMA: dict[str, object] = {
    "format": "uscc",
    "pattern": f"^[{_USCC_FIRST}][{_USCC_SECOND}][0-9]{{6}}[0-9A-HJ-NPQRTUWXY]{{10}}$",
}
"""How an API schema describes a USCC: its characters by position; the ``uscc`` format adds what a pattern
cannot state (the department's category codes, the check character of GB 32100-2015)."""


def _alternatives(codes: str) -> str:
    return codes if len(codes) == 1 else ", ".join(codes[:-1]) + " or " + codes[-1]


def check_uscc(value: str) -> str:
    """统一社会信用代码 (GB 32100-2015): registration department code (1st character: 1-9, A, N or Y),
    organisation category code (2nd, one of the department's), administrative division code (3rd-8th,
    six digits), subject identifier (9th-17th) and check character (18th)."""
    compact = str(_uscc.compact(value))
    if len(compact) != 18:
        raise IdentifierError("a unified social credit code has 18 characters")
    department, category = compact[0], compact[1]
    if department not in USCC_CATEGORIES:
        raise IdentifierError(
            f"unified social credit code {compact}: the registration department code (登记管理部门代码) "
            f"{department!r} is not one of 1-9, A, N or Y"
        )
    name, categories = USCC_CATEGORIES[department]
    if category not in categories:
        raise IdentifierError(
            f"unified social credit code {compact}: the organisation category code (机构类别代码) "
            f"{category!r} is not used under registration department {department} ({name}), "
            f"which takes {_alternatives(categories)}"
        )
    if not compact[2:8].isdigit() or not compact[2:8].isascii():
        raise IdentifierError(
            f"unified social credit code {compact}: characters 3-8 are the administrative division code "
            "(登记管理机关行政区划码), six digits"
        )
    if any(c not in _USCC_ALPHABET for c in compact[8:]):
        raise IdentifierError(
            "a unified social credit code uses digits and the letters A-Y except I, O, S, V and Z"
        )
    expected = str(_uscc.calc_check_digit(compact[:17]))
    if compact[17] != expected:
        raise IdentifierError(
            f"the check character of unified social credit code {compact} is wrong "
            f"(expected {expected}, got {compact[17]})"
        )
    return compact


def uscc_with_check_character(first17: str) -> str:
    """Complete 17 characters into a valid USCC by appending its check character."""
    return first17 + str(_uscc.calc_check_digit(first17))
