"""Reading State Council holiday notices: the parsed table must agree with chinese-calendar day by day for
every year whose notice is kept here, and a notice that contradicts itself is refused with the item named."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from logispace.cli import app
from logispace.core import calendar_cli
from logispace.core.calendar import HolidayTable, WorkingCalendar, library_working_days, load_holiday_table
from logispace.core.config import get_settings
from logispace.core.events import bus
from logispace.core.holiday_notice import (
    HolidayNoticeImported,
    MovedDeadline,
    NoticeUnreadable,
    notice_year,
    parse_notice,
)

NOTICES = Path(__file__).parent / "notices"
YEARS = sorted(int(path.stem) for path in NOTICES.glob("*.txt"))
runner = CliRunner()


def _notice(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("year", YEARS)
def test_parsed_notice_agrees_with_the_library_on_every_day(year: int) -> None:
    parsed = parse_notice(_notice(year))
    table = HolidayTable.from_document(parsed.table_document(), origin=f"{year}.txt", year=year)
    assert parsed.year == year
    assert table.working_days() == library_working_days(year)
    assert parsed.other_years == []


@pytest.mark.parametrize(
    ("year", "day", "working"),
    [
        (2026, date(2026, 2, 14), True),  # 春节 make-up Saturday
        (2026, date(2026, 2, 23), False),  # 正月初七, a Monday off
        (2026, date(2026, 10, 10), True),
        (2025, date(2025, 1, 1), False),  # 放假1天，不调休
        (2024, date(2024, 2, 9), True),  # 除夕 only "encouraged" off (鼓励), still a working day
        (2024, date(2024, 6, 10), False),  # 与周末连休, no 放假 word
        (2017, date(2017, 1, 2), False),  # 补休
    ],
)
def test_particular_days(year: int, day: date, working: bool) -> None:
    table = HolidayTable.from_document(parse_notice(_notice(year)).table_document(), origin="t", year=year)
    assert table.is_working_day(day) is working


def test_names_and_runs_in_the_table() -> None:
    document = parse_notice(_notice(2026)).table_document()
    assert {"name": "春节", "start": date(2026, 2, 15), "end": date(2026, 2, 23)} in document["holidays"]
    assert {"name": "春节调休上班", "date": date(2026, 2, 28)} in document["workdays"]
    assert document["source"] == "国务院办公厅关于2026年部分节假日安排的通知"


def test_full_width_digits_and_plain_punctuation_read_the_same() -> None:
    text = _notice(2026)
    wide = text.replace("1", "１").replace("2", "２")
    plain = text.replace("：", ":").replace("，", ",").replace("（", "(").replace("）", ")")
    expected = parse_notice(text).table_document()
    assert parse_notice(wide).table_document() == expected
    assert parse_notice(plain).table_document() == expected


def test_a_date_of_another_year_is_reported_not_tabled() -> None:
    text = (
        "关于2027年部分节假日安排的通知\n"
        "一、元旦：2026年12月31日（周四）至2027年1月2日（周六）放假调休，共3天。"
    )
    parsed = parse_notice(text)
    assert parsed.other_years == [("元旦", date(2026, 12, 31), "holiday")]
    assert parsed.holidays == [("元旦", [date(2027, 1, 1), date(2027, 1, 2)])]


_N = "关于2026年部分节假日安排的通知\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("一、元旦：1月1日放假。", "does not say its year"),
        (_N + "元旦放假", "no numbered items"),
        (_N + "一、元旦：1月1日（周五）放假。", "2026-01-01 is not a 周五"),
        (_N + "一、元旦：1月1日至3日放假调休，共4天。", "共4天 but its dates give 3"),
        (_N + "一、元旦：2月30日放假。", "'2月30日' is not a date"),
        (_N + "一、春节：15日放假。", "'15日' has no month"),
        (_N + "一、元旦：1月1日开会。", "neither 放假/补休 nor 上班"),
        (_N + "一、元旦：另行通知。", "元旦: no dates were found"),
        (_N + "一、元旦：1月4日（周日）上班。", "no days off"),
    ],
)
def test_unreadable_notices_name_the_fault(text: str, problem: str) -> None:
    with pytest.raises(NoticeUnreadable) as caught:
        parse_notice(text)
    assert problem in caught.value.detail
    assert caught.value.status == 422


def test_year_given_and_year_in_text_must_agree() -> None:
    with pytest.raises(NoticeUnreadable, match="for 2026, not 2027"):
        parse_notice(_notice(2026), year=2027)
    assert parse_notice(_notice(2026).split("\n", 3)[3], year=2026).year == 2026
    assert notice_year("现将2026年元旦、春节...") == 2026


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "holidays"
    monkeypatch.setenv("LOGISPACE_HOLIDAY_TABLES_DIR", str(folder))
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def test_cli_writes_a_table_the_calendar_then_uses(tables: Path, tmp_path: Path) -> None:
    # a 2027 notice in the official style; the dates are made up for the test, not the real 2027 notice
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "国务院办公厅关于2027年部分节假日安排的通知\n"
        "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
        "二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月20日（周六）上班。\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["calendar", "import-notice", str(notice)], env=dict(os.environ))
    assert result.exit_code == 0, result.output
    assert "wrote" in result.stdout and "10 days off, 1 make-up workdays" in result.stdout
    table = load_holiday_table(tables / "2027.toml")
    assert table.workdays == {date(2027, 2, 20): "春节调休上班"}
    calendar = WorkingCalendar(tables)
    assert calendar.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 15)
    assert calendar.is_working_day(date(2027, 2, 20))
    again = runner.invoke(app, ["calendar", "import-notice", str(notice)], env=dict(os.environ))
    assert again.exit_code == 2 and "exists; pass --force" in again.stderr
    forced = runner.invoke(app, ["calendar", "import-notice", "--force", str(notice)], env=dict(os.environ))
    assert forced.exit_code == 0, forced.output


def test_cli_compares_a_library_year_and_dry_run_writes_nothing(tables: Path) -> None:
    result = runner.invoke(
        app, ["calendar", "import-notice", "--dry-run", str(NOTICES / "2026.txt")], env=dict(os.environ)
    )
    assert result.exit_code == 0, result.output
    assert "the table agrees with it on every day" in result.stdout
    assert "[[holidays]]" in result.stdout
    assert not tables.exists()


def test_cli_refuses_an_unreadable_notice(tables: Path, tmp_path: Path) -> None:
    notice = tmp_path / "notice.txt"
    notice.write_text("关于2027年部分节假日安排的通知\n一、元旦：1月1日（周四）放假。", encoding="utf-8")
    result = runner.invoke(app, ["calendar", "import-notice", str(notice)], env=dict(os.environ))
    assert result.exit_code == 2
    assert "2027-01-01 is not a 周四" in result.stderr
    assert not (tables / "2027.toml").exists()


def test_cli_reports_what_the_subscribers_recomputed(
    tables: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Import publishes HolidayNoticeImported in one unit of work and prints the moves it was told of
    (the calendar commands alone: no domain is wired)."""
    seen: list[int] = []

    def handler(session: object, event: HolidayNoticeImported) -> None:
        seen.append(event.year)
        event.recomputed += 2
        event.moved.append(
            MovedDeadline(
                "registration:application:x", "formal_review", date(2027, 1, 13), date(2027, 1, 14), False
            )
        )

    @contextmanager
    def no_database(url: str) -> Iterator[object]:
        yield object()

    database = tmp_path / "logispace.sqlite3"
    monkeypatch.setenv("LOGISPACE_DATABASE_URL", f"sqlite:///{database}")
    get_settings.cache_clear()
    monkeypatch.setattr(calendar_cli, "unit_of_work", no_database)
    notice = tmp_path / "notice.txt"
    notice.write_text(
        "国务院办公厅关于2027年部分节假日安排的通知\n一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(bus, "_handlers", defaultdict(list))  # only this test's subscriber
    bus.subscribe(HolidayNoticeImported, handler)
    # no database file yet: nothing is opened, nothing to recompute
    first = runner.invoke(calendar_cli.app, ["calendar", "import-notice", str(notice)], env=dict(os.environ))
    assert first.exit_code == 0, first.output
    assert "no database yet" in first.stdout and seen == [] and not database.exists()
    database.write_bytes(b"")
    again = runner.invoke(
        calendar_cli.app, ["calendar", "import-notice", "--force", str(notice)], env=dict(os.environ)
    )
    assert again.exit_code == 0, again.output
    assert seen == [2027]
    assert "2 provisional deadlines recomputed, 1 moved" in again.stdout
    assert "formal_review 2027-01-13 -> 2027-01-14  registration:application:x" in again.stdout
