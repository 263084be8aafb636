"""Logistics (物流): EPCIS 2.0 tracking events, multimodal waybills (一单制) and containers (一箱制).

Built so far: the EPCIS 2.0 REST binding under ``/epcis`` (capture, capture jobs, the simple event
query, events by EPC, event types, business steps) and the CBV 2.0 event hash ID; waybills with
legs, signed and notarized transitions and their chain of custody, container master data and
history (``/api/v1/waybills``, ``/api/v1/containers``); the intake of 网络货运 e-waybills, DCSA
events and vehicle GPS CSV (API and CLI); the full-chain trace of an EPC or container
(``/api/v1/trace``: waybills, containers, EPCs) with the stored waybills' windows and verified
documents, and the trace pages (``/trace``).

:func:`waybill_view` (a waybill with legs, transitions and their documents, and its containers, by
number), :func:`container_view` (a container's current waybill and waybill history, by number) and
:func:`custody_report` (the chain of custody with a verdict per step) each take the caller's
principal and answer 404 for what the caller's party may not see. :func:`waybill_facts` and the
``waybill_ids_by_*`` lookups read waybills in bulk for the control tower (no principal: the tower
decides who sees its alerts); :class:`EventsCaptured` is published after every EPCIS capture and
:class:`WaybillChanged` after every waybill step.

Sub-packages, each importing only those below it (an import-linter contract):

* :mod:`.trace` the full-chain trace (全程追溯) of an EPC, container or waybill, API and pages;
* :mod:`.intake` outside formats taken in (数据接入): DCSA, vehicle GPS CSV, 网络货运 e-waybills;
* :mod:`.shares` a waybill shared with a named party for a period, e.g. a bank (运单共享, 真实贸易核验);
* :mod:`.containers` container master data and history (一箱制);
* :mod:`.waybills` multimodal waybills and their signed chain of custody (多式联运一单制);
* :mod:`.epcis` the EPCIS 2.0 capture and query binding (EPCIS采集与查询).

The domain root keeps what they share: the ``logistics`` command group (:mod:`.cli`), the page
strings (:mod:`.i18n`) and the templates (``templates/logistics/``).
"""

from pathlib import Path

from logispace.domains.logistics import i18n
from logispace.domains.logistics.cli import app as cli
from logispace.domains.logistics.containers.api import router as containers_api_router
from logispace.domains.logistics.containers.service import container_view
from logispace.domains.logistics.epcis.api import router as api_router
from logispace.domains.logistics.epcis.events import CapturedEvent, EventsCaptured
from logispace.domains.logistics.epcis.hashing import event_hash_id, pre_hash
from logispace.domains.logistics.epcis.service import event_ids
from logispace.domains.logistics.intake.api import router as intake_api_router
from logispace.domains.logistics.intake.positions import Position, latest_positions
from logispace.domains.logistics.shares.api import router as shares_api_router
from logispace.domains.logistics.trace.api import router as trace_api_router
from logispace.domains.logistics.trace.lists import router as lists_pages_router
from logispace.domains.logistics.trace.pages import router as trace_pages_router
from logispace.domains.logistics.trace.sharing import router as sharing_pages_router
from logispace.domains.logistics.waybills.api import router as waybills_api_router
from logispace.domains.logistics.waybills.events import WaybillChanged
from logispace.domains.logistics.waybills.facts import (
    LegFacts,
    WaybillFacts,
    open_waybill_ids,
    waybill_ids_by_container,
    waybill_ids_by_number,
)
from logispace.domains.logistics.waybills.facts import facts as waybill_facts
from logispace.domains.logistics.waybills.service import custody_report, jurisdiction_waybills, waybill_view
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(
        api_router,
        waybills_api_router,
        containers_api_router,
        intake_api_router,
        trace_api_router,
        trace_pages_router,
        shares_api_router,
        lists_pages_router,
        sharing_pages_router,
    ),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={},
    api_prefixes=("/epcis/",),
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "WEB",
    "CapturedEvent",
    "EventsCaptured",
    "LegFacts",
    "Position",
    "WaybillChanged",
    "WaybillFacts",
    "api_router",
    "cli",
    "container_view",
    "containers_api_router",
    "custody_report",
    "event_hash_id",
    "event_ids",
    "intake_api_router",
    "jurisdiction_waybills",
    "latest_positions",
    "open_waybill_ids",
    "pre_hash",
    "trace_api_router",
    "trace_pages_router",
    "waybill_facts",
    "waybill_ids_by_container",
    "waybill_ids_by_number",
    "waybill_view",
    "waybills_api_router",
]
