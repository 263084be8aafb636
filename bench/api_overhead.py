"""Per-request cost of the API stack against the raw SQL it runs, on one database, in one process.

Requests go straight into the ASGI app through httpx2's ASGITransport (no sockets, no test-client
thread hop); the baseline runs the same statements on a plain connection to the same database.

Writes ``bench/results/api_overhead-<backend>.json`` with p50/p95 latencies in milliseconds.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx2
from fastapi import FastAPI
from sqlalchemy import Uuid, bindparam, create_engine, text
from sqlalchemy.engine import make_url

from logispace import demo, migrations
from logispace.app.main import create_app
from logispace.core.config import Settings
from logispace.core.db import backend_name, unit_of_work
from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.identity import SYSTEM, PartyType, auth_service, service
from logispace.domains.identity.schemas import PartyCreate, TokenCreate

ROUNDS = int(os.environ.get("LOGISPACE_BENCH_ROUNDS", "300"))
EXTRA_PARTIES = 500


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1] * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
    }


def timed(fn: Callable[[], object], rounds: int) -> list[float]:
    for _ in range(10):
        fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


async def atimed(fn: Callable[[], Awaitable[object]], rounds: int) -> list[float]:
    for _ in range(10):
        await fn()
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        await fn()
        samples.append(time.perf_counter() - start)
    return samples


async def time_api(app: FastAPI, headers: dict[str, str]) -> tuple[list[float], list[float]]:
    """Requests straight into the ASGI app (sync endpoints still run in the real thread pool)."""
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://bench") as client,
    ):
        first = await client.get("/api/v1/parties?limit=50", headers=headers)
        if first.status_code != 200 or len(first.json()["items"]) != 50:
            raise RuntimeError(f"warm-up request failed: {first.status_code}")
        me = await atimed(lambda: client.get("/api/v1/me", headers=headers), ROUNDS)
        listed = await atimed(lambda: client.get("/api/v1/parties?limit=50", headers=headers), ROUNDS)
    return me, listed


def make_database(folder: Path) -> tuple[str, Callable[[], None]]:
    server = os.environ.get("LOGISPACE_BENCH_DATABASE_URL")
    if not server:
        return f"sqlite:///{folder / 'bench.sqlite3'}", lambda: None
    name = f"logispace_bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(server).set(database=name).render_as_string(hide_password=False), drop


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = make_database(Path(tmp))
        try:
            migrations.upgrade(url)
            settings = Settings(database_url=url)
            with unit_of_work(url) as session:
                demo.load(session, "bench-password-1")
                for i in range(EXTRA_PARTIES):
                    uscc = uscc_with_check_character(f"91450700MB{i:07d}")
                    service.create_party(
                        session,
                        SYSTEM,
                        PartyCreate(name=f"基准主体{i:04d}", party_type=PartyType.ENTERPRISE, uscc=uscc),
                    )
                admin = service.user_by_username(session, "admin")
                if admin is None:
                    raise RuntimeError("demo admin missing")
                token = auth_service.create_token(
                    session, admin.id, TokenCreate(name="bench"), settings
                ).token
                admin_id = admin.id
            headers = {"Authorization": f"Bearer {token}"}
            results: dict[str, object] = {
                "backend": backend_name(url),
                "rounds": ROUNDS,
                "parties": EXTRA_PARTIES + len(demo.PARTIES),
                "python": sys.version.split()[0],
            }
            api_me, api_list = asyncio.run(time_api(create_app(settings), headers))

            engine = create_engine(url)
            digest = auth_service.crypto.secret_digest(token)
            verifications = text(
                "SELECT * FROM party_verifications WHERE party_id IN :ids ORDER BY party_id, decided_at DESC"
            ).bindparams(bindparam("ids", expanding=True))
            user_by_id = text("SELECT * FROM users WHERE id = :u").bindparams(bindparam("u", type_=Uuid()))
            roles_of_user = text("SELECT * FROM user_roles WHERE user_id = :u").bindparams(
                bindparam("u", type_=Uuid())
            )
            with engine.connect() as conn:

                def raw_me() -> None:
                    conn.execute(text("SELECT * FROM api_tokens WHERE digest = :d"), {"d": digest}).all()
                    conn.execute(user_by_id, {"u": admin_id}).all()
                    conn.execute(roles_of_user, {"u": admin_id}).all()

                def raw_list() -> None:
                    raw_me()
                    rows = conn.execute(text("SELECT * FROM parties ORDER BY name, id LIMIT 50")).all()
                    conn.execute(text("SELECT count(*) FROM parties")).scalar()
                    ids = [r.id for r in rows]
                    conn.execute(verifications, {"ids": ids}).all()

                raw_me_s = timed(raw_me, ROUNDS)
                raw_list_s = timed(raw_list, ROUNDS)
            engine.dispose()

            results["get_me"] = {"api": percentiles(api_me), "raw_sql": percentiles(raw_me_s)}
            results["list_parties_50"] = {"api": percentiles(api_list), "raw_sql": percentiles(raw_list_s)}
            for key in ("get_me", "list_parties_50"):
                entry = results[key]
                if not isinstance(entry, dict):
                    raise TypeError(key)
                entry["api_over_raw_p50"] = round(entry["api"]["p50_ms"] / entry["raw_sql"]["p50_ms"], 1)
            out = Path(__file__).parent / "results" / f"api_overhead-{results['backend']}.json"
            out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
            print(json.dumps(results, indent=2, ensure_ascii=False))
        finally:
            drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
