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


LOCODE_NAMES: dict[str, str] = {
    "CNQZH": "钦州港",
    "CNBHY": "北海港",
    "CNFAN": "防城港",
    "CNNNG": "南宁",
    "CNCKG": "重庆",
    "CNCTU": "成都",
    "CNSHA": "上海",
    "CNNGB": "宁波",
    "CNSZX": "深圳",
    "CNCAN": "广州",
    "CNTAO": "青岛",
    "CNTSN": "天津",
    "CNXMN": "厦门",
    "SGSIN": "新加坡",
    "VNHPH": "越南海防",
    "VNSGN": "越南胡志明市",
    "MYPKG": "马来西亚巴生港",
    "THLCH": "泰国林查班",
    "DEDUI": "德国杜伊斯堡",
    "DEHAM": "德国汉堡",
    "NLRTM": "荷兰鹿特丹",
}
"""Names of the UN/LOCODE places the platform's corridors use (联合国贸易和运输地点代码)."""

CITY_DIVISIONS: dict[str, str] = {
    "450100": "广西南宁市",
    "450200": "广西柳州市",
    "450500": "广西北海市",
    "450600": "广西防城港市",
    "450700": "广西钦州市",
    "450702": "钦州市钦南区",
    "450900": "广西玉林市",
    "451400": "广西崇左市",
    "500112": "重庆市渝北区",
    "510100": "四川省成都市",
}
"""Names of the city and district divisions the platform's corridors use."""


def place_name(code: str) -> str:
    """A handover point as people read it: its name with its code (``钦州港（CNQZH）``); a division
    code by its name, a province's name with the code when only the province is known; the code
    alone when nothing is known of it."""
    if code in LOCODE_NAMES:
        return f"{LOCODE_NAMES[code]}（{code}）"
    if code.isdigit() and len(code) == 6:
        if code in CITY_DIVISIONS:
            return f"{CITY_DIVISIONS[code]}（{code}）"
        return division_name(code)
    return code
