"""Dispatch API (车货匹配接口) under ``/api/v1/dispatch/``: vehicles, loads, match runs, route plans.

Every route needs a login. A party sees its own vehicles, match runs and route plans; of loads, its
own, posted ones still open and those it was accepted to carry; anything else answers 404. Writing
needs a party administrator or data steward (403 otherwise).
"""

from __future__ import annotations

import uuid
from typing import Any

from logispace.domains.dispatch import drafts, planning, service
from logispace.domains.dispatch.enums import LoadStatus
from logispace.domains.dispatch.schemas import (
    LoadCreate,
    LoadFromWaybill,
    LoadRead,
    MatchRunCreate,
    MatchRunRead,
    ProposalRead,
    RoutePlanCreate,
    RoutePlanRead,
    VehicleCreate,
    VehicleRead,
)
from logispace.domains.identity import CurrentPrincipal
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/dispatch", tags=["dispatch"])

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "not a record the caller's party may see"}}
WRITE: dict[int | str, dict[str, Any]] = {403: {"description": "not a party administrator or data steward"}}


@router.post(
    "/vehicles",
    status_code=201,
    summary="Offer a vehicle for matching (运力登记)",
    responses={**WRITE, 409: {"description": "plate registered already"}},
)
def add_vehicle(db: DbSession, p: CurrentPrincipal, body: VehicleCreate) -> VehicleRead:
    v = service.add_vehicle(db, p, body)
    return service.vehicle_read(service.placed(db, v.party_id, [v])[0])


@router.get("/vehicles", summary="The caller's party's vehicles with their current positions")
def list_vehicles(db: DbSession, p: CurrentPrincipal) -> list[VehicleRead]:
    return [service.vehicle_read(x) for x in service.vehicles(db, p)]


@router.get("/vehicles/{vehicle_id}", summary="One vehicle of the caller's party", responses=NOT_FOUND)
def get_vehicle(db: DbSession, p: CurrentPrincipal, vehicle_id: uuid.UUID) -> VehicleRead:
    return service.vehicle_read(service.vehicle(db, p, vehicle_id))


@router.post(
    "/loads",
    status_code=201,
    summary="Post a load to carry (货源发布)",
    responses={**WRITE, 409: {"description": "reference used already"}},
)
def add_load(db: DbSession, p: CurrentPrincipal, body: LoadCreate) -> LoadRead:
    x = service.add_load(db, p, body)
    return service.load_read(x, x.party_id)


@router.post(
    "/loads/from-waybill",
    status_code=201,
    summary="Make a load from the caller's waybill draft (运单草稿生成货源)",
    responses={
        **WRITE,
        404: {"description": "no waybill the caller's party is on"},
        409: {"description": "not a draft, no road leg, or a load was made from it already"},
        422: {"description": "a handover point without known coordinates, or cargo no truck carries"},
    },
)
def add_load_from_waybill(db: DbSession, p: CurrentPrincipal, body: LoadFromWaybill) -> LoadRead:
    x = drafts.load_from_waybill(db, p, body)
    return service.load_read(x, x.party_id)


@router.get("/loads", summary="Loads the caller's party may see: its own, open posted ones, those it carries")
def list_loads(db: DbSession, p: CurrentPrincipal, status: LoadStatus | None = None) -> list[LoadRead]:
    party = service.party_of(p)
    return [service.load_read(x, party) for x in service.loads(db, p, status)]


@router.get("/loads/{load_id}", summary="One load the caller's party may see", responses=NOT_FOUND)
def get_load(db: DbSession, p: CurrentPrincipal, load_id: uuid.UUID) -> LoadRead:
    return service.load_read(service.load(db, p, load_id), service.party_of(p))


@router.post(
    "/match-runs",
    status_code=201,
    summary="Match the party's vehicles with open loads (运行匹配)",
    responses=WRITE,
)
def create_run(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: MatchRunCreate
) -> MatchRunRead:
    return service.run_read(db, service.create_run(db, p, settings, body))


@router.get("/match-runs", summary="The caller's party's match runs, newest first")
def list_runs(db: DbSession, p: CurrentPrincipal) -> list[MatchRunRead]:
    return [service.run_read(db, r) for r in service.runs(db, p)]


@router.get(
    "/match-runs/{run_id}",
    summary="One match run with its proposals and empty-running report",
    responses=NOT_FOUND,
)
def get_run(db: DbSession, p: CurrentPrincipal, run_id: uuid.UUID) -> MatchRunRead:
    return service.run_read(db, service.run(db, p, run_id))


def _proposal(db: DbSession, p: CurrentPrincipal, run_id: uuid.UUID, proposal_id: uuid.UUID) -> ProposalRead:
    read = service.run_read(db, service.run(db, p, run_id))
    return next(x for x in read.proposals if x.id == proposal_id)


@router.post(
    "/match-runs/{run_id}/proposals/{proposal_id}/accept",
    summary="Accept a proposed match: the load is carried by the vehicle (接受匹配)",
    responses={**NOT_FOUND, **WRITE, 409: {"description": "decided already, or the load is matched already"}},
)
def accept(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, run_id: uuid.UUID, proposal_id: uuid.UUID
) -> ProposalRead:
    service.decide(db, p, settings, run_id, proposal_id, accept=True)
    return _proposal(db, p, run_id, proposal_id)


@router.post(
    "/match-runs/{run_id}/proposals/{proposal_id}/reject",
    summary="Reject a proposed match (拒绝匹配)",
    responses={**NOT_FOUND, **WRITE, 409: {"description": "decided already"}},
)
def reject(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, run_id: uuid.UUID, proposal_id: uuid.UUID
) -> ProposalRead:
    service.decide(db, p, settings, run_id, proposal_id, accept=False)
    return _proposal(db, p, run_id, proposal_id)


@router.post(
    "/route-plans",
    status_code=201,
    summary="Route the party's vehicles through the loads' pickups and drops (路径规划)",
    responses={**NOT_FOUND, **WRITE, 422: {"description": "no eligible vehicle with a position"}},
)
def create_plan(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: RoutePlanCreate
) -> RoutePlanRead:
    return planning.plan_read(planning.create_plan(db, p, settings, body))


@router.get("/route-plans", summary="The caller's party's route plans, newest first")
def list_plans(db: DbSession, p: CurrentPrincipal) -> list[RoutePlanRead]:
    return [planning.plan_read(x) for x in planning.plans(db, p)]


@router.get("/route-plans/{plan_id}", summary="One route plan of the caller's party", responses=NOT_FOUND)
def get_plan(db: DbSession, p: CurrentPrincipal, plan_id: uuid.UUID) -> RoutePlanRead:
    return planning.plan_read(planning.plan(db, p, plan_id))
