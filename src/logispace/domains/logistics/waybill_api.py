"""Waybill and container API (多式联运一单制 / 一箱制): ``/api/v1/waybills``, ``/api/v1/containers``
and the 网络货运 e-waybill intake ``/api/v1/logistics/intake/ewaybill``.

Every route needs a login. A party sees the waybills it is consignor, consignee, creator or a
carrier of, and the containers it owns or that travelled on those waybills; anything else is 404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Path, Query

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.logistics import container_service, ewaybill_intake, waybill_service
from logispace.domains.logistics.waybill_policy import Status, WaybillDraft
from logispace.domains.logistics.waybill_schemas import (
    ActionRequest,
    ContainerCreate,
    ContainerRead,
    CustodyReport,
    EWaybillIntake,
    WaybillRead,
    WaybillSummary,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1", tags=["waybills"])

Number = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]{3,39}$", description="运单号 waybill number")
]
ContainerNo = Annotated[
    str, Path(pattern=r"^[A-Za-z]{4} ?[0-9]{6} ?[0-9]$", description="集装箱箱号 ISO 6346 number")
]
EWaybills = Annotated[
    dict[str, Any] | list[dict[str, Any]],
    Body(description="one 网络货运 e-waybill (JSON object) or a list of them"),
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
) -> Page[WaybillSummary]:
    items, total = waybill_service.list_waybills(db, p, paging, status)
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


@router.post("/containers", status_code=201, summary="Register container master data (集装箱登记)")
def register_container(db: DbSession, p: CurrentPrincipal, body: ContainerCreate) -> ContainerRead:
    container = container_service.register(db, p, body)
    return container_service.container_view(db, p, container.number)


@router.get("/containers/{number}", summary="A container with its current waybill and history (一箱制)")
def get_container(db: DbSession, p: CurrentPrincipal, number: ContainerNo) -> ContainerRead:
    return container_service.container_view(db, p, number)


@router.post(
    "/logistics/intake/ewaybill",
    summary="Map 网络货运 e-waybills onto waybill drafts and create them (all or none)",
)
def intake_ewaybill(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    body: EWaybills,
    dry_run: Annotated[bool, Query(description="map only, create nothing")] = False,
) -> EWaybillIntake:
    return ewaybill_intake.intake(db, p, settings, body, dry_run=dry_run)
