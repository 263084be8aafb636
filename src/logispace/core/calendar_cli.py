"""Calendar commands: ``logispace calendar add-working-days``, ``is-working-day``, ``due``, ``years``.

Output is plain text for scripts (one ISO date, or ``yes``/``no``); bad input prints ``error: ...`` on
stderr and exits 2.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from logispace.config import get_settings
from logispace.core.calendar import calendar_from_settings
from logispace.core.deadlines import due_date, registration_rule
from logispace.core.errors import DomainError

app = typer.Typer(no_args_is_help=True)
calendar_app = typer.Typer(no_args_is_help=True, help="PRC working days (工作日) and deadlines (期限).")
app.add_typer(calendar_app, name="calendar")

err_console = Console(stderr=True)


def _parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


DateArg = Annotated[date, typer.Argument(parser=_parse_date, metavar="YYYY-MM-DD", show_default=False)]


def _fail(exc: DomainError) -> typer.Exit:
    err_console.print(f"error: {exc.detail}", markup=False, highlight=False, soft_wrap=True)
    return typer.Exit(code=2)


# ignore_unknown_options lets a negative count such as -3 through as N instead of as an option.
@calendar_app.command("add-working-days", context_settings={"ignore_unknown_options": True})
def add_working_days(
    day: DateArg,
    n: Annotated[int, typer.Argument(help="working days; negative counts back; 0 returns the date")],
) -> None:
    """Print the N-th working day after YYYY-MM-DD (the date itself is not counted)."""
    try:
        result = calendar_from_settings().add_working_days(day, n)
    except DomainError as exc:
        raise _fail(exc) from None
    typer.echo(result.isoformat())


@calendar_app.command("is-working-day")
def is_working_day(day: DateArg) -> None:
    """Print yes if people work on YYYY-MM-DD under the PRC holiday notice (调休 included), else no."""
    try:
        working = calendar_from_settings().is_working_day(day)
    except DomainError as exc:
        raise _fail(exc) from None
    typer.echo("yes" if working else "no")


@calendar_app.command("due")
def due(
    rule_name: Annotated[
        str, typer.Argument(metavar="RULE", help="e.g. formal_review, initial_registration")
    ],
    anchor: DateArg,
) -> None:
    """Print the due date of a registration deadline RULE anchored on YYYY-MM-DD, and its source."""
    try:
        settings = get_settings()
        rule = registration_rule(
            rule_name,
            settings.rule_profile,
            objection_review_working_days=settings.objection_review_working_days,
        )
        result = due_date(rule, anchor, calendar_from_settings())
    except DomainError as exc:
        raise _fail(exc) from None
    typer.echo(f"{result.isoformat()}  {rule.describe()}  source {rule.source}")


@calendar_app.command("years")
def years() -> None:
    """Print the years the calendar covers and where each year's holiday notice comes from."""
    calendar = calendar_from_settings()
    try:
        covered = calendar.covered_years()
        lines = [f"{year}  {calendar.source_for(year)}" for year in covered]
    except DomainError as exc:
        raise _fail(exc) from None
    for line in lines:
        typer.echo(line)
