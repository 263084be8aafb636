"""Trace routes (全程追溯): ``/api/v1/trace/waybills/{number}``, ``/api/v1/trace/containers/{number}``
and ``/api/v1/trace/epcs/{epc}``.

Every route needs a logged-in user; the chain holds only the events the caller may see (the
authority sees all), and a container or EPC with no visible event answers 404 like a missing one.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.logistics.trace import service as trace_service
from logispace.domains.logistics.trace import waybill_chain
from logispace.domains.logistics.trace.schemas import TraceRead, WaybillTraceRead
from logispace.web.dependencies import DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/trace", ["trace"])

ContainerNumber = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z]{3}[UJZujz] ?[0-9]{6} ?[0-9]$",
        description="集装箱箱号: ISO 6346 number (a wrong check digit is traced with a warning)",
    ),
]
WaybillNumber = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]{3,39}$", description="运单号 waybill number")
]
Track = Annotated[bool, Query(description="also list the GPS points of each leg's truck, train or vessel")]
Epc = Annotated[str, Path(min_length=3, max_length=500, pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")]


@router.get(
    "/waybills/{number}",
    summary="The whole chain of a waybill: legs, handovers, events by leg, documents with verdicts, status",
)
def trace_waybill(number: WaybillNumber, db: DbSession, principal: CurrentPrincipal) -> WaybillTraceRead:
    return waybill_chain.trace_waybill(db, principal, number)


@router.get(
    "/containers/{number}",
    summary="The whole chain of a container: legs, handovers, events, position and status",
)
def trace_container(
    number: ContainerNumber, db: DbSession, principal: CurrentPrincipal, track: Track = False
) -> TraceRead:
    return trace_service.trace_container(db, principal, number, track=track)


@router.get(
    "/epcs/{epc:path}",
    summary="The whole chain of an EPC (URN or GS1 Digital Link, URL-encoded)",
)
def trace_epc(epc: Epc, db: DbSession, principal: CurrentPrincipal, track: Track = False) -> TraceRead:
    return trace_service.trace_epc(db, principal, epc, track=track)
