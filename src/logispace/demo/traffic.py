"""A week of multimodal traffic for the demo (演示物流数据): waybills on real corridors and the EPCIS
events their containers, trucks, trains and vessels would send.

Corridors (西部陆海新通道 and 中欧班列):

* import sea-rail (海铁联运进口): vessel Singapore or Haiphong -> 钦州港 (CNQZH), rail 钦州港 -> 重庆团结村
  (CNCKG), truck to the consignee in 渝北区 (500112) or 成都 (510100);
* export rail-sea (出口): truck from 南宁 (450100) or 玉林 (450900) to 钦州港, vessel to Singapore;
* export road-rail (出口): truck from 渝北区 to 团结村, rail (sea-rail) to 钦州港, vessel to Haiphong;
* China-Europe rail (中欧班列): truck from 渝北区 or 成都 to 团结村, train to Duisburg (DEDUI).

Everything is generated from a seed, so a load is repeatable; only events before ``end`` exist,
a leg still under way at ``end`` has no arrival yet. Containers carry valid ISO 6346 check digits
and come back into the pool after delivery, so they are reused across waybills; trucks report a
GPS point every :data:`GPS_INTERVAL` seconds while driving, and each container rides its own truck
(an EPCIS AggregationEvent puts it on the truck, train or vessel and takes it off again).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from stdnum import iso6346

from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.logistics.intake.adapters import CONTAINER_URN, LOCODE_URN, VEHICLE_URN

GPS_INTERVAL = 30
"""Seconds between two GPS points of a moving truck (a common 北斗 terminal setting)."""
WAYBILL_URN = "urn:logispace:waybill:"
TRAIN_URN = "urn:logispace:train:"
VESSEL_URN = "urn:logispace:vessel:"
DIVISION_URN = "urn:logispace:division:"


@dataclass(frozen=True)
class Place:
    """A handover point: a UN/LOCODE or a six-digit division code, with a name and coordinates."""

    code: str
    name: str
    lat: float
    lon: float

    @property
    def urn(self) -> str:
        return (DIVISION_URN if self.code.isdigit() else LOCODE_URN) + self.code


QINZHOU = Place("CNQZH", "钦州港", 21.70, 108.61)
CHONGQING = Place("CNCKG", "重庆团结村", 29.60, 106.37)
YUBEI = Place("500112", "重庆市渝北区", 29.72, 106.63)
CHENGDU = Place("510100", "四川省成都市", 30.66, 104.07)
NANNING = Place("450100", "广西南宁市", 22.82, 108.32)
YULIN = Place("450900", "广西玉林市", 22.65, 110.15)
SINGAPORE = Place("SGSIN", "新加坡", 1.26, 103.84)
HAIPHONG = Place("VNHPH", "越南海防", 20.86, 106.68)
DUISBURG = Place("DEDUI", "德国杜伊斯堡", 51.43, 6.76)

LOADING_LEAD = timedelta(minutes=40)
"""Loading on the truck, train or vessel starts this long before departure."""
UNLOADING_LAG = timedelta(minutes=50)
"""Unloading ends this long after arrival."""
RETURN_EMPTY = timedelta(minutes=45)
"""After unloading, a truck drives back empty this long (空车返程) towards its origin, still reporting GPS
points: the empty running the control tower measures (空驶率). Its points draw on a random generator
of their own, so the week's other data is the same with or without them."""
SPEED_KMH = {"road": 65.0, "rail": 55.0, "water": 26.0}
"""Average speeds; rail includes stops, China-Europe runs are slowed further by border changes."""


@dataclass(frozen=True)
class Corridor:
    name: str
    legs: tuple[tuple[str, str, Place, Place], ...]
    """(mode, carrier party key, origin, destination) of each leg."""
    weight: int


CORRIDORS = (
    Corridor("海铁联运进口 新加坡-钦州港-重庆", (("water", "shipping", SINGAPORE, QINZHOU),
             ("rail", "rail", QINZHOU, CHONGQING), ("road", "carrier", CHONGQING, YUBEI)), 3),
    Corridor("海铁联运进口 海防-钦州港-成都", (("water", "shipping", HAIPHONG, QINZHOU),
             ("rail", "rail", QINZHOU, CHONGQING), ("road", "carrier", CHONGQING, CHENGDU)), 2),
    Corridor("出口 南宁-钦州港-新加坡", (("road", "carrier", NANNING, QINZHOU),
             ("water", "shipping", QINZHOU, SINGAPORE)), 3),
    Corridor("出口 玉林-钦州港-新加坡", (("road", "carrier", YULIN, QINZHOU),
             ("water", "shipping", QINZHOU, SINGAPORE)), 2),
    Corridor("铁海联运出口 重庆-钦州港-海防", (("road", "carrier", YUBEI, CHONGQING),
             ("rail", "rail", CHONGQING, QINZHOU), ("water", "shipping", QINZHOU, HAIPHONG)), 3),
    Corridor("中欧班列 重庆-杜伊斯堡", (("road", "carrier", YUBEI, CHONGQING),
             ("rail", "rail", CHONGQING, DUISBURG)), 2),
    Corridor("中欧班列 成都-重庆-杜伊斯堡", (("road", "carrier", CHENGDU, CHONGQING),
             ("rail", "rail", CHONGQING, DUISBURG)), 1),
)  # fmt: skip

SHIPPERS = (
    ("重庆示范电子科技有限公司", "91500000MA0000101"),
    ("重庆示范汽车零部件有限公司", "91500112MA0000102"),
    ("成都示范机电设备有限公司", "91510100MA0000103"),
    ("广西示范糖业集团有限公司", "91450100MA0000104"),
    ("玉林示范机械制造有限公司", "91450900MA0000105"),
    ("广西示范林产品贸易有限公司", "91450100MA0000106"),
    ("重庆示范摩托车进出口有限公司", "91500112MA0000107"),
    ("四川示范化工原料有限公司", "91510100MA0000108"),
    ("钦州示范粮油进出口有限公司", "91450700MA0000109"),
    ("重庆示范冷链食品有限公司", "91500112MA0000110"),
)
CARGO = (
    ("笔记本电脑", None, None),
    ("汽车零部件", None, None),
    ("摩托车", None, None),
    ("白砂糖", None, None),
    ("胶合板", None, None),
    ("工程机械配件", None, None),
    ("冷冻榴莲", None, (-18.0, -12.0)),
    ("冷冻虾仁", None, (-22.0, -18.0)),
    ("锂离子电池", ("9", "UN3480"), None),
    ("油漆", ("3", "UN1263"), None),
)
OWNERS = ("TGHU", "CSNU", "OOLU", "CBHU", "TCNU", "BMOU", "SEGU", "FCIU")
SIZE_TYPES = ("22G1", "42G1", "45G1", "45R1")
PROVINCE_PLATES = {"500": "渝", "510": "川", "450": "桂", "CNQ": "桂", "CNC": "渝"}


@dataclass(frozen=True)
class LegRun:
    """One leg as it happened: times, the means of transport per container (truck plates for road)."""

    mode: str
    carrier: str
    origin: Place
    destination: Place
    depart: datetime
    arrive: datetime
    means: tuple[str, ...]
    """EPC of the truck (one per container), or of the train or vessel (one for all)."""
    due: datetime
    """Planned arrival (计划到达): the departure plus the leg's time at the mode's average speed."""

    @property
    def loading(self) -> datetime:
        """When the containers go on board (the next carrier takes them over, 交接)."""
        return self.depart - LOADING_LEAD

    @property
    def unloading(self) -> datetime:
        """When the containers come off again after arrival."""
        return self.arrive + UNLOADING_LAG


@dataclass(frozen=True)
class Shipment:
    """One multimodal waybill of the week (多式联运运单)."""

    number: str
    corridor: str
    consignor: tuple[str, str]
    consignee: tuple[str, str]
    issued_at: datetime
    legs: tuple[LegRun, ...]
    containers: tuple[tuple[str, str], ...]
    """(ISO 6346 number, size-type code) of each container."""
    cargo: dict[str, Any]
    temperature: tuple[float, float] | None

    def finished_legs(self, now: datetime) -> int:
        """How many legs have arrived by ``now``."""
        return sum(1 for leg in self.legs if leg.arrive <= now)


@dataclass
class Traffic:
    """The generated week: shipments and, per capturing party key, their EPCIS events in time order."""

    shipments: list[Shipment] = field(default_factory=list)
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def event_count(self) -> int:
        return sum(len(v) for v in self.events.values())

    def chunks(self, party: str, size: int) -> Iterator[list[dict[str, Any]]]:
        """The party's events in capture documents of at most ``size`` events."""
        events = self.events.get(party, [])
        for start in range(0, len(events), size):
            yield events[start : start + size]


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance, with a detour factor for roads and rails (1.25)."""
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h)) * 1.25


def container_numbers(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """``count`` distinct container numbers with valid ISO 6346 check digits and size-type codes."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        body = rng.choice(OWNERS) + f"{rng.randrange(1_000_000):06d}"
        number = body + iso6346.calc_check_digit(body)
        if number not in seen:
            seen.add(number)
            out.append((number, rng.choice(SIZE_TYPES)))
    return out


def imo_number(seed: int) -> str:
    """A seven-digit IMO ship number with its check digit (weights 7..2 over the first six)."""
    digits = f"{seed:06d}"[-6:]
    check = sum(int(d) * w for d, w in zip(digits, range(7, 1, -1), strict=True)) % 10
    return f"{digits}{check}"


def _plate(rng: random.Random, origin: Place) -> str:
    province = PROVINCE_PLATES.get(origin.code[:3], "渝")
    letters = "ABCDEFGHJK"
    if rng.random() < 0.2:  # new-energy heavy trucks: 5 digits then D or F
        return f"{province}{rng.choice('ABC')}{rng.randrange(100_000):05d}{rng.choice('DF')}"
    return f"{province}{rng.choice(letters)}{rng.randrange(100_000):05d}"


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _event(kind: str, moment: datetime, place: Place, waybill: str, **body: Any) -> dict[str, Any]:
    return {
        "type": kind,
        "eventTime": _iso(moment),
        "eventTimeZoneOffset": "+08:00",
        **body,
        "readPoint": {"id": place.urn},
        "bizLocation": {"id": place.urn},
        "bizTransactionList": [{"type": "bol", "bizTransaction": WAYBILL_URN + waybill}],
    }


def _aggregation(action: str, step: str, moment: datetime, place: Place, waybill: str, parent: str,
                 children: list[str]) -> dict[str, Any]:  # fmt: skip
    disposition = "in_transit" if action == "ADD" else "in_progress"
    return _event("AggregationEvent", moment, place, waybill, parentID=parent, childEPCs=children,
                  action=action, bizStep=step, disposition=disposition)  # fmt: skip


def _gps(
    moment: datetime, a: Place, b: Place, share: float, plate_epc: str, rng: random.Random
) -> dict[str, Any]:
    lat = a.lat + (b.lat - a.lat) * share + rng.uniform(-0.01, 0.01)
    lon = a.lon + (b.lon - a.lon) * share + rng.uniform(-0.01, 0.01)
    return {
        "type": "ObjectEvent",
        "eventTime": _iso(moment),
        "eventTimeZoneOffset": "+08:00",
        "epcList": [plate_epc],
        "action": "OBSERVE",
        "bizStep": "transporting",
        "disposition": "in_transit",
        "readPoint": {"id": f"geo:{lat:.5f},{lon:.5f}"},
        "ls:speedKmh": round(rng.uniform(55.0, 85.0), 1),
    }


def _leg_events(shipment: Shipment, leg: LegRun, end: datetime, rng: random.Random) -> list[dict[str, Any]]:
    """The events of one leg up to ``end``: on board, departure, GPS (road), arrival, off board."""
    out: list[dict[str, Any]] = []
    containers = [CONTAINER_URN + quote(number, safe="") for number, _ in shipment.containers]
    groups = (
        [(m, [c]) for m, c in zip(leg.means, containers, strict=True)]
        if leg.mode == "road"
        else [(leg.means[0], containers)]
    )
    loading = leg.loading
    for means, boxes in groups:
        if loading > end:
            break
        out.append(_aggregation("ADD", "loading", loading, leg.origin, shipment.number, means, boxes))
        if leg.depart <= end:
            out.append(_event("ObjectEvent", leg.depart, leg.origin, shipment.number, epcList=boxes,
                              action="OBSERVE", bizStep="departing", disposition="in_transit"))  # fmt: skip
        if leg.mode == "road":
            span = (leg.arrive - leg.depart).total_seconds()
            moment = leg.depart + timedelta(seconds=GPS_INTERVAL)
            while moment < min(leg.arrive, end):
                share = (moment - leg.depart).total_seconds() / span
                out.append(_gps(moment, leg.origin, leg.destination, share, means, rng))
                moment += timedelta(seconds=GPS_INTERVAL)
        if leg.arrive <= end:
            out.append(_event("ObjectEvent", leg.arrive, leg.destination, shipment.number, epcList=boxes,
                              action="OBSERVE", bizStep="arriving", disposition="in_progress"))  # fmt: skip
        unloading = leg.unloading
        if unloading <= end:
            off = _aggregation(
                "DELETE", "unloading", unloading, leg.destination, shipment.number, means, boxes
            )
            out.append(off)
            if leg.mode == "road":
                out.extend(_empty_return(leg, means, unloading, end))
    return out


def _empty_return(leg: LegRun, means: str, unloading: datetime, end: datetime) -> list[dict[str, Any]]:
    """GPS points of the truck driving back empty for :data:`RETURN_EMPTY` after unloading."""
    rng = random.Random(f"{means}|{unloading.isoformat()}")  # noqa: S311 - repeatable demo data
    span = (leg.arrive - leg.depart).total_seconds()
    out = []
    moment = unloading + timedelta(seconds=GPS_INTERVAL)
    while moment < min(unloading + RETURN_EMPTY, end):
        share = max(0.0, 1 - (moment - unloading).total_seconds() / span)
        out.append(_gps(moment, leg.origin, leg.destination, share, means, rng))
        moment += timedelta(seconds=GPS_INTERVAL)
    return out


def _terminal_events(shipment: Shipment, end: datetime) -> list[dict[str, Any]]:
    """The port's gate-in and gate-out of each container at 钦州港 (captured by the port)."""
    out: list[dict[str, Any]] = []
    boxes = [CONTAINER_URN + quote(number, safe="") for number, _ in shipment.containers]
    for before, after in zip(shipment.legs, shipment.legs[1:], strict=False):
        if before.destination is not QINZHOU:
            continue
        gate_in = before.arrive + timedelta(hours=1, minutes=10)
        if gate_in <= end:
            out.append(_event("ObjectEvent", gate_in, QINZHOU, shipment.number, epcList=boxes,
                              action="OBSERVE", bizStep="receiving", disposition="in_progress"))  # fmt: skip
        gate_out = after.depart - timedelta(hours=2)
        if gate_in < gate_out <= end:
            out.append(_event("ObjectEvent", gate_out, QINZHOU, shipment.number, epcList=boxes,
                              action="OBSERVE", bizStep="shipping", disposition="in_transit"))  # fmt: skip
    return out


def _leg_hours(mode: str, origin: Place, destination: Place) -> float:
    hours = distance_km(origin, destination) / SPEED_KMH[mode]
    return hours * (1.6 if destination is DUISBURG or origin is DUISBURG else 1.0)


def generate(end: datetime, waybills: int, *, seed: int = 2026, days: int = 7) -> Traffic:
    """``waybills`` shipments issued during the ``days`` before ``end`` and their events up to ``end``."""
    rng = random.Random(seed)  # noqa: S311 - repeatable demo data, not secrets
    start = end - timedelta(days=days)
    pool = container_numbers(waybills * 3, rng)  # enough distinct numbers; unused ones never appear
    spare = iter(pool)
    free_at: dict[str, datetime] = {}
    sizes = dict(pool)
    trains = [f"X{8000 + n}" for n in range(40)]
    vessels = [VESSEL_URN + imo_number(940_000 + 17 * n) for n in range(12)]
    weights = [c.weight for c in CORRIDORS]
    traffic = Traffic()
    for n in range(waybills):
        corridor = rng.choices(CORRIDORS, weights)[0]
        issued = start + timedelta(seconds=rng.uniform(0, days * 86_400 * 0.9))
        depart = issued + timedelta(hours=rng.uniform(2, 10))
        wanted = rng.choice((1, 1, 1, 2, 2, 3))
        free = sorted((c for c, t in free_at.items() if t <= issued), key=free_at.__getitem__)
        chosen = free[:wanted]
        while len(chosen) < wanted:  # no box back yet: a new one enters the pool
            chosen.append(next(spare)[0])
        legs: list[LegRun] = []
        moment = depart
        for mode, carrier, origin, destination in corridor.legs:
            planned = _leg_hours(mode, origin, destination)
            arrive = moment + timedelta(hours=planned * rng.uniform(0.9, 1.2))
            if mode == "road":
                means = tuple(VEHICLE_URN + quote(_plate(rng, origin), safe="") for _ in chosen)
            elif mode == "rail":
                means = (TRAIN_URN + rng.choice(trains),)
            else:
                means = (rng.choice(vessels),)
            due = moment + timedelta(hours=planned)
            legs.append(LegRun(mode, carrier, origin, destination, moment, arrive, means, due))
            moment = arrive + timedelta(hours=rng.uniform(6, 30))  # dwell at the handover point
        cargo_name, dangerous, temperature = rng.choice(CARGO)
        consignor, consignee = rng.sample(SHIPPERS, 2)
        shipment = Shipment(
            number=f"LHX{end:%y}{n + 1:06d}",
            corridor=corridor.name,
            consignor=(consignor[0], uscc_with_check_character(consignor[1])),
            consignee=(consignee[0], uscc_with_check_character(consignee[1])),
            issued_at=issued,
            legs=tuple(legs),
            containers=tuple((c, sizes[c]) for c in chosen),
            cargo={
                "description": cargo_name,
                "packages": rng.randrange(20, 900),
                "gross_weight_kg": round(rng.uniform(4_000, 24_000) * len(chosen), 1),
                "dangerous_goods_class": dangerous[0] if dangerous else None,
                "un_number": dangerous[1] if dangerous else None,
            },
            temperature=temperature,
        )
        for c in chosen:
            free_at[c] = legs[-1].arrive + timedelta(hours=12)
        traffic.shipments.append(shipment)
        for leg in shipment.legs:
            traffic.events.setdefault(leg.carrier, []).extend(_leg_events(shipment, leg, end, rng))
        traffic.events.setdefault("port", []).extend(_terminal_events(shipment, end))
    for events in traffic.events.values():
        events.sort(key=lambda e: e["eventTime"])
    return traffic
