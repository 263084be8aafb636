"""The forecast route (需求预测接口): ``GET /api/v1/tower/forecasts``.

Needs a logged-in user. A party gets the volumes of the shipments it is a party to (consignor, consignee,
issuer, carrier); the authority every shipment's. A corridor the caller sees no shipment on is 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Response

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.tower.demand import service
from logispace.domains.tower.demand.schemas import ForecastExportQuery, ForecastQuery, ForecastReport
from logispace.domains.tower.kpis.export import FILE_RESPONSES, file_response, headers, to_bytes
from logispace.web.dependencies import DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/tower", ["tower"])

Filters = Annotated[ForecastQuery, Query()]
ExportFilters = Annotated[ForecastExportQuery, Query()]
FORECAST_COLUMNS = (
    ("corridor", "通道"),
    ("commodity", "品名"),
    ("part", "数据类别"),
    ("hour", "时段"),
    ("volume", "运量"),
    ("model", "预测模型"),
    ("reason", "未预测原因"),
)


@router.get(
    "/forecasts",
    summary="Hourly volume forecasts per corridor and commodity, with their accuracy (需求预测)",
)
def forecasts(filters: Filters, db: DbSession, principal: CurrentPrincipal) -> ForecastReport:
    return service.report(db, principal, filters)


@router.get(
    "/forecasts/export",
    summary="The forecast table as CSV or XLSX (需求预测导出)",
    response_class=Response,
    responses=FILE_RESPONSES,  # type: ignore[arg-type]
)
def forecasts_export(filters: ExportFilters, db: DbSession, principal: CurrentPrincipal) -> Response:
    """One row per hour of history (``part`` history) and of forecast (``forecast``) of each series;
    without a corridor, one row per series listed (``series``: its total, model or reason)."""
    query = ForecastQuery.model_validate(filters.model_dump(exclude={"format", "header"}))
    report = service.report(db, principal, query)
    rows: list[list[object]] = []
    for series in report.series:
        line = [series.corridor, series.commodity]
        if not series.history and not series.forecast:
            rows.append([*line, "series", series.first, series.total, series.model, series.reason])
        for part, points in (("history", series.history), ("forecast", series.forecast)):
            rows.extend([*line, part, p.ds, p.y, series.model, series.reason] for p in points)
    body = to_bytes(headers(FORECAST_COLUMNS, filters.header), rows, filters.format)
    return file_response(body, filters.format, "tower-forecasts")
