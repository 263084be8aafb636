"""Public registration statistics API (登记统计): ``GET /api/v1/registration/statistics``.

No login: the quarterly counts name no party (the public registry's report, issue 6 point 6).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from logispace.domains.registration.statistics import service as stats_service
from logispace.domains.registration.statistics.service import QuarterlyStatistics
from logispace.web.dependencies import DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/registration", tags=["registration"])

Year = Annotated[int, Query(ge=2000, le=2100, description="calendar year")]
Quarter = Annotated[int, Query(ge=1, le=4, description="quarter of the year, 1-4")]


@router.get(
    "/statistics",
    summary="Quarterly statistics (登记统计季报): applications by type, state and industry (public)",
)
def statistics(db: DbSession, year: Year, quarter: Quarter) -> QuarterlyStatistics:
    return stats_service.quarterly(db, year, quarter)
