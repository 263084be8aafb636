"""Catalogue API (``/api/v1/catalog``): resources, categories, grades, data items and the list.

Published metadata, the category tree, the grades and the published list versions are public
(anonymous callers see published resources only); everything else needs a login.
"""

from __future__ import annotations

import io
import uuid
from typing import Annotated, Literal

from fastapi import Path, Query, Response

from logispace.core.errors import InvalidInput
from logispace.core.pagination import Page, PageParams
from logispace.domains.catalog import service
from logispace.domains.catalog.enums import OpenType, ResourceStatus, SharingType, UpdateFrequency
from logispace.domains.catalog.lists import service as list_service
from logispace.domains.catalog.schemas import (
    CatalogCode,
    CategoryRead,
    DataItemCreate,
    DataItemRead,
    FacetCount,
    GradeRead,
    ListVersionCreate,
    ListVersionDetail,
    ListVersionRead,
    ResourceCreate,
    ResourceRead,
    ResourceSearchPage,
    ResourceUpdate,
    Withdrawal,
)
from logispace.domains.catalog.search import service as search_service
from logispace.domains.identity import CurrentPrincipal, MaybePrincipal
from logispace.web.dependencies import DbSession
from logispace.web.downloads import HeaderNames, Headers
from logispace.web.routing import api_router

router = api_router("/api/v1/catalog", tags=["catalog"])

Paging = Annotated[PageParams, Query()]
CodeFilter = Annotated[str | None, Query(max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]
Version = Annotated[int, Path(ge=1, le=1_000_000, description="list version number")]


# -- reference data ---------------------------------------------------------------------------------


@router.get("/categories", summary="The category tree (数据分类) (public)")
def categories(db: DbSession, p: MaybePrincipal) -> list[CategoryRead]:
    return service.list_categories(db)


@router.get("/grades", summary="The grading levels (数据分级) and what each allows (public)")
def grades(db: DbSession, p: MaybePrincipal) -> list[GradeRead]:
    return service.list_grades(db)


# -- resources --------------------------------------------------------------------------------------


@router.get(
    "/resources",
    summary="Data resources the caller may see; with q, full-text search of published ones with facets",
)
def list_resources(
    db: DbSession,
    p: MaybePrincipal,
    paging: Paging,
    category: CodeFilter = None,
    grade: CodeFilter = None,
    sharing_type: SharingType | None = None,
    open_type: OpenType | None = None,
    holder: uuid.UUID | None = None,
    status: ResourceStatus | None = None,
    frequency: UpdateFrequency | None = None,
    q: Annotated[
        str | None,
        Query(max_length=200, description="free text, Chinese or English; synonyms and partial words"),
    ] = None,
    sort: Annotated[Literal["relevance", "recency"], Query(description="order of a search")] = "relevance",
) -> ResourceSearchPage:
    if q is not None or frequency is not None:
        if status not in (None, ResourceStatus.PUBLISHED):
            raise InvalidInput(
                "search covers published resources only",
                errors=[{"loc": ["query", "status"], "msg": "with q, status may only be published"}],
            )
        given = service.search_filters(
            db,
            category=category,
            grade=grade,
            sharing_type=sharing_type,
            open_type=open_type,
            holder=holder,
            frequency=frequency,
        )
        hits = search_service.search_resources(
            db,
            q=q or "",
            filters={k: [v] for k, v in given.items()},
            sort="recency" if q is None else sort,
            limit=paging.limit,
            offset=paging.offset,
        )
        return ResourceSearchPage(
            items=service.resource_reads(db, hits.resources),
            total=hits.total,
            total_exact=hits.total_exact,
            limit=paging.limit,
            offset=paging.offset,
            facets={
                k: [FacetCount(value=v, count=n) for v, n in counts] for k, counts in hits.facets.items()
            },
            facets_exact=hits.facets_exact,
        )
    items, total = service.list_resources(
        db,
        p,
        paging,
        category=category,
        grade=grade,
        sharing_type=sharing_type,
        open_type=open_type,
        holder=holder,
        status=status,
    )
    return ResourceSearchPage(
        items=service.resource_reads(db, items), total=total, limit=paging.limit, offset=paging.offset
    )


@router.post("/resources", status_code=201, summary="Describe a new data resource (draft)")
def create_resource(db: DbSession, p: CurrentPrincipal, body: ResourceCreate) -> ResourceRead:
    return service.resource_reads(db, [service.create_resource(db, p, body)])[0]


@router.get("/resources/{code}", summary="One data resource by its catalogue code (public if published)")
def get_resource(db: DbSession, p: MaybePrincipal, code: CatalogCode) -> ResourceRead:
    return service.resource_reads(db, [service.get_resource(db, p, code)])[0]


@router.patch("/resources/{code}", summary="Edit a data resource (holder party)")
def update_resource(
    db: DbSession, p: CurrentPrincipal, code: CatalogCode, body: ResourceUpdate
) -> ResourceRead:
    return service.resource_reads(db, [service.update_resource(db, p, code, body)])[0]


@router.post("/resources/{code}/publish", summary="Publish a draft; its code is fixed for good (存证)")
def publish_resource(db: DbSession, p: CurrentPrincipal, code: CatalogCode) -> ResourceRead:
    return service.resource_reads(db, [service.publish_resource(db, p, code)])[0]


@router.post("/resources/{code}/withdraw", summary="Withdraw a published resource; it stays on record")
def withdraw_resource(
    db: DbSession, p: CurrentPrincipal, code: CatalogCode, body: Withdrawal
) -> ResourceRead:
    return service.resource_reads(db, [service.withdraw_resource(db, p, code, body.reason)])[0]


# -- data items (一数一源) ---------------------------------------------------------------------------


@router.post("/data-items", status_code=201, summary="Declare the caller's party the source of a data item")
def declare_data_item(db: DbSession, p: CurrentPrincipal, body: DataItemCreate) -> DataItemRead:
    return service.data_item_reads(db, p, [service.declare_data_item(db, p, body)])[0]


@router.get("/data-items", summary="Data items and their single authoritative source")
def list_data_items(
    db: DbSession, p: CurrentPrincipal, paging: Paging, category: CodeFilter = None
) -> Page[DataItemRead]:
    items, total = service.list_data_items(db, paging, category=category)
    return Page(
        items=service.data_item_reads(db, p, items), total=total, limit=paging.limit, offset=paging.offset
    )


# -- the sharing/open list (共享开放清单) --------------------------------------------------------------


@router.post("/lists", status_code=201, summary="Publish the next list version (data authority)")
def publish_list(db: DbSession, p: CurrentPrincipal, body: ListVersionCreate) -> ListVersionRead:
    return list_service.version_reads(db, [list_service.publish_list_version(db, p, body)])[0]


@router.get("/lists", summary="Published list versions, newest first (public)")
def list_versions(db: DbSession, p: MaybePrincipal, paging: Paging) -> Page[ListVersionRead]:
    items, total = list_service.list_versions(db, paging)
    return Page(
        items=list_service.version_reads(db, items), total=total, limit=paging.limit, offset=paging.offset
    )


@router.get("/lists/{version}", summary="A list version: entries and diff against the previous (public)")
def list_version(db: DbSession, p: MaybePrincipal, version: Version) -> ListVersionDetail:
    return list_service.version_detail(db, version)


@router.get(
    "/lists/{version}/report.csv",
    summary="The sharing report (共享情况通报) of a list version, as CSV (?headers=zh: Chinese columns)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV, UTF-8"}},
)
def report_csv(
    db: DbSession, p: CurrentPrincipal, version: Version, headers: Headers = HeaderNames.NAME
) -> Response:
    rows = list_service.report_rows(db, version)
    out = io.StringIO()
    list_service.write_report_csv(rows, out, chinese=headers is HeaderNames.ZH)
    return Response(
        content="\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="sharing-report-v{version}.csv"'},
    )
