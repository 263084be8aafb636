"""Intake commands (数据接入): ``logispace logistics dcsa FILE --as USER`` and
``logispace logistics gps FILE --as USER``.

:func:`register` adds both commands to the shared ``logistics`` command group of :mod:`..cli`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.orm import Session

from logispace.core.config import Settings, get_settings
from logispace.core.db import unit_of_work
from logispace.core.errors import DomainError
from logispace.domains.identity import Principal
from logispace.domains.identity.service import principal_of_user, user_by_username
from logispace.domains.logistics.intake import service as intake_service

console = Console()
err_console = Console(stderr=True)

Intake = Callable[[Session, Principal, bytes, Settings], intake_service.IntakeResult]
File = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]
AsUser = Annotated[str, typer.Option("--as", help="the user whose party captures the events")]


def _run(intake: Intake, file: Path, as_user: str) -> None:
    settings = get_settings()
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            user = user_by_username(session, as_user)
            if user is None or not user.is_active:
                raise DomainError(f"no active user named {as_user}")
            principal = principal_of_user(session, user)
            result = intake(session, principal, file.read_bytes(), settings)
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        for item in exc.extensions.get("errors") or []:
            err_console.print(f"  {' '.join(str(p) for p in item['loc'])}: {item['msg']}")
        raise typer.Exit(code=2) from None
    for warning in result.warnings:
        console.print(f"[yellow]warning 警告[/yellow] {warning.where}: {warning.message}")
    jobs = ", ".join(str(job.id) for job in result.jobs) or "none"
    console.print(f"captured 已采集 {result.events} events ({result.stored} new); capture jobs: {jobs}")


def dcsa(file: File, as_user: AsUser) -> None:
    """Take in DCSA Track & Trace events (a JSON list) as EPCIS events (DCSA事件接入)."""
    _run(intake_service.intake_dcsa, file, as_user)


def gps(file: File, as_user: AsUser) -> None:
    """Take in vehicle GPS points (CSV plate,time,longitude,latitude,speed) as EPCIS events (车辆定位接入)."""
    _run(intake_service.intake_gps, file, as_user)


def register(target: typer.Typer) -> None:
    """Add the ``dcsa`` and ``gps`` commands to ``target``."""
    target.command("dcsa")(dcsa)
    target.command("gps")(gps)
