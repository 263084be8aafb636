"""Notarized document writes through the API (单证存证写入, issue 16): requests/s and p50/p99 latency of
``POST /api/v1/documents`` (a JSON document: policy, the party's signature, a document and version row,
a ledger entry, commit) from 8 concurrent clients, before and after the admission/integration split.

Each client is a process with its own app (``create_app``) and connection pool, sending requests into
the ASGI app through httpx2's ASGITransport (no sockets), one at a time, as a user who is a party
administrator and data steward of the one party of a scratch database, with an API token:
``LOGISPACE_BENCH_CLIENTS`` (8) clients, ``LOGISPACE_BENCH_PER_CLIENT`` (100) requests each, after
one warm-up request. Where the code has a sequencer, it runs as the server runs it (a thread of this
process, maximum merge delay 1 s) and the log is drained afterwards.

``--before REV`` measures the code at REV as well, in the same run, from its ``src`` extracted with
``git archive`` into a temporary folder, the older code first; e.g. ``--before c76117e^``, the commit before
appends stopped taking the tree's lock. Baseline in the same run: the older code's figures;
``after_over_before`` = requests/s now over then. Writes ``bench/results/ledger_documents_api-<backend>.json``
with the load average before and after each side (the machine is shared).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
CLIENTS = int(os.environ.get("LOGISPACE_BENCH_CLIENTS", "8"))
PER_CLIENT = int(os.environ.get("LOGISPACE_BENCH_PER_CLIENT", "100"))


def _client(url: str, token: str, number: int, count: int, ready: Any, start: Any, out: Any) -> None:
    """Send ``count`` notarizations one after the other; put the latencies (seconds) and this
    process's CPU seconds on ``out``."""
    import httpx2

    from logispace.app.main import create_app

    settings = _settings(url)
    app = create_app(settings)
    headers = {"Authorization": f"Bearer {token}"}

    def body(i: int) -> dict[str, Any]:
        return {"title": f"运单 {number}-{i}", "document": {"client": number, "n": i, "weight_kg": i % 977}}

    async def run() -> tuple[list[float], float]:
        transport = httpx2.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx2.AsyncClient(transport=transport, base_url="http://bench", headers=headers) as client,
        ):
            warm = await client.post("/api/v1/documents", json=body(-1))
            if warm.status_code != 201:
                raise RuntimeError(f"notarize answered {warm.status_code}: {warm.text[:300]}")
            ready.put(number)
            start.wait()
            cpu = time.process_time()
            latencies = []
            for i in range(count):
                began = time.perf_counter()
                answer = await client.post("/api/v1/documents", json=body(i))
                latencies.append(time.perf_counter() - began)
                if answer.status_code != 201:
                    raise RuntimeError(f"notarize answered {answer.status_code}: {answer.text[:300]}")
            return latencies, time.process_time() - cpu

    out.put(asyncio.run(run()))


def _settings(url: str) -> Any:
    import benchkit

    settings = benchkit.bench_settings(url)
    if "ledger_sequencer" in type(settings).model_fields:
        settings = settings.model_copy(update={"ledger_sequencer": "off", "ledger_max_merge_delay": 1.0})
    return settings


def measure(out_path: Path) -> None:
    """One side: a scratch database with the demo parties, the clients, the figures into ``out_path``."""
    import benchkit

    from logispace.core.db import make_engine, make_sessionmaker, unit_of_work
    from logispace.core.identifiers import uscc_with_check_character
    from logispace.domains import ledger
    from logispace.domains.identity import SYSTEM, PartyType, Role, auth_service
    from logispace.domains.identity import service as identity_service
    from logispace.domains.identity.schemas import PartyCreate, TokenCreate, UserCreate

    result: dict[str, Any] = {"clients": CLIENTS, "requests_per_client": PER_CLIENT}
    with tempfile.TemporaryDirectory() as tmp, benchkit.scratch_database(Path(tmp)) as url:
        benchkit.log("migrated")
        settings = _settings(url)
        with unit_of_work(url) as session:
            uscc = uscc_with_check_character("91450700MB0000001")
            party = identity_service.create_party(
                session, SYSTEM, PartyCreate(name="基准物流公司", party_type=PartyType.ENTERPRISE, uscc=uscc)
            )
            user = identity_service.create_user(
                session,
                SYSTEM,
                UserCreate(
                    party_id=party.id,
                    username="bench",
                    display_name="基准用户",
                    password="bench-password-1",  # noqa: S106 - a scratch database's user
                    roles=[Role.PARTY_ADMIN, Role.DATA_STEWARD],
                ),
            )
            token = auth_service.create_token(session, user.id, TokenCreate(name="bench"), settings).token
        engine = make_engine(url)
        result["machine"] = benchkit.machine(engine)
        loop = None
        if hasattr(ledger, "Sequencer"):
            loop = ledger.Sequencer(make_sessionmaker(engine), settings, holder="bench")
            loop.drain()
            loop.start()
        benchkit.log("party, user, token; starting clients")
        context = multiprocessing.get_context("fork")
        ready, out, start = context.Queue(), context.Queue(), context.Event()
        procs = [
            context.Process(target=_client, args=(url, token, n, PER_CLIENT, ready, start, out))
            for n in range(CLIENTS)
        ]
        for proc in procs:
            proc.start()
        for _ in procs:
            ready.get(timeout=120)
        benchkit.log("clients ready")
        began = time.perf_counter()
        start.set()
        answers = [out.get(timeout=1800) for _ in procs]
        wall = time.perf_counter() - began
        for proc in procs:
            proc.join()
        if loop is not None:
            loop.stop()
            loop.drain()
        latencies = sorted(x for samples, _ in answers for x in samples)
        result["requests"] = len(latencies)
        result["seconds"] = round(wall, 3)
        result["requests_per_s"] = round(len(latencies) / wall, 1)
        result["latency"] = benchkit.percentiles(latencies)
        result["p99_ms"] = round(latencies[max(0, round(len(latencies) * 0.99) - 1)] * 1000, 2)
        result["client_cpu_seconds"] = round(sum(cpu for _, cpu in answers), 3)
        result["client_cpu_ms_per_request"] = round(sum(cpu for _, cpu in answers) / len(latencies) * 1000, 3)
        result["sequencer_thread"] = loop is not None
        result["load_average_1_5_15_at_end"] = [round(x, 2) for x in os.getloadavg()]
        engine.dispose()
    out_path.write_text(json.dumps(result, indent=2, ensure_ascii=False))


def _side(src: Path, out: Path) -> dict[str, Any]:
    """Run :func:`measure` in a fresh interpreter that imports ``logispace`` from ``src``."""
    env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{BENCH}"}
    subprocess.run(  # noqa: S603 - this interpreter and this script
        [sys.executable, str(Path(__file__).resolve()), "--measure", str(out)], check=True, env=env
    )
    side: dict[str, Any] = json.loads(out.read_text())
    return side


def _source_of(rev: str, folder: Path) -> Path:
    """``src`` of commit ``rev``, extracted into ``folder`` (``git archive``)."""
    archive = folder / "src.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", rev, "src"], cwd=BENCH.parent, stdout=out, check=True)  # noqa: S603, S607
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


def _commit_of(rev: str) -> str:
    done = subprocess.run(  # noqa: S603
        ["git", "rev-parse", "--short", rev],  # noqa: S607
        cwd=BENCH.parent,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() or rev


def main(argv: list[str]) -> int:
    if argv[:1] == ["--measure"]:
        measure(Path(argv[1]))
        return 0
    import benchkit

    before = argv[argv.index("--before") + 1] if "--before" in argv else None
    results: dict[str, Any] = {"benchmark": "ledger_documents_api"}
    with tempfile.TemporaryDirectory() as tmp:
        if before is not None:
            rev = _commit_of(before)
            benchkit.log(f"before: {rev}")
            results["before"] = {
                "rev": rev,
                **_side(_source_of(before, Path(tmp)), Path(tmp) / "before.json"),
            }
        benchkit.log("after: this tree")
        results["after"] = _side(BENCH.parent / "src", Path(tmp) / "after.json")
    results["machine"] = results["after"].pop("machine")
    if "before" in results:
        results["before"].pop("machine", None)
        results["after_over_before"] = round(
            results["after"]["requests_per_s"] / results["before"]["requests_per_s"], 2
        )
    print(benchkit.write("ledger_documents_api", results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
