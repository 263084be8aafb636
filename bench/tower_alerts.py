"""Alert evaluation throughput (events/s) against plain EPCIS capture on the same database.

Sets up ``LOGISPACE_BENCH_WAYBILLS`` two-leg cold-chain waybills (default 100; road 450702 -> CNQZH,
rail CNQZH -> CNCKG, one container each, issued and picked up) and six alert rules for the shipper (one
of each kind, thresholds that a few events break). Then captures ``LOGISPACE_BENCH_DOCS`` documents
(default 10) of 1,000 events in each mode, alternating document by document: for every waybill a truck
loading, GPS points of the truck every 30 s (a few off the route), temperature readings (some out of
range), the unloading at 钦州港 and the train's loading (a handover not yet signed): the demo's mix.

* ``capture``: ``epcis.service.capture`` and commit, with no alert handler on the event bus;
* ``capture_alerts``: the same with ``tower.subscribe`` (rules evaluated in the capture's transaction).

Each document names its own waybills' events (distinct times), so neither mode meets stored duplicates.
``alerts_cost = 1 - capture_alerts / capture`` (events/s, medians); the target is at most 0.30. The
evaluation alone is timed too (the handler wrapped, wall and this process's CPU), and its share of the CPU
of the same capture (``alerts_share_of_cpu_same_document_median``: evaluation CPU / capture-with-alerts
CPU, document by document, steadier than comparing medians of different documents).
Writes ``bench/results/tower_alerts-<backend>.json``.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import benchkit
from sqlalchemy import func, select
from waybill_custody import parties  # bench/ is the script's folder, first on sys.path

from logispace.core.db import committing, make_engine, make_sessionmaker
from logispace.core.events import bus
from logispace.core.transport_ids import container_with_check_digit
from logispace.domains import logistics, tower
from logispace.domains.identity import Principal
from logispace.domains.logistics.epcis import service as capture_service
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.policies import Action, WaybillDraft
from logispace.domains.tower.alerts import evaluate
from logispace.domains.tower.alerts.models import Alert

PREFIX = {"capture": "P", "capture_alerts": "A", "background": "B"}
WAYBILLS = int(os.environ.get("LOGISPACE_BENCH_WAYBILLS", "100"))
DOCS = int(os.environ.get("LOGISPACE_BENCH_DOCS", "10")) + 1
"""Documents per mode; the first pair warms up (caches, first statements) and is not counted."""
EVENTS_PER_DOC = 1000
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
START = datetime(2026, 3, 1, tzinfo=UTC)
QINZHOU, PORT = (21.95, 108.62), (21.70, 108.61)
RULES = [
    ("温度", "temperature", 0.0),
    ("偏航", "route_deviation", 20.0),
    ("滞留", "dwell", 6.0),
    ("无定位", "gps_silence", 30.0),
    ("交接", "handover_unverified", 2.0),
    ("延误", "delay", 2.0),
]


def number(mode: str, doc: int, k: int) -> str:
    return f"TW{PREFIX[mode]}{doc:03d}{k:04d}"


def box(mode: str, doc: int, k: int) -> str:
    return container_with_check_digit(f"TW{PREFIX[mode]}U{doc:03d}{k:03d}")


def draft(no: str, container: str, who: dict[str, tuple[Principal, str]]) -> WaybillDraft:
    return WaybillDraft.model_validate(
        {
            "waybill_no": no,
            "consignor_uscc": who["shipper"][1],
            "consignee_uscc": who["consignee"][1],
            "legs": [
                {"mode": "road", "carrier_uscc": who["road"][1], "origin": "450702", "destination": "CNQZH"},
                {"mode": "rail", "carrier_uscc": who["road"][1], "origin": "CNQZH", "destination": "CNCKG"},
            ],
            "cargo": [{"description": "冷冻榴莲", "packages": 1200, "gross_weight_kg": 21500.5}],
            "containers": [container],
            "temperature": {"min_c": -20, "max_c": -15},
        }
    )


def events_of(no: str, container: str, truck: str, t0: datetime, count: int) -> list[dict[str, Any]]:
    """``count`` events of one waybill's road leg and the train's loading after it."""
    place = "urn:logispace:division:450702"
    port = "urn:logispace:unlocode:CNQZH"
    bol = [{"type": "bol", "bizTransaction": "urn:logispace:waybill:" + no}]
    boxes = ["urn:logispace:container:" + container]

    def at(s: int) -> str:
        return (t0 + timedelta(seconds=s)).isoformat()

    def aggregation(s: int, action: str, parent: str, step: str, where: str) -> dict[str, Any]:
        return {
            "type": "AggregationEvent",
            "eventTime": at(s),
            "eventTimeZoneOffset": "+00:00",
            "parentID": parent,
            "childEPCs": boxes,
            "action": action,
            "bizStep": step,
            "readPoint": {"id": where},
            "bizLocation": {"id": where},
            "bizTransactionList": bol,
        }

    out = [aggregation(0, "ADD", truck, "loading", place)]
    gps = count - 4
    for i in range(gps):
        share = i / max(gps, 1)
        lat = QINZHOU[0] + (PORT[0] - QINZHOU[0]) * share + (0.5 if i % 97 == 50 else 0.0)
        lon = QINZHOU[1] + (PORT[1] - QINZHOU[1]) * share
        event: dict[str, Any] = {
            "type": "ObjectEvent",
            "eventTime": at(30 * (i + 1)),
            "eventTimeZoneOffset": "+00:00",
            "epcList": [truck],
            "action": "OBSERVE",
            "bizStep": "transporting",
            "readPoint": {"id": f"geo:{lat:.5f},{lon:.5f}"},
        }
        if i % 10 == 0:  # a reefer reading every five minutes, one in twenty out of range
            reading = -12.0 if i % 200 == 0 else -18.0
            event = {
                **event,
                "epcList": [truck, *boxes],
                "bizTransactionList": bol,
                "sensorElementList": [
                    {"sensorReport": [{"type": "gs1:Temperature", "value": reading, "uom": "CEL"}]}
                ],
            }
        out.append(event)
    end = 30 * (gps + 1)
    out.append(aggregation(end, "DELETE", truck, "unloading", port))
    out.append(aggregation(end + 9 * 3600, "ADD", "urn:logispace:train:X9501", "loading", port))
    out.append(
        {
            "type": "ObjectEvent",
            "eventTime": at(end + 9 * 3600 + 60),
            "eventTimeZoneOffset": "+00:00",
            "epcList": boxes,
            "action": "OBSERVE",
            "bizStep": "departing",
            "bizTransactionList": bol,
        }
    )
    return out


def document(mode: str, doc: int) -> bytes:
    per = EVENTS_PER_DOC // WAYBILLS_PER_DOC
    events: list[dict[str, Any]] = []
    for k in range(WAYBILLS_PER_DOC):
        truck = "urn:logispace:vehicle:" + quote(f"桂N{doc:02d}{k:03d}", safe="")
        t0 = START + timedelta(days=doc, minutes=k)
        events += events_of(number(mode, doc, k), box(mode, doc, k), truck, t0, per)
    body = {
        "@context": [CONTEXT],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-22T00:00:00Z",
        "epcisBody": {"eventList": events},
    }
    return json.dumps(body).encode()


WAYBILLS_PER_DOC = 10


def main() -> None:
    # The capture's ledger entry reads the process settings: sign with the bench's own key there too.
    os.environ["LOGISPACE_LEDGER_MASTER_KEY"] = benchkit.MASTER_KEY
    docs_waybills = WAYBILLS_PER_DOC * DOCS
    with tempfile.TemporaryDirectory() as folder, benchkit.scratch_database(Path(folder)) as url:
        settings = benchkit.bench_settings(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        results: dict[str, Any] = {
            "machine": benchkit.machine(engine),
            "documents_per_mode": DOCS - 1,
            "events_per_document": EVENTS_PER_DOC,
            "waybills_per_mode": docs_waybills,
            "background_waybills": WAYBILLS,
        }
        with sessions() as session, committing(session):
            who = parties(
                session
            )  # shipper, road, rail, last_mile, consignee, as the custody bench makes them
            for name, kind, threshold in RULES:
                tower.create_rule(
                    session, who["shipper"][0], tower.RuleCreate(name=name, kind=kind, threshold=threshold)
                )  # type: ignore[arg-type]
        benchkit.log("waybills")
        shipper, road = who["shipper"][0], who["road"][0]
        plan = [
            (m, d, k)
            for m in ("capture", "capture_alerts")
            for d in range(DOCS)
            for k in range(WAYBILLS_PER_DOC)
        ]
        plan += [
            ("background", d, k) for d in range(WAYBILLS // WAYBILLS_PER_DOC) for k in range(WAYBILLS_PER_DOC)
        ]
        for mode, d, k in plan:
            with sessions() as session, committing(session):
                no = number(mode, d, k)
                waybill_service.create_draft(session, shipper, settings, draft(no, box(mode, d, k), who))
                waybill_service.act(session, shipper, settings, no, Action.ISSUE, None)
                waybill_service.act(session, road, settings, no, Action.PICK_UP, None)
        with sessions() as session, committing(session):
            ids = logistics.waybill_ids_by_number(
                session,
                [number("capture_alerts", d, k) for d in range(DOCS) for k in range(WAYBILLS_PER_DOC)],
            )
            for v in ids.values():
                tower.promise(session, v[0], START, None)
        bodies = {mode: [document(mode, d) for d in range(DOCS)] for mode in ("capture", "capture_alerts")}
        timings: dict[str, list[float]] = {"capture": [], "capture_alerts": []}
        cpu: dict[str, list[float]] = {"capture": [], "capture_alerts": []}
        evaluation: list[float] = []  # the warm-up's first
        evaluation_cpu: list[float] = []
        original = evaluate.on_events_captured

        def timed(session: Any, captured: Any) -> None:
            started, began = time.perf_counter(), time.process_time()
            original(session, captured)
            evaluation.append(time.perf_counter() - started)
            evaluation_cpu.append(time.process_time() - began)

        for d in range(DOCS):
            for mode in ("capture", "capture_alerts") if d % 2 == 0 else ("capture_alerts", "capture"):
                bus.clear()
                if mode == "capture_alerts":
                    bus.subscribe(logistics.EventsCaptured, timed)
                started, began = time.perf_counter(), time.process_time()
                with sessions() as session, committing(session):
                    capture_service.capture(session, road, bodies[mode][d], settings)
                if d > 0:
                    timings[mode].append(time.perf_counter() - started)
                    cpu[mode].append(time.process_time() - began)
            benchkit.log(f"document {d + 1}/{DOCS}")
        bus.clear()
        with sessions() as session:
            alerts = dict(session.execute(select(Alert.kind, func.count()).group_by(Alert.kind)).all())
            swept_start = time.perf_counter()
            with committing(session):
                swept = tower.sweep(session, START + timedelta(days=DOCS + 2))
            sweep_seconds = time.perf_counter() - swept_start
        rate = {m: EVENTS_PER_DOC / statistics.median(v) for m, v in timings.items()}
        results.update(
            {
                "events_per_second_median": {m: round(r, 1) for m, r in rate.items()},
                "cpu_seconds_per_document_median": {
                    m: round(statistics.median(v), 4) for m, v in cpu.items()
                },
                "seconds_per_document": {m: [round(x, 4) for x in v] for m, v in timings.items()},
                "evaluation_seconds_per_document_median": round(statistics.median(evaluation[1:]), 4),
                "evaluation_events_per_second": round(EVENTS_PER_DOC / statistics.median(evaluation[1:]), 1),
                "evaluation_cpu_seconds_per_document_median": round(statistics.median(evaluation_cpu[1:]), 4),
                "alerts_share_of_cpu_same_document_median": round(
                    statistics.median(
                        e / c for e, c in zip(evaluation_cpu[1:], cpu["capture_alerts"], strict=True)
                    ),
                    3,
                ),
                "alerts_cost": round(1 - rate["capture_alerts"] / rate["capture"], 3),
                "alerts_cost_cpu": round(
                    1 - statistics.median(cpu["capture"]) / statistics.median(cpu["capture_alerts"]), 3
                ),
                "target_alerts_cost_at_most": 0.30,
                "alerts_raised_by_kind": {str(k): int(v) for k, v in alerts.items()},
                "sweep": {"seconds": round(sweep_seconds, 3), "conditions_found": len(swept)},
            }
        )
        path = benchkit.write("tower_alerts", results)
        summary = {k: results[k] for k in ("events_per_second_median", "alerts_cost")}
        benchkit.log(f"wrote {path}: {json.dumps(summary)}")


if __name__ == "__main__":
    main()
