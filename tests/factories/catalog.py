"""Factories for catalogue records: resources, data items, list versions (through the services)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from logispace.domains.catalog import service
from logispace.domains.catalog.lists import service as list_service
from logispace.domains.catalog.models import DataItem, DataResource, ListVersion
from logispace.domains.catalog.schemas import DataItemCreate, ListVersionCreate, ResourceCreate
from logispace.domains.identity import SYSTEM
from logispace.domains.identity.models import Party

_counter = itertools.count(1)

FIELDS: list[dict[str, Any]] = [
    {"name": "plate_no", "title": "车牌号码", "type": "string", "grade": "general_sensitive"},
    {"name": "vehicle_type", "title": "车辆类型", "type": "string", "grade": "general_other"},
    {"name": "licence_no", "title": "道路运输证号", "type": "string"},
    {"name": "issued_on", "title": "发证日期", "type": "date"},
]


def resource_body(**overrides: Any) -> dict[str, Any]:
    """A valid request body for POST /api/v1/catalog/resources (general-sensitive, conditional)."""
    n = next(_counter)
    body: dict[str, Any] = {
        "name": f"营运车辆道路运输证信息 {n}",
        "description": "道路运输证核发、年审与注销信息 road transport certificates",
        "category": "VEH.VEHICLE",
        "grade": "general_sensitive",
        "fields": FIELDS,
        "data_scale": "约 120 万条",
        "record_count": 1_200_000,
        "update_frequency": "daily",
        "right_type": "resource_holding",
        "data_quality": "完整性 99.2%，每日校核",
        "application_scenarios": ["资质核验", "车货匹配"],
        "keywords": ["道路运输证", "营运车辆"],
        "theme": "交通运输",
        "spatial_coverage": "示范省",
        "contact_name": "数据管理员",
        "contact_email": "data@example.cn",
        "sharing_type": "conditional",
        "sharing_conditions": "用于行业监管和政务服务，按需申请",
        "open_type": "conditional",
        "open_conditions": "脱敏后向登记的物流企业开放",
    }
    body.update(overrides)
    return body


def make_resource(
    db: Session, holder: Party | Any, *, publish: bool = False, **overrides: Any
) -> DataResource:
    """A draft (or published) resource held by ``holder``."""
    holder_id = holder.id if isinstance(holder, Party) else holder
    data = ResourceCreate.model_validate(resource_body(**overrides))
    resource = service.create_resource(db, SYSTEM, data, holder_party_id=holder_id)
    if publish:
        resource = service.publish_resource(db, SYSTEM, resource.catalog_code)
    return resource


def make_data_item(
    db: Session, source: Party | Any, *, code: str | None = None, resource: DataResource | None = None
) -> DataItem:
    source_id = source.id if isinstance(source, Party) else source
    data = DataItemCreate(
        code=code or f"item_{next(_counter)}",
        name="车辆注册登记数据",
        category="VEH.VEHICLE",
        resource_code=resource.catalog_code if resource else None,
    )
    return service.declare_data_item(db, SYSTEM, data, source_party_id=source_id)


def publish_list(db: Session, *, note: str | None = None) -> ListVersion:
    return list_service.publish_list_version(db, SYSTEM, ListVersionCreate(note=note))
