"""``logispace logistics dcsa FILE --as USER`` and ``logispace logistics gps FILE --as USER`` against a
throwaway database: captured for the user's party, warnings printed, bad rows refuse the file."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from logispace import migrations
from logispace.cli import app
from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.domains.identity import Role
from logispace.domains.logistics.epcis.models import EpcisEvent
from tests.databases import throwaway_database
from tests.factories.identity import make_party, make_user
from tests.logistics.test_intake import BAD, dcsa_events, gps_csv

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with throwaway_database(tmp_path) as url:
        monkeypatch.setenv("LOGISPACE_DATABASE_URL", url)
        get_settings.cache_clear()
        migrations.upgrade(url)
        yield url
        get_settings.cache_clear()


def stored(url: str) -> list[tuple[object, str]]:
    with unit_of_work(url) as session:
        rows = session.execute(select(EpcisEvent.party_id, EpcisEvent.event_type).order_by(EpcisEvent.id))
        return [(p, t) for p, t in rows]


def test_cli_takes_in_dcsa_and_gps_files_for_the_users_party(cli_env: str, tmp_path: Path) -> None:
    with unit_of_work(cli_env) as session:
        party = make_party(session, name="命令行船公司")
        party_id = party.id
        user = make_user(session, party, Role.PARTY_ADMIN).username
    dcsa_file, gps_file, bad_file = tmp_path / "dcsa.json", tmp_path / "gps.csv", tmp_path / "bad.csv"
    dcsa_file.write_text(json.dumps(dcsa_events()), encoding="utf-8")
    gps_file.write_bytes(
        gps_csv("粤B12345,2026-05-01 10:00:00,113.9,22.5,40", "粤BD12345,2026-05-01 10:00:30,113.9,22.5,0")
    )
    bad_file.write_bytes(
        gps_csv("粤B12345,2026-05-01 10:00:00,113.9,22.5,40", "粤B1234,2026-05-01 10:00:30,113.9,22.5,0")
    )
    env = dict(os.environ)

    done = runner.invoke(app, ["logistics", "dcsa", str(dcsa_file), "--as", user], env=env)
    assert done.exit_code == 0, done.output
    assert "captured" in done.stdout and "4 events (4 new)" in done.stdout
    assert f"event 1: container {BAD}" in done.stdout and "check digit" in done.stdout
    gps = runner.invoke(app, ["logistics", "gps", str(gps_file), "--as", user], env=env)
    assert gps.exit_code == 0, gps.output
    assert "2 events (2 new)" in gps.stdout
    assert [p for p, _ in stored(cli_env)] == [party_id] * 6

    bad = runner.invoke(app, ["logistics", "gps", str(bad_file), "--as", user], env=env)
    assert bad.exit_code == 2
    assert "line 3" in bad.output and "nothing was captured" in bad.output
    nobody = runner.invoke(app, ["logistics", "gps", str(gps_file), "--as", "nobody"], env=env)
    assert nobody.exit_code == 2 and "no active user named nobody" in nobody.output
    assert len(stored(cli_env)) == 6
