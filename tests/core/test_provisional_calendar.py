"""Provisional working days (暂定工作日) for a year without a holiday notice.

The statutory holidays of 《全国年节及纪念日放假办法》 (as amended, in force from 2025-01-01) are
computed for the year: 元旦 01-01; 春节 除夕 and 正月初一..初三; 清明 (the solar term's day); 劳动节
05-01..05-02; 端午 五月初五; 中秋 八月十五; 国庆 10-01..10-03. The State Council notices of 2025 and
2026 kept under ``notices/`` must give every one of those days off (they add 调休 and longer breaks,
which a provisional calendar cannot know). The expected lunar and solar-term dates were taken by hand
from the published Chinese calendar.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from logispace.core.calendar import CalendarNotCovered, HolidayTable, WorkingCalendar
from logispace.core.deadlines import registration_rule, start_deadline
from logispace.core.holiday_notice import parse_notice
from logispace.core.statutory_holidays import (
    FIRST_PROVISIONAL_YEAR,
    statutory_holidays,
)

D = date.fromisoformat
NOTICES = Path(__file__).parent / "notices"

# year: (除夕, 清明, 端午, 中秋)
LUNAR_AND_SOLAR_TERM_DAYS = {
    2025: ("2025-01-28", "2025-04-04", "2025-05-31", "2025-10-06"),
    2026: ("2026-02-16", "2026-04-05", "2026-06-19", "2026-09-25"),
    2027: ("2027-02-05", "2027-04-05", "2027-06-09", "2027-09-15"),
    2028: ("2028-01-25", "2028-04-04", "2028-05-28", "2028-10-03"),
    2030: ("2030-02-02", "2030-04-05", "2030-06-05", "2030-09-12"),
}


@pytest.mark.parametrize("year", sorted(LUNAR_AND_SOLAR_TERM_DAYS))
def test_statutory_holidays_of_a_year(year: int) -> None:
    eve, qingming, duanwu, midautumn = (D(d) for d in LUNAR_AND_SOLAR_TERM_DAYS[year])
    days = statutory_holidays(year)
    spring = [date.fromordinal(eve.toordinal() + i) for i in range(4)]
    festivals = [
        (date(year, 1, 1), "元旦"),
        *((day, "春节") for day in spring),
        (qingming, "清明节"),
        (date(year, 5, 1), "劳动节"),
        (date(year, 5, 2), "劳动节"),
        (duanwu, "端午节"),
        (midautumn, "中秋节"),
        *((date(year, 10, d), "国庆节") for d in (1, 2, 3)),
    ]
    expected: dict[date, str] = {}
    for day, name in festivals:
        expected[day] = f"{expected[day]}、{name}" if day in expected else name
    assert days == expected
    assert list(days) == sorted(days)
    # 第二条: 13 days a year; in 2028 中秋 is 10-03, one of the 国庆 days
    assert len(days) == (12 if year == 2028 else 13)
    if year == 2028:
        assert days[D("2028-10-03")] == "中秋节、国庆节"


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_off_in_the_official_notice(year: int) -> None:
    parsed = parse_notice((NOTICES / f"{year}.txt").read_text(encoding="utf-8"))
    table = HolidayTable.from_document(parsed.table_document(), origin="notice", year=year)
    for day, name in statutory_holidays(year).items():
        assert not table.is_working_day(day), (day, name)
        assert day in table.holidays, (day, name)


def test_the_regulation_applies_from_2025_only() -> None:
    assert FIRST_PROVISIONAL_YEAR == 2025
    with pytest.raises(ValueError, match="2025"):
        statutory_holidays(2024)


def test_a_provisional_calendar_counts_an_uncovered_year_by_the_regulation(tmp_path: Path) -> None:
    calendar = WorkingCalendar(tmp_path, provisional=True)
    assert calendar.is_provisional_year(2027) and not calendar.is_provisional_year(2026)
    assert not calendar.is_working_day(D("2027-01-01"))  # 元旦, a Friday
    assert not calendar.is_working_day(D("2027-02-05"))  # 除夕, a Friday
    assert not calendar.is_working_day(D("2027-02-08"))  # 正月初三, a Monday
    assert calendar.is_working_day(D("2027-02-09"))  # 初四: a working day until the notice says otherwise
    assert not calendar.is_working_day(D("2027-02-13"))  # a Saturday: no 调休 is guessed
    assert "暂定" in calendar.source_for(2027)
    # before the regulation there is nothing to compute from: still refused
    with pytest.raises(CalendarNotCovered):
        calendar.is_working_day(D("2003-06-02"))
    # an operator table, once there, decides the year
    (tmp_path / "2027.toml").write_text(
        'year = 2027\nsource = "test table"\n'
        '[[holidays]]\nstart = 2027-02-05\nend = 2027-02-11\nname = "春节"\n'
        '[[workdays]]\ndate = 2027-02-13\nname = "春节调休上班"\n',
        encoding="utf-8",
    )
    fresh = WorkingCalendar(tmp_path, provisional=True)
    assert not fresh.is_provisional_year(2027)
    assert fresh.is_working_day(D("2027-02-13")) and not fresh.is_working_day(D("2027-02-09"))


def test_a_strict_calendar_still_refuses_an_uncovered_year(tmp_path: Path) -> None:
    with pytest.raises(CalendarNotCovered):
        WorkingCalendar(tmp_path).is_working_day(D("2027-01-04"))


def test_a_deadline_into_an_uncovered_year_is_marked_provisional(tmp_path: Path) -> None:
    calendar = WorkingCalendar(tmp_path, provisional=True)
    review = registration_rule("formal_review")
    # Tue 2026-12-15 + 20 WD: 12-16..12-31 gives 12, 2027-01-01 元旦, 01-04..01-13 the other 8
    across = start_deadline(review, D("2026-12-15"), calendar)
    assert (across.due, across.provisional) == (D("2027-01-13"), True)
    inside = start_deadline(review, D("2026-11-02"), calendar)
    assert inside.provisional is False
    # calendar days, months and years do not depend on the notice
    validity = start_deadline(registration_rule("certificate_validity"), D("2026-12-15"), calendar)
    assert validity.provisional is False
