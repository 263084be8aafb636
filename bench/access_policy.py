"""Usage-policy decisions per second (使用策略决策吞吐) of the pure engine, ``access.policies.decide``.

A grant's ODRL Agreement (three resources, 12 fields each, ε, an important-data region constraint) is
validated once with ``odrl.parse_policy``; then ``decide`` answers a stream of attempts, a mix of
permitted uses and each kind of refusal (assignee, purpose, period, resource, field, output, region,
distribute). Also measured: validating the policy on every decision (``parse_policy`` + ``decide``).

Baselines in the same run: (a) the floor of any decision, a dict lookup of the attempt's target and a set
membership test of its fields in a prepared dict; (b) ``json.loads`` of the same policy document (what a
service pays just to read a stored policy). Target: >= 50,000 decisions/s.

Writes ``bench/results/access_policy.json``. Environment: ``LOGISPACE_BENCH_DECISIONS`` (default 200000).
"""

from __future__ import annotations

import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import benchkit
from sqlalchemy import create_engine

from logispace.domains.access.enums import OutputMode
from logispace.domains.access.odrl import Target, build_policy, parse_policy
from logispace.domains.access.policies import Attempt, decide

DECISIONS = int(os.environ.get("LOGISPACE_BENCH_DECISIONS", "200000"))
TARGET_PER_S = 50_000
START = datetime(2026, 1, 1, tzinfo=UTC)
END = datetime(2027, 1, 1, tzinfo=UTC)
ASSIGNEE = uuid.UUID(int=11)
FIELDS = [f"field_{i}" for i in range(12)]
CODES = ["WL000000000001", "WL000000000002", "WL000000000003"]


def policy_document() -> dict[str, Any]:
    return build_policy(
        grant_id=uuid.UUID(int=1),
        assigner=uuid.UUID(int=2),
        assignee=ASSIGNEE,
        purpose="supply_chain_finance",
        start=START,
        end=END,
        targets=[Target(code, FIELDS, important=i == 2) for i, code in enumerate(CODES)],
        output=OutputMode.AGGREGATE,
        min_group_size=10,
        epsilon=3.0,
    )


def attempts(n: int) -> list[Attempt]:
    """A repeating mix: 6 permitted uses, then one of each refusal."""
    at = START + timedelta(days=100)
    party = str(ASSIGNEE)
    mix = [
        *(Attempt(party, "supply_chain_finance", at, CODES[i % 3], FIELDS[: 3 + i]) for i in range(6)),
        Attempt(str(uuid.UUID(int=12)), "supply_chain_finance", at, CODES[0], FIELDS[:2]),
        Attempt(party, "logistics_cost", at, CODES[0], FIELDS[:2]),
        Attempt(party, "supply_chain_finance", END, CODES[0], FIELDS[:2]),
        Attempt(party, "supply_chain_finance", at, "WL999", FIELDS[:2]),
        Attempt(party, "supply_chain_finance", at, CODES[1], [*FIELDS[:2], "secret"]),
        Attempt(party, "supply_chain_finance", at, CODES[1], FIELDS[:2], OutputMode.RECORD),
        Attempt(party, "supply_chain_finance", at, CODES[2], FIELDS[:2], region="abroad"),
        Attempt(party, "supply_chain_finance", at, CODES[2], FIELDS[:2], action="distribute"),
    ]
    return [mix[i % len(mix)] for i in range(n)]


def rate(count: int, watch: benchkit.Stopwatch) -> dict[str, Any]:
    return {
        "count": count,
        "seconds": round(watch.wall, 4),
        "per_s": round(count / watch.wall),
        "cpu_seconds": round(watch.cpu, 4),
        "per_cpu_s": round(count / watch.cpu),
        "us_each": round(watch.wall / count * 1e6, 3),
    }


def main() -> int:
    engine = create_engine("sqlite://")
    results: dict[str, Any] = {"benchmark": "access_policy", "machine": benchkit.machine(engine)}
    engine.dispose()
    results["machine"]["backend"] = "none (pure, no database)"
    doc = policy_document()
    raw = json.dumps(doc)
    policy = parse_policy(doc)
    stream = attempts(DECISIONS)

    benchkit.log(f"decide: {DECISIONS} attempts")
    refused = 0
    with benchkit.Stopwatch() as watch:
        for a in stream:
            if decide(policy, a) is not None:
                refused += 1
    decide_rate = rate(DECISIONS, watch)
    decide_rate["refused"] = refused

    validated_n = max(1, DECISIONS // 10)
    benchkit.log(f"parse + decide: {validated_n} attempts")
    with benchkit.Stopwatch() as watch:
        for a in stream[:validated_n]:
            decide(parse_policy(doc), a)
    parse_rate = rate(validated_n, watch)

    benchkit.log("baseline (a): dict lookup + field membership")
    prepared = {code: frozenset(FIELDS) for code in CODES}
    with benchkit.Stopwatch() as watch:
        for a in stream:
            granted = prepared.get(a.target)
            _ = granted is not None and all(f in granted for f in a.fields)
    lookup_rate = rate(DECISIONS, watch)

    benchkit.log("baseline (b): json.loads of the policy")
    with benchkit.Stopwatch() as watch:
        for _ in range(validated_n):
            json.loads(raw)
    json_rate = rate(validated_n, watch)

    results["decisions"] = DECISIONS
    results["policy_bytes"] = len(raw)
    results["decide"] = decide_rate
    results["parse_and_decide"] = parse_rate
    results["baseline_dict_lookup"] = lookup_rate
    results["baseline_json_loads"] = json_rate
    results["decide_over_dict_lookup"] = round(lookup_rate["per_s"] / decide_rate["per_s"], 2)
    results["decide_vs_json_loads"] = round(decide_rate["per_s"] / json_rate["per_s"], 2)
    results["target_per_s"] = TARGET_PER_S
    results["meets_target"] = decide_rate["per_s"] >= TARGET_PER_S
    results["note"] = (
        "decide_over_dict_lookup = how many times slower a full decision is than the bare dict lookup; "
        "decide_vs_json_loads = decisions per json.loads of the stored policy; services parse a grant's "
        "policy once per use and decide each target on the parsed policy"
    )
    out = benchkit.RESULTS / "access_policy.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))
    benchkit.log(f"wrote {out}")
    return 0 if results["meets_target"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
