"""Alert commands (预警): ``logispace tower alerts sweep`` and ``logispace tower alerts deliver``.

Run both periodically (every minute, say): the sweep raises the time-based alerts (no GPS point for N
minutes, a box dwelling, a handover unsigned, a waybill late); the delivery run posts the webhook
outbox, with retries and backoff.
"""

from __future__ import annotations

import typer
from rich.console import Console

from logispace.core.config import get_settings
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains.tower.alerts import tasks

app = typer.Typer(no_args_is_help=True, help="Exceptions and alerts (异常预警).")
console = Console(stderr=True)


@app.command("sweep")
def sweep_command() -> None:
    """Raise the time-based alerts due now (无定位、滞留、交接未核验、延误)."""
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url, pool=False)
    try:
        found = tasks.sweep(make_sessionmaker(engine))
    finally:
        engine.dispose()
    console.print(f"{len(found)} conditions found; new alerts raised for those without an open one")


@app.command("deliver")
def deliver_command() -> None:
    """Post the webhook deliveries that are due (推送), retrying failures later."""
    settings = get_settings()
    engine = make_engine(settings.resolved_database_url, pool=False)
    try:
        outcome = tasks.deliver(make_sessionmaker(engine), settings)
    finally:
        engine.dispose()
    console.print(f"delivered {outcome.delivered}, to retry {outcome.retried}, given up {outcome.failed}")


def register(target: typer.Typer) -> None:
    """Add ``alerts`` to the ``tower`` command group."""
    target.add_typer(app, name="alerts")
