"""Supply-chain control tower (供应链控制塔): KPIs, ETA, exceptions and alerts, forecasts, cost and
carbon over the logistics data on the platform (seed 001 (30), (19), (22), (25)).

Built so far:

* :mod:`.kpis` KPIs (控制塔指标) from the stored waybills, events, GPS points and containers, per party,
  corridor, mode and period; the API under ``/api/v1/tower`` and the pages under ``/tower``;
* :mod:`.eta` ETA per open leg and waybill (预计到达时间), each prediction stored;
* :mod:`.analytics` the KPI query written once (sqlglot) for SQLite, PostgreSQL, DuckDB and Spark;
* :mod:`.alerts` exceptions and alerts (异常预警): rules, the feed, its stream and page, the sweep; and
  :mod:`.webhooks` (signed posts through an outbox), with the command group ``logispace tower alerts``;
  :func:`subscribe` puts the alert evaluation on the event bus;
* :mod:`.forecast` demand forecasts (需求预测) of any series file, ``logispace tower forecast``;
* :mod:`.demand` hourly volume forecasts per corridor and commodity on the platform's own waybills,
  ``GET /api/v1/tower/forecasts`` and the dashboard's forecast chart.
"""

from pathlib import Path

from logispace.core.events import EventBus
from logispace.domains.logistics import EventsCaptured, WaybillChanged
from logispace.domains.tower.alerts import i18n as alerts_i18n
from logispace.domains.tower.alerts.api import router as alerts_api_router
from logispace.domains.tower.alerts.arrival import ArrivalEstimate, promise, promised_arrival
from logispace.domains.tower.alerts.evaluate import on_events_captured, sweep
from logispace.domains.tower.alerts.pages import router as alerts_pages_router
from logispace.domains.tower.alerts.schemas import RuleCreate
from logispace.domains.tower.alerts.service import create_rule
from logispace.domains.tower.cli import app as cli
from logispace.domains.tower.demand import i18n as demand_i18n
from logispace.domains.tower.demand.api import router as demand_api_router
from logispace.domains.tower.eta import service as eta_service
from logispace.domains.tower.kpis import i18n, incremental
from logispace.domains.tower.kpis import service as kpi_service
from logispace.domains.tower.kpis.api import router as api_router
from logispace.domains.tower.kpis.pages import router as pages_router
from logispace.domains.tower.kpis.schemas import KpiQuery
from logispace.web.parts import WebParts


def subscribe(bus: EventBus) -> None:
    """Keep the measures up to date and evaluate the alert rules on every EPCIS capture and waybill
    step, in its transaction (idempotent)."""
    bus.subscribe(EventsCaptured, incremental.on_events_captured)
    bus.subscribe(WaybillChanged, incremental.on_waybill_changed)
    bus.subscribe(EventsCaptured, on_events_captured)


measures_paused = incremental.paused
"""Keep no measures up to date inside the block (a bulk load that refreshes at its end, the demo)."""


WEB = WebParts(
    routers=(api_router, alerts_api_router, demand_api_router, pages_router, alerts_pages_router),
    templates=Path(__file__).parent / "templates",
    english={**i18n.ENGLISH, **alerts_i18n.ENGLISH, **demand_i18n.ENGLISH},
    field_labels={**i18n.FIELD_LABELS, **alerts_i18n.FIELD_LABELS, **demand_i18n.FIELD_LABELS},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "ArrivalEstimate",
    "KpiQuery",
    "RuleCreate",
    "api_router",
    "cli",
    "create_rule",
    "eta_service",
    "kpi_service",
    "measures_paused",
    "pages_router",
    "promise",
    "promised_arrival",
    "subscribe",
    "sweep",
]
