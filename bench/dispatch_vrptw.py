"""Routing quality: PyVRP (``logispace.domains.dispatch.routing``) on the 1000-customer
Gehring-Homberger VRPTW instances against their best-known solutions (the ``.sol`` files).

For each ``*.vrp`` in ``--data`` with a ``.sol`` beside it: read the instance as ``logispace dispatch
vrptw`` does (DIMACS distances), solve for ``--seconds``, check every route independently (capacity,
time windows, each client once) and record the gap ``cost / best_known - 1``. ``--cpu-time`` limits
each search by this process's CPU seconds instead (on the shared machine a wall-clock minute may give
the search a sixth of a CPU minute). Baseline in the same run:
the best-known routes of the ``.sol`` file replayed on the same distance matrix (must equal its Cost
line, proving both sides use one metric). Writes ``bench/results/dispatch_vrptw-<seconds>s.json``.

    .venv/bin/python bench/dispatch_vrptw.py --data ../shared/standards/vrptw --seconds 60
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import vrplib

from logispace.domains.dispatch.routing import (
    SCALE,
    PlannedRoute,
    read_best_known,
    read_instance,
    route_distance,
    solve,
    violations,
)

RESULTS = Path(__file__).parent / "results"


def _commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine() -> dict[str, object]:
    """What the figures were measured on (the machine is shared: load averages say how busy)."""
    cpu = platform.processor()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "python": platform.python_version(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "git_commit": _commit(),
        "load_average_1_5_15_at_start": [round(x, 2) for x in os.getloadavg()],
        "note": "shared 2-CPU machine: other engineers' jobs run at the same time",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def best_known_replayed(instance_path: Path, sol_path: Path) -> float:
    """The ``.sol`` routes' cost on our DIMACS matrix (client k is the file's node k + 1)."""
    instance = read_instance(instance_path)
    routes = vrplib.read_solution(sol_path)["routes"]
    planned = [
        PlannedRoute(0, 0, tuple(("stop", client - 1) for client in route), 0, 0, 0, 0) for route in routes
    ]
    problems = violations(instance.problem, planned)
    if problems:
        raise SystemExit(
            f"{sol_path.name}: the best-known routes break the rules on our matrix: {problems[:3]}"
        )
    return sum(route_distance(instance.problem, r) for r in planned) / SCALE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/standards/vrptw"))
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cpu-time",
        action="store_true",
        help="limit each search by this process's CPU seconds instead of wall-clock seconds",
    )
    args = parser.parse_args()
    rows = []
    facts = machine()
    for path in sorted(args.data.glob("*.vrp")):
        sol = path.with_suffix(".sol")
        if not sol.exists():
            continue
        best = read_best_known(sol)
        replayed = best_known_replayed(path, sol)
        instance = read_instance(path)
        load_before = os.getloadavg()[0]
        cpu0, wall0 = time.process_time(), time.perf_counter()
        result = solve(instance.problem, args.seconds, seed=args.seed, cpu_time=args.cpu_time)
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        broken = violations(instance.problem, result.routes)
        cost = result.distance / SCALE
        row = {
            "instance": instance.name,
            "best_known": best,
            "best_known_replayed_on_our_matrix": round(replayed, 1),
            "cost": round(cost, 1),
            "gap_percent": round((cost / best - 1) * 100, 3),
            "routes": len(result.routes),
            "feasible_by_pyvrp": result.feasible,
            "violations_by_own_check": len(broken),
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "load_average_1min_before": round(load_before, 2),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    gaps = [r["gap_percent"] for r in rows]
    summary = {
        "script": "dispatch_vrptw.py",
        "seconds_per_instance": args.seconds,
        "limit": "cpu" if args.cpu_time else "wall",
        "seed": args.seed,
        "instances": len(rows),
        "mean_gap_percent": round(statistics.fmean(gaps), 3) if gaps else None,
        "max_gap_percent": max(gaps) if gaps else None,
        "all_feasible": all(r["violations_by_own_check"] == 0 for r in rows),
        "target_mean_gap_percent_at_60s": 3.0,
        "load_average_1_5_15_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": facts,
        "rows": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"dispatch_vrptw-{args.seconds:g}s-{'cpu' if args.cpu_time else 'wall'}.json"
    out.write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps({k: v for k, v in summary.items() if k != "rows"}, indent=2))


if __name__ == "__main__":
    main()
