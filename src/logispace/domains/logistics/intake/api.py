"""Intake routes (数据接入): ``POST /api/v1/logistics/intake/ewaybill`` (网络货运 e-waybills onto
waybill drafts), ``POST /api/v1/logistics/intake/dcsa`` (DCSA T&T events, JSON list) and
``POST /api/v1/logistics/intake/gps`` (vehicle GPS CSV, streamed). DCSA and GPS capture EPCIS events
for the caller's party, all or nothing; the answer lists the capture jobs and the warnings kept."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Body, Query, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from logispace.core.errors import PayloadTooLarge
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.logistics.epcis import service
from logispace.domains.logistics.epcis.schemas import CaptureJobRead
from logispace.domains.logistics.intake import service as intake_service
from logispace.domains.logistics.intake import waybill_drafts
from logispace.domains.logistics.intake.schemas import EWaybillIntake
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/logistics/intake", ["logistics"])


EWaybills = Annotated[
    # The schema states the count the intake checks itself (naming it: "send 1 to 500 e-waybills").
    dict[str, Any]
    | Annotated[
        list[dict[str, Any]], Field(json_schema_extra={"minItems": 1, "maxItems": waybill_drafts.MAX_ROWS})
    ],
    Body(description="one 网络货运 e-waybill (JSON object) or a list of them"),
]


class IntakeWarning(BaseModel):
    """A warning about one input item (接入警告), kept with the captured data."""

    where: str = Field(description="event i (DCSA, 0-based) or line n (CSV, header = line 1)")
    message: str


class IntakeRead(BaseModel):
    """The result of one intake (接入结果): capture jobs, event counts, warnings."""

    captures: list[CaptureJobRead]
    eventCount: int  # noqa: N815
    storedCount: int  # noqa: N815
    warnings: list[IntakeWarning]


def _read(result: intake_service.IntakeResult) -> IntakeRead:
    return IntakeRead(
        captures=[service.job_read(job) for job in result.jobs],
        eventCount=result.events,
        storedCount=result.stored,
        warnings=[IntakeWarning(where=w.where, message=w.message) for w in result.warnings],
    )


_DCSA_BODY = {
    "requestBody": {
        "required": True,
        "description": "DCSA Track & Trace 2.x events (equipment, transport, shipment), as a JSON list",
        "content": {"application/json": {"schema": {"type": "array", "items": {"type": "object"}}}},
    }
}
_GPS_BODY = {
    "requestBody": {
        "required": True,
        "description": "CSV with the header plate,time,longitude,latitude,speed (UTF-8)",
        "content": {"text/csv": {"schema": {"type": "string"}}},
    }
}


@router.post(
    "/ewaybill",
    summary="Map 网络货运 e-waybills onto waybill drafts and create them (all or none)",
)
def intake_ewaybill(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    body: EWaybills,
    dry_run: Annotated[bool, Query(description="map only, create nothing")] = False,
) -> EWaybillIntake:
    return waybill_drafts.intake(db, p, settings, body, dry_run=dry_run)


@router.post(
    "/dcsa",
    status_code=201,
    summary="Take in DCSA Track & Trace events as EPCIS events of the caller's party (all or none)",
    openapi_extra=_DCSA_BODY,
)
async def intake_dcsa(
    request: Request, db: DbSession, principal: CurrentPrincipal, settings: AppSettings
) -> IntakeRead:
    service.party_of(principal)
    body = await request.body()
    result = await run_in_threadpool(intake_service.intake_dcsa, db, principal, body, settings)
    return _read(result)


@router.post(
    "/gps",
    status_code=201,
    summary="Take in vehicle GPS points (CSV) as EPCIS events of the caller's party (all or none)",
    openapi_extra=_GPS_BODY,
)
async def intake_gps(
    request: Request, db: DbSession, principal: CurrentPrincipal, settings: AppSettings
) -> IntakeRead:
    service.party_of(principal)
    limit = settings.max_body_bytes
    received = bytearray()
    async for chunk in request.stream():
        received += chunk
        if len(received) > limit:
            raise PayloadTooLarge(f"the CSV exceeds the limit of {limit} bytes", limit_bytes=limit)
    result = await run_in_threadpool(intake_service.intake_gps, db, principal, bytes(received), settings)
    return _read(result)
