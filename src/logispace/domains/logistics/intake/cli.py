"""Intake commands (数据接入): ``logispace logistics dcsa FILE --as USER``,
``logispace logistics gps FILE --as USER`` and ``logispace logistics ewaybill FILE [--create --as USER]``.

:func:`register` adds the commands to the shared ``logistics`` command group of :mod:`..cli`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy.orm import Session

from logispace.core.config import Settings, get_settings
from logispace.core.db import unit_of_work
from logispace.core.errors import DomainError
from logispace.domains.identity import Principal
from logispace.domains.identity.service import principal_of_user, user_by_username
from logispace.domains.logistics.intake import service as intake_service
from logispace.domains.logistics.intake import waybill_drafts

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


def ewaybill(
    file: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, readable=True, help="e-waybill JSON: object or list"),
    ],
    create: Annotated[bool, typer.Option(help="create the waybill drafts (all or none)")] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", help="the user creating the drafts (needed with --create)")
    ] = None,
) -> None:
    """Map 网络货运 electronic waybills onto multimodal waybill drafts; bad rows are named (exit 1)."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        err_console.print(f"[red]error:[/red] {file} is not JSON: {exc}")
        raise typer.Exit(code=2) from None
    rows = waybill_drafts.map_rows(data)
    table = Table(title="网络货运电子运单 e-waybills")
    for column in ("#", "waybill 运单号", "modes", "plate 车牌", "legs", "problems"):
        table.add_column(column)
    for row in rows:
        legs = " → ".join(
            f"{leg['origin']}→{leg['destination']}" for leg in (row.draft or {}).get("legs", [])
        )
        problems = [f"[red]{e}[/red]" for e in row.errors] + [f"[yellow]{w}[/yellow]" for w in row.warnings]
        table.add_row(
            str(row.index),
            row.waybill_no or "?",
            ",".join(row.modes),
            row.plate or "",
            legs,
            "\n".join(problems),
        )
    console.print(table)
    bad = [row.index for row in rows if row.errors]
    for row in rows:
        for error in row.errors:
            err_console.print(
                f"row {row.index} ({row.waybill_no or '?'}): {error}", soft_wrap=True, markup=False
            )
    if bad:
        err_console.print(f"[red]{len(bad)} of {len(rows)} e-waybills cannot be mapped:[/red] rows {bad}")
        raise typer.Exit(code=1)
    if not create:
        return
    if as_user is None:
        err_console.print("[red]error:[/red] --create needs --as USER (the drafts are signed by that party)")
        raise typer.Exit(code=2)
    settings = get_settings()
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            user = user_by_username(session, as_user)
            if user is None or not user.is_active:
                raise DomainError(f"no active user named {as_user}")
            result = waybill_drafts.intake(
                session, principal_of_user(session, user), settings, data, dry_run=False
            )
    except DomainError as exc:
        err_console.print(f"[red]error:[/red] {exc.detail}")
        raise typer.Exit(code=2) from None
    console.print(f"created {len(result.created)} waybill drafts: {', '.join(result.created)}")


def register(target: typer.Typer) -> None:
    """Add the ``dcsa``, ``gps`` and ``ewaybill`` commands to ``target``."""
    target.command("dcsa")(dcsa)
    target.command("gps")(gps)
    target.command("ewaybill")(ewaybill)
