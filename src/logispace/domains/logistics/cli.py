"""Logistics commands (物流): the shared ``logispace logistics`` command group.

The sub-features add their commands to it: the intake of DCSA events, vehicle GPS CSV and
网络货运 e-waybills (:mod:`.intake.cli`).
"""

from __future__ import annotations

import typer

from logispace.domains.logistics.intake import cli as intake_cli

app = typer.Typer(no_args_is_help=True)
logistics_app = typer.Typer(
    no_args_is_help=True, help="Logistics data (物流数据): intake of outside formats."
)
app.add_typer(logistics_app, name="logistics")
intake_cli.register(logistics_app)
