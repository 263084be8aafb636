"""Transport identifiers (运输标识校验): containers, licence plates, handover points.

* ISO 6346 container numbers (集装箱箱号) through python-stdnum's ``stdnum.iso6346``.
* PRC motor vehicle plates (机动车号牌) per GA 36-2018 《中华人民共和国机动车号牌》.
* UN/LOCODE (联合国贸易和运输地点代码, UNECE Recommendation 16) and the platform location code: a
  GB/T 2260 administrative division code (行政区划代码, six digits), the place code that the
  网络货运 electronic waybill carries.

Each ``check_*`` returns the canonical form (or a small record) or raises
:class:`~logispace.core.identifiers.IdentifierError` with a sentence naming the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from stdnum import iso6346 as _iso6346
from stdnum.exceptions import InvalidChecksum, ValidationError

from logispace.core.identifiers import IdentifierError

# --- ISO 6346 -------------------------------------------------------------------------------------


_LATIN_CAPITALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
EQUIPMENT_CATEGORIES = "UJZ"
"""ISO 6346 equipment category identifiers: U freight container, J detachable freight container-related
equipment, Z trailer or chassis. (R is no category: it marks a reefer in the size-type code, 22R1.)"""


def _container_part_error(compact: str) -> str | None:
    """What is wrong with one part of an 11-character number, or None (python-stdnum's pattern takes
    any word character for the owner code and R as a category, which ISO 6346 does not)."""
    owner, category, serial, check = compact[:3], compact[3], compact[4:10], compact[10]
    if not set(owner) <= _LATIN_CAPITALS:
        return f"the owner code must be 3 Latin capital letters A-Z, got {owner!r}"
    if category not in EQUIPMENT_CATEGORIES:
        return (
            "the equipment category (4th character) must be the category letter U, J or Z "
            f"(container, detachable equipment, trailer or chassis), got {category!r}"
        )
    if not (serial.isascii() and serial.isdigit()):
        return f"the serial number (characters 5-10) must be 6 digits, got {serial!r}"
    if not (check.isascii() and check.isdigit()):
        return f"the check digit (11th character) must be a digit, got {check!r}"
    return None


CONTAINER_JSON_SCHEMA: dict[str, object] = {"format": "iso6346", "pattern": "^[A-Z]{3}[UJZ][0-9]{7}$"}
"""How an API schema describes a container number; the ``iso6346`` format adds the check digit."""


def check_container(value: str) -> str:
    """集装箱箱号 (ISO 6346): owner code (3 Latin letters), equipment category (U, J or Z), 6 digits,
    check digit.

    Returns the compact upper-case number; the error names the container and the part that is wrong,
    and for a wrong check digit the expected one.
    """
    compact = str(_iso6346.compact(value))
    part_error = _container_part_error(compact) if len(compact) == 11 else None
    if part_error is not None:
        raise IdentifierError(f"container {compact}: {part_error}")
    try:
        return str(_iso6346.validate(compact))
    except InvalidChecksum:
        expected = _iso6346.calc_check_digit(compact[:10])
        raise IdentifierError(
            f"container {compact}: the ISO 6346 check digit is wrong (expected {expected}, got {compact[10]})"
        ) from None
    except ValidationError:
        raise IdentifierError(
            f"container {compact or repr(value)}: an ISO 6346 number is 3 owner letters, "
            "a category letter U, J or Z, 6 digits and a check digit"
        ) from None


def container_with_check_digit(first10: str) -> str:
    """Complete owner code, category and serial number into a valid ISO 6346 number."""
    return first10 + str(_iso6346.calc_check_digit(first10))


# --- PRC licence plates (GA 36-2018) ---------------------------------------------------------------

PROVINCES = frozenset("京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新")
"""The 31 province-level abbreviations (省、自治区、直辖市简称) that open a plate (GA 36-2018 5.1)."""

# Serial characters: digits and letters except I and O, which read as 1 and 0 (GA 36-2018 5.3).
_SERIAL = "0-9A-HJ-NP-Z"
_AUTHORITY = "A-HJ-NP-Z"  # issuing authority letter (发牌机关代号)
# New-energy plates (新能源汽车号牌): D and A, B, C, E mark battery-electric (纯电动), F and G, H, J, K
# the other new-energy vehicles (非纯电动) (GA 36-2018 5.3 and 6.4, letters A-K except I).
_NEV_ELECTRIC = "ABCDE"
_NEV_OTHER = "FGHJK"


class PlateKind(StrEnum):
    """Kinds of plate (号牌种类) recognised by :func:`check_plate`."""

    ORDINARY = "ordinary"  # 普通汽车号牌 (blue small / yellow large), 7 characters
    NEW_ENERGY_SMALL = "new_energy_small"  # 小型新能源汽车号牌, 8 characters
    NEW_ENERGY_LARGE = "new_energy_large"  # 大型新能源汽车号牌, 8 characters
    TRAILER = "trailer"  # 挂车号牌
    COACH = "coach"  # 教练汽车号牌 (学)
    POLICE = "police"  # 警用汽车号牌 (警)
    HONG_KONG_MACAO = "hong_kong_macao"  # 粤Z 港/澳 entry vehicles
    CONSULATE = "consulate"  # 领馆汽车号牌 (领)
    EMBASSY = "embassy"  # 使馆汽车号牌 (使)
    EMERGENCY = "emergency"  # 应急救援 (应急)


@dataclass(frozen=True)
class Plate:
    """A checked PRC licence plate (机动车号牌)."""

    text: str
    kind: PlateKind
    province: str | None
    authority: str | None
    serial: str
    battery_electric: bool | None = None  # new-energy plates only: D/A/B/C/E = True


_SUFFIX_KINDS = {
    "挂": PlateKind.TRAILER,
    "学": PlateKind.COACH,
    "警": PlateKind.POLICE,
    "领": PlateKind.CONSULATE,
    "港": PlateKind.HONG_KONG_MACAO,
    "澳": PlateKind.HONG_KONG_MACAO,
}
_ORDINARY = re.compile(f"[{_AUTHORITY}][{_SERIAL}]{{5}}")
_NEV_SMALL = re.compile(f"[{_AUTHORITY}][{_NEV_ELECTRIC}{_NEV_OTHER}][{_SERIAL}][0-9]{{4}}")
_NEV_LARGE = re.compile(f"[{_AUTHORITY}][0-9]{{5}}[{_NEV_ELECTRIC}{_NEV_OTHER}]")
_SUFFIXED = re.compile(f"[{_AUTHORITY}][{_SERIAL}]{{4}}")
_EMBASSY = re.compile("使[0-9]{6}|[0-9]{6}使")


def _normalize_plate(text: str) -> str:
    return re.sub(r"[\s·.\-]", "", text).upper()


def check_plate(text: str) -> Plate:
    """机动车号牌 per GA 36-2018: the plate's kind, province, authority letter and serial.

    Recognised: ordinary 7-character plates (province + authority letter + 5 serial characters
    without I/O); new-energy 8-character plates, small (D/F or A-K at the first serial place,
    then a letter or digit and 4 digits) and large (5 digits then D/F or A-K); 挂, 学, 警, 领,
    港/澳 plates (authority letter + 4 serial characters + the character); 应急 plates; 使 plates
    (six digits). Spaces, dots and hyphens are ignored.
    """
    plate = _normalize_plate(text)
    if _EMBASSY.fullmatch(plate):
        return Plate(plate, PlateKind.EMBASSY, None, None, plate.replace("使", ""))
    if not plate or plate[0] not in PROVINCES:
        raise IdentifierError(
            f"licence plate {text!r}: a plate begins with a province abbreviation such as 京, 沪 or 桂"
        )
    province, rest = plate[0], plate[1:]
    if rest.endswith("应急") and _SUFFIXED.fullmatch(rest[:-2]):
        return Plate(plate, PlateKind.EMERGENCY, province, rest[0], rest[1:-2])
    if rest and rest[-1] in _SUFFIX_KINDS and _SUFFIXED.fullmatch(rest[:-1]):
        kind = _SUFFIX_KINDS[rest[-1]]
        if kind is PlateKind.HONG_KONG_MACAO and province + rest[0] != "粤Z":
            raise IdentifierError(f"licence plate {text!r}: 港/澳 plates are issued as 粤Z")
        return Plate(plate, kind, province, rest[0], rest[1:-1])
    if len(rest) == 6 and _ORDINARY.fullmatch(rest):
        return Plate(plate, PlateKind.ORDINARY, province, rest[0], rest[1:])
    if len(rest) == 7:
        if _NEV_SMALL.fullmatch(rest):
            return Plate(
                plate, PlateKind.NEW_ENERGY_SMALL, province, rest[0], rest[1:], rest[1] in _NEV_ELECTRIC
            )
        if _NEV_LARGE.fullmatch(rest):
            return Plate(
                plate, PlateKind.NEW_ENERGY_LARGE, province, rest[0], rest[1:], rest[-1] in _NEV_ELECTRIC
            )
        raise IdentifierError(
            f"licence plate {plate}: an 8-character new-energy plate has D/F (or A-K) as the first "
            "serial character (small vehicles: then a letter or digit and 4 digits) or as the last "
            "one after 5 digits (large vehicles)"
        )
    if "I" in rest or "O" in rest:
        raise IdentifierError(f"licence plate {plate}: the letters I and O are not used in plates")
    raise IdentifierError(
        f"licence plate {plate}: an ordinary plate has 7 characters (province, authority letter, "
        "5 letters or digits), a new-energy plate 8"
    )


# --- Handover points ------------------------------------------------------------------------------

_LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}")
_DIVISION = re.compile(r"[1-8][0-9]{5}")
# GB/T 2260 province-level prefixes (11 北京 ... 65 新疆, 71 台湾, 81 香港, 82 澳门).
_PROVINCE_PREFIXES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41"}
    | {"42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"}
    | {"71", "81", "82"}
)


def check_unlocode(value: str) -> str:
    """UN/LOCODE: ISO 3166-1 alpha-2 country code and 3 characters from A-Z and 2-9 (``CNSHA``).

    A space after the country (``CN SHA``) is accepted; the compact form is returned. Only the
    format is checked, not that the code is listed in the UN/LOCODE code list.
    """
    compact = value.replace(" ", "").upper()
    if not _LOCODE.fullmatch(compact):
        raise IdentifierError(
            f"UN/LOCODE {value!r}: a country code of 2 letters and 3 characters from A-Z and 2-9"
        )
    return compact


def check_division_code(value: str) -> str:
    """行政区划代码 (GB/T 2260): six digits whose first two name a province-level division."""
    compact = value.strip()
    if not _DIVISION.fullmatch(compact) or compact[:2] not in _PROVINCE_PREFIXES:
        raise IdentifierError(
            f"division code {value!r}: six digits starting with a province code such as 11 or 45"
        )
    return compact


HANDOVER_POINT_JSON_SCHEMA: dict[str, object] = {
    "pattern": f"^([A-Z]{{2}} ?[A-Z2-9]{{3}}|({'|'.join(sorted(_PROVINCE_PREFIXES))})[0-9]{{4}})$"
}
"""How an API schema describes a handover point: a UN/LOCODE or a six-digit division code."""


def check_handover_point(value: str) -> str:
    """交接地点: a UN/LOCODE (``CNQZH``) or a platform location code (GB/T 2260 division ``450702``)."""
    compact = value.replace(" ", "").upper()
    if compact.isdigit():
        return check_division_code(compact)
    try:
        return check_unlocode(compact)
    except IdentifierError:
        raise IdentifierError(
            f"handover point {value!r}: give a UN/LOCODE such as CNQZH or a six-digit division code"
        ) from None
