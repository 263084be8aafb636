"""A deadline that runs into a year without a holiday notice (issue 15, point 7): the step is taken, the
deadline is provisional (暂定) on the step, the page and the API, the authority is asked to import the
notice, and importing it recomputes the deadline and reports the move.

Until this change the acceptance below was refused with 409 ``calendar-not-covered``.

Hand count: accepted Tue 2026-12-15, formal review 20 WD (004:796): 12-16..12-31 are 12 working days,
2027-01-01 (元旦, Friday) is a statutory holiday, 01-04..01-13 the other 8: due 2027-01-13 provisionally.
The notice used below is made up for the test (元旦 01-01..01-04 off, not the real 2027 notice): with it
the 20th working day is 01-14.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from logispace.cli import app as cli_app
from logispace.core import calendar_cli
from logispace.core.config import RuleProfile, Settings, get_settings
from tests.conftest import World
from tests.factories.registration import API, file_application, initial_body, registrable_resource
from tests.identity.support import Browser
from tests.registration.conftest import TravelClock

JSON = dict[str, Any]
NOTICE_2027 = (
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "一、元旦：1月1日（周五）至4日（周一）放假，共4天。\n"
    "二、春节：2月5日（周五）至11日（周四）放假，共7天。\n"
)


@pytest.fixture
def settings(database_url: str, tmp_path: Path, profile: RuleProfile) -> Settings:
    """No 2027 table: the holiday tables live in an empty folder of this test."""
    return Settings(
        database_url=database_url,
        max_body_bytes=256 * 1024,
        objects_dir=tmp_path / "objects",
        holiday_tables_dir=tmp_path / "holidays",
        cookie_secure=False,
        rule_profile=profile,
    )


def act(client: TestClient, headers: dict[str, str], app_id: str, action: str) -> JSON:
    response = client.post(f"{API}/applications/{app_id}/{action}", headers=headers)
    assert response.status_code in (200, 201), response.text
    return dict(response.json())


def accepted_in_december(client: TestClient, world: World, clock: TravelClock) -> JSON:
    b, auth = world.b_admin.headers, world.reviewer.headers
    clock.to("2026-12-14")
    application = file_application(client, b, initial_body(registrable_resource(client, b)))
    submitted = act(client, b, application["id"], "submit")
    assert submitted["deadline"]["provisional"] is False  # 3 WD stay in 2026
    clock.to("2026-12-15")
    return act(client, auth, application["id"], "accept")


def test_an_acceptance_in_december_into_an_uncovered_year_gets_a_provisional_deadline(
    client: TestClient, world: World, clock: TravelClock, app: FastAPI
) -> None:
    accepted = accepted_in_december(client, world, clock)
    assert accepted["state"] == "under_review"
    deadline = accepted["deadline"]
    assert (deadline["rule"], deadline["due"], deadline["provisional"]) == (
        "formal_review",
        "2027-01-13",
        True,
    )
    step = accepted["steps"][-1]
    assert (step["action"], step["due_on"], step["due_provisional"]) == ("accept", "2027-01-13", True)
    assert accepted["steps"][-2]["due_provisional"] is False

    with TestClient(app, base_url="http://testserver") as raw:
        authority = Browser(raw, world.reviewer.username)
        page = authority.get(f"/registration/applications/{accepted['id']}").text
        assert "暂定" in page and "2027年" in page and "调休" in page
        response = authority.get("/registration/review")
        assert response.status_code == 200, response.headers
        queue = response.text
        assert "导入2027年节假日安排" in queue and "1件" in queue


def test_the_review_queue_asks_for_next_years_notice_from_december(
    client: TestClient, world: World, clock: TravelClock, app: FastAPI
) -> None:
    clock.to("2026-11-30")
    with TestClient(app, base_url="http://testserver") as raw:
        authority = Browser(raw, world.reviewer.username)
        assert "节假日安排" not in authority.get("/registration/review").text
        clock.to("2026-12-01")
        authority = Browser(raw, world.reviewer.username)  # the session of the day before expired
        queue = authority.get("/registration/review").text
        assert "导入2027年节假日安排" in queue and "暂定" in queue


@pytest.fixture
def tables_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("LOGISPACE_HOLIDAY_TABLES_DIR", str(settings.holiday_tables_dir))
    monkeypatch.setenv("LOGISPACE_DATABASE_URL", settings.resolved_database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_importing_the_notice_recomputes_and_reports_the_move(
    client: TestClient,
    world: World,
    clock: TravelClock,
    db: Session,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    tables_env: None,
) -> None:
    accepted = accepted_in_december(client, world, clock)

    @contextmanager
    def this_test_session(url: str) -> Iterator[Session]:
        yield db  # the command's unit of work, inside this test's transaction

    monkeypatch.setattr(calendar_cli, "unit_of_work", this_test_session)
    notice = tmp_path / "notice-2027.txt"
    notice.write_text(NOTICE_2027, encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["calendar", "import-notice", str(notice)], env=dict(os.environ))
    assert result.exit_code == 0, result.output
    assert "1 provisional deadline recomputed, 1 moved" in result.stdout
    assert f"formal_review 2027-01-13 -> 2027-01-14  registration:application:{accepted['id']}" in (
        result.stdout
    )

    after = client.get(f"{API}/applications/{accepted['id']}", headers=world.reviewer.headers).json()
    assert (after["deadline"]["due"], after["deadline"]["provisional"]) == ("2027-01-14", False)
    step = after["steps"][-1]
    assert (step["due_on"], step["due_provisional"]) == ("2027-01-14", False)
    kinds = [
        client.get(f"/api/v1/ledger/entries/{i}").json()["kind"]
        for i in range(step["ledger_index"], step["ledger_index"] + 3)
        if client.get(f"/api/v1/ledger/entries/{i}").status_code == 200
    ]
    assert "registration.deadline_recomputed" in kinds

    # imported again (--force), nothing is provisional any more: nothing to recompute
    again = CliRunner().invoke(
        cli_app, ["calendar", "import-notice", "--force", str(notice)], env=dict(os.environ)
    )
    assert again.exit_code == 0, again.output
    assert "0 provisional deadlines recomputed" in again.stdout
