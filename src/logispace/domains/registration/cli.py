"""Registration commands: ``logispace registration expire-due`` (a daily timer),
``logispace registration export ID -o FILE.zip`` and ``logispace registration recompute-deadlines``."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.core.errors import DomainError
from logispace.domains.identity import SYSTEM
from logispace.domains.registration.applications import export as export_service
from logispace.domains.registration.certificates import ending as ending_service
from logispace.domains.registration.review import deadlines as deadline_service
from logispace.domains.registration.workflow import Clock

app = typer.Typer(no_args_is_help=True)
registration_app = typer.Typer(no_args_is_help=True, help="Public data registration (公共数据资源登记).")
app.add_typer(registration_app, name="registration")

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


@registration_app.command("expire-due")
def expire_due() -> None:
    """Open due renewal windows and cancel certificates that expired unrenewed (run daily)."""
    settings = get_settings()
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            run = ending_service.expire_due(session, SYSTEM, Clock.now(settings))
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=1) from None
    console.print(
        f"renewal windows opened: {len(run.renewal_windows_opened)}; expired and cancelled: "
        f"{len(run.expired)}; public notices: {len(run.notices)}"
    )
    for code in run.expired:
        console.print(f"  expired {code}")


@registration_app.command("recompute-deadlines")
def recompute_deadlines() -> None:
    """Count the provisional deadlines (暂定期限) again on the current holiday tables and print the moves
    (``logispace calendar import-notice`` does this itself; run it after writing a table by hand)."""
    settings = get_settings()
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            recomputed, moved = deadline_service.recompute_provisional(session, Clock.now(settings))
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=1) from None
    console.print(f"{recomputed} provisional deadlines recomputed, {len(moved)} moved")
    for move in moved:
        still = "  (still provisional)" if move.still_provisional else ""
        console.print(f"  {move.rule} {move.before} -> {move.after}  {move.subject}{still}", markup=False)


@registration_app.command("export")
def export(
    application_id: Annotated[uuid.UUID, typer.Argument(help="registration application id")],
    output: Annotated[Path, typer.Option("--output", "-o", help="the zip to write")],
) -> None:
    """Export an application's whole file as a zip that ``logispace verify`` checks offline."""
    settings = get_settings()
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            _, data = export_service.export_file(session, SYSTEM, settings, application_id)
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=2) from None
    output.write_bytes(data)
    console.print(f"wrote {output} ({len(data)} bytes)")
