"""Catalogue search (目录检索): published resources in the full-text index, searched with facets.

Only published resources are indexed, so a search never reveals a draft or a withdrawn resource;
publishing and revising index a resource, withdrawing removes it, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.config import get_settings
from logispace.domains.catalog.enums import OpenType, ResourceStatus
from logispace.domains.catalog.models import Category, DataResource, Distribution
from logispace.storage import search as fts

SCOPE = "catalog.resource"
FACETS = ("category", "grade", "sharing_type", "open_type", "holder", "frequency")
"""Facets of the catalogue API; the index also holds ``keyword`` and ``format`` (for the CKAN view)."""
OPEN_FORMATS = ("CSV", "Parquet")
"""Download formats of 无条件开放 data that has a stored version."""
_MAX_FACET_VALUE = 200


def document_of(
    resource: DataResource, category_path: Sequence[str], formats: Sequence[str] = ()
) -> fts.SearchDocument:
    """The index record of a resource: its texts by weight and its facet values (``formats``: the
    formats its data can be downloaded in, none unless it is open and has data)."""
    keywords = sorted({k.strip()[:_MAX_FACET_VALUE] for k in resource.keywords or [] if k.strip()})
    fields = resource.fields or []
    field_text = " ".join(f"{f.get('name', '')} {f.get('title', '')}" for f in fields)
    return fts.SearchDocument(
        scope=SCOPE,
        doc_id=resource.catalog_code,
        fields={
            "title": resource.name,
            "keywords": " ".join([*(resource.keywords or []), resource.theme or "", resource.industry or ""]),
            "description": resource.description or "",
            "fields": field_text,
        },
        facets={
            "category": list(category_path) or [resource.category_code],
            "grade": resource.grade_code,
            "sharing_type": resource.sharing_type.value,
            "open_type": resource.open_type.value,
            "holder": str(resource.holder_party_id),
            "frequency": resource.update_frequency.value,
            "keyword": keywords,
            "format": list(formats),
        },
        updated_at=resource.updated_at,
    )


def category_path(session: Session, code: str) -> list[str]:
    """``code`` and its ancestors, so that filtering by a category finds its sub-categories."""
    path: list[str] = []
    current: str | None = code
    while current is not None and current not in path:
        path.append(current)
        node = session.get(Category, current)
        current = node.parent_code if node is not None else None
    return path


def reindex(session: Session, resource: DataResource) -> None:
    """Put a published resource in the index, or take any other one out of it."""
    if resource.status == ResourceStatus.PUBLISHED:
        path = category_path(session, resource.category_code)
        fts.index(session, [document_of(resource, path, download_formats(session, resource))])
    else:
        fts.remove(session, SCOPE, [resource.catalog_code])


def download_formats(session: Session, resource: DataResource) -> list[str]:
    """The formats anyone may download the resource's data in: CSV and Parquet for 无条件开放 data
    with a stored version, none otherwise."""
    if resource.open_type is not OpenType.UNCONDITIONAL:
        return []
    has_data = session.scalar(select(Distribution.id).where(Distribution.resource_id == resource.id).limit(1))
    return list(OPEN_FORMATS) if has_data is not None else []


def reindex_published(session: Session) -> int:
    """Rebuild the index record of every published resource (重建索引), e.g. after the indexed facets
    changed; returns how many."""
    count = 0
    stmt = select(DataResource).where(DataResource.status == ResourceStatus.PUBLISHED)
    for resource in session.scalars(stmt.order_by(DataResource.catalog_code)):
        reindex(session, resource)
        count += 1
    return count


@dataclass(frozen=True)
class ResourceHits:
    """One page of published resources in result order, the total and facet counts.

    ``total_exact`` false: more than ``count_limit`` resources match and ``total`` is that limit
    (show "1000+"); ``facets_exact`` false: the counts are over those ``count_limit`` matches.
    """

    resources: list[DataResource]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    total_exact: bool = True
    facets_exact: bool = True


def search_resources(
    session: Session,
    *,
    q: str,
    filters: dict[str, list[str]],
    sort: str,
    limit: int,
    offset: int,
    facets: Sequence[str] = FACETS,
    count_limit: int = fts.DEFAULT_COUNT_LIMIT,
) -> ResourceHits:
    """Full-text search over published resources (Chinese and English, synonyms, partial words).

    Totals, facet counts and relevance ranking are exact up to ``count_limit`` matches (at most
    10,000; see :class:`logispace.storage.search.SearchQuery`); listing every published resource
    (no ``q``, no filters) is always exact.
    """
    query = fts.SearchQuery(
        scope=SCOPE,
        q=q,
        filters=filters,
        facets=list(facets),
        sort=sort,
        limit=limit,
        offset=offset,
        count_limit=count_limit,
    )
    synonyms = fts.load_synonyms(get_settings().search_synonyms_file)
    result = fts.search(session, query, synonyms)
    rows = {
        r.catalog_code: r
        for r in session.scalars(select(DataResource).where(DataResource.catalog_code.in_(result.ids)))
    }
    return ResourceHits(
        [rows[i] for i in result.ids if i in rows],
        result.total,
        result.facets,
        total_exact=result.total_exact,
        facets_exact=result.facets_exact,
    )


def matching_codes(session: Session, *, q: str, filters: dict[str, list[str]], sort: str) -> list[str]:
    """The catalogue code of every published resource matching ``q`` and ``filters``, in ``sort``
    order (relevance or recency), for callers that page or order the matches themselves."""
    query = fts.SearchQuery(scope=SCOPE, q=q, filters=filters, sort=sort)
    return fts.matching_ids(session, query, fts.load_synonyms(get_settings().search_synonyms_file))
