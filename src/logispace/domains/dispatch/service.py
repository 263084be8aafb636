"""Dispatch service (车货匹配): vehicles, loads, match runs and their decisions. Services never commit.

Who may do what: a party administrator or data steward acts for its party (writes); any user of the
party reads. A party sees its own vehicles, runs and plans only; of loads, its own, the posted ones
still open (the freight market, 公开货源) and those it was accepted to carry. Anything else is 404.
A match run, each decision on a proposal and a route plan are ledger entries in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains import ledger, logistics
from logispace.domains.dispatch import repository
from logispace.domains.dispatch.enums import LoadStatus, MatchMode, ProposalState
from logispace.domains.dispatch.errors import (
    DispatchConflict,
    DispatchInputInvalid,
    DispatchNotAllowed,
    DispatchNotFound,
)
from logispace.domains.dispatch.matching import Load, MatchSpec, Vehicle, chain, haversine_km
from logispace.domains.dispatch.models import DispatchLoad, DispatchVehicle, MatchProposal, MatchRun
from logispace.domains.dispatch.report import Trip, compare
from logispace.domains.dispatch.schemas import (
    LoadCreate,
    LoadRead,
    MatchRunCreate,
    MatchRunRead,
    ProposalRead,
    VehicleCreate,
    VehicleRead,
)
from logispace.domains.identity import Principal, own_party, party_writer

RUN_CREATED = "dispatch.match_run.created"
PROPOSAL_DECIDED = "dispatch.proposal.decided"


def party_of(p: Principal) -> uuid.UUID:
    """The caller's party; a caller without one (the system) has no dispatch records."""
    return own_party(p, DispatchNotAllowed)


def writer(p: Principal) -> uuid.UUID:
    """The caller's party when a party administrator or data steward dispatches for it."""
    return party_writer(p, DispatchNotAllowed)


# -- vehicles ---------------------------------------------------------------------------------


def eligible(v: DispatchVehicle, today: datetime | None = None) -> bool:
    """A road transport certificate valid today and a qualified driver (资质有效)."""
    day = (today or utcnow()).date()
    return v.driver_qualified and v.certificate_valid_until is not None and v.certificate_valid_until >= day


@dataclass(frozen=True)
class Placed:
    """A vehicle with its current position: the latest GPS point of its plate, else the stored one."""

    vehicle: DispatchVehicle
    lon: float | None
    lat: float | None
    from_gps: bool


def placed(session: Session, party_id: uuid.UUID, vehicles: list[DispatchVehicle]) -> list[Placed]:
    gps = logistics.latest_positions(session, party_id, [v.plate for v in vehicles])
    out = []
    for v in vehicles:
        point = gps.get(v.plate)
        if point is not None:
            out.append(Placed(v, point.lon, point.lat, True))
        elif v.lon is not None and v.lat is not None:
            out.append(Placed(v, v.lon, v.lat, False))
        else:  # a position needs both coordinates
            out.append(Placed(v, None, None, False))
    return out


def vehicle_read(x: Placed) -> VehicleRead:
    v = x.vehicle
    return VehicleRead(
        id=v.id,
        plate=v.plate,
        vehicle_type=v.vehicle_type,
        capacity_t=v.capacity_t,
        capacity_m3=v.capacity_m3,
        qualifications=list(v.qualifications),
        certificate_valid_until=v.certificate_valid_until,
        driver_qualified=v.driver_qualified,
        lon=x.lon,
        lat=x.lat,
        position_from_gps=x.from_gps,
        available_from=v.available_from,
        eligible=eligible(v),
    )


def add_vehicle(session: Session, p: Principal, body: VehicleCreate) -> DispatchVehicle:
    party = writer(p)
    if repository.plate_taken(session, party, body.plate):
        raise DispatchConflict(
            f"the party has a vehicle with plate {body.plate} already", reason="plate_taken"
        )
    v = DispatchVehicle(id=uuid.uuid4(), party_id=party, created_at=utcnow(), **body.model_dump())
    v.qualifications = sorted(set(body.qualifications))
    session.add(v)
    session.flush()
    return v


def vehicles(session: Session, p: Principal) -> list[Placed]:
    party = party_of(p)
    return placed(session, party, list(repository.vehicles_of(session, party)))


def vehicle(session: Session, p: Principal, vehicle_id: uuid.UUID) -> Placed:
    party = party_of(p)
    v = repository.vehicle_of(session, party, vehicle_id)
    if v is None:
        raise DispatchNotFound("no such vehicle of the caller's party")
    return placed(session, party, [v])[0]


# -- loads ------------------------------------------------------------------------------------


def load_read(x: DispatchLoad, party: uuid.UUID) -> LoadRead:
    return LoadRead.model_validate({**_columns(x), "own": x.party_id == party})


def _columns(x: DispatchLoad) -> dict[str, object]:
    return {c: getattr(x, c) for c in LoadRead.model_fields if c != "own"}


def add_load(session: Session, p: Principal, body: LoadCreate, waybill_no: str | None = None) -> DispatchLoad:
    """Post a load (货源发布), or keep one made from the waybill draft ``waybill_no`` (one per draft)."""
    party = writer(p)
    if body.earliest_pickup and body.latest_pickup and body.latest_pickup < body.earliest_pickup:
        raise DispatchInputInvalid(
            "latest_pickup: the pickup window closes before it opens", field="latest_pickup"
        )
    if repository.reference_taken(session, party, body.reference):
        raise DispatchConflict(f"the party has a load {body.reference} already", reason="reference_taken")
    if waybill_no is not None and repository.waybill_load(session, party, waybill_no) is not None:
        raise DispatchConflict(
            f"the party made a load from waybill {waybill_no} already", reason="waybill_used"
        )
    x = DispatchLoad(
        id=uuid.uuid4(),
        party_id=party,
        status="open",
        created_at=utcnow(),
        waybill_no=waybill_no,
        **body.model_dump(),
    )
    session.add(x)
    session.flush()
    return x


def loads(session: Session, p: Principal, status: LoadStatus | None = None) -> list[DispatchLoad]:
    return list(repository.loads_visible(session, party_of(p), status.value if status else None))


def load(session: Session, p: Principal, load_id: uuid.UUID) -> DispatchLoad:
    x = repository.load_visible(session, party_of(p), load_id)
    if x is None:
        raise DispatchNotFound("no such load visible to the caller's party")
    return x


# -- match runs -------------------------------------------------------------------------------


def aware(value: datetime | None) -> datetime | None:
    """A stored time as timezone-aware (SQLite gives naive UTC back)."""
    return None if value is None else aware_utc(value)


def aware_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def as_vehicle(x: Placed) -> Vehicle:
    v = x.vehicle
    return Vehicle(
        str(v.id),
        float(x.lon or 0.0),
        float(x.lat or 0.0),
        v.capacity_t,
        v.vehicle_type,
        aware(v.available_from),
        frozenset(v.qualifications),
        v.capacity_m3,
    )


def as_load(x: DispatchLoad) -> Load:
    return Load(
        str(x.id),
        x.pickup_lon,
        x.pickup_lat,
        x.drop_lon,
        x.drop_lat,
        x.weight_t,
        x.vehicle_type,
        aware(x.earliest_pickup),
        aware(x.latest_pickup),
        x.required_qualification,
        x.volume_m3,
    )


def _km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    return float(haversine_km(np.array(lon1), np.array(lat1), np.array(lon2), np.array(lat2)))


def create_run(session: Session, p: Principal, settings: Settings, body: MatchRunCreate) -> MatchRun:
    """Match the party's eligible, placed vehicles with the open loads it may see; store proposals."""
    party = writer(p)
    fleet = [x for x in vehicles(session, p) if eligible(x.vehicle) and x.lon is not None]
    open_loads = list(repository.loads_visible(session, party, "open"))
    spec = MatchSpec(speed_kmh=body.speed_kmh, max_loads_per_vehicle=4 if body.mode == MatchMode.CHAIN else 1)
    result = chain([as_vehicle(x) for x in fleet], [as_load(x) for x in open_loads], spec)
    by_vehicle = {str(x.vehicle.id): x for x in fleet}
    by_load = {str(x.id): x for x in open_loads}
    run = MatchRun(
        id=uuid.uuid4(),
        party_id=party,
        created_by_user_id=p.user_id,
        created_at=utcnow(),
        mode=body.mode.value,
        method="exact" if len(fleet) * len(open_loads) <= spec.exact_limit else "pruned",
        total_deadhead_km=result.total_deadhead_km,
        unassigned=[{"load_id": u.load_id, "reason": u.reason} for u in result.unassigned],
    )
    session.add(run)
    session.flush()
    before, after = [], []
    for vehicle_id, legs in result.chains().items():
        start = by_vehicle[vehicle_id]
        cap = start.vehicle.capacity_t
        for seq, leg in enumerate(legs, start=1):
            x = by_load[leg.load_id]
            home = _km(x.drop_lon, x.drop_lat, float(start.lon or 0), float(start.lat or 0))
            first = _km(float(start.lon or 0), float(start.lat or 0), x.pickup_lon, x.pickup_lat)
            before.append(Trip(cap, x.weight_t, first, leg.loaded_km, home))
            after.append(
                Trip(cap, x.weight_t, leg.deadhead_km, leg.loaded_km, home if seq == len(legs) else 0.0)
            )
            session.add(
                MatchProposal(
                    id=uuid.uuid4(),
                    run_id=run.id,
                    vehicle_id=start.vehicle.id,
                    load_id=x.id,
                    sequence=seq,
                    deadhead_km=leg.deadhead_km,
                    loaded_km=leg.loaded_km,
                    state=ProposalState.PROPOSED.value,
                )
            )
    run.report = compare(before, after)
    receipt = ledger.append(
        session,
        kind=RUN_CREATED,
        subject=str(run.id),
        payload={"mode": run.mode, "proposals": len(after), "total_deadhead_km": run.total_deadhead_km},
        actor=p.party_id,
        settings=settings,
    )
    run.ledger_index = receipt.entry_id
    session.flush()
    return run


def runs(session: Session, p: Principal) -> list[MatchRun]:
    return list(repository.runs_of(session, party_of(p)))


def run(session: Session, p: Principal, run_id: uuid.UUID) -> MatchRun:
    found = repository.run_of(session, party_of(p), run_id)
    if found is None:
        raise DispatchNotFound("no such match run of the caller's party")
    return found


def run_read(session: Session, r: MatchRun) -> MatchRunRead:
    proposals = repository.proposals_of(session, r.id)
    vs = repository.vehicles_by_id(session, {x.vehicle_id for x in proposals})
    ls = repository.loads_by_id(session, {x.load_id for x in proposals})
    return MatchRunRead(
        id=r.id,
        created_at=r.created_at,
        mode=r.mode,
        method=r.method,
        total_deadhead_km=r.total_deadhead_km,
        proposals=[
            ProposalRead(
                id=x.id,
                vehicle_id=x.vehicle_id,
                plate=vs[x.vehicle_id].plate,
                load_id=x.load_id,
                load_reference=ls[x.load_id].reference,
                sequence=x.sequence,
                deadhead_km=x.deadhead_km,
                loaded_km=x.loaded_km,
                state=x.state,
            )
            for x in proposals
        ],
        unassigned=_named(session, r.unassigned),
        report=r.report,
    )


def _named(session: Session, unassigned: list[dict[str, str]]) -> list[dict[str, str | None]]:
    """The run's unassigned loads with their references."""
    found = repository.loads_by_id(session, {uuid.UUID(u["load_id"]) for u in unassigned})
    return [
        {**u, "reference": getattr(found.get(uuid.UUID(u["load_id"])), "reference", None)} for u in unassigned
    ]


def decide(
    session: Session,
    p: Principal,
    settings: Settings,
    run_id: uuid.UUID,
    proposal_id: uuid.UUID,
    accept: bool,
) -> MatchProposal:
    """Accept (the load is matched to the vehicle's party) or reject one proposal of the party's run."""
    writer(p)
    r = run(session, p, run_id)
    proposal = next((x for x in repository.proposals_of(session, r.id) if x.id == proposal_id), None)
    if proposal is None:
        raise DispatchNotFound("no such proposal in this match run")
    if proposal.state != ProposalState.PROPOSED.value:
        raise DispatchConflict(f"the proposal was {proposal.state} already", reason="decided")
    x = repository.loads_by_id(session, {proposal.load_id})[proposal.load_id]
    if accept:
        if x.status != LoadStatus.OPEN.value:
            raise DispatchConflict("the load is matched already", reason="load_matched")
        x.status = LoadStatus.MATCHED.value
        x.carrier_party_id = r.party_id
    now = utcnow()
    proposal.state = (ProposalState.ACCEPTED if accept else ProposalState.REJECTED).value
    proposal.decided_at = now
    proposal.decided_by_user_id = p.user_id
    receipt = ledger.append(
        session,
        kind=PROPOSAL_DECIDED,
        subject=str(proposal.id),
        payload={
            "run": str(r.id),
            "load": str(x.id),
            "vehicle": str(proposal.vehicle_id),
            "state": proposal.state,
        },
        actor=p.party_id,
        settings=settings,
    )
    proposal.ledger_index = receipt.entry_id
    session.flush()
    return proposal
