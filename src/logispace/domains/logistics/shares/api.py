"""Waybill share API (运单共享): ``/api/v1/waybills/{number}/shares`` for the grantor and
``/api/v1/shared-waybills`` for the recipient (真实贸易核验).

Every route needs a login. Only the waybill's consignor, consignee or creator sees and manages its
shares; a recipient reads the waybills shared with its party while the share runs; anyone else gets
404 like a missing number.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Path

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.logistics.shares import service
from logispace.domains.logistics.shares.schemas import ShareCreate, SharedWaybill, ShareRead
from logispace.domains.logistics.waybills import service as waybills
from logispace.domains.logistics.waybills.schemas import CustodyReport, WaybillRead
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1", tags=["waybill shares"])

Number = Annotated[
    str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9\-]{3,39}$", description="运单号 waybill number")
]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "no such waybill or share visible to the caller's party"}
}


@router.post(
    "/waybills/{number}/shares",
    status_code=201,
    summary="Let a named party read the waybill's trace and custody for a period (运单共享)",
    responses={**NOT_FOUND, 403: {"description": "not the consignor, consignee or creator"}},
)
def grant_share(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, number: Number, body: ShareCreate
) -> ShareRead:
    return service.reads(db, [service.grant(db, p, settings, number, body)])[0]


@router.get(
    "/waybills/{number}/shares",
    summary="The shares the caller's party granted on the waybill",
    responses=NOT_FOUND,
)
def list_shares(db: DbSession, p: CurrentPrincipal, number: Number) -> list[ShareRead]:
    return service.shares_of(db, p, number)


@router.post(
    "/waybills/{number}/shares/{share_id}/revoke",
    summary="End a share at once (撤销共享)",
    responses={**NOT_FOUND, 409: {"description": "revoked already"}},
)
def revoke_share(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, number: Number, share_id: uuid.UUID
) -> ShareRead:
    return service.reads(db, [service.revoke(db, p, settings, number, share_id)])[0]


@router.get(
    "/shared-waybills",
    summary="The waybills shared with the caller's party now, custody verified (真实贸易核验)",
)
def shared_with_me(db: DbSession, p: CurrentPrincipal) -> list[SharedWaybill]:
    return service.shared_with_me(db, p)


@router.get(
    "/shared-waybills/{number}",
    summary="A waybill the caller's party is on or that is shared with it now",
    responses=NOT_FOUND,
)
def shared_waybill(db: DbSession, p: CurrentPrincipal, number: Number) -> WaybillRead:
    return waybills.waybill_read(db, service.shared_waybill(db, p, number))


@router.get(
    "/shared-waybills/{number}/custody",
    summary="The chain of custody of a waybill the caller's party may read, verified now",
    responses=NOT_FOUND,
)
def shared_custody(db: DbSession, p: CurrentPrincipal, number: Number) -> CustodyReport:
    return service.custody_of_shared(db, p, number)
