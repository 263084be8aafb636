"""The forecast route (需求预测接口): ``GET /api/v1/tower/forecasts``.

Needs a logged-in user. A party gets the volumes of the shipments it is a party to (consignor, consignee,
issuer, carrier); the authority every shipment's. A corridor the caller sees no shipment on is 404.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.tower.demand import service
from logispace.domains.tower.demand.schemas import ForecastQuery, ForecastReport
from logispace.web.dependencies import DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/tower", ["tower"])

Filters = Annotated[ForecastQuery, Query()]


@router.get(
    "/forecasts",
    summary="Hourly volume forecasts per corridor and commodity, with their accuracy (需求预测)",
)
def forecasts(filters: Filters, db: DbSession, principal: CurrentPrincipal) -> ForecastReport:
    return service.report(db, principal, filters)
