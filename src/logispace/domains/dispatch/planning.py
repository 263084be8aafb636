"""Route plans (路径规划): the party's eligible vehicles routed through loads' pickups and drops.

Each vehicle starts and ends where it stands (its own depot: several depots, a mixed fleet); each load
is a pickup-and-delivery pair (PyVRP shipment) of its weight in kilograms, picked up within its window.
Distances are haversine metres, durations at ``speed_kmh``; times count seconds from the earliest
window or now. A plan is stored with each route's stops and coordinates (drawn on the board) and a
ledger entry.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import numpy as np
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains import ledger
from logispace.domains.dispatch import repository, service
from logispace.domains.dispatch.errors import DispatchInputInvalid, DispatchNotFound
from logispace.domains.dispatch.matching import haversine_km
from logispace.domains.dispatch.models import RoutePlan
from logispace.domains.dispatch.routing import (
    NO_LIMIT,
    Depot,
    Pair,
    RoutingProblem,
    Stop,
    VehicleGroup,
    solve,
)
from logispace.domains.dispatch.schemas import RoutePlanCreate, RoutePlanRead
from logispace.domains.identity import Principal

PLAN_CREATED = "dispatch.route_plan.created"
HANDLING_S = 1800
"""Time at a pickup or a drop (loading, unloading), seconds."""


def _seconds(moment: datetime | None, origin: datetime) -> int | None:
    if moment is None:
        return None
    return max(0, int((service.aware_utc(moment) - origin).total_seconds()))


def create_plan(session: Session, p: Principal, settings: Settings, body: RoutePlanCreate) -> RoutePlan:
    party = service.writer(p)
    fleet = [x for x in service.vehicles(session, p) if service.eligible(x.vehicle) and x.lon is not None]
    if not fleet:
        raise DispatchInputInvalid("the party has no eligible vehicle with a position to route")
    loads = []
    for load_id in dict.fromkeys(body.load_ids):
        found = repository.load_visible(session, party, load_id)
        if found is None:
            raise DispatchNotFound(f"no such load visible to the caller's party: {load_id}")
        loads.append(found)
    starts = [(float(x.lon or 0), float(x.lat or 0)) for x in fleet]
    ends = [(x.pickup_lon, x.pickup_lat) for x in loads] + [(x.drop_lon, x.drop_lat) for x in loads]
    coords = np.array(starts + ends, dtype=np.float64)
    metres = np.rint(
        haversine_km(coords[:, None, 0], coords[:, None, 1], coords[None, :, 0], coords[None, :, 1]) * 1000
    ).astype(np.int64)
    duration = np.rint(metres / (body.speed_kmh / 3.6)).astype(np.int64)
    windows = [w for x in loads for w in (x.earliest_pickup, x.latest_pickup) if w is not None]
    origin = min([service.aware_utc(w) for w in windows] + [utcnow()])
    n = len(fleet)
    depots = tuple(Depot(x.vehicle.plate, i) for i, x in enumerate(fleet))
    groups = tuple(
        VehicleGroup(x.vehicle.plate, 1, round(x.vehicle.capacity_t * 1000), i) for i, x in enumerate(fleet)
    )
    pairs = tuple(
        Pair(
            x.reference,
            Stop(
                x.reference,
                n + j,
                service=HANDLING_S,
                tw_early=_seconds(x.earliest_pickup, origin) or 0,
                tw_late=_seconds(x.latest_pickup, origin) or NO_LIMIT,
            ),
            Stop(x.reference, n + len(loads) + j, service=HANDLING_S),
            amount=round(x.weight_t * 1000),
        )
        for j, x in enumerate(loads)
    )
    problem = RoutingProblem(coords, metres, duration, depots, groups, (), pairs)
    result = solve(problem, body.seconds)
    routes = []
    served: set[int] = set()
    for route in result.routes:
        start = fleet[route.depot]
        stops = [{"kind": "start", "lon": starts[route.depot][0], "lat": starts[route.depot][1]}]
        for kind, j in route.visits:
            served.add(j)
            lon, lat = (
                (loads[j].pickup_lon, loads[j].pickup_lat)
                if kind == "pickup"
                else (loads[j].drop_lon, loads[j].drop_lat)
            )
            stops.append({"kind": kind, "reference": loads[j].reference, "lon": lon, "lat": lat})
        stops.append({"kind": "end", "lon": starts[route.depot][0], "lat": starts[route.depot][1]})
        routes.append({"plate": start.vehicle.plate, "km": round(route.distance / 1000, 1), "stops": stops})
    plan = RoutePlan(
        id=uuid.uuid4(),
        party_id=party,
        created_by_user_id=p.user_id,
        created_at=utcnow(),
        total_km=round(result.distance / 1000, 1),
        feasible=result.feasible,
        seconds=body.seconds,
        routes=routes,
        unrouted=[{"reference": x.reference} for j, x in enumerate(loads) if j not in served],
    )
    receipt = ledger.append(
        session,
        kind=PLAN_CREATED,
        subject=str(plan.id),
        payload={"routes": len(routes), "total_km": plan.total_km, "loads": [x.reference for x in loads]},
        actor=p.party_id,
        settings=settings,
    )
    plan.ledger_index = receipt.entry_id
    session.add(plan)
    session.flush()
    return plan


def plans(session: Session, p: Principal) -> list[RoutePlan]:
    return list(repository.plans_of(session, service.party_of(p)))


def plan(session: Session, p: Principal, plan_id: uuid.UUID) -> RoutePlan:
    found = repository.plan_of(session, service.party_of(p), plan_id)
    if found is None:
        raise DispatchNotFound("no such route plan of the caller's party")
    return found


def plan_read(x: RoutePlan) -> RoutePlanRead:
    return RoutePlanRead(
        id=x.id,
        created_at=x.created_at,
        total_km=x.total_km,
        feasible=x.feasible,
        seconds=x.seconds,
        routes=x.routes,
        unrouted=x.unrouted,
    )
