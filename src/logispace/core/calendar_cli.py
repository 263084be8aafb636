"""Calendar commands: ``logispace calendar add-working-days``, ``is-working-day``, ``due``, ``years``,
``import-notice``.

Output is plain text for scripts (one ISO date, or ``yes``/``no``); bad input prints ``error: ...`` on
stderr and exits 2. ``import-notice`` then publishes :class:`HolidayNoticeImported` in one unit of work of
the deployment's database, so the domains recompute their provisional deadlines (暂定期限), and prints
which moved.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from logispace.core.calendar import (
    HolidayTable,
    calendar_from_settings,
    library_working_days,
    library_years,
)
from logispace.core.config import Settings, get_settings
from logispace.core.db import unit_of_work
from logispace.core.deadlines import due_date, registration_rule
from logispace.core.errors import DomainError
from logispace.core.events import bus
from logispace.core.holiday_notice import HolidayNoticeImported, parse_notice

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


@calendar_app.command("import-notice")
def import_notice(
    notice: Annotated[
        Path, typer.Argument(metavar="FILE", help="the notice's text (UTF-8), e.g. pasted from gov.cn")
    ],
    year: Annotated[int | None, typer.Option(help="the year, if the text does not say it")] = None,
    force: Annotated[bool, typer.Option(help="replace an existing table for the year")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="print the table, write nothing")] = False,
) -> None:
    """Turn a State Council holiday notice (部分节假日安排的通知) into the year's holiday table."""
    try:
        text = notice.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"{notice} cannot be read as UTF-8 text: {exc}") from None
    try:
        parsed = parse_notice(text, year=year)
        table = HolidayTable.from_document(parsed.table_document(), origin="notice", year=parsed.year)
    except DomainError as exc:
        raise _fail(exc) from None
    for name, day, kind in parsed.other_years:
        typer.echo(f"note: {name} {kind} {day} is in {day.year}; put it in {day.year}.toml")
    if parsed.year in library_years():
        differences = sorted(library_working_days(parsed.year) ^ table.working_days())
        typer.echo(
            f"chinese-calendar also covers {parsed.year}: "
            + (
                f"{len(differences)} days differ: " + ", ".join(d.isoformat() for d in differences[:20])
                if differences
                else "the table agrees with it on every day"
            )
        )
    if dry_run:
        typer.echo(parsed.to_toml())
        return
    folder = get_settings().resolved_holiday_tables_dir
    target = folder / f"{parsed.year}.toml"
    if target.exists() and not force:
        message = f"error: {target} exists; pass --force to replace it"
        err_console.print(message, markup=False, highlight=False)
        raise typer.Exit(code=2)
    folder.mkdir(parents=True, exist_ok=True)
    staging = folder / f".{parsed.year}.toml.new"
    staging.write_text(parsed.to_toml(), encoding="utf-8")
    staging.replace(target)  # atomic: a reader sees the old table or the new one, never half of it
    typer.echo(
        f"wrote {target}: {len(table.holidays)} days off, {len(table.workdays)} make-up workdays "
        f"({table.source})"
    )
    recompute_provisional(get_settings(), parsed.year)


def _database_exists(url: str) -> bool:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return True
    return parsed.database in (None, "", ":memory:") or Path(parsed.database).is_file()


def recompute_provisional(settings: Settings, year: int) -> None:
    """Let the domains recompute the deadlines they counted provisionally, and print the moves.

    Without a database yet (a fresh SQLite file) there is nothing to recompute; a database error leaves the
    written table in force and says how to recompute later.
    """
    if not bus.has_handlers(HolidayNoticeImported):
        return
    url = settings.resolved_database_url
    if not _database_exists(url):
        typer.echo("no database yet: no provisional deadline to recompute")
        return
    event = HolidayNoticeImported(year, settings)
    try:
        with unit_of_work(url) as session:
            bus.publish(session, event)
    except (SQLAlchemyError, DomainError) as exc:
        err_console.print(
            f"warning: the table is written, but provisional deadlines were not recomputed "
            f"({type(exc).__name__}); run `logispace registration recompute-deadlines`",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return
    noun = "deadline" if event.recomputed == 1 else "deadlines"
    typer.echo(f"{event.recomputed} provisional {noun} recomputed, {len(event.moved)} moved")
    for move in event.moved:
        still = "  (still provisional)" if move.still_provisional else ""
        typer.echo(f"  {move.rule} {move.before} -> {move.after}  {move.subject}{still}")
