"""The DCAT-AP 3 export's data: published resources, their holders and newest stored data, in four
queries whatever the catalogue's size."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from logispace.core.errors import NotFound
from logispace.domains.catalog import repository
from logispace.domains.catalog.dcat.graph import DcatCatalog, DcatCategory, DcatData, DcatResource
from logispace.domains.catalog.enums import ResourceStatus
from logispace.domains.catalog.models import DataResource, Distribution
from logispace.domains.identity import party_names

CATALOG_TITLE = "物流公共数据资源目录"
CATALOG_DESCRIPTION = "LogiSpace 物流可信数据空间公开的数据资源目录（已发布资源；数据需按开放类型获取）"
PUBLISHER = "LogiSpace 物流可信数据空间"


def _data(dist: Distribution | None) -> DcatData | None:
    if dist is None:
        return None
    return DcatData(dist.version, dist.object_sha256, dist.object_size, dist.row_count, dist.uploaded_at)


def _records(session: Session, resources: Sequence[DataResource]) -> list[DcatResource]:
    names = party_names(session, {r.holder_party_id for r in resources})
    data = repository.newest_distribution_rows(session, {r.id for r in resources})
    return [
        DcatResource(
            code=r.catalog_code,
            name=r.name,
            description=r.description,
            keywords=list(r.keywords or []),
            category_code=r.category_code,
            holder_id=str(r.holder_party_id),
            holder_name=names.get(r.holder_party_id, ""),
            update_frequency=r.update_frequency,
            open_type=r.open_type,
            open_conditions=r.open_conditions,
            spatial_coverage=r.spatial_coverage,
            temporal_start=r.temporal_start,
            temporal_end=r.temporal_end,
            contact_name=r.contact_name,
            contact_phone=r.contact_phone,
            contact_email=r.contact_email,
            published_at=r.published_at,
            updated_at=r.updated_at,
            data=_data(data.get(r.id)),
        )
        for r in resources
    ]


def categories(session: Session) -> list[DcatCategory]:
    return [DcatCategory(c.code, c.name_zh, c.name_en, c.parent_code) for c in repository.categories(session)]


def public_catalog(session: Session) -> DcatCatalog:
    """Every published resource; drafts and withdrawn ones are never exported."""
    resources = repository.published_resources(session)
    return DcatCatalog(
        title=CATALOG_TITLE,
        description=CATALOG_DESCRIPTION,
        publisher_name=PUBLISHER,
        resources=_records(session, resources),
        categories=categories(session),
    )


def public_resource(session: Session, code: str) -> DcatResource:
    """One published resource; any other code is not found, whoever asks."""
    resource = repository.resource_by_code(session, code)
    if resource is None or resource.status is not ResourceStatus.PUBLISHED:
        raise NotFound(f"data resource {code} not found")
    return _records(session, [resource])[0]
