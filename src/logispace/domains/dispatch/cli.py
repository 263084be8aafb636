"""Dispatch commands (车货匹配与路径优化): ``logispace dispatch match`` and ``logispace dispatch vrptw``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from logispace.domains.dispatch.matching import InputError, MatchSpec, chain, match
from logispace.domains.dispatch.matching.csv_files import (
    LOAD_COLUMNS,
    VEHICLE_COLUMNS,
    read_loads,
    read_vehicles,
)
from logispace.domains.dispatch.routing import SCALE, read_instance, solve

app = typer.Typer(no_args_is_help=True)
dispatch_app = typer.Typer(
    no_args_is_help=True, help="Capacity matching and route optimization (车货匹配与路径优化)."
)
app.add_typer(dispatch_app, name="dispatch")
errors = Console(stderr=True)
VEHICLES_HELP = "CSV: " + ", ".join(VEHICLE_COLUMNS)
LOADS_HELP = "CSV: " + ", ".join(LOAD_COLUMNS)


def _fail(where: str, exc: Exception) -> typer.Exit:
    errors.print(f"[red]error[/red] {where}: {exc}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(2)


@dispatch_app.command("match")
def match_command(
    vehicles: Annotated[Path, typer.Option("--vehicles", help=VEHICLES_HELP)],
    loads: Annotated[Path, typer.Option("--loads", help=LOADS_HELP)],
    speed_kmh: Annotated[float, typer.Option(help="average speed that turns deadhead km into hours")] = 60.0,
    chain_day: Annotated[
        bool, typer.Option("--chain", help="chain several loads per vehicle (backhaul) instead of one")
    ] = False,
) -> None:
    """Match vehicles to loads: most loads served, then fewest empty km; prints JSON (车货匹配)."""
    try:
        fleet = read_vehicles(vehicles)
    except InputError as exc:
        raise _fail(str(vehicles), exc) from None
    try:
        demand = read_loads(loads)
    except InputError as exc:
        raise _fail(str(loads), exc) from None
    try:
        spec = MatchSpec(speed_kmh=speed_kmh)
        if chain_day:
            chained = chain(fleet, demand, spec)
            body: dict[str, object] = {
                "chains": {
                    vehicle: [
                        {"load_id": leg.load_id, "deadhead_km": leg.deadhead_km, "loaded_km": leg.loaded_km}
                        for leg in legs
                    ]
                    for vehicle, legs in chained.chains().items()
                },
                "total_deadhead_km": chained.total_deadhead_km,
                "total_loaded_km": chained.total_loaded_km,
                "unassigned": [{"load_id": u.load_id, "reason": u.reason} for u in chained.unassigned],
            }
        else:
            body = match(fleet, demand, spec).as_json()
    except InputError as exc:
        raise _fail("input", exc) from None
    typer.echo(json.dumps(body, ensure_ascii=False))


@dispatch_app.command("vrptw")
def vrptw_command(
    instance_file: Annotated[Path, typer.Argument(help="VRPTW instance in the VRPLIB format of CVRPLIB")],
    seconds: Annotated[float, typer.Option("--seconds", help="search time limit", min=0.01)] = 10.0,
    seed: Annotated[int, typer.Option(help="random seed of the search")] = 1,
) -> None:
    """Solve a VRPTW instance with PyVRP; prints JSON cost and routes numbered as in .sol files (路径优化)."""
    try:
        instance = read_instance(instance_file)
    except InputError as exc:
        raise _fail(str(instance_file), exc) from None
    result = solve(instance.problem, seconds, seed=seed)
    routes = [[index + 1 for kind, index in route.visits if kind == "stop"] for route in result.routes]
    body = {
        "cost": round(result.distance / SCALE, 1),
        "routes": routes,
        "feasible": result.feasible,
    }
    typer.echo(json.dumps(body))
    if not result.feasible:
        errors.print("[yellow]warning[/yellow] no plan met every capacity and time window in the time given")
        raise typer.Exit(1)
