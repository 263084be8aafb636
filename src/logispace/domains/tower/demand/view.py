"""The forecast on the corridor dashboard (通道看板运量预测): the chosen corridor's waybills booked per
hour, history and the next day, as chart data with Beijing times, and its model and accuracy."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.errors import NotFound
from logispace.domains.identity import Principal
from logispace.domains.tower.demand import service
from logispace.domains.tower.demand.i18n import DEMAND_LABELS
from logispace.domains.tower.demand.schemas import ForecastQuery, SeriesRead
from logispace.web.templates import beijing_time

PAGE_HORIZON = 24
SHOWN_HISTORY = 72
"""Hours of history drawn before the forecast."""


def chart(series: SeriesRead) -> dict[str, Any]:
    """``{"times": [...], "history": [...], "forecast": [...]}``: one Beijing time per hour, each line
    ``None`` where it has no value; the forecast starts at the last hour of history so the lines join."""
    history = series.history[-SHOWN_HISTORY:]
    times = [beijing_time(p.ds, "%m-%d %H:%M") for p in history + series.forecast]
    past: list[float | None] = [p.y for p in history] + [None] * len(series.forecast)
    ahead: list[float | None] = [None] * len(history) + [round(p.y, 2) for p in series.forecast]
    if history and series.forecast:
        ahead[len(history) - 1] = history[-1].y
    return {"times": times, "history": past, "forecast": ahead}


def forecast_context(session: Session, principal: Principal, corridor: str | None) -> dict[str, Any]:
    """What the dashboard's forecast section needs: nothing shown but a hint without a corridor."""
    if corridor is None:
        return {"forecast": None, "forecast_json": "null"}
    try:
        report = service.report(session, principal, ForecastQuery(corridor=corridor, horizon=PAGE_HORIZON))
    except NotFound:
        return {"forecast": None, "forecast_json": "null"}
    series = report.series[0]
    shown = {
        "model": DEMAND_LABELS["model"].get(series.model or ""),
        "reason": DEMAND_LABELS["reason"].get(series.reason or ""),
        "accuracy": series.accuracy,
    }
    return {"forecast": shown, "forecast_json": json.dumps(chart(series), ensure_ascii=False)}
