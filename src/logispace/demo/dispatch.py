"""Demo dispatch day (演示车货匹配): the demo carrier's trucks, the shippers' loads on the Beibu Gulf
corridor for tomorrow, one match run (chained, with backhauls) whose proposals are accepted, and one
route plan of the accepted loads. Loaded through the dispatch services only; idempotent (a carrier
that has trucks already is left as it is)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.dispatch import (
    LoadCreate,
    MatchRunCreate,
    RoutePlanCreate,
    VehicleCreate,
    dispatch_service,
    planning,
)
from logispace.domains.identity import Principal

BEIJING = timezone(timedelta(hours=8))
CERTIFICATE_UNTIL = date(2030, 12, 31)

PLACES = {
    "450100": (108.366, 22.817),  # 南宁
    "450200": (109.428, 24.326),  # 柳州
    "450500": (109.120, 21.481),  # 北海
    "450600": (108.354, 21.687),  # 防城港
    "450700": (108.654, 21.980),  # 钦州
    "450900": (110.181, 22.654),  # 玉林
    "451400": (107.365, 22.377),  # 崇左
}

# plate, type, payload t, qualifications, where it stands (division), free from (hour, Beijing)
TRUCKS = (
    ("桂A6D001", "box", 30.0, ("RTC",), "450100", 6),
    ("桂A6D002", "box", 18.0, ("RTC",), "450100", 7),
    ("桂N6D003", "container_chassis", 32.0, ("RTC",), "450700", 6),
    ("桂P6D004", "reefer", 15.0, ("RTC",), "450600", 6),
    ("桂A6D005", "tank", 25.0, ("RTC", "DG"), "450100", 8),
    ("桂E6D006", "flatbed", 28.0, ("RTC",), "450500", 7),
)

# shipper key, reference, from, to, tonnes, vehicle type, window opens/closes (hour), qualification
LOADS = (
    ("shipper01", "HY-D01", "450100", "450700", 22.0, "box", 8, 11, None),
    ("shipper02", "HY-D02", "450700", "450100", 16.0, "box", 12, 18, None),
    ("shipper01", "HY-D03", "450700", "450500", 28.0, "container_chassis", 7, 10, None),
    ("shipper02", "HY-D04", "450500", "450700", 26.0, "container_chassis", 12, 17, None),
    ("shipper03", "HY-D05", "450600", "450100", 12.0, "reefer", 7, 10, None),
    ("shipper03", "HY-D06", "450100", "450600", 10.0, "reefer", 14, 19, None),
    ("shipper01", "HY-D07", "450100", "451400", 20.0, "tank", 9, 12, "DG"),
    ("shipper02", "HY-D08", "450500", "450900", 24.0, "flatbed", 8, 12, None),
    ("shipper03", "HY-D09", "450900", "450500", 18.0, "flatbed", 15, 20, None),
    ("shipper01", "HY-D10", "450100", "450200", 14.0, "box", 8, 12, None),
    ("shipper02", "HY-D11", "450200", "450100", 40.0, None, 9, 15, None),
)


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BEIJING)


def load_dispatch(session: Session, principals: dict[str, Principal], settings: Settings) -> None:
    """Trucks, loads, an accepted match run and a route plan for tomorrow (Beijing time)."""
    carrier = principals["carrier"]
    if dispatch_service.vehicles(session, carrier):
        return
    day = utcnow().astimezone(BEIJING).date() + timedelta(days=1)
    for plate, kind, payload, quals, where, free in TRUCKS:
        lon, lat = PLACES[where]
        body = VehicleCreate(
            plate=plate,
            vehicle_type=kind,
            capacity_t=payload,
            qualifications=list(quals),
            certificate_valid_until=CERTIFICATE_UNTIL,
            driver_qualified=True,
            lon=lon,
            lat=lat,
            available_from=_at(day, free),
        )
        dispatch_service.add_vehicle(session, carrier, body)
    for shipper, ref, origin, destination, tonnes, needed, opens, closes, qual in LOADS:
        body_load = LoadCreate(
            reference=ref,
            pickup_lon=PLACES[origin][0],
            pickup_lat=PLACES[origin][1],
            drop_lon=PLACES[destination][0],
            drop_lat=PLACES[destination][1],
            pickup_place=origin,
            drop_place=destination,
            weight_t=tonnes,
            vehicle_type=needed,
            earliest_pickup=_at(day, opens),
            latest_pickup=_at(day, closes),
            required_qualification=qual,
        )
        dispatch_service.add_load(session, principals[shipper], body_load)
    run = dispatch_service.create_run(session, carrier, settings, MatchRunCreate(mode="chain"))
    read = dispatch_service.run_read(session, run)
    for proposal in read.proposals:
        dispatch_service.decide(session, carrier, settings, run.id, proposal.id, accept=True)
    accepted = [p.load_id for p in read.proposals]
    if accepted:
        planning.create_plan(session, carrier, settings, RoutePlanCreate(load_ids=accepted, seconds=1))
