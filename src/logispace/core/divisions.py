"""Administrative divisions (行政区划, GB/T 2260): province-level names and the jurisdiction a division
code stands for.

A unified social credit code carries its registering authority's division code in characters 3-8;
an authority's jurisdiction (辖区) is its division: a province code ``450000`` covers every code that
starts with ``45``, a city code ``450700`` every code that starts with ``4507``.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}
"""Province-level divisions by their two-digit code."""


@dataclass(frozen=True)
class Jurisdiction:
    """The division an authority answers for (辖区): the code prefix it covers and its name."""

    prefix: str
    name: str

    def covers_uscc(self, uscc: str | None) -> bool:
        """Whether a party registered under ``uscc`` is in this jurisdiction."""
        return bool(uscc) and len(uscc or "") == 18 and (uscc or "")[2:8].startswith(self.prefix)

    @property
    def uscc_like(self) -> str:
        """A SQL ``LIKE`` pattern matching the unified social credit codes of the jurisdiction."""
        return f"__{self.prefix}%"


def jurisdiction_of_uscc(uscc: str) -> Jurisdiction | None:
    """The jurisdiction of the division in ``uscc`` (characters 3-8), or None when it names no known
    province."""
    division = uscc[2:8] if len(uscc) == 18 else ""
    if not division.isdigit() or division[:2] not in PROVINCES:
        return None
    prefix = division
    while len(prefix) > 2 and prefix.endswith("00"):
        prefix = prefix[:-2]
    name = PROVINCES[division[:2]]
    if len(prefix) > 2:
        name = f"{name}（区划代码 {division}）"
    return Jurisdiction(prefix=prefix, name=name)


def division_name(code: str) -> str:
    """A six-digit division code as people read it: the province's name with the code for finer ones
    (``450702`` -> ``广西壮族自治区 450702``); the code alone when the province is unknown."""
    province = PROVINCES.get(code[:2])
    if province is None:
        return code
    return province if code[2:] == "0000" else f"{province} {code}"
