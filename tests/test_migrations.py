"""Migrations: a round trip up and down, and the models agree with what the migrations build."""

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from logispace import migrations
from logispace.core.db import Base, make_engine
from logispace.storage.search.models import UNMANAGED_NAMES
from tests.databases import throwaway_database


def _tables(url: str) -> set[str]:
    engine = make_engine(url, pool=False)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"} - UNMANAGED_NAMES
    finally:
        engine.dispose()


def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    with throwaway_database(tmp_path) as url:
        migrations.upgrade(url)
        assert {"parties", "users", "user_roles", "api_tokens", "web_sessions"} <= _tables(url)
        migrations.downgrade(url, "base")
        assert _tables(url) == set()
        migrations.upgrade(url)
        assert _tables(url) == set(Base.metadata.tables)


def test_models_match_migrations(tmp_path: Path) -> None:
    with throwaway_database(tmp_path) as url:
        migrations.upgrade(url)
        engine = make_engine(url, pool=False)
        try:
            with engine.connect() as conn:
                context = MigrationContext.configure(
                    conn, opts={"compare_type": True, "include_name": migrations.include_name}
                )
                diff = compare_metadata(context, Base.metadata)
        finally:
            engine.dispose()
    assert diff == [], f"models and migrations differ; write a migration: {diff}"


def test_migration_files_are_date_slug_named_and_linear() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    for path in (Path(migrations.__file__).parent / "versions").glob("*.py"):
        stem = path.stem
        assert stem[:4].isdigit() and stem[4] == "_" and "-" in stem, (
            f"{path.name} is not YYYY_MM_DD_HHMM-slug"
        )


def test_the_app_refuses_to_start_on_an_outdated_schema(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from logispace.app.main import create_app
    from logispace.core.config import Settings

    with throwaway_database(tmp_path) as url:
        migrations.upgrade(url, "91ee580ed1e8")  # the first revision only
        with (
            pytest.raises(migrations.SchemaOutdated, match="run `logispace db upgrade`"),
            TestClient(create_app(Settings(database_url=url))),
        ):
            pass
        migrations.upgrade(url)
        with TestClient(create_app(Settings(database_url=url))) as client:
            assert client.get("/api/v1/health").status_code == 200


def test_the_industry_backfill_reads_the_information_sheet_as_the_records_store_it() -> None:
    import importlib.util

    from logispace.domains.registration.review.service import record_industry

    path = next(
        (Path(migrations.__file__).parent / "versions").glob("*-registration-industry-objection-due.py")
    )
    spec = importlib.util.spec_from_file_location("industry_backfill", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for info in (
        {"industry": " 水路运输 "},
        {"industry": ""},
        {"industry": None},
        {},
        {"industry": "x" * 300},
    ):
        assert module._industry(info) == record_industry(info)
    assert module._industry('{"industry": "道路运输"}') == "道路运输"  # JSON handed back as text
    assert module._industry(None) is None
