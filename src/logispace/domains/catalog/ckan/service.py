"""CKAN view of the open catalogue (CKAN 兼容接口): published resources as CKAN datasets.

Mapping: a published resource is a dataset (``name`` = its catalogue code in lower case, ``id`` its
record id); its holder party is the organization (only parties holding published resources); its
category and the category's ancestors are its groups; its keywords are its tags; its newest stored
data version is its resources (CSV and Parquet download URLs for 无条件开放 data, else the resource
page where the data is requested). Drafts and withdrawn resources do not exist here.

``package_search`` runs on the catalogue's own full-text index (:mod:`logispace.domains.catalog.search`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from logispace.core.errors import InvalidInput, NotFound
from logispace.domains.catalog import repository
from logispace.domains.catalog.ckan import evaluate as ckan_evaluate
from logispace.domains.catalog.ckan import query as ckan_query
from logispace.domains.catalog.ckan.names import (
    legacy_organization_name,
    organization_ids,
    organization_names,
)
from logispace.domains.catalog.ckan.query import FilterTerm
from logispace.domains.catalog.ckan.schemas import (
    MAX_ROWS,
    CkanExtra,
    CkanFacetItem,
    CkanGroup,
    CkanOrganization,
    CkanOrganizationDetail,
    CkanOrganizationShow,
    CkanPackage,
    CkanResource,
    CkanSearchFacet,
    CkanSearchResult,
    CkanTag,
    SearchParams,
)
from logispace.domains.catalog.ckan.syntax import And, Node
from logispace.domains.catalog.enums import OpenType, ResourceStatus
from logispace.domains.catalog.models import Category, DataResource, Distribution
from logispace.domains.catalog.search import service as search_service
from logispace.domains.identity import party_names
from logispace.storage.search.schemas import MAX_LIMIT, MAX_OFFSET

_IDS = uuid.UUID("6c6b616e-0000-4000-8000-6c6f67697370")  # namespace of derived tag/group/resource ids
OPEN_LICENSE = ("cc-by", "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/")
CLOSED_LICENSE = ("other-closed", "Other (Not Open)", "")
FORMAT_MEDIA = {"CSV": "text/csv", "Parquet": "application/vnd.apache.parquet"}
FACET_INDEX = {
    "organization": "holder",
    "groups": "category",
    "tags": "keyword",
    "res_format": "format",
    "license_id": "open_type",
}
_FAST_SORTS = (
    [("score", True)],
    [("score", True), ("metadata_modified", True)],
    [("metadata_modified", True)],
)
_NO_MATCH = "\x1f"  # a filter value no document carries


def ckan_time(moment: datetime | None) -> str:
    """CKAN's timestamps: ISO 8601 in UTC without an offset."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat()


def derived_id(kind: str, key: str) -> str:
    return str(uuid.uuid5(_IDS, f"{kind}:{key}"))


def group_name(code: str) -> str:
    """A category code as a CKAN name (lower case letters, digits, ``-`` and ``_``)."""
    return code.lower().replace(".", "-")


def license_of(open_type: OpenType) -> tuple[str, str, str]:
    return OPEN_LICENSE if open_type is OpenType.UNCONDITIONAL else CLOSED_LICENSE


@dataclass
class _Context:
    """What datasets refer to: categories, holder names, newest data, the site's base URL."""

    base: str
    categories: dict[str, Category]
    holders: dict[uuid.UUID, str]
    org_names: dict[uuid.UUID, str]
    data: dict[uuid.UUID, Distribution]
    first_published: dict[uuid.UUID, datetime | None]


def _context(session: Session, base: str, resources: Sequence[DataResource]) -> _Context:
    holders = {r.holder_party_id for r in resources}
    return _Context(
        base=base.rstrip("/") + "/",
        categories={c.code: c for c in repository.categories(session)},
        holders=party_names(session, holders),
        org_names=organization_names(session, holders),
        data=repository.newest_distribution_rows(session, {r.id for r in resources}),
        first_published={pid: first for pid, _, first in repository.published_holders(session)},
    )


def _organization(ctx: _Context, party_id: uuid.UUID) -> CkanOrganization:
    title = ctx.holders.get(party_id, "")
    return CkanOrganization(
        id=str(party_id),
        name=ctx.org_names.get(party_id) or legacy_organization_name(party_id),
        title=title,
        description=f"{title}：数据资源持有方 (data holder)",
        created=ckan_time(ctx.first_published.get(party_id)),
    )


def _groups(ctx: _Context, code: str) -> list[CkanGroup]:
    path = []
    current: str | None = code
    while current is not None and current in ctx.categories and current not in path:
        path.append(current)
        current = ctx.categories[current].parent_code
    return [
        CkanGroup(
            id=derived_id("group", c),
            name=group_name(c),
            title=ctx.categories[c].name_zh,
            display_name=ctx.categories[c].name_zh,
            description=ctx.categories[c].name_en,
        )
        for c in reversed(path)
    ]


def _resources(ctx: _Context, r: DataResource, package_id: str) -> list[CkanResource]:
    data = ctx.data.get(r.id)
    if data is None:
        return []
    common = {
        "package_id": package_id,
        "created": ckan_time(data.uploaded_at),
        "last_modified": ckan_time(data.uploaded_at),
        "metadata_modified": ckan_time(data.uploaded_at),
        "version": data.version,
        "row_count": data.row_count,
    }
    if r.open_type is not OpenType.UNCONDITIONAL:
        return [
            CkanResource(
                id=derived_id("resource", f"{data.id}:request"),
                name=f"{r.name}（第 {data.version} 版，需申请）",
                description=r.open_conditions or "数据需按开放类型申请 (data on request)",
                format="",
                mimetype=None,
                url=f"{ctx.base}catalog/resources/{r.catalog_code}",
                size=None,
                hash="",
                position=0,
                resource_type="documentation",
                **common,
            )
        ]
    return [
        CkanResource(
            id=derived_id("resource", f"{data.id}:{fmt}"),
            name=f"{r.name}（第 {data.version} 版，{fmt}）",
            description=f"无条件开放数据，第 {data.version} 版 (open data, version {data.version})",
            format=fmt,
            mimetype=FORMAT_MEDIA[fmt],
            url=f"{ctx.base}api/v1/catalog/resources/{r.catalog_code}/download.{fmt.lower()}",
            size=data.object_size if fmt == "Parquet" else None,
            hash=f"sha256:{data.object_sha256}" if fmt == "Parquet" else "",
            position=position,
            resource_type="file",
            **common,
        )
        for position, fmt in enumerate(search_service.OPEN_FORMATS)
    ]


def _extras(ctx: _Context, r: DataResource) -> list[CkanExtra]:
    values = {
        "identifier": r.catalog_code,
        "category": r.category_code,
        "grade": r.grade_code,
        "sharing_type": r.sharing_type.value,
        "open_type": r.open_type.value,
        "open_conditions": r.open_conditions,
        "frequency": r.update_frequency.value,
        "spatial_coverage": r.spatial_coverage,
        "temporal_start": r.temporal_start.isoformat() if r.temporal_start else None,
        "temporal_end": r.temporal_end.isoformat() if r.temporal_end else None,
        "theme": r.theme,
        "industry": r.industry,
        "data_scale": r.data_scale,
        "record_count": str(r.record_count) if r.record_count is not None else None,
        "dcat_jsonld": f"{ctx.base}api/v1/catalog/resources/{r.catalog_code}/dcat.jsonld",
    }
    return [CkanExtra(key=k, value=v) for k, v in sorted(values.items()) if v]


def _package(ctx: _Context, r: DataResource) -> CkanPackage:
    package_id = str(r.id)
    words = sorted({k.strip() for k in r.keywords or [] if k.strip()})
    tags = [CkanTag(id=derived_id("tag", w), name=w, display_name=w) for w in words]
    resources = _resources(ctx, r, package_id)
    license_id, license_title, license_url = license_of(r.open_type)
    return CkanPackage(
        id=package_id,
        name=r.catalog_code.lower(),
        title=r.name,
        notes=r.description or "",
        url=f"{ctx.base}catalog/resources/{r.catalog_code}",
        author=ctx.holders.get(r.holder_party_id, ""),
        author_email=None,
        maintainer=r.contact_name,
        maintainer_email=r.contact_email,
        license_id=license_id,
        license_title=license_title,
        license_url=license_url,
        isopen=r.open_type is OpenType.UNCONDITIONAL,
        version=str(r.revision),
        metadata_created=ckan_time(r.published_at or r.created_at),
        metadata_modified=ckan_time(r.updated_at),
        owner_org=str(r.holder_party_id),
        organization=_organization(ctx, r.holder_party_id),
        tags=tags,
        groups=_groups(ctx, r.category_code),
        resources=resources,
        extras=_extras(ctx, r),
        num_resources=len(resources),
        num_tags=len(tags),
    )


def packages(session: Session, base: str, resources: Sequence[DataResource]) -> list[CkanPackage]:
    ctx = _context(session, base, resources)
    return [_package(ctx, r) for r in resources]


# -- actions ---------------------------------------------------------------------------------------


def package_list(session: Session, *, limit: int | None, offset: int) -> list[str]:
    """Names of the published datasets, in name order."""
    return [code.lower() for code in repository.published_codes(session, limit=limit, offset=offset)]


def _published(session: Session, name_or_id: str) -> DataResource | None:
    resource = repository.resource_by_code(session, name_or_id.strip().upper())
    if resource is None:
        try:
            resource = repository.resource_by_id(session, uuid.UUID(name_or_id))
        except ValueError:
            return None
    return resource if resource is not None and resource.status is ResourceStatus.PUBLISHED else None


def package_show(session: Session, base: str, name_or_id: str) -> CkanPackage:
    """One published dataset by catalogue code, name or id; anything else is not found."""
    resource = _published(session, name_or_id)
    if resource is None:
        raise NotFound(f"Dataset not found: {name_or_id}")
    return packages(session, base, [resource])[0]


def _index_filters(session: Session, terms: Sequence[FilterTerm]) -> dict[str, list[str]]:
    """``fq`` terms as filters on the index facets; a term that cannot match anything filters on a
    value no document has."""
    filters: dict[str, set[str]] = {}

    def add(facet: str, values: set[str]) -> None:
        filters[facet] = filters[facet] & values if facet in filters else values

    groups = {group_name(c.code): c.code for c in repository.categories(session)}
    organizations = organization_ids(session)
    formats = {f.lower(): f for f in search_service.OPEN_FORMATS}
    for term in terms:
        values = set(term.values)
        if term.field in ("organization", "owner_org"):
            add("holder", {organizations.get(v.lower(), v.lower()) for v in values})
        elif term.field == "groups":
            add("category", {groups.get(v.lower(), v) for v in values})
        elif term.field == "tags":
            add("keyword", values)
        elif term.field == "res_format":
            add("format", {formats.get(v.lower(), v) for v in values})
        elif term.field == "license_id":
            types = {OpenType.UNCONDITIONAL.value} if OPEN_LICENSE[0] in values else set()
            if CLOSED_LICENSE[0] in values:
                types |= {OpenType.CONDITIONAL.value, OpenType.NOT_OPENED.value}
            add("open_type", types)
        else:
            expected = {"dataset_type": "dataset", "type": "dataset", "state": "active"}
            wanted = expected.get(term.field, {"capacity": "public", "private": "false"}.get(term.field))
            if wanted not in {v.lower() for v in values}:
                add("holder", set())
    return {facet: sorted(values) or [_NO_MATCH] for facet, values in filters.items()}


def _sorted(
    rows: Sequence[tuple[str, uuid.UUID, str, datetime, datetime | None, datetime]],
    rank: dict[str, int],
    keys: list[tuple[str, bool]],
) -> list[str]:
    """The codes of ``rows`` in ``keys`` order (``score``: ``rank``, lower is better, unranked last)."""
    unranked = len(rank) + 1
    getters = {
        "score": lambda row: rank.get(row[0], unranked),
        "metadata_modified": lambda row: ckan_time(row[3]),
        "metadata_created": lambda row: ckan_time(row[4] or row[5]),
        "title_string": lambda row: row[2],
        "name": lambda row: row[0].lower(),
        "id": lambda row: str(row[1]),
    }
    ordered = sorted(rows, key=lambda row: row[0])
    ordered.sort(key=lambda row: row[3], reverse=True)  # ties: most recently modified first
    for field, desc in reversed(keys):
        # score: a lower rank is a better match, so "score desc" is rank ascending
        reverse = (not desc) if field == "score" else desc
        ordered.sort(key=getters[field], reverse=reverse)
    return [row[0] for row in ordered]


def _in_range(moment: datetime | None, term: FilterTerm) -> bool:
    if moment is None:
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (term.since is None or moment >= term.since) and (term.until is None or moment <= term.until)


def _ordered_codes(
    session: Session,
    q: str,
    filters: dict[str, list[str]],
    keys: list[tuple[str, bool]],
    ranges: list[FilterTerm],
) -> list[str]:
    """Every matching code in ``keys`` order, the date ranges applied: for sorts and pages the index
    does not serve itself."""
    codes = search_service.matching_codes(session, q=q, filters=filters, sort="relevance" if q else "recency")
    rank = {code: n for n, code in enumerate(codes)}
    rows = [row for row in repository.published_sort_keys(session) if row[0] in rank]
    for term in ranges:
        modified = term.field == "metadata_modified"
        rows = [row for row in rows if _in_range(row[3] if modified else (row[4] or row[5]), term)]
    return _sorted(rows, rank, keys)


def _facet_counts(
    session: Session, codes: Sequence[str], index_facets: Sequence[str]
) -> dict[str, list[tuple[str, int]]]:
    """Facet counts over ``codes`` from their index documents (when a date range narrowed the matches,
    or more matched than the index counts exactly)."""
    counts: dict[str, dict[str, int]] = {f: {} for f in index_facets}
    for resource in repository.published_by_codes(session, codes):
        path = search_service.category_path(session, resource.category_code)
        doc = search_service.document_of(resource, path, search_service.download_formats(session, resource))
        for facet, value in doc.facet_pairs():
            if facet in counts:
                counts[facet][value] = counts[facet].get(value, 0) + 1
    return {f: sorted(c.items(), key=lambda item: (-item[1], item[0])) for f, c in counts.items()}


def _search_facets(
    session: Session,
    fields: Sequence[str],
    counts: dict[str, list[tuple[str, int]]],
    limit: int,
    mincount: int,
) -> dict[str, CkanSearchFacet]:
    holders = set()
    for value, _ in counts.get("holder", []):
        try:
            holders.add(uuid.UUID(value))
        except ValueError:
            continue
    names = {str(k): v for k, v in party_names(session, holders).items()}
    org_names = {str(k): v for k, v in organization_names(session, holders).items()}
    categories = {c.code: c for c in repository.categories(session)}
    out: dict[str, CkanSearchFacet] = {}
    for field in fields:
        merged: dict[str, tuple[str, int]] = {}
        for value, n in counts.get(FACET_INDEX[field], []):
            if field == "organization":
                name, display = org_names.get(value, value), names.get(value, value)
            elif field == "groups":
                category = categories.get(value)
                name, display = group_name(value), category.name_zh if category else value
            elif field == "license_id":
                license_id, title, _ = license_of(OpenType(value))
                name, display = license_id, title
            else:
                name, display = value, value
            merged[name] = (display, merged.get(name, ("", 0))[1] + n)
        items = [
            CkanFacetItem(name=name, display_name=display, count=n)
            for name, (display, n) in merged.items()
            if n >= mincount
        ]
        items.sort(key=lambda item: (-item.count, item.name))
        out[field] = CkanSearchFacet(title=field, items=items if limit < 0 else items[:limit])
    return out


def package_search(
    session: Session, base: str, params: SearchParams, facet_field: str | list[str] | None
) -> CkanSearchResult:
    """Search published datasets: free text, ``fq`` filters, sort, page and facet counts. ``q`` and
    ``fq`` that are plain conjunctions are one index query; others (OR, NOT, a field twice) are
    evaluated leaf by leaf (:mod:`.evaluate`)."""
    tree = And((ckan_query.parse(params.q, "q"), ckan_query.parse(params.fq, "fq")))
    keys = ckan_query.parse_sort(params.sort)
    fields = ckan_query.parse_facet_fields(facet_field)
    form = ckan_query.simple_form(tree)
    if form is None:
        return _boolean_search(session, base, params, tree, keys, fields)
    q, terms = form
    filters = _index_filters(session, [t for t in terms if t.field not in ckan_query.RANGE_FIELDS])
    ranges = [t for t in terms if t.field in ckan_query.RANGE_FIELDS]
    index_facets = [FACET_INDEX[f] for f in fields]
    counts: dict[str, list[tuple[str, int]]] = {}
    sort = "relevance" if keys[0][0] == "score" else "recency"
    hits = None
    if not ranges and keys in _FAST_SORTS and params.rows <= MAX_LIMIT and params.start <= MAX_OFFSET:
        hits = search_service.search_resources(
            session,
            q=q,
            filters=filters,
            sort=sort,
            limit=max(params.rows, 1),
            offset=params.start,
            facets=index_facets,
        )
        total, page, counts = hits.total, hits.resources[: params.rows], hits.facets
    if hits is None or not hits.total_exact:
        # Harvesters page until ``count``: past the index's bounded window, count, order and
        # facet-count every match exactly (slower, and only for broad queries).
        codes = _ordered_codes(session, q, filters, keys, ranges)
        total = len(codes)
        page = repository.published_by_codes(session, codes[params.start : params.start + params.rows])
        if index_facets and (ranges or hits is not None):
            counts = _facet_counts(session, codes, index_facets)
        elif index_facets:
            facet_hits = search_service.search_resources(
                session, q=q, filters=filters, sort=sort, limit=1, offset=0, facets=index_facets
            )
            exact = facet_hits.facets_exact
            counts = facet_hits.facets if exact else _facet_counts(session, codes, index_facets)
    return _result(session, base, params, keys, fields, counts, total, page)


def _boolean_search(
    session: Session,
    base: str,
    params: SearchParams,
    tree: Node,
    keys: list[tuple[str, bool]],
    fields: list[str],
) -> CkanSearchResult:
    rows = repository.published_sort_keys(session)
    ev = ckan_evaluate.Evaluation(
        rows={row[0]: (row[3], row[4] or row[5]) for row in rows},
        filters_of=lambda term: _index_filters(session, [term]),
    )
    found = ckan_evaluate.matches(session, tree, ev)
    codes = _sorted([row for row in rows if row[0] in found], ev.rank, keys)
    page = repository.published_by_codes(session, codes[params.start : params.start + params.rows])
    index_facets = [FACET_INDEX[f] for f in fields]
    counts = _facet_counts(session, codes, index_facets) if index_facets else {}
    return _result(session, base, params, keys, fields, counts, len(codes), page)


def _result(
    session: Session,
    base: str,
    params: SearchParams,
    keys: list[tuple[str, bool]],
    fields: list[str],
    counts: dict[str, list[tuple[str, int]]],
    total: int,
    page: Sequence[DataResource],
) -> CkanSearchResult:
    search_facets = _search_facets(session, fields, counts, params.facet_limit, params.facet_mincount)
    return CkanSearchResult(
        count=total,
        sort=ckan_query.sort_text(keys),
        facets={f: {item.name: item.count for item in sf.items} for f, sf in search_facets.items()},
        search_facets=search_facets,
        results=packages(session, base, page),
    )


# -- organizations ---------------------------------------------------------------------------------

_ORG_SORTS = ("name", "title", "package_count")


def _org_details(session: Session) -> list[CkanOrganizationDetail]:
    holders = repository.published_holders(session)
    names = party_names(session, {pid for pid, _, _ in holders})
    org_names = organization_names(session, [pid for pid, _, _ in holders])
    details = []
    for pid, count, first in holders:
        title = names.get(pid, "")
        details.append(
            CkanOrganizationDetail(
                id=str(pid),
                name=org_names[pid],
                title=title,
                display_name=title,
                description=f"{title}：数据资源持有方 (data holder)",
                created=ckan_time(first),
                package_count=count,
            )
        )
    return details


def _known_as(detail: CkanOrganizationDetail) -> set[str]:
    """The names an organization is found by: its name, its legacy ``org-`` name and its id."""
    return {detail.name, detail.id, legacy_organization_name(uuid.UUID(detail.id))}


def organization_list(
    session: Session, *, sort: str, limit: int | None, offset: int, only: Sequence[str] | None
) -> list[CkanOrganizationDetail]:
    """Parties holding published resources, sorted (``name|title|package_count asc|desc``)."""
    words = sort.split()
    direction = words[1].lower() if len(words) == 2 else "asc"
    if not 1 <= len(words) <= 2 or words[0] not in _ORG_SORTS or direction not in ("asc", "desc"):
        raise InvalidInput(
            f"sort: cannot sort organizations by {sort!r}",
            errors=[{"loc": ["sort"], "msg": f"use one of {', '.join(_ORG_SORTS)} with asc or desc"}],
        )
    details = _org_details(session)
    if only is not None:
        wanted = {name.strip().lower() for name in only}
        details = [d for d in details if wanted & _known_as(d)]
    details.sort(key=lambda d: d.name)
    details.sort(key=lambda d: getattr(d, words[0]), reverse=direction == "desc")
    end = None if limit is None else offset + limit
    return details[offset:end]


def organization_show(
    session: Session, base: str, name_or_id: str, *, include_datasets: bool
) -> CkanOrganizationShow:
    """One organization that holds published resources, with its datasets when asked."""
    wanted = name_or_id.strip().lower()
    found = next((d for d in _org_details(session) if wanted in _known_as(d)), None)
    if found is None:
        raise NotFound(f"Organization not found: {name_or_id}")
    shown = CkanOrganizationShow.model_validate(found.model_dump())
    if include_datasets:
        codes = search_service.matching_codes(session, q="", filters={"holder": [found.id]}, sort="recency")
        resources = repository.published_by_codes(session, sorted(codes)[:MAX_ROWS])
        shown.packages = packages(session, base, resources)
    return shown
