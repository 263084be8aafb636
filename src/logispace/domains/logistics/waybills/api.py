"""Waybill API (多式联运一单制): ``/api/v1/waybills`` (drafts, actions, reading, the chain of custody).

Every route needs a login. A party sees the waybills it is consignor, consignee, creator or a
carrier of; anything else is 404. The containers' routes are in :mod:`..containers.api`, the
网络货运 e-waybill intake in :mod:`..intake.api`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Path, Query

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.policies import Status, TransportMode, WaybillDraft
from logispace.domains.logistics.waybills.schemas import (
    ActionRequest,
    CustodyReport,
    PlaceCode,
    WaybillFilter,
    WaybillRead,
    WaybillSummary,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1", tags=["waybills"])

Number = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]{3,39}$", description="运单号 waybill number")
]


@router.post("/waybills", status_code=201, summary="Create a multimodal waybill draft (运单草稿)")
def create_waybill(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: WaybillDraft
) -> WaybillRead:
    return waybill_service.waybill_read(db, waybill_service.create_draft(db, p, settings, body))


@router.get("/waybills", summary="The waybills the caller's party is on")
def list_waybills(
    db: DbSession,
    p: CurrentPrincipal,
    paging: Annotated[PageParams, Query()],
    status: Status | None = None,
    mode: TransportMode | None = None,
    origin: Annotated[PlaceCode | None, Query(description="the corridor's origin (UN/LOCODE)")] = None,
    destination: Annotated[PlaceCode | None, Query(description="the corridor's destination")] = None,
    created_from: Annotated[date | None, Query(description="created on or after (Beijing day)")] = None,
    created_to: Annotated[date | None, Query(description="created on or before (Beijing day)")] = None,
) -> Page[WaybillSummary]:
    filters = WaybillFilter(
        status=status,
        mode=mode,
        origin=origin,
        destination=destination,
        created_from=created_from,
        created_to=created_to,
    )
    items, total = waybill_service.list_waybills(db, p, paging, filters)
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get("/waybills/{number}", summary="A waybill with legs, containers and its transitions")
def get_waybill(db: DbSession, p: CurrentPrincipal, number: Number) -> WaybillRead:
    return waybill_service.waybill_view(db, p, number)


@router.post(
    "/waybills/{number}/actions",
    summary="Take an action: issue, pick_up, hand_over, deliver, accept, exceptions, close (signed)",
)
def act(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, number: Number, body: ActionRequest
) -> WaybillRead:
    w = waybill_service.act(db, p, settings, number, body.action, body.note)
    return waybill_service.waybill_read(db, w)


@router.get(
    "/waybills/{number}/custody",
    summary="Verify the chain of custody end to end, a verdict per signed step (单证认证鉴真)",
)
def custody(db: DbSession, p: CurrentPrincipal, number: Number) -> CustodyReport:
    return waybill_service.custody_report(db, p, number)
