"""Control-tower KPI and ETA routes (控制塔指标与预计到达接口) under ``/api/v1/tower``.

Every route needs a logged-in user. A party gets the KPIs of its own shipments, vehicles and
containers and the ETA of waybills it is a party to; the authority gets the whole corridor and any
waybill. Another party's waybill answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Response

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.tower.eta import service as eta_service
from logispace.domains.tower.eta.schemas import EtaRead
from logispace.domains.tower.kpis import service
from logispace.domains.tower.kpis.errors import PartyOutOfReach
from logispace.domains.tower.kpis.export import (
    ETA_COLUMNS,
    FILE_RESPONSES,
    KPI_COLUMNS,
    eta_rows,
    file_response,
    headers,
    kpi_rows,
    to_bytes,
)
from logispace.domains.tower.kpis.schemas import (
    FileFormat,
    HeaderLanguage,
    KpiExportQuery,
    KpiQuery,
    KpiReport,
    RefreshRead,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/tower", ["tower"])

Filters = Annotated[KpiQuery, Query()]
ExportFilters = Annotated[KpiExportQuery, Query()]
WaybillNumber = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]{3,39}$", description="运单号 waybill number")
]
Format = Annotated[FileFormat, Query(description="csv or xlsx")]
Language = Annotated[HeaderLanguage, Query(description="column names: en, or zh for Chinese")]


@router.get("/kpis", summary="Control-tower KPIs per party, corridor, mode and period (控制塔指标)")
def kpis(filters: Filters, db: DbSession, principal: CurrentPrincipal) -> KpiReport:
    return service.report(db, principal, filters)


@router.get(
    "/kpis/export",
    summary="The KPI table as CSV or XLSX (指标导出)",
    response_class=Response,
    responses=FILE_RESPONSES,  # type: ignore[arg-type]
)
def kpis_export(filters: ExportFilters, db: DbSession, principal: CurrentPrincipal) -> Response:
    query = KpiQuery.model_validate(filters.model_dump(exclude={"format", "header"}))
    report = service.report(db, principal, query)
    body = to_bytes(headers(KPI_COLUMNS, filters.header), kpi_rows(report), filters.format)
    return file_response(body, filters.format, "tower-kpis")


@router.post(
    "/kpis/refresh", summary="Rebuild the measures from the stored records (度量重算; the authority)"
)
def refresh(db: DbSession, principal: CurrentPrincipal, settings: AppSettings) -> RefreshRead:
    if not principal.is_authority:
        raise PartyOutOfReach("only the authority rebuilds the control tower's measures")
    return service.refresh(db, settings)


@router.get("/eta/{waybill}", summary="ETA of a waybill's open legs, stored, with its history (预计到达时间)")
def eta(waybill: WaybillNumber, db: DbSession, principal: CurrentPrincipal) -> EtaRead:
    return eta_service.eta(db, principal, waybill)


@router.get(
    "/eta/{waybill}/export",
    summary="A waybill's ETA table as CSV or XLSX (预计到达导出)",
    response_class=Response,
    responses=FILE_RESPONSES,  # type: ignore[arg-type]
)
def eta_export(
    waybill: WaybillNumber,
    db: DbSession,
    principal: CurrentPrincipal,
    format: Format = FileFormat.CSV,
    header: Language = HeaderLanguage.EN,
) -> Response:
    read = eta_service.eta(db, principal, waybill)
    return file_response(
        to_bytes(headers(ETA_COLUMNS, header), eta_rows(read), format), format, f"eta-{read.waybill}"
    )
