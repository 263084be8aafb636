"""Sandbox SQL end to end on DuckDB: results, output control (k threshold and ε), limits, hashes."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import statistics
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import rfc8785

from logispace.domains.access.delivery import (
    GrantedTable,
    Limits,
    OutputPolicy,
    SandboxBudgetExhausted,
    SandboxColumnNotGranted,
    SandboxGroupTooSmall,
    SandboxLimitExceeded,
    SandboxQueryFailed,
    SandboxSensitiveColumn,
    SandboxUnsupported,
    check_sql,
    run_sql,
)
from logispace.domains.access.delivery.disclosure import QUERY_EPSILON_FRACTION, column_bounds
from tests.access.delivery.conftest import K_ONLY, ORIGINS, ROWS


def raw(sql: str, waybills: GrantedTable) -> list[tuple[object, ...]]:
    """The same SQL on plain DuckDB over the same files (what the sandbox must agree with)."""
    files = ", ".join(f"'{p}'" for p in waybills.parquet_paths)
    with duckdb.connect() as conn:
        conn.execute(f"CREATE VIEW waybills AS SELECT * FROM read_parquet([{files}])")  # noqa: S608
        return conn.execute(sql).fetchall()


def test_group_by_matches_raw_duckdb(tables: tuple[GrantedTable, ...], waybills: GrantedTable) -> None:
    sql = "SELECT origin, COUNT(*) AS n, SUM(pieces) AS pieces FROM waybills GROUP BY origin ORDER BY origin"
    result = run_sql(sql, tables, K_ONLY)
    assert result.columns == ("origin", "n", "pieces")
    assert [list(r) for r in result.rows] == [list(r) for r in raw(sql, waybills)]
    assert result.rows_returned == len(ORIGINS) and result.cells_returned == 3 * len(ORIGINS)
    assert result.rows_read == ROWS
    assert result.engine == "duckdb" and not result.noised and result.epsilon_spent == 0.0


def test_hashes_and_size_are_of_the_canonical_json(tables: tuple[GrantedTable, ...]) -> None:
    result = run_sql("select origin, count(*) from waybills group by origin order by 1", tables, K_ONLY)
    body = rfc8785.dumps({"columns": list(result.columns), "rows": [list(r) for r in result.rows]})
    assert result.result_hash == hashlib.sha256(body).hexdigest()
    assert result.bytes_returned == len(body)
    normalized = check_sql("SELECT origin, COUNT(*) FROM waybills GROUP BY origin ORDER BY 1", tables)
    assert result.query_hash == hashlib.sha256(normalized.encode()).hexdigest()
    json.dumps(result.rows)  # every value is JSON


def test_values_are_json_safe(tables: tuple[GrantedTable, ...], waybills: GrantedTable) -> None:
    result = run_sql(
        "SELECT mode, date_trunc('month', pickup_at) AS month, SUM(freight_yuan) AS freight, "
        "AVG(weight_kg) AS w FROM waybills GROUP BY ALL ORDER BY month, mode",
        tables,
        K_ONLY,
    )
    first = dict(zip(result.columns, result.rows[0], strict=True))
    assert first["month"] == "2026-01-01T00:00:00+00:00"
    assert isinstance(first["freight"], float | int) and isinstance(first["w"], float)
    expected = raw(
        "SELECT SUM(freight_yuan) FROM waybills "
        "WHERE mode = '公路' AND pickup_at < TIMESTAMPTZ '2026-02-01 00:00:00+00'",
        waybills,
    )[0][0]
    assert first["mode"] == "公路"
    assert first["freight"] == pytest.approx(float(expected))


def test_join_of_two_granted_tables(tables: tuple[GrantedTable, ...]) -> None:
    result = run_sql(
        "SELECT c.hubs, COUNT(*) AS n FROM waybills w JOIN carriers c ON w.origin = c.origin "
        "GROUP BY c.hubs ORDER BY c.hubs",
        tables,
        K_ONLY,
    )
    assert result.rows == ((1, 2400), (2, 2400), (3, 1200))
    assert result.rows_read == ROWS + len(ORIGINS)


def test_group_below_k_refuses_the_whole_result(tables: tuple[GrantedTable, ...]) -> None:
    """Group below k: one waybill per group would show single shipments."""
    with pytest.raises(SandboxGroupTooSmall) as raised:
        run_sql("SELECT waybill_id, COUNT(*) FROM waybills GROUP BY waybill_id", tables, K_ONLY)
    assert raised.value.extensions["groups_below_k"] == ROWS
    assert "fewer than 10 rows" in raised.value.detail
    assert "LS0" not in raised.value.detail  # the small groups are not named


def test_a_filter_down_to_one_row_is_a_group_below_k(tables: tuple[GrantedTable, ...]) -> None:
    """Counting a single waybill by its number is row-level data under another name."""
    with pytest.raises(SandboxGroupTooSmall):
        run_sql("SELECT SUM(weight_kg) FROM waybills WHERE waybill_id = 'LS000000000007'", tables, K_ONLY)


def test_k_boundary(tables: tuple[GrantedTable, ...]) -> None:
    sql = "SELECT origin, COUNT(*) FROM waybills GROUP BY origin"
    assert run_sql(sql, tables, OutputPolicy(True, 1200, None, 0.0)).rows_returned == 5
    with pytest.raises(SandboxGroupTooSmall):
        run_sql(sql, tables, OutputPolicy(True, 1201, None, 0.0))


def test_timeout_stops_the_query(tables: tuple[GrantedTable, ...]) -> None:
    """A query that runs past its time limit: a triple self-join of 6000 rows (2e11 pairs)."""
    with pytest.raises(SandboxLimitExceeded) as raised:
        run_sql(
            "SELECT COUNT(*) FROM waybills a, waybills b, waybills c WHERE a.pieces + b.pieces = c.pieces",
            tables,
            K_ONLY,
            Limits(timeout_s=0.5),
        )
    assert raised.value.extensions["limit"] == "time"
    assert "0.5 s" in raised.value.detail


def test_memory_limit_stops_the_query(tables: tuple[GrantedTable, ...]) -> None:
    """A query that needs more memory than its limit: exact medians of a 36M-row self-join."""
    with pytest.raises(SandboxLimitExceeded) as raised:
        run_sql(
            "SELECT a.origin, MEDIAN(a.weight_kg + b.weight_kg), "
            "QUANTILE_CONT(a.freight_yuan + b.pieces, 0.3) FROM waybills a, waybills b GROUP BY a.origin",
            tables,
            K_ONLY,
            Limits(memory_mb=32, timeout_s=60),
        )
    assert raised.value.extensions["limit"] == "memory"
    assert "32 MB" in raised.value.detail


def test_output_row_limit(tables: tuple[GrantedTable, ...]) -> None:
    with pytest.raises(SandboxLimitExceeded) as raised:
        run_sql(
            "SELECT pieces, COUNT(*) FROM waybills GROUP BY pieces", tables, K_ONLY, Limits(max_output_rows=5)
        )
    assert raised.value.extensions["limit"] == "rows"


def test_engine_error_is_a_refusal_without_paths(tables: tuple[GrantedTable, ...], parquet_dir: Path) -> None:
    with pytest.raises(SandboxQueryFailed) as raised:
        run_sql("SELECT SUM(origin) FROM waybills", tables, K_ONLY)
    assert str(parquet_dir) not in raised.value.detail


def test_ungranted_column_is_not_even_in_the_view(tables: tuple[GrantedTable, ...]) -> None:
    """Defence in depth: the engine's view holds only granted columns (a checker slip finds nothing)."""
    from logispace.storage.engines import DuckDBEngine, EngineLimits, EngineQueryFailed, View

    waybills = tables[0]
    view = View(waybills.parquet_paths, waybills.columns)
    with pytest.raises(EngineQueryFailed):
        DuckDBEngine(max_idle=0).run(
            "SELECT COUNT(internal_note) FROM waybills", {"waybills": view}, EngineLimits()
        )


# ε: differential privacy

DP = OutputPolicy(aggregate_only=True, min_group_size=10, epsilon_total=1.0, epsilon_spent=0.0)


def test_noised_counts_and_sums_spend_a_share_of_epsilon(tables: tuple[GrantedTable, ...]) -> None:
    sql = "SELECT origin, COUNT(*) AS n, SUM(pieces) AS p FROM waybills GROUP BY origin ORDER BY origin"
    exact = {r[0]: r for r in run_sql(sql, tables, K_ONLY).rows}
    result = run_sql(sql, tables, DP)
    assert result.noised
    assert result.epsilon_spent == pytest.approx(1.0 * QUERY_EPSILON_FRACTION)
    assert result.columns == ("origin", "n", "p")
    assert [r[0] for r in result.rows] == sorted(ORIGINS)
    for origin, n, p in result.rows:
        assert isinstance(n, int)
        # scale = 1 / (0.1 / 2) = 20 for counts; a deviation over 400 has probability e^-20
        assert abs(n - exact[origin][1]) < 400
        assert p != exact[origin][2] or n != exact[origin][1]


def test_noise_differs_between_runs(tables: tuple[GrantedTable, ...]) -> None:
    sql = "SELECT COUNT(*) FROM waybills"
    values = [run_sql(sql, tables, DP).rows[0][0] for _ in range(8)]
    assert len(set(values)) > 1
    assert abs(statistics.fmean(values) - ROWS) < 200  # type: ignore[arg-type]


def test_budget_exhausted(tables: tuple[GrantedTable, ...]) -> None:
    """Exhausted ε: the tenth share was spent, an eleventh query cannot be paid for."""
    spent = OutputPolicy(True, 10, 1.0, 1.0 - 0.05)
    with pytest.raises(SandboxBudgetExhausted) as raised:
        run_sql("SELECT COUNT(*) FROM waybills", tables, spent)
    assert raised.value.extensions["epsilon_query"] == pytest.approx(0.1)
    assert "0.05 left" in raised.value.detail
    # exactly one share left is enough
    assert run_sql("SELECT COUNT(*) FROM waybills", tables, OutputPolicy(True, 10, 1.0, 0.9)).noised


def test_budget_is_checked_before_the_query_runs(tables: tuple[GrantedTable, ...]) -> None:
    with pytest.raises(SandboxBudgetExhausted):
        run_sql(
            "SELECT SUM(origin) FROM waybills",  # would fail in the engine if it ran
            tables,
            OutputPolicy(True, 10, 1.0, 1.0),
        )


def test_sum_is_clamped_to_widened_statistics(waybills: GrantedTable) -> None:
    assert column_bounds(waybills, "weight_kg") == (0.0, 100_000.0)
    assert column_bounds(waybills, "pieces") == (0.0, 100.0)
    assert column_bounds(waybills, "lng") == (0.0, 1000.0)


@pytest.mark.parametrize(
    ("sql", "why"),
    [
        ("SELECT origin, AVG(weight_kg) FROM waybills GROUP BY origin", "COUNT(*)"),
        ("SELECT origin, MAX(weight_kg) FROM waybills GROUP BY origin", "COUNT(*)"),
        ("SELECT origin, COUNT(*) FROM waybills GROUP BY origin HAVING COUNT(*) > 5", "HAVING"),
        ("SELECT origin, COUNT(*) AS n FROM waybills GROUP BY origin ORDER BY n DESC", "ORDER BY"),
        ("SELECT COUNT(*) FROM waybills w JOIN carriers c ON w.origin = c.origin", "join"),
        ("SELECT SUM(weight_kg * 2) FROM waybills", "SUM(column)"),
    ],
    ids=["avg", "max", "having-on-exact-counts", "order-by-exact-aggregate", "join", "sum-of-expression"],
)
def test_what_cannot_be_noised_is_refused(tables: tuple[GrantedTable, ...], sql: str, why: str) -> None:
    with pytest.raises(SandboxUnsupported) as raised:
        run_sql(sql, tables, DP)
    assert why in raised.value.detail


def test_noised_groups_below_k_are_dropped(tables: tuple[GrantedTable, ...]) -> None:
    result = run_sql("SELECT waybill_id, COUNT(*) FROM waybills GROUP BY waybill_id", tables, DP)
    # each group has one row; noisy counts of scale 10 rarely reach 10 (e^-0.9/2 each, about 20%)
    assert result.rows_returned < ROWS // 2
    assert all(row[1] >= 10 for row in result.rows)  # type: ignore[operator]


def test_a_checked_query_is_checked_again_for_other_granted_tables(waybills: GrantedTable) -> None:
    """The check and rewrite of a SQL text are kept per (text, granted tables' shapes): the same text over
    a grant without the column, or with the column desensitized, is refused, every time."""
    sql = "SELECT origin, COUNT(*) AS n FROM waybills GROUP BY origin"
    assert run_sql(sql, (waybills,), K_ONLY).rows_returned == len(ORIGINS)
    fewer = dataclasses.replace(waybills, columns=tuple(c for c in waybills.columns if c != "origin"))
    masked = dataclasses.replace(waybills, masking={**waybills.masking, "origin": "mask_address"})
    for tables, refusal in [((fewer,), SandboxColumnNotGranted), ((masked,), SandboxSensitiveColumn)] * 2:
        with pytest.raises(refusal):
            run_sql(sql, tables, K_ONLY)
    assert run_sql(sql, (waybills,), K_ONLY).rows_returned == len(ORIGINS)


def test_rows_read_follow_a_rewritten_file(tmp_path: Path) -> None:
    """Parquet footers are read once per file version: a file written again is counted again."""
    path = tmp_path / "t.parquet"
    table = GrantedTable("t", (path,), ("k",), {})
    sql = "SELECT k, COUNT(*) AS n FROM t GROUP BY k"
    for rows in (20, 30):
        pq.write_table(pa.table({"k": ["a"] * rows}), path)
        assert run_sql(sql, (table,), K_ONLY).rows_read == rows
