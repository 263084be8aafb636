"""The DuckDB engine: a sealed connection per query (no files but the views', no settings changes, no
extensions) and its limits. The SQL here is unchecked on purpose: the engine must hold on its own.

What the engine alone does not stop: a table function over one of the views' own files reads every
column of that file (DuckDB checks paths, not columns). The sandbox checker refuses every table
function, so this matters only to a caller that runs unchecked SQL.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from logispace.storage.engines import (
    DuckDBEngine,
    EngineLimitExceeded,
    EngineLimits,
    EngineQueryFailed,
    View,
    get_engine,
    parquet_rows,
)


@pytest.fixture(scope="module")
def views(tmp_path_factory: pytest.TempPathFactory) -> dict[str, View]:
    folder = tmp_path_factory.mktemp("engine")
    table = pa.table(
        {"k": [i % 7 for i in range(70_000)], "v": list(range(70_000)), "secret": ["s"] * 70_000}
    )
    pq.write_table(table, folder / "t.parquet", row_group_size=10_000)
    (folder / "other.csv").write_text("a,b\n1,2\n")
    return {"t": View((folder / "t.parquet",), ("k", "v"))}


def run(sql: str, views: dict[str, View], **limits: float) -> list[tuple[object, ...]]:
    return list(DuckDBEngine(max_idle=0).run(sql, views, EngineLimits(**limits)).rows)  # type: ignore[arg-type]


def test_runs_over_the_view(views: dict[str, View]) -> None:
    assert run("SELECT k, COUNT(*) FROM t GROUP BY k ORDER BY k LIMIT 2", views) == [(0, 10_000), (1, 10_000)]
    assert parquet_rows(views["t"].paths) == 70_000
    assert get_engine("duckdb").name == "duckdb"


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("SELECT COUNT(secret) FROM t", "a column left out of the view"),
        ("SELECT * FROM read_csv('{folder}/other.csv')", "a file next to the view's file"),
        ("SELECT * FROM read_text('/etc/hostname')", "a system file"),
        ("COPY (SELECT 1) TO '{folder}/out.csv'", "writing a file"),
        ("ATTACH '{folder}/x.duckdb' AS x", "attaching a database"),
        ("INSTALL httpfs", "installing an extension"),
        ("LOAD httpfs", "loading an extension"),
        ("SET enable_external_access = true", "switching file access back on"),
        ("SET memory_limit = '8GB'", "lifting the memory limit"),
        ("SET threads = 64", "lifting the thread limit"),
    ],
)
def test_the_connection_is_sealed(views: dict[str, View], sql: str, why: str) -> None:
    folder = views["t"].paths[0].parent
    with pytest.raises(EngineQueryFailed):
        run(sql.format(folder=folder), views)
    assert not (folder / "out.csv").exists()


def test_time_limit(views: dict[str, View]) -> None:
    with pytest.raises(EngineLimitExceeded) as raised:
        run("SELECT COUNT(*) FROM t a, t b, t c", views, timeout_s=0.3)
    assert raised.value.limit == "time"


def test_memory_limit(views: dict[str, View]) -> None:
    with pytest.raises(EngineLimitExceeded) as raised:
        run("SELECT a.k, MEDIAN(a.v + b.v) FROM t a, t b WHERE a.v < 3000 GROUP BY a.k", views, memory_mb=16)
    assert raised.value.limit == "memory"


def test_row_limit(views: dict[str, View]) -> None:
    with pytest.raises(EngineLimitExceeded) as raised:
        run("SELECT v FROM t", views, max_output_rows=100)
    assert raised.value.limit == "rows"


def test_error_messages_hide_paths(views: dict[str, View]) -> None:
    folder = views["t"].paths[0].parent
    with pytest.raises(EngineQueryFailed) as raised:
        run(f"SELECT * FROM read_csv('{folder}/other.csv')", views)  # noqa: S608
    assert str(folder) not in raised.value.detail


def test_connections_are_pooled_and_a_failed_one_is_not_reused(views: dict[str, View]) -> None:
    engine = DuckDBEngine(max_idle=2)
    try:
        engine.run("SELECT COUNT(*) FROM t", views, EngineLimits())
        engine.run("SELECT COUNT(*) FROM t", views, EngineLimits())
        assert sum(len(c) for c in engine._idle.values()) == 1  # the same connection served both
        engine.run("SELECT COUNT(*) FROM t", views, EngineLimits(memory_mb=300))  # other limits: another
        assert sum(len(c) for c in engine._idle.values()) == 2
        with pytest.raises(EngineLimitExceeded):
            engine.run("SELECT COUNT(*) FROM t a, t b, t c", views, EngineLimits(timeout_s=0.2))
        assert sum(len(c) for c in engine._idle.values()) == 1  # it took the idle one, which was closed
        assert engine.run("SELECT COUNT(*) FROM t", views, EngineLimits()).rows == ((70_000,),)
    finally:
        engine.close()
    assert not engine._idle


def test_transpiles_from_another_dialect(views: dict[str, View], tmp_path: Path) -> None:
    result = DuckDBEngine(max_idle=0).run(
        "SELECT `k`, COUNT(1) AS n FROM t GROUP BY `k` ORDER BY `k` LIMIT 1",
        views,
        EngineLimits(),
        dialect="spark",
    )
    assert result.rows == ((0, 10_000),)
