"""Scale: the same checked query, transpiled by sqlglot, on PySpark local over the same Parquet, gives the
same result as DuckDB (same columns, rows and result hash). One Spark session for the module; a local
session takes seconds to start, so these tests are few."""

from __future__ import annotations

import time

import pytest

from logispace.domains.access.delivery import (
    GrantedTable,
    Limits,
    OutputPolicy,
    SandboxGroupTooSmall,
    SandboxLimitExceeded,
    run_sql,
)
from logispace.domains.access.delivery.check import analyze
from logispace.domains.access.delivery.disclosure import HIDDEN_COUNT
from logispace.domains.access.delivery.distinct import two_level
from logispace.storage.engines import SparkEngine
from tests.access.delivery.conftest import K_ONLY

pytestmark = pytest.mark.spark

# Spark's first query plans and compiles for seconds on a busy 2-core machine.
ROOMY = Limits(timeout_s=180)


SAME = [
    "SELECT origin, mode, COUNT(*) AS n, SUM(pieces) AS pieces, AVG(weight_kg) AS w, SUM(freight_yuan) AS f "
    "FROM waybills WHERE pieces > 3 AND mode IN ('公路', '铁路') GROUP BY origin, mode ORDER BY origin, mode",
    "SELECT c.hubs, COUNT(*) AS n, MIN(w.weight_kg), MAX(w.pieces) FROM waybills w JOIN carriers c "
    "ON w.origin = c.origin GROUP BY c.hubs ORDER BY c.hubs",
    "SELECT EXTRACT(month FROM pickup_at) AS m, COUNT(DISTINCT driver_id_number) AS drivers, "
    "ROUND(SUM(weight_kg) / 1000, 1) AS tonnes FROM waybills "
    "WHERE driver_mobile LIKE '138%' GROUP BY m HAVING COUNT(*) > 100 ORDER BY m LIMIT 5",
    # distinct counts of one column: the hidden group count is computed in two levels (distinct.py)
    "SELECT origin, mode, COUNT(DISTINCT driver_id_number) AS drivers, COUNT(*) AS n, "
    "COUNT(DISTINCT driver_id_number) * 2 AS twice FROM waybills WHERE pieces > 3 GROUP BY origin, mode "
    "HAVING COUNT(DISTINCT driver_id_number) > 5 ORDER BY drivers DESC, origin, mode LIMIT 12",
]


def test_duckdb_and_spark_agree(spark: SparkEngine, tables: tuple[GrantedTable, ...]) -> None:
    assert [two_level(analyze(sql, tables), HIDDEN_COUNT) is not None for sql in SAME] == [
        False,
        False,
        False,
        True,
    ]
    for sql in SAME:
        duck = run_sql(sql, tables, K_ONLY, ROOMY)
        sparked = run_sql(sql, tables, K_ONLY, ROOMY, engine="spark")
        assert sparked.engine == "spark"
        assert sparked.columns == duck.columns
        assert sparked.rows == duck.rows, sql
        assert sparked.result_hash == duck.result_hash
        assert sparked.query_hash == duck.query_hash
        assert sparked.rows_read == duck.rows_read


@pytest.mark.spark_ends_session
def test_spark_output_control_and_limits(spark: SparkEngine, tables: tuple[GrantedTable, ...]) -> None:
    """Group below k, ε noise and a query past its time limit are handled on Spark as on DuckDB (the
    time limit last: in local mode it ends the session)."""
    sql = "SELECT waybill_id, COUNT(*) FROM waybills GROUP BY waybill_id"
    with pytest.raises(SandboxGroupTooSmall):
        run_sql(sql, tables, K_ONLY, ROOMY, "spark")
    noised = run_sql(
        "SELECT origin, COUNT(*) FROM waybills GROUP BY origin",
        tables,
        OutputPolicy(True, 10, 2.0, 0.0),
        ROOMY,
        "spark",
    )
    assert noised.noised and noised.epsilon_spent == pytest.approx(0.2)
    began = time.monotonic()
    with pytest.raises(SandboxLimitExceeded) as raised:
        run_sql(
            "SELECT COUNT(*) FROM waybills a, waybills b, waybills c WHERE a.pieces + b.pieces = c.pieces",
            tables,
            K_ONLY,
            Limits(timeout_s=1.0),
            "spark",
        )
    assert raised.value.extensions["limit"] == "time"
    assert time.monotonic() - began < 60
    assert spark._session is None  # the session running the stuck task was ended
