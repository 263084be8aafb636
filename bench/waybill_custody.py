"""Signed waybill steps and the chain-of-custody check (单证可信流转): cost per step and per chain.

Each waybill goes through 13 committed steps (draft, issue, pick up, delay, resume, two handovers,
damage, resume, deliver, refuse, redeliver, accept) through ``waybill_service`` on a migrated
scratch database: the policy, container checks, the snapshot, notarization (RFC 8785 hash,
the party's Ed25519 signature, ledger append with a signed tree head) and the commit. Then
``custody_report`` verifies each 13-step chain (signatures, hashes, ledger inclusion proofs).

Baseline in the same run: ``document_service.notarize`` of the same step's JSON alone, committed
one per transaction, so ``step_over_notarize`` is the cost the waybill adds to notarizing.

Writes ``bench/results/waybill_custody-<backend>.json``. Environment:
``LOGISPACE_BENCH_DATABASE_URL`` (PostgreSQL server database, else SQLite),
``LOGISPACE_BENCH_WAYBILLS`` (default 20).
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Any

import benchkit
from sqlalchemy import select

from logispace.core.db import committing, make_engine, make_sessionmaker
from logispace.core.identifiers import uscc_with_check_character
from logispace.core.transport_ids import container_with_check_digit
from logispace.domains.identity import SYSTEM, Principal, Role, service
from logispace.domains.identity.schemas import PartyCreate, UserCreate
from logispace.domains.ledger import document_service
from logispace.domains.ledger.documents.schemas import DocumentFields
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.models import WaybillEvent
from logispace.domains.logistics.waybills.policies import Action, WaybillDraft

WAYBILLS = int(os.environ.get("LOGISPACE_BENCH_WAYBILLS", "20"))
ROLES = ("shipper", "road", "rail", "last_mile", "consignee")
PATH = [
    ("shipper", Action.ISSUE),
    ("road", Action.PICK_UP),
    ("road", Action.REPORT_DELAY),
    ("road", Action.RESUME),
    ("rail", Action.HAND_OVER),
    ("rail", Action.REPORT_DAMAGE),
    ("rail", Action.RESUME),
    ("last_mile", Action.HAND_OVER),
    ("last_mile", Action.DELIVER),
    ("consignee", Action.REFUSE),
    ("last_mile", Action.REDELIVER),
    ("consignee", Action.ACCEPT),
]


def parties(session: Any) -> dict[str, tuple[Principal, str]]:
    out = {}
    for n, role in enumerate(ROLES):
        uscc = uscc_with_check_character(f"91450700MA0BENCH{n}")
        party = service.create_party(
            session,
            SYSTEM,
            PartyCreate.model_validate({"name": f"测试{role}", "party_type": "enterprise", "uscc": uscc}),
        )
        user = service.create_user(
            session,
            SYSTEM,
            UserCreate(
                party_id=party.id,
                username=f"bench_{role}",
                display_name=role,
                password="a-long-password",  # noqa: S106 - a scratch database's user
                roles=[Role.PARTY_ADMIN],
            ),
        )
        out[role] = (service.principal_of_user(session, user), uscc)
    return out


def draft(i: int, who: dict[str, tuple[Principal, str]]) -> WaybillDraft:
    points = ("450702", "CNQZH", "CNCKG", "500112")
    carriers = [who[r][1] for r in ("road", "rail", "last_mile")]
    return WaybillDraft.model_validate(
        {
            "waybill_no": f"MTBENCH{i:06d}",
            "consignor_uscc": who["shipper"][1],
            "consignee_uscc": who["consignee"][1],
            "legs": [
                {"mode": m, "carrier_uscc": c, "origin": points[k], "destination": points[k + 1]}
                for k, (m, c) in enumerate(zip(("road", "rail", "road"), carriers, strict=True))
            ],
            "cargo": [{"description": "冷冻榴莲", "packages": 1200, "gross_weight_kg": 21500.5}],
            "containers": [container_with_check_digit(f"LSPU{i:06d}")],
            "temperature": {"min_c": -20, "max_c": -15},
        }
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as folder, benchkit.scratch_database(Path(folder)) as url:
        settings = benchkit.bench_settings(url)
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        results: dict[str, Any] = {
            "machine": benchkit.machine(engine),
            "waybills": WAYBILLS,
            "steps_per_waybill": 13,
        }
        with sessions() as session, committing(session):
            who = parties(session)
        steps: list[float] = []
        step_cpu: list[float] = []
        for i in range(WAYBILLS):
            plan: list[tuple[str, Action | None]] = [("shipper", None), *PATH]
            for role, action in plan:
                p = who[role][0]
                start, cpu = time.perf_counter(), time.process_time()
                with sessions() as session, committing(session):
                    if action is None:
                        waybill_service.create_draft(session, p, settings, draft(i, who))
                    else:
                        waybill_service.act(session, p, settings, f"MTBENCH{i:06d}", action, None)
                steps.append(time.perf_counter() - start)
                step_cpu.append(time.process_time() - cpu)
        benchkit.log(f"{len(steps)} steps")
        checks: list[float] = []
        check_cpu: list[float] = []
        for i in range(WAYBILLS):
            start, cpu = time.perf_counter(), time.process_time()
            with sessions() as session:
                report = waybill_service.custody_report(session, who["consignee"][0], f"MTBENCH{i:06d}")
            assert report.verdict == "authentic", report  # noqa: S101
            checks.append(time.perf_counter() - start)
            check_cpu.append(time.process_time() - cpu)
        base: list[float] = []
        base_cpu: list[float] = []
        with sessions() as session:
            stored = [e.snapshot for e in session.scalars(select(WaybillEvent).limit(len(steps)))]
        for n, snap in enumerate(stored):
            p = who[ROLES[n % len(ROLES)]][0]
            start, cpu = time.perf_counter(), time.process_time()
            with sessions() as session, committing(session):
                document_service.notarize(
                    session,
                    p,
                    settings,
                    document_service.json_content({**(snap or {}), "baseline": n}),
                    DocumentFields(title="baseline", reference="BASELINE"),
                )
            base.append(time.perf_counter() - start)
            base_cpu.append(time.process_time() - cpu)
        engine.dispose()
    step_stats = benchkit.percentiles(steps, step_cpu)
    base_stats = benchkit.percentiles(base, base_cpu)
    results["signed_step"] = step_stats
    results["baseline_notarize_only"] = base_stats
    results["step_over_notarize_p50"] = round(step_stats["p50_ms"] / base_stats["p50_ms"], 2)
    results["custody_check_13_steps"] = benchkit.percentiles(checks, check_cpu)
    out = benchkit.write("waybill_custody", results)
    benchkit.log(f"wrote {out}")


if __name__ == "__main__":
    main()
