"""Trading commands (流通交易): ``logispace trading dsp-callbacks`` posts the Dataspace Protocol messages
owed to consumer connectors' callback addresses (:mod:`.callbacks`). Run it periodically (every minute)."""

from __future__ import annotations

import typer
from rich.console import Console

from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.domains.trading import callbacks

app = typer.Typer(no_args_is_help=True)
trading_app = typer.Typer(no_args_is_help=True, help="Data circulation and trading (数据流通交易).")
app.add_typer(trading_app, name="trading")
console = Console(stderr=True)


@trading_app.command("dsp-callbacks")
def dsp_callbacks_command() -> None:
    """Post the queued Dataspace Protocol messages to the consumers' callback addresses (协议回调)."""
    with unit_of_work(get_settings().resolved_database_url) as session:
        outcome = callbacks.send_pending(session)
    console.print(f"sent {outcome.sent}, to retry {outcome.retried}, given up {outcome.failed}")
