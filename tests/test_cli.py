"""The logispace command line against a throwaway database."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from logispace.cli import app
from logispace.core.config import get_settings
from logispace.core.identifiers import uscc_with_check_character
from tests.databases import throwaway_database

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with throwaway_database(tmp_path) as url:
        monkeypatch.setenv("LOGISPACE_DATABASE_URL", url)
        monkeypatch.setenv("LOGISPACE_DEMO_PASSWORD", "Demo-password-1")
        monkeypatch.setenv("LOGISPACE_OBJECTS_DIR", str(tmp_path / "objects"))
        monkeypatch.setenv("LOGISPACE_DEMO_WAYBILLS", "20")
        get_settings.cache_clear()
        yield url
        get_settings.cache_clear()


def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), input=input, env=dict(os.environ))


def test_upgrade_demo_load_is_idempotent_and_prints_logins(cli_env: str) -> None:
    assert invoke("db", "upgrade").exit_code == 0
    first = invoke("demo", "load")
    assert first.exit_code == 0, first.output
    assert "admin" in first.output and "Demo-password-1" in first.output
    events = _count(cli_env, "epcis_events")
    assert events > 20 * 50  # the generated week of traffic, mostly truck GPS points
    assert _count(cli_env, "waybills") == 20  # and its waybills, each with its signed steps
    steps = _count(cli_env, "waybill_events")
    assert steps > 20 * 3
    # the demo registrations, filed and processed through the workflow: 3 issued with certificates (the
    # third is the operator's public data product, listed for trading), one in publicity, one under review
    assert _count(cli_env, "registration_applications") == 5
    assert _count(cli_env, "registration_certificates") == 3
    states = _column(cli_env, "SELECT state FROM registration_applications ORDER BY received_on")
    assert states == ["issued", "issued", "issued", "in_publicity", "under_review"]
    # the bank's scenario data request, approved: a live grant with three sandbox queries and one refusal;
    # and the grant that delivers the bank's purchase of the carrier's dataset (the demo trade)
    assert _column(cli_env, "SELECT state FROM access_requests") == ["approved", "approved"]
    assert _column(cli_env, "SELECT state FROM access_grants") == ["active", "active"]
    assert _count(cli_env, "access_deliveries") == 3
    assert _column(cli_env, "SELECT action FROM access_refusals") == ["sql"]
    second = invoke("demo", "load")
    assert second.exit_code == 0, second.output
    assert (_count(cli_env, "access_requests"), _count(cli_env, "access_deliveries")) == (2, 3)
    assert (_count(cli_env, "epcis_events"), _count(cli_env, "waybill_events")) == (events, steps)
    assert _count(cli_env, "registration_applications") == 5


def _count(url: str, table: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text(f"SELECT count(*) FROM {table}")) or 0)  # noqa: S608
    finally:
        engine.dispose()


def _column(url: str, sql: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [str(value) for value in connection.scalars(text(sql))]
    finally:
        engine.dispose()


def test_party_user_token_commands(cli_env: str) -> None:
    assert invoke("db", "upgrade").exit_code == 0
    uscc = uscc_with_check_character("91450700MA00C1L01")
    made = invoke("party", "create", "--name", "命令行物流公司", "--uscc", uscc)
    assert made.exit_code == 0, made.output
    user = invoke(
        "user",
        "create",
        "--username",
        "cliuser",
        "--party",
        uscc,
        "--role",
        "party_admin",
        input="a-long-password\na-long-password\n",
    )
    assert user.exit_code == 0, user.output
    token = invoke("token", "create", "--user", "cliuser")
    assert token.exit_code == 0, token.output
    assert token.stdout.strip().startswith("lsp_")


def test_bad_input_is_named_not_a_traceback(cli_env: str) -> None:
    assert invoke("db", "upgrade").exit_code == 0
    bad = invoke("party", "create", "--name", "x", "--uscc", "91450700MA0000004A")
    assert bad.exit_code == 2
    assert "uscc" in bad.output and "check character" in bad.output
    assert "Traceback" not in bad.output
    missing = invoke("token", "create", "--user", "nobody")
    assert missing.exit_code == 2 and "no active user named nobody" in missing.output
