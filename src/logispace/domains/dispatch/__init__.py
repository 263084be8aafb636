"""Capacity matching and route optimization (车货匹配与路径优化), seed 001 (25), 003 (28).

Pure cores: :mod:`.matching` (vehicles to loads: exact or pruned min-cost flow; chaining over a day)
and :mod:`.routing` (PyVRP: capacities, time windows, several depots, a mixed fleet,
pickup-and-delivery pairs); :mod:`.report` the empty-running report. The domain: vehicles (positions
from the logistics GPS points), loads, match runs with proposals to accept or reject, and route
plans (:mod:`.service`, :mod:`.planning`), the API under ``/api/v1/dispatch/`` (:mod:`.api`), the
dispatcher's board ``/dispatch`` (:mod:`.pages`), and the commands ``logispace dispatch match`` and
``logispace dispatch vrptw`` (:mod:`.cli`).
"""

from pathlib import Path

from logispace.domains.dispatch import i18n, planning
from logispace.domains.dispatch import service as dispatch_service
from logispace.domains.dispatch.api import router as api_router
from logispace.domains.dispatch.cli import app as cli
from logispace.domains.dispatch.enums import LoadSource, MatchMode, VehicleType
from logispace.domains.dispatch.load_pages import router as form_pages_router
from logispace.domains.dispatch.pages import router as pages_router
from logispace.domains.dispatch.schemas import LoadCreate, MatchRunCreate, RoutePlanCreate, VehicleCreate
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(api_router, pages_router, form_pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={"DISPATCH_LABELS": i18n.DISPATCH_LABELS},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "LoadCreate",
    "LoadSource",
    "MatchMode",
    "MatchRunCreate",
    "RoutePlanCreate",
    "VehicleCreate",
    "VehicleType",
    "api_router",
    "cli",
    "dispatch_service",
    "pages_router",
    "planning",
]
