"""Supply-chain control tower (供应链控制塔): KPIs, ETA, exceptions and alerts, forecasts, cost and
carbon over the logistics data on the platform (seed 001 (30), (19), (22), (25)).

Built so far: demand forecasts (需求预测) of any series file, :mod:`.forecast`, and its command
``logispace tower forecast``; exceptions and alerts (异常预警), :mod:`.alerts` (rules, the feed, its
stream and page, the sweep) and :mod:`.webhooks` (signed posts through an outbox), with the command
group ``logispace tower alerts``. :func:`subscribe` puts the alert evaluation on the event bus.
"""

from pathlib import Path

from logispace.core.events import EventBus
from logispace.domains.logistics import EventsCaptured
from logispace.domains.tower.alerts import i18n as alerts_i18n
from logispace.domains.tower.alerts.api import router as alerts_api_router
from logispace.domains.tower.alerts.arrival import ArrivalEstimate, promise, promised_arrival
from logispace.domains.tower.alerts.evaluate import on_events_captured, sweep
from logispace.domains.tower.alerts.pages import router as alerts_pages_router
from logispace.domains.tower.alerts.schemas import RuleCreate
from logispace.domains.tower.alerts.service import create_rule
from logispace.domains.tower.cli import app as cli
from logispace.web.parts import WebParts


def subscribe(bus: EventBus) -> None:
    """Evaluate the alert rules on every EPCIS capture, in its transaction (idempotent)."""
    bus.subscribe(EventsCaptured, on_events_captured)


WEB = WebParts(
    routers=(alerts_api_router, alerts_pages_router),
    templates=Path(__file__).parent / "templates",
    english=alerts_i18n.ENGLISH,
    field_labels=alerts_i18n.FIELD_LABELS,
    template_globals={},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "ArrivalEstimate",
    "RuleCreate",
    "cli",
    "create_rule",
    "promise",
    "promised_arrival",
    "subscribe",
    "sweep",
]
