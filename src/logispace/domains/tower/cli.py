"""Control tower commands (供应链控制塔): ``logispace tower forecast``, ``refresh``, ``eta``, ``alerts``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.domains.tower.alerts import cli as alerts_cli
from logispace.domains.tower.eta import service as eta_service
from logispace.domains.tower.kpis import service as kpi_service

app = typer.Typer(no_args_is_help=True)
tower_app = typer.Typer(no_args_is_help=True, help="Supply-chain control tower (供应链控制塔).")
app.add_typer(tower_app, name="tower")
console = Console(stderr=True)
alerts_cli.register(tower_app)


@tower_app.command("forecast")
def forecast_command(
    input_file: Annotated[
        Path,
        typer.Option(
            "--input", help="CSV in long format: unique_id, ds, y (ds an integer step or a timestamp)"
        ),
    ],
    horizon: Annotated[int, typer.Option("--horizon", help="steps to forecast for each series", min=1)],
    season_length: Annotated[
        int, typer.Option("--season-length", help="steps in one season, e.g. 24 for hourly data", min=1)
    ],
    output: Annotated[Path, typer.Option("--output", help="CSV written: unique_id, ds, yhat")],
    threads: Annotated[int, typer.Option(help="worker threads", min=1)] = 2,
) -> None:
    """Forecast the next HORIZON steps of every series in the file (需求预测)."""
    # Imported here: the forecasters (LightGBM, statsforecast, pandas) take seconds to import, which
    # every other command and every server process would pay.
    from logispace.domains.tower.forecast import ForecastSpec, SeriesError, forecast, read_series

    try:
        spec = ForecastSpec(horizon=horizon, season_length=season_length, threads=threads)
        series = read_series(input_file, spec.season_length)
    except (SeriesError, ValueError) as exc:
        console.print(f"[red]error[/red] {exc}")
        raise typer.Exit(2) from None
    started = time.perf_counter()
    result = forecast(series, spec)
    output.parent.mkdir(parents=True, exist_ok=True)
    result.to_csv(output, index=False)
    count = result["unique_id"].nunique()
    console.print(
        f"{count} series, {len(result)} rows forecast in {time.perf_counter() - started:.1f} s -> {output}"
    )


@tower_app.command("refresh")
def refresh_command() -> None:
    """Rebuild the control tower's measures from the stored records (度量重算), for the KPIs."""
    settings = get_settings()
    with unit_of_work(settings.resolved_database_url) as session:
        done = kpi_service.refresh(session, settings)
    console.print(f"{done.measures} measures of {done.shipments} shipments")


@tower_app.command("eta")
def eta_command() -> None:
    """Predict and store the ETA of every waybill under way (预计到达时间), then rebuild the measures."""
    settings = get_settings()
    with unit_of_work(settings.resolved_database_url) as session:
        count = eta_service.predict_open(session)
        done = kpi_service.refresh(session, settings)
    console.print(f"{count} leg predictions stored; {done.measures} measures of {done.shipments} shipments")
