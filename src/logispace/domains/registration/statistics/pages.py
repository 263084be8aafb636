"""Statistics pages (登记统计季报页面): the quarterly report as charts and as CSV (issue 6 point 6).

No login needed.
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from logispace.domains.identity import page_session
from logispace.domains.registration.forms import BlankIsNone
from logispace.domains.registration.i18n import REGISTRATION_LABELS
from logispace.domains.registration.statistics import service as stats_service
from logispace.domains.registration.workflow import today
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.downloads import HeaderNames
from logispace.web.downloads import Headers as DownloadHeaders
from logispace.web.i18n import translator
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

Year = Annotated[int | None, BlankIsNone, Query(ge=2000, le=2100)]
Quarter = Annotated[int | None, BlankIsNone, Query(ge=1, le=4)]


# -- quarterly statistics (登记统计季报) -------------------------------------------------------------


def _period(year: int | None, quarter: int | None) -> tuple[int, int]:
    this_year, this_quarter = stats_service.quarter_of(today())
    return (year or this_year, quarter or this_quarter)


@router.get("/registry/statistics")
def statistics_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    year: Year = None,
    quarter: Quarter = None,
) -> HTMLResponse:
    page_session(request, db, settings)
    y, qtr = _period(year, quarter)
    report = stats_service.quarterly(db, y, qtr)
    _ = translator(language_of(request))

    def labelled(dimension: str, rows: list[stats_service.StatCount]) -> list[dict[str, object]]:
        names = REGISTRATION_LABELS[dimension]
        return [{"key": r.key, "name": _(names.get(r.key, r.key)), "value": r.count} for r in rows]

    charts = {
        "type": labelled("application_type", report.by_type),
        "state": [row for row in labelled("state", report.by_state) if row["value"]],
        "industry": labelled("industry", report.by_industry),
    }
    return render(
        request,
        "registration/statistics.html",
        {
            "report": report,
            "charts": charts,
            "charts_json": json.dumps(charts, ensure_ascii=False)
            .replace("<", "\\u003c")
            .replace(">", "\\u003e")
            .replace("&", "\\u0026"),
            "years": list(range(y - 3, y + 2)),
        },
    )


@router.get("/registry/statistics.csv")
def statistics_csv(
    db: DbSession,
    year: Year = None,
    quarter: Quarter = None,
    headers: DownloadHeaders = HeaderNames.NAME,
) -> Response:
    y, qtr = _period(year, quarter)
    text = stats_service.to_csv(
        stats_service.quarterly(db, y, qtr), REGISTRATION_LABELS, chinese=headers is HeaderNames.ZH
    )
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="registration-statistics-{y}Q{qtr}.csv"'},
    )
