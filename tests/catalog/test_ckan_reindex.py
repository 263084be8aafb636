"""``logispace catalog reindex``: an index written before the CKAN view's facets (tags, formats) is
rebuilt, so that ``fq=tags:...`` finds resources published earlier."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete
from typer.testing import CliRunner

from logispace import migrations
from logispace.cli import app
from logispace.core.config import get_settings
from logispace.core.db import unit_of_work
from logispace.domains.catalog.ckan import service as ckan_service
from logispace.domains.catalog.ckan.schemas import PackageSearchQuery
from logispace.storage.search.models import SearchFacetRow
from tests.databases import throwaway_database
from tests.factories.catalog import make_resource
from tests.factories.identity import make_party

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with throwaway_database(tmp_path) as url:
        monkeypatch.setenv("LOGISPACE_DATABASE_URL", url)
        get_settings.cache_clear()
        migrations.upgrade(url)
        yield url
        get_settings.cache_clear()


def tagged(url: str, tag: str) -> list[str]:
    with unit_of_work(url) as session:
        result = ckan_service.package_search(session, "http://x/", PackageSearchQuery(fq=f"tags:{tag}"), None)
        return [p.name for p in result.results]


def test_reindex_adds_the_facets_an_older_index_lacks(cli_env: str) -> None:
    with unit_of_work(cli_env) as session:
        holder = make_party(session, name="重建索引港口")
        code = make_resource(session, holder.id, publish=True, keywords=["泊位"]).catalog_code
        make_resource(session, holder.id, keywords=["泊位"])  # a draft stays out
        # as an index written before the keyword facet existed
        session.execute(delete(SearchFacetRow).where(SearchFacetRow.facet.in_(["keyword", "format"])))
    assert tagged(cli_env, "泊位") == []

    done = runner.invoke(app, ["catalog", "reindex"], env=dict(os.environ))
    assert done.exit_code == 0, done.output
    assert "reindexed 1 published resources" in done.stdout
    assert tagged(cli_env, "泊位") == [code.lower()]
