"""Working-day calendar (工作日历): PRC working days with make-up workdays (调休上班).

A day is a working day (工作日) when the State Council's holiday notice for its year says people work that
day: Monday to Friday unless it is a public holiday (法定节假日/放假), plus the weekend days declared make-up
workdays (调休上班). The notices come from two places, in this order:

1. an operator-supplied holiday table, ``<holiday_tables_dir>/<year>.toml`` (Settings ``holiday_tables_dir``,
   default ``var_dir/holidays``); a table for a year the library covers overrides the library;
2. the ``chinese-calendar`` library, which encodes the notices for the years in :func:`library_years`.

A year covered by neither raises :class:`CalendarNotCovered`: the calendar never guesses that a year is
ordinary weeks. A calendar built with ``provisional=True`` (the registration workflow's) counts such a year
instead by the statutory holidays of the national regulation plus weekends
(:mod:`logispace.core.statutory_holidays`), and says so: :meth:`WorkingCalendar.is_provisional_year`. Such a
count is provisional (暂定): it cannot know the year's 调休 and 补休 until the notice is imported.

Counting convention (see :meth:`WorkingCalendar.add_working_days`): the anchor day itself is not counted;
day 1 is the first working day after it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from types import MappingProxyType
from typing import Any

import chinese_calendar
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from logispace.core.config import Settings, get_settings
from logispace.core.errors import DomainError
from logispace.core.statutory_holidays import (
    FIRST_PROVISIONAL_YEAR,
    LAST_PROVISIONAL_YEAR,
    REGULATION,
    statutory_holidays,
)

_PROBE_YEARS = range(1900, 2201)
_TABLE_NAME = re.compile(r"^(\d{4})\.toml$")
_SATURDAY = 5


class CalendarNotCovered(DomainError):
    """No holiday calendar covers the year (日历未覆盖): add the year's holiday table."""

    status = 409
    code = "calendar-not-covered"
    title = "No working-day calendar for this year"

    def __init__(self, year: int) -> None:
        years = library_years()
        span = f"{min(years)}-{max(years)}" if years else "no years"
        super().__init__(
            f"no PRC holiday calendar for {year}: chinese-calendar {library_version()} covers {span} and "
            f"there is no operator holiday table {year}.toml; save the State Council holiday notice for "
            f"{year} (国务院办公厅关于{year}年部分节假日安排的通知) as text and run `logispace calendar "
            "import-notice FILE`, or write the table by hand (folder: setting LOGISPACE_HOLIDAY_TABLES_DIR, "
            "default var/holidays; format in docs/calendar.md)",
            year=year,
        )
        self.year = year


class HolidayTableInvalid(DomainError):
    """An operator holiday table (节假日安排表) cannot be used as written."""

    status = 409
    code = "holiday-table-invalid"
    title = "The holiday table is not valid"

    def __init__(self, name: str, problems: list[str]) -> None:
        super().__init__(f"holiday table {name} is not valid: " + "; ".join(problems), problems=problems)
        self.problems = problems


@lru_cache(maxsize=1)
def library_version() -> str:
    """The installed chinese-calendar version."""
    return version("chinese_calendar")


def _library_covers(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=1)
def library_years() -> frozenset[int]:
    """The years the installed chinese-calendar knows (found by asking it; 2004-2026 for 1.11.0)."""
    return frozenset(year for year in _PROBE_YEARS if _library_covers(year))


@lru_cache(maxsize=64)
def library_working_days(year: int) -> frozenset[date]:
    """The working days of a library year, asked once per year (each library call scans its whole table)."""
    first = date(year, 1, 1)
    days = (first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))
    return frozenset(day for day in days if chinese_calendar.is_workday(day))


class _Entry(BaseModel):
    """One row of a holiday table: a single ``date`` or a ``start``..``end`` range, with a ``name``."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    day: date | None = Field(default=None, alias="date")
    start: date | None = None
    end: date | None = None

    @model_validator(mode="after")
    def _one_form(self) -> _Entry:
        if self.day is not None and (self.start is not None or self.end is not None):
            raise ValueError("give either date or start and end, not both")
        if self.day is None and (self.start is None or self.end is None):
            raise ValueError("give a date, or both start and end")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self

    def days(self) -> list[date]:
        first, last = self.day or self.start, self.day or self.end
        if first is None or last is None:  # ruled out by _one_form
            return []
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class _TableDocument(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    year: int
    source: str = Field(min_length=1, max_length=500)
    holidays: list[_Entry] = Field(min_length=1)
    workdays: list[_Entry] = Field(default_factory=list)


@dataclass(frozen=True)
class HolidayTable:
    """Holiday arrangement of one year (节假日安排): holidays and make-up workdays, each with its name."""

    year: int
    source: str
    holidays: Mapping[date, str]
    workdays: Mapping[date, str]
    origin: str = field(default="", compare=False)

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` (in this table's year) is a working day under this table."""
        if day.year != self.year:
            raise ValueError(f"{day} is not in {self.year}")
        if day in self.workdays:
            return True
        return day.weekday() < _SATURDAY and day not in self.holidays

    def working_days(self) -> frozenset[date]:
        """Every working day of this table's year."""
        first = date(self.year, 1, 1)
        days = (first + timedelta(days=i) for i in range((date(self.year + 1, 1, 1) - first).days))
        return frozenset(day for day in days if self.is_working_day(day))

    @classmethod
    def from_document(
        cls, document: Mapping[str, Any], *, origin: str, year: int | None = None
    ) -> HolidayTable:
        """Validate a parsed table; ``year`` is the year its file name promises."""
        try:
            parsed = _TableDocument.model_validate(document)
        except ValidationError as exc:
            errors = [
                f"{'.'.join(str(p) for p in error['loc']) or 'table'}: "
                f"{error['msg'].removeprefix('Value error, ')}"
                for error in exc.errors()
            ]
            raise HolidayTableInvalid(origin, errors) from None
        problems: list[str] = []
        if year is not None and parsed.year != year:
            problems.append(f"year = {parsed.year} but the file is for {year}")
        holidays = _collect(parsed.holidays, parsed.year, "holidays", problems)
        workdays = _collect(parsed.workdays, parsed.year, "workdays", problems)
        for day in sorted(holidays.keys() & workdays.keys()):
            problems.append(f"{day} is both a holiday and a make-up workday")
        for day in sorted(workdays):
            if day.weekday() < _SATURDAY:
                problems.append(f"make-up workday {day} ({workdays[day]}) is a weekday, not a weekend day")
        if problems:
            raise HolidayTableInvalid(origin, problems)
        return cls(parsed.year, parsed.source, MappingProxyType(holidays), MappingProxyType(workdays), origin)


def _collect(entries: list[_Entry], year: int, key: str, problems: list[str]) -> dict[date, str]:
    days: dict[date, str] = {}
    for index, entry in enumerate(entries):
        for day in entry.days():
            if day.year != year:
                problems.append(f"{key}[{index}] {day} is not in {year}")
            elif day in days:
                problems.append(f"{key}[{index}] {day} is listed twice")
            else:
                days[day] = entry.name
    return days


def load_holiday_table(path: Path) -> HolidayTable:
    """Read and validate one ``<year>.toml`` holiday table."""
    match = _TABLE_NAME.match(path.name)
    if match is None:
        raise HolidayTableInvalid(path.name, ["the file name must be <year>.toml, e.g. 2027.toml"])
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise HolidayTableInvalid(path.name, [f"not TOML: {exc}"]) from None
    except OSError as exc:
        raise HolidayTableInvalid(path.name, [f"cannot be read: {exc.strerror}"]) from None
    return HolidayTable.from_document(document, origin=path.name, year=int(match.group(1)))


def provisional_table(year: int) -> HolidayTable:
    """A provisional table (暂定节假日安排) of ``year``: its statutory holidays only, no 调休, no 补休."""
    return HolidayTable(
        year,
        f"{REGULATION}法定节假日（暂定，未含调休）",
        statutory_holidays(year),
        MappingProxyType({}),
        origin="provisional",
    )


class WorkingCalendar:
    """Working-day calendar (工作日历): chinese-calendar plus operator holiday tables.

    Tables are read from ``tables_dir`` when a day of their year is first asked about, and kept for the
    life of this object; ``tables`` adds tables directly (they win over files). Build one per request,
    command or task, e.g. with :func:`calendar_from_settings`. With ``provisional=True`` a year that neither
    covers (from 2025 on) is counted by :func:`provisional_table` instead of refused.
    """

    def __init__(
        self,
        tables_dir: Path | None = None,
        tables: Iterable[HolidayTable] = (),
        *,
        provisional: bool = False,
    ) -> None:
        self.tables_dir = tables_dir
        self.provisional = provisional
        self._tables: dict[int, HolidayTable | None] = {table.year: table for table in tables}
        self._provisional: dict[int, HolidayTable] = {}

    def is_provisional_year(self, year: int) -> bool:
        """Whether this calendar counts ``year`` provisionally: no table, not in the library, and allowed."""
        return (
            self.provisional
            and FIRST_PROVISIONAL_YEAR <= year <= LAST_PROVISIONAL_YEAR
            and self.table_for(year) is None
            and year not in library_years()
        )

    def touches_provisional(self, first: date, last: date) -> bool:
        """Whether any day between ``first`` and ``last`` (either order) is in a provisional year."""
        low, high = min(first, last), max(first, last)
        return any(self.is_provisional_year(year) for year in range(low.year, high.year + 1))

    def _provisional_table(self, year: int) -> HolidayTable:
        if year not in self._provisional:
            self._provisional[year] = provisional_table(year)
        return self._provisional[year]

    def table_for(self, year: int) -> HolidayTable | None:
        """The operator table for ``year``, if there is one (validated; a broken one raises)."""
        if year not in self._tables:
            path = self.tables_dir / f"{year}.toml" if self.tables_dir is not None else None
            self._tables[year] = load_holiday_table(path) if path is not None and path.is_file() else None
        return self._tables[year]

    def source_for(self, year: int) -> str:
        """Which notice decides ``year``: the operator table, or the library; raises if neither."""
        table = self.table_for(year)
        if table is not None:
            return f"operator table {table.origin}: {table.source}"
        if year in library_years():
            return f"chinese-calendar {library_version()}"
        if self.is_provisional_year(year):
            return f"provisional (暂定): {self._provisional_table(year).source}"
        raise CalendarNotCovered(year)

    def covered_years(self) -> list[int]:
        """Every year this calendar can answer for (library years plus the tables in the folder)."""
        self.check_tables()
        return sorted(library_years() | {year for year, table in self._tables.items() if table is not None})

    def check_tables(self) -> list[HolidayTable]:
        """Load and validate every ``*.toml`` in the tables folder (what an operator runs after editing)."""
        if self.tables_dir is None or not self.tables_dir.is_dir():
            return [t for t in self._tables.values() if t is not None]
        loaded: list[HolidayTable] = []
        for path in sorted(self.tables_dir.glob("*.toml")):
            table = load_holiday_table(path)
            self._tables.setdefault(table.year, table)
            loaded.append(table)
        return loaded

    def is_working_day(self, day: date) -> bool:
        """Whether people work on ``day`` under the year's holiday notice (工作日)."""
        table = self.table_for(day.year)
        if table is not None:
            return table.is_working_day(day)
        if day.year in library_years():
            return day in library_working_days(day.year)
        if self.is_provisional_year(day.year):
            return self._provisional_table(day.year).is_working_day(day)
        raise CalendarNotCovered(day.year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def add_working_days(self, anchor: date, n: int) -> date:
        """The ``n``-th working day after ``anchor`` (工作日), or before it when ``n`` is negative.

        The anchor day is not counted, whether or not it is a working day: day 1 is the first working
        day after the anchor. So "3 个工作日内予以受理" (004:794) for an application received on Friday
        2025-01-24 runs to Wednesday 2025-02-05: Sunday 01-26 is a make-up workday (day 1), Monday 01-27
        is day 2, 01-28..02-04 is the Spring Festival holiday, 02-05 is day 3. ``n = 0`` returns the
        anchor unchanged; ``n = -1`` is the last working day before the anchor.

        The policy texts (004:794, 004:796) say "自受理之日起 N 个工作日" without saying how to
        count; excluding the start day follows the general PRC rule on periods (民法典 第二百零一条:
        开始的当日不计入) [INFERRED, not in the seeds].
        """
        step = 1 if n >= 0 else -1
        remaining = abs(n)
        day = anchor
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Signed count such that ``add_working_days(start, result) == end`` when ``end`` is a working day.

        For ``end >= start``: the working days in ``(start, end]``. For ``end < start``: minus the working
        days in ``[end, start)``.
        """
        if end >= start:
            days = ((start + timedelta(days=i)) for i in range(1, (end - start).days + 1))
            return sum(1 for day in days if self.is_working_day(day))
        days = ((end + timedelta(days=i)) for i in range((start - end).days))
        return -sum(1 for day in days if self.is_working_day(day))


def add_calendar_days(anchor: date, n: int) -> date:
    """``anchor`` plus ``n`` calendar days (日), negative counts backwards."""
    return anchor + timedelta(days=n)


def add_months(anchor: date, n: int) -> date:
    """``anchor`` plus ``n`` months, clamped to the month's end: 2025-01-31 + 1 month = 2025-02-28."""
    month_index = anchor.year * 12 + (anchor.month - 1) + n
    year, month = divmod(month_index, 12)
    return date(year, month + 1, min(anchor.day, _days_in_month(year, month + 1)))


def add_years(anchor: date, n: int) -> date:
    """``anchor`` plus ``n`` years; 29 February becomes 28 February in a common year."""
    return add_months(anchor, 12 * n)


def _days_in_month(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def calendar_from_settings(settings: Settings | None = None, *, provisional: bool = False) -> WorkingCalendar:
    """The deployment's calendar: chinese-calendar plus the tables in ``holiday_tables_dir``; with
    ``provisional`` a year without a notice is counted by the regulation's statutory holidays."""
    settings = settings if settings is not None else get_settings()
    return WorkingCalendar(settings.resolved_holiday_tables_dir, provisional=provisional)
