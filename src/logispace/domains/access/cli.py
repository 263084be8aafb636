"""Access commands: ``logispace access sql --grant ID "SELECT ..." [--as USER]`` runs a sandbox query under
a grant and prints the checked result (a refusal: its reason, and the audit record it left)."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.core.errors import DomainError
from logispace.domains.access.audit import audited_sql
from logispace.domains.access.schemas import SqlCreate
from logispace.domains.identity import SYSTEM, Principal
from logispace.domains.identity.service import principal_of_user, user_by_username

app = typer.Typer(no_args_is_help=True)
access_app = typer.Typer(no_args_is_help=True, help="Usage control and the sandbox (数据使用授权与沙箱).")
app.add_typer(access_app, name="access")

console = Console()
err_console = Console(stderr=True)


@access_app.command("sql")
def sql(
    query: Annotated[str, typer.Argument(help="one SELECT over the granted tables, aggregate results only")],
    grant: Annotated[uuid.UUID, typer.Option("--grant", help="the grant's id")],
    as_user: Annotated[
        str | None, typer.Option("--as", help="act as this user of the assignee (default: the operator)")
    ] = None,
) -> None:
    """Run a sandbox query under a grant (沙箱计算) and print the checked result as a table."""
    settings = get_settings()
    try:
        body = SqlCreate.model_validate({"sql": query})
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(code=2) from None
    try:
        with unit_of_work(settings.resolved_database_url) as session:
            p: Principal = SYSTEM
            if as_user is not None:
                user = user_by_username(session, as_user)
                if user is None or not user.is_active:
                    raise DomainError(f"no active user named {as_user}")
                p = principal_of_user(session, user)
            done = audited_sql(session, p, grant, body, settings)
    except DomainError as exc:
        err_console.print(f"[red]refused ({exc.code}):[/red] {exc.detail}")
        raise typer.Exit(code=2) from None
    table = Table(*done.columns)
    for row in done.rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
    noise = f", noised ε={done.epsilon_spent:g}" if done.noised else ""
    console.print(
        f"{done.rows_returned} rows from {done.rows_read} read{noise}; query {done.query_hash[:16]}…, "
        f"result {done.result_hash[:16]}…, ledger entry {done.ledger_index}",
        soft_wrap=True,
    )
