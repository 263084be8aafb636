"""Loads from waybill drafts (运单草稿生成货源): a shipper turns its multimodal waybill draft into a load.

The draft (logistics, a lower domain, read through its service with the caller's principal) gives
what a truck needs: the pickup and drop are the handover points (交接地点) of its first run of road
legs, placed by their coordinates (:mod:`logispace.core.places`); the weight and volume are the sums
of its cargo lines; a dangerous goods class asks for the ``DG`` qualification; containers ask for a
container chassis, a cold-chain range for a reefer. A draft carries no times, so the shipper gives
the pickup window. Only the consignor (托运人) or the party that drafted the waybill may, only while it
is a draft, and once per draft; the load is the shipper's own (not posted) unless it says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.places import coordinates
from logispace.domains import identity, logistics
from logispace.domains.dispatch import service
from logispace.domains.dispatch.enums import LoadSource, VehicleType
from logispace.domains.dispatch.errors import DispatchConflict, DispatchInputInvalid, DispatchNotAllowed
from logispace.domains.dispatch.matching import DANGEROUS_GOODS
from logispace.domains.dispatch.models import DispatchLoad
from logispace.domains.dispatch.schemas import LoadCreate, LoadFromWaybill
from logispace.domains.identity import Principal

DRAFT = "draft"
ROAD = "road"


def road_stretch(legs: list[tuple[str, str, str]]) -> tuple[str, str] | None:
    """(origin, destination) of the first run of consecutive road legs among ``(mode, origin,
    destination)`` in order, or None when no leg goes by road."""
    start = next((n for n, (mode, _, _) in enumerate(legs) if mode == ROAD), None)
    if start is None:
        return None
    end = start
    while end + 1 < len(legs) and legs[end + 1][0] == ROAD:
        end += 1
    return legs[start][1], legs[end][2]


def _place(code: str, field: str, number: str) -> tuple[float, float, str | None]:
    """(lon, lat, division code or None) of a handover point."""
    found = coordinates(code)
    if found is None:
        raise DispatchInputInvalid(
            f"{field}: waybill {number}: the handover point {code} has no known coordinates",
            field=field,
        )
    lat, lon = found
    return lon, lat, code if code.isdigit() else None


def load_from_waybill(session: Session, p: Principal, body: LoadFromWaybill) -> DispatchLoad:
    """Make the caller's load from its waybill draft ``body.waybill_no`` (404 when not visible)."""
    party = service.writer(p)
    w = logistics.waybill_view(session, p, body.waybill_no)
    if party != w.created_by_party_id and identity.party_uscc(session, party) != w.consignor_uscc:
        raise DispatchNotAllowed("only the consignor or the party that drafted the waybill makes it a load")
    if w.status != DRAFT:
        raise DispatchConflict(
            f"waybill {w.number} is {w.status}: only a draft becomes a load", reason="not_draft"
        )
    stretch = road_stretch([(str(x.mode), x.origin, x.destination) for x in w.legs])
    if stretch is None:
        raise DispatchConflict(
            f"waybill {w.number} has no road leg for a truck to carry", reason="no_road_leg"
        )
    pickup_lon, pickup_lat, pickup_place = _place(stretch[0], "pickup_place", w.number)
    drop_lon, drop_lat, drop_place = _place(stretch[1], "drop_place", w.number)
    vehicle_type = (
        VehicleType.CONTAINER_CHASSIS if w.containers else VehicleType.REEFER if w.temperature else None
    )
    cargo = Cargo(
        weights_kg=[c.gross_weight_kg for c in w.cargo],
        volumes_m3=[c.volume_m3 for c in w.cargo],
        vehicle_type=vehicle_type,
        dangerous=w.dangerous_goods_class is not None,
    )
    try:
        load = _load(
            body, w.number, cargo, (pickup_lon, pickup_lat, pickup_place), (drop_lon, drop_lat, drop_place)
        )
    except ValidationError as exc:  # e.g. cargo heavier than any truck carries
        named = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DispatchInputInvalid(f"waybill {w.number} as a load: {named}", errors=exc.errors()) from None
    return service.add_load(session, p, load, waybill_no=w.number)


@dataclass(frozen=True)
class Cargo:
    """What a draft's cargo asks of a truck: its lines' weights and volumes, a vehicle type, DG."""

    weights_kg: list[float]
    volumes_m3: list[float | None]
    vehicle_type: VehicleType | None
    dangerous: bool


def _load(
    body: LoadFromWaybill,
    number: str,
    cargo: Cargo,
    pickup: tuple[float, float, str | None],
    drop: tuple[float, float, str | None],
) -> LoadCreate:
    volumes = cargo.volumes_m3
    return LoadCreate(
        reference=body.reference or number,
        source=LoadSource.WAYBILL_DRAFT,
        posted=body.posted,
        pickup_lon=pickup[0],
        pickup_lat=pickup[1],
        drop_lon=drop[0],
        drop_lat=drop[1],
        pickup_place=pickup[2],
        drop_place=drop[2],
        weight_t=round(sum(cargo.weights_kg) / 1000, 3),
        volume_m3=None if None in volumes else round(sum(v or 0.0 for v in volumes), 3),
        vehicle_type=cargo.vehicle_type,
        earliest_pickup=body.earliest_pickup,
        latest_pickup=body.latest_pickup,
        required_qualification=DANGEROUS_GOODS if cargo.dangerous else None,
    )
