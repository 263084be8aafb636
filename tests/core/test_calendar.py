"""Working-day calendar: PRC holidays with make-up workdays, operator tables, calendar arithmetic.

Every expected date below was written by hand from the State Council General Office notices
(国务院办公厅关于2025年/2026年部分节假日安排的通知).
2025: 元旦 01-01; 春节 01-28..02-04 off, 01-26 (Sun) and 02-08 (Sat) worked; 清明 04-04..04-06;
国庆/中秋 10-01..10-08 off, 09-28 (Sun) and 10-11 (Sat) worked.
2026: 元旦 01-01..01-03 off, 01-04 (Sun) worked; 春节 02-15..02-23 off, 02-14 (Sat) and 02-28 (Sat) worked;
中秋 09-25..09-27 off; 国庆 10-01..10-07 off, 09-20 (Sun) and 10-10 (Sat) worked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logispace.core.calendar import (
    CalendarNotCovered,
    HolidayTable,
    HolidayTableInvalid,
    WorkingCalendar,
    add_calendar_days,
    add_months,
    add_years,
    calendar_from_settings,
    library_years,
    load_holiday_table,
)
from logispace.core.config import Settings

D = date.fromisoformat
CAL = WorkingCalendar()

IS_WORKING_DAY = [
    # 2025 Spring Festival
    ("2025-01-24", True),  # Friday before
    ("2025-01-25", False),  # Saturday
    ("2025-01-26", True),  # Sunday, 调休上班
    ("2025-01-27", True),
    ("2025-01-28", False),  # 除夕
    ("2025-01-31", False),
    ("2025-02-03", False),  # Monday inside the holiday
    ("2025-02-04", False),  # last holiday day
    ("2025-02-05", True),
    ("2025-02-08", True),  # Saturday, 调休上班
    ("2025-02-09", False),
    # 2025 National Day and Mid-autumn
    ("2025-09-27", False),
    ("2025-09-28", True),  # Sunday, 调休上班
    ("2025-09-30", True),
    ("2025-10-01", False),
    ("2025-10-06", False),  # 中秋, Monday
    ("2025-10-08", False),  # Wednesday, last holiday day
    ("2025-10-09", True),
    ("2025-10-11", True),  # Saturday, 调休上班
    ("2025-10-12", False),
    ("2025-01-01", False),  # 元旦, Wednesday
    ("2025-04-04", False),  # 清明, Friday
    # 2026 New Year, Spring Festival, Mid-autumn, National Day
    ("2026-01-02", False),  # Friday off
    ("2026-01-04", True),  # Sunday, 调休上班
    ("2026-02-13", True),
    ("2026-02-14", True),  # Saturday, 调休上班
    ("2026-02-15", False),
    ("2026-02-16", False),  # Monday, 除夕
    ("2026-02-23", False),  # Monday, last holiday day
    ("2026-02-24", True),
    ("2026-02-28", True),  # Saturday, 调休上班
    ("2026-03-01", False),
    ("2026-09-19", False),
    ("2026-09-20", True),  # Sunday, 调休上班
    ("2026-09-25", False),  # 中秋, Friday
    ("2026-09-30", True),
    ("2026-10-01", False),
    ("2026-10-07", False),  # Wednesday, last holiday day
    ("2026-10-08", True),
    ("2026-10-10", True),  # Saturday, 调休上班
    ("2026-10-11", False),
]


@pytest.mark.parametrize(("day", "expected"), IS_WORKING_DAY)
def test_is_working_day_follows_the_notices(day: str, expected: bool) -> None:
    assert CAL.is_working_day(D(day)) is expected


ADD_WORKING_DAYS = [
    # (anchor, n, expected): the anchor is not counted; day 1 is the next working day
    ("2025-01-24", 1, "2025-01-26"),  # Friday -> the make-up Sunday
    ("2025-01-24", 2, "2025-01-27"),
    ("2025-01-24", 3, "2025-02-05"),  # over the whole Spring Festival
    ("2025-01-27", 1, "2025-02-05"),
    ("2025-01-27", 4, "2025-02-08"),  # the make-up Saturday counts
    ("2025-01-27", 5, "2025-02-10"),
    ("2025-01-28", 1, "2025-02-05"),  # anchor on a holiday
    ("2025-01-28", 0, "2025-01-28"),  # n = 0 returns the anchor, even a holiday
    ("2025-02-05", -1, "2025-01-27"),
    ("2025-02-05", -2, "2025-01-26"),
    ("2025-02-05", -3, "2025-01-24"),
    ("2025-09-26", 1, "2025-09-28"),
    ("2025-09-30", 1, "2025-10-09"),
    ("2025-09-26", 20, "2025-10-30"),  # formal review over National Day
    ("2025-10-09", -1, "2025-09-30"),
    ("2025-10-13", -2, "2025-10-10"),  # the make-up Saturday 10-11 counts backwards too
    ("2025-12-31", 1, "2026-01-04"),  # across the year into the make-up Sunday
    ("2026-01-05", -1, "2026-01-04"),
    ("2026-02-13", 1, "2026-02-14"),
    ("2026-02-13", 2, "2026-02-24"),
    ("2026-02-24", 4, "2026-02-28"),
    ("2026-02-24", 5, "2026-03-02"),
    ("2026-02-24", -1, "2026-02-14"),
    ("2026-02-24", -2, "2026-02-13"),
    ("2026-09-18", 1, "2026-09-20"),
    ("2026-09-24", 1, "2026-09-28"),  # over 中秋 Friday and the weekend
    ("2026-09-30", 1, "2026-10-08"),
    ("2026-09-30", 3, "2026-10-10"),
    ("2026-10-10", -2, "2026-10-08"),
    ("2026-10-08", -1, "2026-09-30"),
    ("2025-03-01", 30, "2025-04-14"),  # legacy registration: 30 WD over 清明
]


@pytest.mark.parametrize(("anchor", "n", "expected"), ADD_WORKING_DAYS)
def test_add_working_days(anchor: str, n: int, expected: str) -> None:
    assert CAL.add_working_days(D(anchor), n) == D(expected)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-01-24", "2025-02-05", 3),
        ("2025-02-05", "2025-01-24", -3),
        ("2025-01-28", "2025-02-04", 0),  # all holiday
        ("2025-01-27", "2025-01-27", 0),
        ("2025-09-26", "2025-10-30", 20),
        ("2026-02-13", "2026-02-28", 6),  # 02-14, 02-24..02-27, 02-28
    ],
)
def test_working_days_between(start: str, end: str, expected: int) -> None:
    assert CAL.working_days_between(D(start), D(end)) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [("2025-01-24", "2025-01-26"), ("2025-10-08", "2025-10-09"), ("2026-02-14", "2026-02-24")],
)
def test_next_working_day(day: str, expected: str) -> None:
    assert CAL.next_working_day(D(day)) == D(expected)


@settings(max_examples=200, deadline=None)  # no timing: the first use of a year builds its cache
@given(
    anchor=st.dates(min_value=date(2004, 6, 1), max_value=date(2026, 9, 1)),  # +-60 WD stays in 2004-2026
    n=st.integers(min_value=-60, max_value=60),
)
def test_add_and_between_are_inverse(anchor: date, n: int) -> None:
    result = CAL.add_working_days(anchor, n)
    assert CAL.working_days_between(anchor, result) == n
    if n != 0:
        assert CAL.is_working_day(result)
        assert (result > anchor) == (n > 0)


def test_library_years_are_found_by_asking_the_library() -> None:
    years = library_years()
    assert min(years) == 2004
    assert max(years) == 2026
    assert years == frozenset(range(2004, 2027))


@pytest.mark.parametrize("day", ["2027-01-04", "2003-06-02", "2030-10-01"])
def test_a_year_no_one_covers_is_refused_not_guessed(day: str, tmp_path: Path) -> None:
    calendar = WorkingCalendar(tmp_path)
    with pytest.raises(CalendarNotCovered) as caught:
        calendar.is_working_day(D(day))
    error = caught.value
    year = D(day).year
    assert error.year == year
    assert error.status == 409
    assert f"{year}.toml" in error.detail
    assert "2004-2026" in error.detail
    assert error.problem()["year"] == year


def test_counting_into_an_uncovered_year_is_refused() -> None:
    with pytest.raises(CalendarNotCovered):
        CAL.add_working_days(D("2026-12-28"), 10)
    with pytest.raises(CalendarNotCovered):
        CAL.working_days_between(D("2026-12-28"), D("2027-01-05"))


TABLE_2027 = """
year = 2027
source = "test table, not the official notice"

[[holidays]]
date = 2027-01-01
name = "元旦"

[[holidays]]
start = 2027-02-05
end = 2027-02-12
name = "春节"

[[workdays]]
date = 2027-02-13
name = "春节调休上班"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_operator_table_covers_a_year_the_library_does_not(tmp_path: Path) -> None:
    write(tmp_path, "2027.toml", TABLE_2027)
    calendar = WorkingCalendar(tmp_path)
    assert calendar.is_working_day(D("2027-01-01")) is False  # Friday holiday
    assert calendar.is_working_day(D("2027-01-04")) is True  # ordinary Monday
    assert calendar.is_working_day(D("2027-02-08")) is False  # Monday inside 春节
    assert calendar.is_working_day(D("2027-02-13")) is True  # make-up Saturday
    assert calendar.is_working_day(D("2027-02-14")) is False  # ordinary Sunday
    assert calendar.add_working_days(D("2026-12-31"), 1) == D("2027-01-04")
    assert calendar.add_working_days(D("2027-02-04"), 1) == D("2027-02-13")
    assert calendar.source_for(2027).startswith("operator table 2027.toml")
    assert calendar.source_for(2026).startswith("chinese-calendar")
    assert 2027 in calendar.covered_years()


def test_an_operator_table_overrides_the_library_for_a_covered_year(tmp_path: Path) -> None:
    write(
        tmp_path,
        "2025.toml",
        'year = 2025\nsource = "override"\n[[holidays]]\ndate = 2025-01-27\nname = "test holiday"\n',
    )
    calendar = WorkingCalendar(tmp_path)
    assert calendar.is_working_day(D("2025-01-27")) is False  # a working day in the library
    assert calendar.is_working_day(D("2025-01-28")) is True  # the table does not list 除夕
    assert calendar.is_working_day(D("2025-01-26")) is False  # no make-up Sunday in the table
    assert CAL.is_working_day(D("2025-01-27")) is True


def test_tables_given_directly_need_no_folder() -> None:
    table = HolidayTable(2027, "test", {D("2027-01-01"): "元旦"}, {})
    calendar = WorkingCalendar(tables=[table])
    assert calendar.is_working_day(D("2027-01-01")) is False
    assert calendar.is_working_day(D("2027-01-04")) is True


def test_calendar_from_settings_uses_the_configured_folder_or_var_holidays(tmp_path: Path) -> None:
    assert calendar_from_settings(Settings(var_dir=tmp_path)).tables_dir == tmp_path / "holidays"
    configured = calendar_from_settings(Settings(var_dir=tmp_path, holiday_tables_dir=tmp_path / "h"))
    assert configured.tables_dir == tmp_path / "h"


ENTRY = '[[holidays]]\ndate = 2027-01-01\nname = "元旦"\n'
HEAD = 'year = 2027\nsource = "s"\n'

MALFORMED = [
    ("year = ", "not TOML"),
    ('year = 2026\nsource = "s"\n' + ENTRY.replace("2027", "2026"), "year = 2026 but the file is for 2027"),
    ("year = 2027\n" + ENTRY, "source: Field required"),
    (HEAD + "holidays = []\n", "holidays: List should have at least 1 item"),
    (HEAD, "holidays: Field required"),
    (HEAD + '[[holidays]]\ndate = 2026-12-31\nname = "x"\n', "holidays[0] 2026-12-31 is not in 2027"),
    (HEAD + ENTRY + ENTRY, "holidays[1] 2027-01-01 is listed twice"),
    (HEAD + ENTRY + '[[workdays]]\ndate = 2027-01-04\nname = "x"\n', "2027-01-04 (x) is a weekday"),
    (
        HEAD + ENTRY + '[[workdays]]\ndate = 2027-01-01\nname = "x"\n',
        "2027-01-01 is both a holiday and a make-up workday",
    ),
    (
        HEAD + '[[holidays]]\ndate = 2027-01-01\nstart = 2027-01-01\nend = 2027-01-02\nname = "x"\n',
        "either date or start and end",
    ),
    (HEAD + '[[holidays]]\nstart = 2027-01-03\nend = 2027-01-02\nname = "x"\n', "is before start"),
    (HEAD + '[[holidays]]\nstart = 2027-01-03\nname = "x"\n', "give a date, or both start and end"),
    (
        HEAD + '[[holidays]]\ndate = 2027-01-01\nname = "  "\n',
        "name: String should have at least 1 character",
    ),
    (HEAD + ENTRY + "extra = 1\n", "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("text", "problem"), MALFORMED)
def test_a_malformed_table_is_a_clear_error_at_use(tmp_path: Path, text: str, problem: str) -> None:
    write(tmp_path, "2027.toml", text)
    with pytest.raises(HolidayTableInvalid) as caught:
        WorkingCalendar(tmp_path).is_working_day(D("2027-03-01"))
    assert caught.value.status == 409
    assert caught.value.detail.startswith("holiday table 2027.toml is not valid: ")
    assert any(problem in line for line in caught.value.problems), caught.value.problems


def test_a_table_with_a_wrong_file_name_is_reported_by_check_tables(tmp_path: Path) -> None:
    write(tmp_path, "holidays-2027.toml", TABLE_2027)
    with pytest.raises(HolidayTableInvalid, match=r"must be <year>\.toml"):
        WorkingCalendar(tmp_path).check_tables()


def test_load_holiday_table_keeps_the_names(tmp_path: Path) -> None:
    table = load_holiday_table(write(tmp_path, "2027.toml", TABLE_2027))
    assert table.holidays[D("2027-02-08")] == "春节"
    assert table.workdays == {D("2027-02-13"): "春节调休上班"}
    assert len(table.holidays) == 9


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-12-15", 1, "2026-01-15"),
        ("2025-01-15", -1, "2024-12-15"),
        ("2025-01-31", 13, "2026-02-28"),
        ("2025-08-31", -18, "2024-02-29"),
        ("2025-06-10", 0, "2025-06-10"),
    ],
)
def test_add_months_clamps_to_the_month_end(anchor: str, n: int, expected: str) -> None:
    assert add_months(D(anchor), n) == D(expected)


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [
        ("2024-02-29", 1, "2025-02-28"),
        ("2024-02-29", 4, "2028-02-29"),
        ("2025-03-01", 3, "2028-03-01"),
        ("2025-03-01", -1, "2024-03-01"),
    ],
)
def test_add_years(anchor: str, n: int, expected: str) -> None:
    assert add_years(D(anchor), n) == D(expected)


@pytest.mark.parametrize(
    ("anchor", "n", "expected"),
    [("2028-03-01", -60, "2028-01-01"), ("2025-01-24", 10, "2025-02-03"), ("2025-12-25", 7, "2026-01-01")],
)
def test_add_calendar_days_ignores_holidays(anchor: str, n: int, expected: str) -> None:
    assert add_calendar_days(D(anchor), n) == D(expected)


def test_the_documented_table_example_is_valid(tmp_path: Path) -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "calendar.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    table = load_holiday_table(write(tmp_path, "2027.toml", example))
    assert table.workdays == {D("2027-02-14"): "春节调休上班"}


def test_an_unreadable_table_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "2027.toml").write_bytes(b"year = \xff\n")
    with pytest.raises(HolidayTableInvalid, match="not TOML"):
        WorkingCalendar(tmp_path).is_working_day(D("2027-01-04"))


def test_covered_years_include_tables_given_directly(tmp_path: Path) -> None:
    table = HolidayTable(2030, "test", {D("2030-01-01"): "元旦"}, {})
    write(tmp_path, "2027.toml", TABLE_2027)
    years = WorkingCalendar(tmp_path, tables=[table]).covered_years()
    assert years[0] == 2004
    assert years[-3:] == [2026, 2027, 2030]
