"""Resumable upload (断点续传) against the one-shot upload of the same file, through the whole API stack.

Generates a logistics-like CSV (not timed), then stores it as a resource's next version twice per
round, alternating: once as one ``POST .../distributions`` (the baseline), once as a resumable upload
(``POST .../uploads``, one ``PATCH`` per chunk with ``Upload-Offset``, ``POST .../complete``). Requests
go straight into the ASGI app through httpx2's ASGITransport (no sockets); the same ingest runs behind
both, so the ratio shows what chunking, storing the chunks and assembling them cost.

Writes ``bench/results/resumable_upload-<backend>.json``: seconds and MB/s of both (median of the
rounds), the ratio resumable/one-shot, the chunk size and count. ``--size-mb 16`` for a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx2
from fastapi import FastAPI
from sqlalchemy import create_engine

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchkit import RESULTS, machine, scratch_database

from logispace.app.main import create_app
from logispace.core.config import Settings
from logispace.core.db import backend_name, unit_of_work
from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.catalog import service as catalog_service
from logispace.domains.catalog.schemas import ResourceCreate
from logispace.domains.identity import SYSTEM, PartyType, Role, auth_service
from logispace.domains.identity import service as identity_service
from logispace.domains.identity.schemas import PartyCreate, TokenCreate, UserCreate

MB = 1024 * 1024
CHUNK = MB  # what the upload page sends at a time
PLACES = ["南宁", "钦州", "防城港", "柳州", "呼和浩特", "包头", "满洲里", "重庆", "成都", "郑州", "武汉"]


def generate(path: Path, size_bytes: int) -> int:
    rng = random.Random(20261207)
    rows = 0
    with path.open("w", encoding="utf-8") as out:
        out.write("waybill_no,plate_no,origin,destination,weight_kg,freight_yuan\n")
        written = 0
        while written < size_bytes:
            line = (
                f"YD{rows:010d},桂A{rng.randrange(100000):05d},{rng.choice(PLACES)},{rng.choice(PLACES)},"
                f"{rng.uniform(100, 40000):.2f},{rng.uniform(50, 9000):.2f}\n"
            )
            out.write(line)
            written += len(line.encode())
            rows += 1
    return rows


def holder(url: str, settings: Settings) -> tuple[str, str]:
    """A holder party's data steward with a token, and a draft resource of it."""
    with unit_of_work(url) as session:
        party = identity_service.create_party(
            session,
            SYSTEM,
            PartyCreate(
                name="基准数据持有方",
                party_type=PartyType.ENTERPRISE,
                uscc=uscc_with_check_character("91450700MB0000001"),
            ),
        )
        user = identity_service.create_user(
            session,
            SYSTEM,
            UserCreate(
                party_id=party.id,
                username="bench_steward",
                display_name="基准数据管理员",
                password="bench-password-1",  # noqa: S106 - a throwaway scratch database
                roles=[Role.DATA_STEWARD],
            ),
        )
        token = auth_service.create_token(session, user.id, TokenCreate(name="bench"), settings).token
        resource = catalog_service.create_resource(
            session,
            SYSTEM,
            ResourceCreate.model_validate(
                {
                    "name": "基准运单数据",
                    "category": "MULTI",
                    "grade": "general_other",
                    "update_frequency": "daily",
                    "sharing_type": "unconditional",
                    "open_type": "unconditional",
                }
            ),
            holder_party_id=party.id,
        )
        return token, resource.catalog_code


async def run(app: FastAPI, token: str, code: str, data: bytes, rounds: int) -> dict[str, list[float]]:
    headers = {"Authorization": f"Bearer {token}"}
    base = f"/api/v1/catalog/resources/{code}"
    times: dict[str, list[float]] = {"one_shot": [], "resumable": []}
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url="http://bench", timeout=600
        ) as client,
    ):
        for _ in range(rounds):
            start = time.perf_counter()
            whole = await client.post(
                f"{base}/distributions?filename=w.csv",
                content=data,
                headers={**headers, "Content-Type": "text/csv"},
            )
            times["one_shot"].append(time.perf_counter() - start)
            if whole.status_code != 201:
                raise RuntimeError(f"one-shot upload failed: {whole.status_code} {whole.text[:300]}")

            start = time.perf_counter()
            made = await client.post(
                f"{base}/uploads", json={"filename": "w.csv", "size": len(data)}, headers=headers
            )
            url = made.json()["url"]
            for offset in range(0, len(data), CHUNK):
                sent = await client.patch(
                    url,
                    content=data[offset : offset + CHUNK],
                    headers={
                        **headers,
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                )
                if sent.status_code != 200:
                    raise RuntimeError(f"chunk at {offset} failed: {sent.status_code} {sent.text[:300]}")
            done = await client.post(f"{url}/complete", headers=headers)
            times["resumable"].append(time.perf_counter() - start)
            if done.status_code != 201 or done.json()["source_sha256"] != whole.json()["source_sha256"]:
                raise RuntimeError(f"resumable upload failed: {done.status_code} {done.text[:300]}")
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=128)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, scratch_database(Path(tmp)) as url:
        folder = Path(tmp)
        source = folder / "waybills.csv"
        rows = generate(source, args.size_mb * MB)
        data = source.read_bytes()
        settings = Settings(database_url=url, objects_dir=folder / "objects", max_upload_bytes=4 * len(data))
        token, code = holder(url, settings)
        engine = create_engine(url)
        facts = machine(engine)
        engine.dispose()
        times = asyncio.run(run(create_app(settings), token, code, data, args.rounds))
    one, res = statistics.median(times["one_shot"]), statistics.median(times["resumable"])
    size_mb = len(data) / MB
    result = {
        "bench": "resumable_upload",
        "file_bytes": len(data),
        "rows": rows,
        "chunk_bytes": CHUNK,
        "chunks": -(-len(data) // CHUNK),
        "rounds": args.rounds,
        "one_shot_s": [round(t, 3) for t in times["one_shot"]],
        "resumable_s": [round(t, 3) for t in times["resumable"]],
        "one_shot_median_s": round(one, 3),
        "resumable_median_s": round(res, 3),
        "one_shot_mb_s": round(size_mb / one, 2),
        "resumable_mb_s": round(size_mb / res, 2),
        "ratio_resumable_over_one_shot": round(res / one, 3),
        "machine": facts,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"resumable_upload-{backend_name(url)}.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in result.items() if k != "machine"}, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
