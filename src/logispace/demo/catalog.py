"""Demo catalogue (演示目录数据): logistics data resources of the demo parties, as plain data.

Loaded by :mod:`logispace.demo` from ``data/catalog_resources.tsv``, one resource a line:
holder key, name, category, grade, update frequency, sharing type, open type, fields, data scale,
keywords, application scenarios, data item, status. Fields are ``name:中文名:type:grade``
separated by ``;`` (grade ``C`` core, ``I`` important, ``S`` general-sensitive, ``O``
general-other, ``-`` the resource's). A data item code
marks the resource as carrying that item (一数一源): the first holder to carry it is declared its
source, later ones are derived copies. Names and figures are made up for the demo.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import NamedTuple


class DemoResource(NamedTuple):
    holder: str
    name: str
    category: str
    grade: str
    frequency: str
    sharing: str
    opening: str
    fields: str
    scale: str
    keywords: str
    scenarios: str
    item: str | None = None
    status: str = "published"  # published | draft | withdrawn


GRADES = {"C": "core", "I": "important", "S": "general_sensitive", "O": "general_other"}

SHARING_CONDITIONS = "用于行业监管、政务服务和“高效办成一件事”场景，经共享交换平台按需申请、限定用途"
OPEN_CONDITIONS = "脱敏后向完成实名认证的物流企业开放，签署数据使用协议，用途限于申请场景"
BASIS = {
    "core": "属核心数据，依据《中华人民共和国数据安全法》第二十一条实行更加严格的管理制度",
    "important": "属重要数据，依据《中华人民共和国数据安全法》第二十一条、第三十条，"
    "仅以“可用不可见”方式授权使用",
    "general_sensitive": "含个人信息，依据《中华人民共和国个人信息保护法》第十三条、第二十五条不予公开",
    "general_other": "涉及商业秘密，依据《中华人民共和国反不正当竞争法》第九条不予提供",
}

ITEM_NAMES = {
    "vehicle_registration": ("车辆注册登记数据", "VEH.VEHICLE"),
    "vessel_registration": ("船舶登记数据", "VEH.VESSEL"),
    "road_transport_licence": ("道路运输经营许可数据", "ENT.ROAD"),
    "driver_qualification": ("道路运输从业资格数据", "PRAC.DRIVER"),
    "customs_declaration": ("进出口报关单数据", "CUS.DECL"),
    "vessel_position": ("船舶 AIS 位置数据", "TRACK.VESSEL"),
    "container_status": ("集装箱进出场状态数据", "VEH.CONTAINER"),
    "train_schedule": ("货运列车开行计划数据", "CAP.RAIL"),
    "road_status": ("公路路况与阻断数据", "ROAD.STATUS"),
}

DATA_FILE = Path(__file__).parent / "data" / "catalog_resources.tsv"


def resources() -> list[DemoResource]:
    """The demo resources, read from :data:`DATA_FILE` (tab-separated, one resource a line)."""
    with DATA_FILE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [
        DemoResource(
            holder=row["holder"],
            name=row["name"],
            category=row["category"],
            grade=row["grade"],
            frequency=row["frequency"],
            sharing=row["sharing"],
            opening=row["opening"],
            fields=row["fields"],
            scale=row["scale"],
            keywords=row["keywords"],
            scenarios=row["scenarios"],
            item=row["item"] or None,
            status=row["status"],
        )
        for row in rows
    ]


# -- loading ------------------------------------------------------------------------------------

FREQUENCY_ZH = {
    "realtime": "实时",
    "hourly": "每小时",
    "daily": "每日",
    "weekly": "每周",
    "monthly": "每月",
    "quarterly": "每季度",
    "yearly": "每年",
    "irregular": "不定期",
}


def parse_fields(spec: str) -> list[dict[str, str]]:
    """``name:中文名:type:grade;...`` -> field specs of the API."""
    fields = []
    for part in spec.split(";"):
        name, title, type_, grade = part.split(":")
        field = {"name": name, "title": title, "type": type_}
        if grade != "-":
            field["grade"] = GRADES[grade]
        fields.append(field)
    return fields


def resource_body(r: DemoResource, holder_name: str) -> dict[str, object]:
    """The API body of one demo resource, with conditions and legal basis filled in by type."""
    grade = GRADES[r.grade]
    return {
        "name": r.name,
        "description": f"{holder_name}持有的{r.name}，{r.scale}，{FREQUENCY_ZH.get(r.frequency, '')}更新。",
        "category": r.category,
        "grade": grade,
        "fields": parse_fields(r.fields),
        "data_scale": r.scale,
        "update_frequency": r.frequency,
        "right_type": "resource_holding",
        "right_term_start": "2025-03-01",
        "right_term_end": "2030-02-28",
        "data_quality": (
            "完整性、准确性、及时性按月自评；"
            "按《关于推动物流数据开放互联 有效降低全社会物流成本的实施方案》第（一）项开展多源校核"
        ),
        "industry": "交通运输",
        "application_scenarios": r.scenarios.split(","),
        "keywords": r.keywords.split(","),
        "theme": "物流",
        "spatial_coverage": "示范省",
        "temporal_start": "2023-01-01",
        "contact_name": f"{holder_name}数据管理员",
        "contact_email": "data@demo.logispace.example",
        "sharing_type": r.sharing,
        "sharing_conditions": SHARING_CONDITIONS if r.sharing == "conditional" else None,
        "sharing_basis": BASIS[grade] if r.sharing == "not_shared" else None,
        "open_type": r.opening,
        "open_conditions": OPEN_CONDITIONS if r.opening == "conditional" else None,
        "open_basis": BASIS[grade] if r.opening == "not_opened" else None,
    }
