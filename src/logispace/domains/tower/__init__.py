"""Supply-chain control tower (供应链控制塔): KPIs, ETA, exceptions and alerts, forecasts, cost and
carbon over the logistics data on the platform (seed 001 (30), (19), (22), (25)).

Built so far:

* :mod:`.kpis` KPIs (控制塔指标) from the stored waybills, events, GPS points and containers, per party,
  corridor, mode and period; the API under ``/api/v1/tower`` and the pages under ``/tower``;
* :mod:`.eta` ETA per open leg and waybill (预计到达时间), each prediction stored;
* :mod:`.analytics` the KPI query written once (sqlglot) for SQLite, PostgreSQL, DuckDB and Spark;
* :mod:`.forecast` demand forecasts (需求预测) of any series file, ``logispace tower forecast``.
"""

from pathlib import Path

from logispace.domains.tower.cli import app as cli
from logispace.domains.tower.eta import service as eta_service
from logispace.domains.tower.kpis import i18n
from logispace.domains.tower.kpis import service as kpi_service
from logispace.domains.tower.kpis.api import router as api_router
from logispace.domains.tower.kpis.pages import router as pages_router
from logispace.domains.tower.kpis.schemas import KpiQuery
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(api_router, pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = ["WEB", "KpiQuery", "api_router", "cli", "eta_service", "kpi_service", "pages_router"]
