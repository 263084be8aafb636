"""Desensitization rules (脱敏规则): masking, keyed hashing and generalization, kept as data.

Each rule has a stable code (what a resource names for a column), a Chinese description for pages,
an example before and after, and a function ``(value, salt) -> value``. The functions fail closed: a
value that does not have the expected shape (a short string, a number where text was expected, an
unparseable date) comes out fully masked or empty, never as it came in. ``None`` stays ``None``
(an absent value discloses nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from types import MappingProxyType

MASK = "****"
BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

Rule = Callable[[object, bytes], object]


@dataclass(frozen=True)
class MaskingRule:
    """One desensitization rule (脱敏规则) with an example pair for the docs and the pages."""

    code: str
    description: str
    example: str
    masked: str
    apply: Rule
    identifying: bool = True  # masks and hashes; generalizations (dates, coordinates) are not


def _text(value: object) -> str | None:
    """The value as text; ``None`` for ``None`` and for kinds no masking rule reads (bytes, lists)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return str(value)
    return None


def _keep(text: str, head: int, tail: int, stars: int) -> str:
    return text[:head] + "*" * stars + (text[-tail:] if tail else "")


_RESIDENT_ID = re.compile(r"^(\d{17}[\dXx]|\d{15})$")


def mask_resident_id(value: object, salt: bytes = b"") -> object:
    """身份证号: keep the first 6 digits (the issuing area) and the last 4."""
    text = _text(value)
    if text is None:
        return None if value is None else MASK
    if not _RESIDENT_ID.match(text):
        return MASK
    return _keep(text.upper(), 6, 4, len(text) - 10)


_MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")


def mask_mobile(value: object, salt: bytes = b"") -> object:
    """手机号码: keep the first 3 digits (the carrier) and the last 4; other numbers keep the last 4."""
    text = _text(value)
    if text is None:
        return None if value is None else MASK
    digits = re.sub(r"[\s\-()]", "", text)
    found = _MOBILE.match(digits)
    if found:
        return _keep(found.group(1), 3, 4, 4)
    if digits.isdigit() and len(digits) >= 7:
        return MASK + digits[-4:]
    return MASK


_PLATE = re.compile(r"^[\u4e00-\u9fa5][A-HJ-NP-Z][A-HJ-NP-Z0-9]{4,6}[挂学警港澳领试超]?$")


def mask_plate(value: object, salt: bytes = b"") -> object:
    """车牌号码: keep the province and the issuing office (桂A) and the last character."""
    text = _text(value)
    if text is None:
        return None if value is None else MASK
    plate = re.sub(r"[\s·.\-]", "", text).upper()
    if not _PLATE.match(plate):
        return MASK
    return _keep(plate, 2, 1, len(plate) - 3)


COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "太史",
        "端木",
        "上官",
        "司马",
        "东方",
        "独孤",
        "南宫",
        "万俟",
        "闻人",
        "夏侯",
        "诸葛",
        "尉迟",
        "公羊",
        "赫连",
        "澹台",
        "皇甫",
        "宗政",
        "濮阳",
        "公冶",
        "太叔",
        "申屠",
        "公孙",
        "慕容",
        "仲孙",
        "钟离",
        "长孙",
        "宇文",
        "司徒",
        "鲜于",
        "司空",
        "闾丘",
        "子车",
        "亓官",
        "司寇",
        "巫马",
        "公西",
        "颛孙",
        "壤驷",
        "公良",
        "漆雕",
        "乐正",
        "宰父",
        "谷梁",
        "拓跋",
        "夹谷",
        "轩辕",
        "令狐",
        "段干",
        "百里",
        "呼延",
        "东郭",
        "南门",
        "羊舌",
        "微生",
        "公户",
        "公玉",
        "公仪",
        "梁丘",
        "公仲",
        "公上",
        "公门",
        "公山",
        "公坚",
        "左丘",
        "公伯",
        "西门",
        "公祖",
        "第五",
        "公乘",
        "贯丘",
        "公皙",
        "南荣",
        "东里",
        "东宫",
        "仲长",
        "子书",
        "子桑",
        "即墨",
        "达奚",
        "褚师",
    ]
)
_HAN = re.compile(r"^[\u4e00-\u9fa5·•]+$")


def mask_name(value: object, salt: bytes = b"") -> object:
    """姓名: keep the surname (two characters for a compound surname such as 欧阳), mask the given name."""
    text = _text(value)
    if text is None:
        return None if value is None else MASK
    if not text:
        return ""
    if _HAN.match(text):
        head = 2 if text[:2] in COMPOUND_SURNAMES and len(text) > 2 else 1
        return text[:head] + "*" * max(1, len(text) - head)
    return text[0] + "***" if len(text) > 1 else "*"


_ADDRESS = re.compile(
    r"^(?P<province>[\u4e00-\u9fa5]{2,3}省|[\u4e00-\u9fa5]{2,6}?自治区|北京市|天津市|上海市|重庆市"
    r"|香港特别行政区|澳门特别行政区)?"
    r"(?P<city>[\u4e00-\u9fa5]{1,9}?(?:自治州|地区|盟|市))?"
    r"(?P<district>[\u4e00-\u9fa5]{1,9}?(?:新区|区|县|旗|市))?"
)


def mask_address(value: object, salt: bytes = b"") -> object:
    """地址: keep the province, city and district or county (区/县/旗), mask the street and number."""
    text = _text(value)
    if text is None:
        return None if value is None else MASK
    found = _ADDRESS.match(text.replace(" ", ""))
    kept = found.group(0) if found else ""
    if not kept or not (found and (found.group("city") or found.group("district"))):
        return MASK
    return kept + MASK if len(kept) < len(text.replace(" ", "")) else kept


_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def mask_uscc(value: object, salt: bytes = b"") -> object:
    """统一社会信用代码: keep the registering authority, the kind and the area code (first 8), mask the
    organization code and the check character."""
    text = _text(value)
    if text is None:
        return None if value is None else MASK
    code = text.upper()
    if not _USCC.match(code):
        return MASK
    return _keep(code, 8, 0, 10)


def hash_hmac_sha256(value: object, salt: bytes = b"") -> object:
    """哈希: HMAC-SHA256 of the value's text under the grant's salt, hex; equal values hash equal
    within one grant (so they can be counted and joined) and differently under another grant."""
    if value is None:
        return None
    if isinstance(value, datetime | date):
        text = value.isoformat()
    elif isinstance(value, bytes):
        text = value.hex()
    else:
        text = str(value)
    return hmac.new(salt, text.encode("utf-8"), hashlib.sha256).hexdigest()


def _moment(value: object) -> date | None:
    """A date or a Beijing-time moment from a date, a datetime or an ISO 8601 string."""
    if isinstance(value, datetime):
        return value.astimezone(BEIJING) if value.tzinfo else value
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip().replace("/", "-")
    try:
        if len(text) <= 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(BEIJING) if moment.tzinfo else moment


def generalize_date_month(value: object, salt: bytes = b"") -> object:
    """日期泛化到月: 2026-03-15 08:30 -> 2026-03 (moments with a time zone in Beijing time)."""
    moment = _moment(value)
    return None if moment is None else f"{moment.year:04d}-{moment.month:02d}"


def generalize_date_day(value: object, salt: bytes = b"") -> object:
    """日期泛化到日: 2026-03-15 08:30 -> 2026-03-15 (the time of day is dropped)."""
    moment = _moment(value)
    return None if moment is None else f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"


def _coarsen(step: float, decimals: int) -> Rule:
    def coarsen(value: object, salt: bytes = b"") -> object:
        if value is None or isinstance(value, bool):
            return None
        if isinstance(value, int | float | Decimal):
            return _snap(float(value), step, decimals)
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",")]
            try:
                numbers = [float(p) for p in parts]
            except ValueError:
                return None
            snapped = [_snap(n, step, decimals) for n in numbers]
            if len(parts) not in (1, 2, 3) or any(s is None for s in snapped):
                return None
            return ",".join(f"{s:.{decimals}f}" for s in snapped)
        return None

    return coarsen


def _snap(number: float, step: float, decimals: int) -> float | None:
    """The south-west corner of the grid cell of side ``step`` degrees holding ``number``."""
    if not math.isfinite(number) or abs(number) > 180:
        return None
    return round(math.floor(round(number / step, 9)) * step, decimals)


def redact(value: object, salt: bytes = b"") -> object:
    """隐藏: the value is replaced by a fixed mask."""
    return None if value is None else MASK


RULES: Mapping[str, MaskingRule] = MappingProxyType(
    {
        rule.code: rule
        for rule in (
            MaskingRule(
                "mask_resident_id",
                "身份证号码遮盖：保留前六位和后四位",
                "450102199003151234",
                "450102********1234",
                mask_resident_id,
            ),
            MaskingRule(
                "mask_mobile", "手机号码遮盖：保留前三位和后四位", "13812345678", "138****5678", mask_mobile
            ),
            MaskingRule(
                "mask_plate",
                "车牌号码遮盖：保留省份简称、发牌机关代号和末位",
                "桂A12345",
                "桂A****5",
                mask_plate,
            ),
            MaskingRule("mask_name", "姓名遮盖：保留姓氏", "欧阳明华", "欧阳**", mask_name),
            MaskingRule(
                "mask_address",
                "地址遮盖：保留到区县一级",
                "广西壮族自治区南宁市江南区星光大道12号",
                "广西壮族自治区南宁市江南区****",
                mask_address,
            ),
            MaskingRule(
                "mask_uscc",
                "统一社会信用代码遮盖：保留登记管理部门、机构类别和登记管理机关行政区划码",
                "91450100MA5L8XJ72C",
                "91450100**********",
                mask_uscc,
            ),
            MaskingRule(
                "hash_hmac_sha256",
                "加盐哈希：以授权专属盐值计算 HMAC-SHA256，同一授权内相同值结果相同",
                "LS000000000001",
                "64 位十六进制摘要",
                hash_hmac_sha256,
            ),
            MaskingRule(
                "generalize_date_month",
                "日期泛化到月",
                "2026-03-15 08:30:00",
                "2026-03",
                generalize_date_month,
                identifying=False,
            ),
            MaskingRule(
                "generalize_date_day",
                "日期泛化到日",
                "2026-03-15 08:30:00",
                "2026-03-15",
                generalize_date_day,
                identifying=False,
            ),
            MaskingRule(
                "generalize_coordinate_2dp",
                "坐标泛化：保留两位小数（约一公里网格）",
                "108.36694",
                "108.36",
                _coarsen(0.01, 2),
                identifying=False,
            ),
            MaskingRule(
                "generalize_coordinate_1dp",
                "坐标泛化：保留一位小数（约十公里网格）",
                "108.36694",
                "108.3",
                _coarsen(0.1, 1),
                identifying=False,
            ),
            MaskingRule(
                "generalize_coordinate_grid_5km",
                "坐标泛化：归入 0.05 度网格（约五公里）",
                "108.36694",
                "108.35",
                _coarsen(0.05, 2),
                identifying=False,
            ),
            MaskingRule("redact", "完全隐藏", "任意值", MASK, redact),
        )
    }
)

MASKING_RULES: Mapping[str, str] = MappingProxyType({code: rule.description for code, rule in RULES.items()})


def apply_rule(code: str, value: object, salt: bytes) -> object:
    """Desensitize ``value`` by the rule ``code`` (a KeyError for an unknown code)."""
    return RULES[code].apply(value, salt)
