"""EPCIS capture throughput (events/s) against a raw bulk load of the same rows, in one process.

Captures ``LOGISPACE_BENCH_DOCS`` EPCIS documents of 1,000 events each through ``POST /epcis/capture``
(httpx2 ASGITransport: parsing, JSON-schema validation, event hashing, duplicate check, inserts,
ledger entry, commit). The baseline writes the very same rows (events and EPC links, already
computed) with PostgreSQL ``COPY`` or SQLite ``executemany`` on a plain connection, one transaction
per document. Writes ``bench/results/epcis_capture-<backend>.json``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2
from api_overhead import make_database  # bench/ is the script's folder, first on sys.path
from sqlalchemy import create_engine, text

from logispace import migrations
from logispace.app.main import create_app
from logispace.core.config import Settings
from logispace.core.db import backend_name, unit_of_work
from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.identity import SYSTEM, PartyType, Role, auth_service, service
from logispace.domains.identity.schemas import PartyCreate, TokenCreate, UserCreate
from logispace.domains.logistics.epcis import document
from logispace.domains.logistics.epcis.repository import EVENT_COLUMNS, LINK_COLUMNS

DOCS = int(os.environ.get("LOGISPACE_BENCH_DOCS", "20"))
EVENTS_PER_DOC = 1000
CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"


def make_document(doc_no: int) -> dict[str, Any]:
    base = datetime(2026, 1, 1, tzinfo=UTC)
    events = []
    for i in range(EVENTS_PER_DOC):
        n = doc_no * EVENTS_PER_DOC + i
        events.append(
            {
                "type": "ObjectEvent",
                "eventTime": (base + timedelta(seconds=n)).isoformat(),
                "eventTimeZoneOffset": "+08:00",
                "epcList": [f"urn:epc:id:sgtin:0614141.107346.{n}", f"urn:epc:id:sgtin:0614141.107346.{n}9"],
                "action": "OBSERVE",
                "bizStep": "shipping" if n % 2 else "receiving",
                "disposition": "in_transit",
                "readPoint": {"id": f"urn:epc:id:sgln:0614141.00001.{n % 50}"},
                "bizLocation": {"id": "urn:epc:id:sgln:0614141.00002.0"},
                "bizTransactionList": [
                    {"type": "po", "bizTransaction": f"urn:epcglobal:cbv:bt:0614141073467:{n}"}
                ],
                "ex:temperature": {"ex:value": 4.5, "ex:unit": "CEL"},
            }
        )
    return {
        "@context": [CONTEXT, {"ex": "https://ns.example.com/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-22T00:00:00Z",
        "epcisBody": {"eventList": events},
    }


def make_actor(url: str, settings: Settings, name: str) -> tuple[uuid.UUID, str]:
    with unit_of_work(url) as session:
        uscc = uscc_with_check_character("91450700MB" + f"{abs(hash(name)) % 10**7:07d}")
        party = service.create_party(
            session, SYSTEM, PartyCreate(name=name, party_type=PartyType.ENTERPRISE, uscc=uscc)
        )
        user = service.create_user(
            session,
            SYSTEM,
            UserCreate(
                party_id=party.id,
                username=f"bench{uuid.uuid4().hex[:6]}",
                display_name="基准",
                password="bench-password-1",  # noqa: S106 - a throwaway bench database
                roles=[Role.PARTY_ADMIN],
            ),
        )
        token = auth_service.create_token(session, user.id, TokenCreate(name="bench"), settings).token
        return party.id, token


async def time_api(settings: Settings, token: str, bodies: list[bytes]) -> float:
    app = create_app(settings)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/ld+json"}
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://bench") as client,
    ):
        start = time.perf_counter()
        for body in bodies:
            response = await client.post("/epcis/capture", content=body, headers=headers, timeout=120)
            if response.status_code != 202:
                raise RuntimeError(f"capture failed: {response.status_code} {response.text[:300]}")
        return time.perf_counter() - start


def raw_rows(docs: list[dict[str, Any]], party_id: uuid.UUID, job_id: uuid.UUID, first_id: int) -> list[Any]:
    """The rows the capture writes, computed before the clock starts."""
    now = datetime.now(UTC)
    out = []
    next_id = first_id
    for doc in docs:
        events, links = [], []
        for e in document.events_of(doc, now, timedelta(minutes=5)):
            events.append(
                (
                    next_id,
                    party_id,
                    job_id,
                    e.event_id,
                    e.event_hash,
                    e.event_type,
                    e.event_time,
                    now,
                    e.action,
                    e.biz_step,
                    e.disposition,
                    e.read_point,
                    e.biz_location,
                    json.dumps(e.body),
                )
            )
            links.extend((next_id, role, epc, party_id, e.event_time) for role, epc in e.epcs)
            next_id += 1
        out.append((events, links))
    return out


def time_raw(url: str, party_id: uuid.UUID, docs: list[dict[str, Any]]) -> float:
    engine = create_engine(url)
    job_id = uuid.uuid4()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO epcis_capture_jobs (id, party_id, created_at, running, success, error_behaviour,"
                " errors, event_count, stored_count, document_sha256) VALUES (:id, :p, :t, false, true,"
                " 'rollback', '[]', 0, 0, 'x')"
            ),
            {
                "id": job_id if url.startswith("postgresql") else job_id.hex,
                "p": party_id if url.startswith("postgresql") else party_id.hex,
                "t": datetime.now(UTC),
            },
        )
        first = (
            conn.execute(text("SELECT coalesce(max(id), 0) FROM epcis_events")).scalar() or 0
        ) + 1_000_000
    batches = raw_rows(docs, party_id, job_id, first)
    postgres = url.startswith("postgresql")
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        start = time.perf_counter()
        for events, links in batches:
            if postgres:
                with cursor.copy(f"COPY epcis_events ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                    for row in events:
                        copy.write_row(row)
                with cursor.copy(f"COPY epcis_event_epcs ({', '.join(LINK_COLUMNS)}) FROM STDIN") as copy:
                    for row in links:
                        copy.write_row(row)
            else:
                cursor.execute("BEGIN")
                marks = ", ".join("?" for _ in EVENT_COLUMNS)
                cursor.executemany(
                    f"INSERT INTO epcis_events ({', '.join(EVENT_COLUMNS)}) VALUES ({marks})",  # noqa: S608
                    [
                        (
                            r[0],
                            r[1].hex,
                            r[2].hex,
                            *r[3:6],
                            r[6].replace(tzinfo=None).isoformat(" "),
                            r[7].replace(tzinfo=None).isoformat(" "),
                            *r[8:],
                        )
                        for r in events
                    ],
                )
                cursor.executemany(
                    "INSERT INTO epcis_event_epcs (event_pk, role, epc, party_id, event_time)"
                    " VALUES (?, ?, ?, ?, ?)",
                    [(a, b, c, d.hex, t.replace(tzinfo=None).isoformat(" ")) for a, b, c, d, t in links],
                )
            raw.commit()
        elapsed = time.perf_counter() - start
    finally:
        raw.close()
        engine.dispose()
    return elapsed


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = make_database(Path(tmp))
        try:
            migrations.upgrade(url)
            settings = Settings(database_url=url, var_dir=Path(tmp), max_body_bytes=64 * 1024 * 1024)
            _, token = make_actor(url, settings, "基准采集方")
            raw_party, _ = make_actor(url, settings, "基准基线方")
            docs = [make_document(i) for i in range(DOCS)]
            bodies = [json.dumps(d).encode() for d in docs]
            api_s = asyncio.run(time_api(settings, token, bodies))
            raw_s = time_raw(url, raw_party, docs)
            total = DOCS * EVENTS_PER_DOC
            results = {
                "backend": backend_name(url),
                "documents": DOCS,
                "events_per_document": EVENTS_PER_DOC,
                "document_bytes": len(bodies[0]),
                "python": sys.version.split()[0],
                "api_capture": {"seconds": round(api_s, 3), "events_per_s": round(total / api_s)},
                "raw_baseline": {
                    "method": "COPY" if backend_name(url) == "postgresql" else "executemany",
                    "seconds": round(raw_s, 3),
                    "events_per_s": round(total / raw_s),
                },
                "api_over_raw_throughput": round(raw_s / api_s, 3),
            }
            out = Path(__file__).parent / "results" / f"epcis_capture-{results['backend']}.json"
            out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
            print(json.dumps(results, indent=2, ensure_ascii=False))
        finally:
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
