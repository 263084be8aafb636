"""The ``logispace`` command line (Typer); each domain adds its sub-commands."""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn
from rich.console import Console
from rich.table import Table

from logispace import demo, migrations
from logispace.app import wiring
from logispace.core import calendar_cli
from logispace.core.config import get_settings
from logispace.core.db import backend_name, unit_of_work
from logispace.domains import (
    access,
    catalog,
    dispatch,
    identity,
    ledger,
    logistics,
    registration,
    tower,
    trading,
)
from logispace.domains.operation import pricing

app = typer.Typer(no_args_is_help=True, help="LogiSpace 物流可信数据空间.", add_completion=False)
db_app = typer.Typer(no_args_is_help=True, help="Database schema.")
demo_app = typer.Typer(no_args_is_help=True, help="Demo data.")
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
DOMAIN_CLIS = (
    identity.cli,
    ledger.cli,
    catalog.cli,
    access.cli,
    logistics.cli,
    registration.cli,
    pricing.cli,
    tower.cli,
    trading.cli,
    dispatch.cli,
    calendar_cli.app,
)
for domain_cli in DOMAIN_CLIS:
    for group in domain_cli.registered_groups:
        if group.typer_instance is not None:
            app.add_typer(group.typer_instance, name=group.name)
app.command("verify")(ledger.verify_command)

console = Console()


@app.callback()
def main() -> None:
    """LogiSpace 物流可信数据空间."""
    wiring.wire()


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
    reload: Annotated[bool, typer.Option(help="restart on code changes (development)")] = False,
) -> None:
    """Serve the platform over HTTP."""
    # Cookies are Secure unless the server listens on a loopback address (core.config).
    os.environ["LOGISPACE_LISTEN_HOST"] = host
    get_settings.cache_clear()
    # Only a trusted proxy may name the client (login throttling counts per client address).
    proxies = get_settings().forwarded_allow_ips
    uvicorn.run(
        "logispace.app.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies,
    )


@db_app.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument(help="target revision")] = "head") -> None:
    """Migrate the database to the newest schema (or ``revision``)."""
    url = get_settings().resolved_database_url
    migrations.upgrade(url, revision)
    console.print(f"database ({backend_name(url)}) at revision {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: Annotated[str, typer.Argument(help="target revision, e.g. base")]) -> None:
    """Migrate the database back to ``revision``."""
    migrations.downgrade(get_settings().resolved_database_url, revision)


@demo_app.command("load")
def demo_load() -> None:
    """Load the demo parties and users (idempotent) and print the demo logins."""
    settings = get_settings()
    with unit_of_work(settings.resolved_database_url) as session:
        logins = demo.load(session, settings.demo_password.get_secret_value(), settings)
    table = Table(title="LogiSpace demo logins 演示账号")
    for column in ("user name", "password", "party", "roles"):
        table.add_column(column)
    for login in logins:
        table.add_row(login.username, login.password, login.party, ", ".join(login.roles))
    console.print(table)
