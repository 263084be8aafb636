"""``logispace calendar``: plain output for scripts, exit 2 with a clear error on bad input."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from logispace.cli import app
from logispace.core.config import get_settings

runner = CliRunner()


@pytest.fixture
def tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "holidays"
    folder.mkdir()
    monkeypatch.setenv("LOGISPACE_HOLIDAY_TABLES_DIR", str(folder))
    monkeypatch.delenv("LOGISPACE_RULE_PROFILE", raising=False)
    monkeypatch.delenv("LOGISPACE_OBJECTION_REVIEW_WORKING_DAYS", raising=False)
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def invoke(*args: str) -> Result:
    return runner.invoke(app, ["calendar", *args], env=dict(os.environ))


@pytest.mark.parametrize(
    ("args", "out"),
    [
        (("add-working-days", "2025-01-24", "3"), "2025-02-05\n"),
        (("add-working-days", "2025-01-24", "1"), "2025-01-26\n"),
        (("add-working-days", "2025-02-05", "-3"), "2025-01-24\n"),
        (("add-working-days", "2025-01-28", "0"), "2025-01-28\n"),
        (("add-working-days", "2026-09-30", "3"), "2026-10-10\n"),
        (("is-working-day", "2025-01-26"), "yes\n"),
        (("is-working-day", "2025-02-08"), "yes\n"),
        (("is-working-day", "2025-02-03"), "no\n"),
        (("is-working-day", "2026-10-10"), "yes\n"),
        (("is-working-day", "2026-10-11"), "no\n"),
    ],
)
def test_plain_output(tables: Path, args: tuple[str, ...], out: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert result.stdout == out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add-working-days", "2025-13-01", "3"), "is not a date YYYY-MM-DD"),
        (("add-working-days", "25-1-24", "3"), "is not a date YYYY-MM-DD"),
        (("add-working-days", "2025-01-24", "three"), "Invalid value"),
        (("is-working-day", "yesterday"), "is not a date YYYY-MM-DD"),
        (("add-working-days", "2026-12-28", "10"), "no PRC holiday calendar for 2027"),
        (("is-working-day", "2027-01-04"), "2027.toml"),
        (("due", "nope", "2025-01-01"), "known: acceptance"),
        (("due", "formal_review", "2025-02-30"), "is not a date YYYY-MM-DD"),
    ],
)
def test_bad_input_exits_2_with_a_clear_error(tables: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert result.stdout == ""  # nothing a script could mistake for an answer


def test_a_year_with_an_operator_table(tables: Path) -> None:
    (tables / "2027.toml").write_text(
        'year = 2027\nsource = "test"\n[[holidays]]\ndate = 2027-01-01\nname = "元旦"\n', encoding="utf-8"
    )
    assert invoke("is-working-day", "2027-01-01").stdout == "no\n"
    assert invoke("add-working-days", "2026-12-31", "1").stdout == "2027-01-04\n"
    years = invoke("years")
    assert years.exit_code == 0
    assert "2026  chinese-calendar 1.11.0\n" in years.stdout
    assert "2027  operator table 2027.toml: test\n" in years.stdout


def test_a_malformed_table_exits_2(tables: Path) -> None:
    (tables / "2027.toml").write_text("year = 2027\n", encoding="utf-8")
    result = invoke("is-working-day", "2027-01-04")
    assert result.exit_code == 2
    assert "holiday table 2027.toml is not valid" in result.stderr
    assert invoke("years").exit_code == 2


def test_due_prints_the_date_and_the_source(tables: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke("due", "formal_review", "2025-09-26")
    assert result.exit_code == 0, result.output
    assert result.stdout == "2025-10-30  20 working_day after application_accepted  source 004:796\n"
    monkeypatch.setenv("LOGISPACE_RULE_PROFILE", "inner_mongolia")
    get_settings.cache_clear()
    nm = invoke("due", "certificate_validity", "2025-03-01")
    assert nm.stdout == "2028-03-01  3 year after certificate_issued  source 004:5454\n"


def test_due_uses_the_configured_objection_review_sla(tables: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 01-26 (Sun, 调休), 01-27, (春节 off), 02-05, 06, 07, 08 (Sat, 调休), 10, 11, 12, 13
    assert invoke("due", "objection_review", "2025-01-24").stdout.startswith("2025-02-13  10 working_day")
    monkeypatch.setenv("LOGISPACE_OBJECTION_REVIEW_WORKING_DAYS", "3")
    get_settings.cache_clear()
    assert invoke("due", "objection_review", "2025-01-24").stdout.startswith("2025-02-05  3 working_day")
