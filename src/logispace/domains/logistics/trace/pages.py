"""Trace pages (全程追溯页面): a search box for a waybill number, container number or EPC, and the
timeline of a waybill (legs, handovers, documents with their verdicts) or of a container.

Login required; each page shows what the trace API shows the caller's party, and a waybill or
container it may not see answers 404 like a missing one.
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import StringConstraints
from sqlalchemy.orm import Session

from logispace.core.divisions import LOCODE_NAMES, place_name
from logispace.core.errors import NotFound
from logispace.domains.identity import PageUser, Principal, party_names
from logispace.domains.logistics.i18n import TRACE_LABELS
from logispace.domains.logistics.shares import service as shares_service
from logispace.domains.logistics.shares.errors import ShareNotAllowed
from logispace.domains.logistics.shares.service import shared_waybill
from logispace.domains.logistics.trace import service as trace_service
from logispace.domains.logistics.trace import trace_map, waybill_chain
from logispace.domains.logistics.trace.schemas import TraceRead, WaybillTraceRead
from logispace.domains.logistics.waybills.errors import WaybillNotFound
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

CONTAINER = re.compile(r"^[A-Za-z]{4} ?[0-9]{6} ?[0-9]$")
WAYBILL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9\-]{3,39}$")
EPC = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
SearchText = Annotated[str | None, StringConstraints(strip_whitespace=True, max_length=500), Query()]
PLACE_PREFIXES = ("urn:logispace:unlocode:", "urn:logispace:division:")
MEANS_PREFIXES = (
    "urn:logispace:vehicle:",
    "urn:logispace:train:",
    "urn:logispace:vessel:",
    "urn:logispace:aircraft:",
)
EVENTS_SHOWN = 200


def place(value: str | None) -> str:
    """A handover point or read point as a person reads it: the place's name with its code, or the
    coordinates."""
    if not value:
        return "—"
    if value in LOCODE_NAMES or (value.isdigit() and len(value) == 6):
        return place_name(value)
    for prefix in PLACE_PREFIXES:
        if value.startswith(prefix):
            return place_name(value[len(prefix) :])
    if value.startswith("geo:"):
        return value[4:].split(";", 1)[0]
    return value


def means(value: str | None) -> str:
    """A truck, train or vessel EPC as its plate, train or IMO number."""
    if not value:
        return "—"
    for prefix in MEANS_PREFIXES:
        if value.startswith(prefix):
            return unquote(value[len(prefix) :])
    return value


def cbv(value: str | None) -> str:
    """The word of a CBV business step or disposition, bare or as a URN (``urn:epcglobal:cbv:bizstep:
    loading`` -> ``loading``), to look up its Chinese label."""
    if not value:
        return ""
    return re.split(r"[:/#]", value)[-1]


def _context(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "L": TRACE_LABELS,
        "place": place,
        "means": means,
        "cbv": cbv,
        "events_shown": EVENTS_SHOWN,
        **extra,
    }


def trace_page(request: Request, db: Session, extra: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    return render(request, "logistics/trace.html", _context(extra), status_code=status_code)


def _visible_waybill(db: Session, p: Principal, number: str) -> bool:
    try:
        shared_waybill(db, p, number)
    except NotFound:
        return False
    return True


@router.get("/trace")
def trace_search(request: Request, db: DbSession, user: PageUser, q: SearchText = None) -> Response:
    """The search box; a waybill or container found goes to its page, an EPC is shown here."""
    if not q:
        return trace_page(request, db, {"q": ""})
    if ":" in q and EPC.match(q):
        try:
            trace = trace_service.trace_epc(db, user.principal, q)
        except NotFound:
            return trace_page(request, db, {"q": q, "not_found": True}, status_code=404)
        return trace_page(request, db, {"q": q, **_container_context(db, trace)})
    if WAYBILL.match(q) and user.principal.party_id is not None and _visible_waybill(db, user.principal, q):
        return RedirectResponse(f"/trace/waybills/{quote(q.upper(), safe='')}", status_code=303)
    if CONTAINER.match(q):
        return RedirectResponse(
            f"/trace/containers/{quote(q.replace(' ', '').upper(), safe='')}", status_code=303
        )
    return trace_page(request, db, {"q": q, "not_found": True}, status_code=404)


def _container_context(db: Session, trace: TraceRead) -> dict[str, Any]:
    names = party_names(db, {leg.carrier for leg in trace.legs} | {e.capturedBy for e in trace.events})
    return {"trace": trace, "names": names, "events": list(reversed(trace.events))[:EVENTS_SHOWN]}


@router.get("/trace/waybills/{number}")
def waybill_page(request: Request, db: DbSession, user: PageUser, number: str) -> HTMLResponse:
    """The timeline of a waybill: legs, handovers, events by leg, documents and their verdicts, its
    route and GPS track on a map, and (for its consignor, consignee or creator) its shares."""
    return trace_page(request, db, waybill_context(db, user.principal, number))


def waybill_context(db: Session, p: Principal, number: str, **extra: Any) -> dict[str, Any]:
    """What the waybill page shows ``p``; ``extra`` adds a share form's values and errors."""
    found: WaybillTraceRead = waybill_chain.trace_waybill(db, p, number)
    names = party_names(db, {e.capturedBy for leg in found.legs for e in leg.events})
    try:
        shares = shares_service.shares_of(db, p, found.number)
    except (ShareNotAllowed, WaybillNotFound):
        shares = None  # a carrier, or a party the waybill is shared with: no sharing
    return {
        "q": found.number,
        "waybill": found,
        "names": names,
        "shares": shares,
        "map_json": trace_map.waybill_map(found),
        **extra,
    }


@router.get("/trace/containers/{number}")
def container_page(request: Request, db: DbSession, user: PageUser, number: str) -> HTMLResponse:
    """The timeline of a container: its legs and handovers, its waybills and their documents."""
    trace = trace_service.trace_container(db, user.principal, number, track=True)
    context = {"q": trace.container or number, "map_json": trace_map.container_map(trace)}
    return trace_page(request, db, {**context, **_container_context(db, trace)})
