"""Pricing commands (价格测算): ``logispace pricing mar`` and ``logispace pricing adjust``.

Amounts are given and printed as exact decimals (JSON strings, never floats). A refusal prints the rule, the
source line and the document and article on stderr and exits with status 2.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from logispace.domains.operation.pricing.cycle import annual_adjustment
from logispace.domains.operation.pricing.errors import PricingError
from logispace.domains.operation.pricing.revenue import RevenueInputs, max_allowed_revenue

app = typer.Typer(no_args_is_help=True)
pricing_app = typer.Typer(
    no_args_is_help=True, help="Prices of authorized operation (授权运营价格形成机制, 004:1007-1045)."
)
app.add_typer(pricing_app, name="pricing")
errors = Console(stderr=True)
REFUSED = 2


def _refuse(error: PricingError) -> typer.Exit:
    errors.print(f"[red]refused[/red] {error.detail}", soft_wrap=True, markup=True, highlight=False)
    errors.print(error.source.citation, soft_wrap=True, highlight=False)
    return typer.Exit(REFUSED)


@pricing_app.command("mar")
def mar_command(
    cost: Annotated[
        str, typer.Option("--cost", help="cost from the cost survey, yuan (经营成本, before subsidies)")
    ],
    subsidy: Annotated[str, typer.Option("--subsidy", help="government subsidies, yuan (政府补助)")],
    bond_yield: Annotated[
        str, typer.Option("--bond-yield", help="last year's average 10-year treasury yield, percent")
    ],
    rate: Annotated[str, typer.Option("--rate", help="allowed profit rate, percent (准许利润率)")],
    tax: Annotated[str, typer.Option("--tax", help="tax, yuan (税金)")],
) -> None:
    """Maximum allowed revenue (最高准许收入) = (C - S) + (C - S) x R% + T, R <= Y + 6 (004:1023-1025)."""
    try:
        inputs = RevenueInputs(
            cost=cost, subsidy=subsidy, bond_yield_percent=bond_yield, rate_percent=rate, tax=tax
        )
    except PricingError as error:
        raise _refuse(error) from None
    typer.echo(json.dumps(max_allowed_revenue(inputs).as_json(), indent=2))


@pricing_app.command("adjust")
def adjust_command(
    mar: Annotated[str, typer.Option("--mar", help="the year's maximum allowed revenue, yuan")],
    actual: Annotated[str, typer.Option("--actual", help="the year's actual revenue, yuan")],
) -> None:
    """Deviation of the actual revenue from MAR and who adjusts: <= 10% the operator's specific prices,
    above it the caps (004:1031)."""
    try:
        adjustment = annual_adjustment(mar, actual)
    except PricingError as error:
        raise _refuse(error) from None
    typer.echo(json.dumps(adjustment.as_json(), indent=2))
