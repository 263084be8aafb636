"""``logispace access sql --grant ID "SELECT ..."`` prints the checked result; a refused query prints its
reason, exits 2 and leaves its audit record."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from logispace.cli import app
from logispace.core.config import Settings
from tests.access.conftest import Space, approve, counts

runner = CliRunner()
access_cli = importlib.import_module(
    "logispace.domains.access.cli"
)  # the package exports the Typer app as cli


@pytest.fixture
def in_test_session(db: Session, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command's unit of work is the test's session (rolled back after the test)."""

    @contextmanager
    def unit_of_work(url: str) -> Iterator[Session]:
        del url
        try:
            yield db
            db.commit()
        except BaseException:
            db.rollback()
            raise

    monkeypatch.setattr(access_cli, "unit_of_work", unit_of_work)
    monkeypatch.setattr(access_cli, "get_settings", lambda: settings)


def test_access_sql_prints_the_checked_result(
    client: TestClient, db: Session, space: Space, in_test_session: None
) -> None:
    grant = approve(client, space)
    sql = "SELECT city, COUNT(*) AS n FROM waybills GROUP BY city ORDER BY city"
    result = runner.invoke(
        app, ["access", "sql", "--grant", grant["id"], "--as", space.requester.username, sql]
    )
    assert result.exit_code == 0, result.output
    assert "南宁" in result.output and "4 rows" in result.output and "ledger entry" in result.output
    # the operator acts for the assignee
    by_operator = runner.invoke(app, ["access", "sql", "--grant", grant["id"], sql])
    assert by_operator.exit_code == 0, by_operator.output
    assert counts(db).deliveries == 2


def test_a_refused_query_prints_its_reason(
    client: TestClient, db: Session, space: Space, in_test_session: None
) -> None:
    grant = approve(client, space)
    before = counts(db)
    result = runner.invoke(app, ["access", "sql", "--grant", grant["id"], "SELECT * FROM waybills"])
    assert result.exit_code == 2
    assert "refused (sandbox-" in result.output
    after = counts(db)
    assert (after.refusals, after.deliveries) == (before.refusals + 1, before.deliveries)
    outsider = runner.invoke(
        app, ["access", "sql", "--grant", grant["id"], "--as", space.outsider.username, "SELECT 1"]
    )
    assert outsider.exit_code == 2 and "access-grant-not-found" in outsider.output
