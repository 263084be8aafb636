"""The two-level rewrite of distinct counts gives exactly the rows of the plain hidden ``COUNT(*)`` rewrite.

Hand-made shipments (12 rows) with NULLs in the counted columns and in a GROUP BY key, and groups of 2, 3
and 4 rows, so that a minimum group size k of 3 puts one group at k-1 and two at k. Each case is run
through both rewrites on DuckDB and compared with rows worked out by hand (the hidden count last).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlglot import exp

from logispace.domains.access.delivery import GrantedTable, OutputPolicy, SandboxGroupTooSmall, run_sql
from logispace.domains.access.delivery.check import DIALECT, analyze
from logispace.domains.access.delivery.disclosure import (
    HIDDEN_COUNT,
    enforce_k,
    plain_group_count,
    with_group_count,
)
from logispace.domains.access.delivery.distinct import two_level
from logispace.storage.engines import DuckDBEngine, EngineLimits, View

# region, legs, shipper, driver, weight_kg: region A has 3 rows, B 2, NULL 3, C 4
SHIPMENTS = [
    ("A", 1, "s1", "d1", 10.0),
    ("A", 1, "s1", "d2", 20.0),
    ("A", 2, None, "d2", 30.0),
    ("B", 1, "s1", "d1", 40.0),
    ("B", 2, "s2", "d1", 50.0),
    (None, 2, None, "d3", 60.0),
    (None, 2, None, None, 70.0),
    (None, 2, None, "d3", 80.0),
    ("C", 1, "s1", "d1", 90.0),
    ("C", 1, "s2", "d2", 100.0),
    ("C", 2, "s3", "d3", 110.0),
    ("C", 2, "s3", "d4", 120.0),
]
COLUMNS = ("region", "legs", "shipper", "driver", "weight_kg")


@pytest.fixture(scope="module")
def shipments(tmp_path_factory: pytest.TempPathFactory) -> tuple[GrantedTable, ...]:
    folder: Path = tmp_path_factory.mktemp("distinct")
    columns = list(zip(*SHIPMENTS, strict=True))
    schema = pa.schema(
        [
            ("region", pa.string()),
            ("legs", pa.int32()),
            ("shipper", pa.string()),
            ("driver", pa.string()),
            ("weight_kg", pa.float64()),
        ]
    )
    table = pa.table([list(c) for c in columns], schema=schema)
    pq.write_table(table, folder / "shipments.parquet")
    regions = pa.table({"region": ["A", "B", "C"], "province": ["广西", "广西", "重庆"]})
    pq.write_table(regions, folder / "regions.parquet")
    return (
        GrantedTable("shipments", (folder / "shipments.parquet",), COLUMNS, {}),
        GrantedTable("regions", (folder / "regions.parquet",), ("region", "province"), {}),
    )


def run(select: exp.Select, tables: tuple[GrantedTable, ...]) -> list[tuple[object, ...]]:
    views = {t.name: View(t.parquet_paths, t.columns) for t in tables}
    sql = select.sql(dialect=DIALECT, comments=False)
    return list(DuckDBEngine(max_idle=0).run(sql, views, EngineLimits()).rows)


def unordered(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return sorted(rows, key=lambda row: tuple((v is not None, str(v)) for v in row))


# (case id, SQL, the rows with the hidden group count last, whether the SQL fixes the row order)
EXACT: list[tuple[str, str, list[tuple[object, ...]], bool]] = [
    (
        "null-key-and-null-values",
        "SELECT region, COUNT(DISTINCT shipper) AS shippers FROM shipments GROUP BY region",
        [(None, 0, 3), ("A", 1, 3), ("B", 2, 2), ("C", 3, 4)],
        False,
    ),
    (
        "several-distinct-counts-of-one-column-and-count-star",
        "SELECT region, COUNT(DISTINCT shipper) AS a, COUNT(DISTINCT shipper) * 10 AS b, COUNT(*) AS n "
        "FROM shipments GROUP BY region ORDER BY region NULLS FIRST",
        [(None, 0, 0, 3, 3), ("A", 1, 10, 3, 3), ("B", 2, 20, 2, 2), ("C", 3, 30, 4, 4)],
        True,
    ),
    (
        "no-group-by",
        "SELECT COUNT(DISTINCT shipper) FROM shipments",
        [(3, 12)],
        True,
    ),
    (
        "no-rows-at-all",
        "SELECT COUNT(DISTINCT shipper), COUNT(*) FROM shipments WHERE weight_kg < 0",
        [(0, 0, 0)],
        True,
    ),
    (
        "having-order-by-alias-and-limit",
        "SELECT legs, COUNT(DISTINCT driver) AS drivers FROM shipments GROUP BY legs "
        "HAVING COUNT(DISTINCT driver) > 1 ORDER BY drivers DESC, legs LIMIT 5",
        [(2, 4, 7), (1, 2, 5)],
        True,
    ),
    (
        "having-on-count-star-and-where",
        "SELECT legs, COUNT(DISTINCT driver) AS drivers FROM shipments WHERE weight_kg > 15 "
        "GROUP BY legs HAVING COUNT(*) >= 5 ORDER BY 1",
        [(2, 4, 7)],
        True,
    ),
    (
        "group-by-all-two-keys-by-ordinal-order",
        "SELECT region, legs, COUNT(DISTINCT shipper) FROM shipments GROUP BY ALL ORDER BY 1 NULLS FIRST, 2",
        [
            (None, 2, 0, 3),
            ("A", 1, 1, 2),
            ("A", 2, 0, 1),
            ("B", 1, 1, 1),
            ("B", 2, 1, 1),
            ("C", 1, 2, 2),
            ("C", 2, 1, 2),
        ],
        True,
    ),
    (
        "key-expression-by-alias",
        "SELECT legs * 100 AS hundreds, COUNT(DISTINCT shipper) FROM shipments GROUP BY hundreds",
        [(100, 2, 5), (200, 2, 7)],
        False,
    ),
    (
        "distinct-count-of-an-expression",
        "SELECT COALESCE(region, '?') AS r, COUNT(DISTINCT UPPER(driver)) AS drivers FROM shipments "
        "GROUP BY 1",
        [("?", 1, 3), ("A", 2, 3), ("B", 1, 2), ("C", 4, 4)],
        False,
    ),
    (
        "join-of-two-tables",
        "SELECT r.province, COUNT(DISTINCT s.shipper) AS shippers FROM shipments s "
        "JOIN regions r ON s.region = r.region GROUP BY r.province",
        [("广西", 2, 5), ("重庆", 3, 4)],
        False,
    ),
    (
        "key-also-counted",
        "SELECT legs, COUNT(DISTINCT legs) FROM shipments GROUP BY legs",
        [(1, 1, 5), (2, 1, 7)],
        False,
    ),
]


@pytest.mark.parametrize(("sql", "expected", "ordered"), [c[1:] for c in EXACT], ids=[c[0] for c in EXACT])
def test_two_levels_give_the_rows_of_the_plain_rewrite(
    shipments: tuple[GrantedTable, ...], sql: str, expected: list[tuple[object, ...]], ordered: bool
) -> None:
    query = analyze(sql, shipments)
    rewritten = two_level(query, HIDDEN_COUNT)
    assert rewritten is not None, "the rewrite applies"
    assert with_group_count(query) == rewritten
    assert isinstance(rewritten.args["from_"].this, exp.Subquery)
    plain, two = run(plain_group_count(query), shipments), run(rewritten, shipments)
    if not ordered:
        plain, two = unordered(plain), unordered(two)
    assert plain == expected
    assert two == expected
    assert [type(v) for row in two for v in row] == [type(v) for row in plain for v in row]


def test_output_names_are_the_users_and_the_hidden_count_is_last(shipments: tuple[GrantedTable, ...]) -> None:
    query = analyze(EXACT[1][1], shipments)
    rewritten = two_level(query, HIDDEN_COUNT)
    assert rewritten is not None
    assert [p.alias_or_name for p in rewritten.expressions] == ["region", "a", "b", "n", HIDDEN_COUNT]


@pytest.mark.parametrize(
    ("k", "below"),
    [(2, 0), (3, 1), (4, 3)],
    ids=["all-groups-at-k-or-more", "one-group-at-k-minus-1-two-at-k", "three-groups-below-k"],
)
def test_k_threshold_is_the_same_on_both_rewrites(
    shipments: tuple[GrantedTable, ...], k: int, below: int
) -> None:
    sql = "SELECT region, COUNT(DISTINCT shipper) AS shippers FROM shipments GROUP BY region ORDER BY region"
    query = analyze(sql, shipments)
    rewritten = two_level(query, HIDDEN_COUNT)
    assert rewritten is not None
    columns = (*(o.name for o in query.outputs), HIDDEN_COUNT)
    outcomes: list[object] = []  # the rows kept, or how many groups were below k
    for select in (plain_group_count(query), rewritten):
        try:
            outcomes.append(enforce_k(columns, run(select, shipments), k))
        except SandboxGroupTooSmall as refused:
            outcomes.append(refused.extensions["groups_below_k"])
    assert outcomes[0] == outcomes[1]
    policy = OutputPolicy(True, k, None, 0.0)
    if below:
        assert outcomes[0] == below
        with pytest.raises(SandboxGroupTooSmall) as raised:
            run_sql(sql, shipments, policy)
        assert raised.value.extensions["groups_below_k"] == below
    else:
        expected = (("A", 1), ("B", 2), ("C", 3), (None, 0))
        assert run_sql(sql, shipments, policy).rows == expected
        assert outcomes[0] == list(expected)


# (case id, SQL): the outer level would not compute the same thing, so the plain rewrite is kept
PLAIN: list[tuple[str, str]] = [
    (
        "distinct-counts-of-two-columns",
        "SELECT region, COUNT(DISTINCT shipper), COUNT(DISTINCT driver) FROM shipments GROUP BY region",
    ),
    (
        "distinct-count-and-sum",
        "SELECT region, COUNT(DISTINCT shipper), SUM(weight_kg) FROM shipments GROUP BY 1",
    ),
    ("distinct-count-and-count-of-a-column", "SELECT COUNT(DISTINCT shipper), COUNT(shipper) FROM shipments"),
    (
        "distinct-count-with-filter",
        "SELECT region, COUNT(DISTINCT shipper) FILTER (WHERE legs = 1) FROM shipments GROUP BY region",
    ),
    (
        "distinct-count-plus-max",
        "SELECT region, COUNT(DISTINCT shipper) + MAX(legs) FROM shipments GROUP BY 1",
    ),
    (
        "having-on-another-aggregate",
        "SELECT region, COUNT(DISTINCT shipper) FROM shipments GROUP BY region HAVING SUM(weight_kg) > 0",
    ),
    (
        "having-on-a-column-outside-the-keys",
        "SELECT legs, COUNT(DISTINCT shipper) FROM shipments GROUP BY legs HAVING MIN(region) = 'A'",
    ),
    ("no-distinct-count", "SELECT region, COUNT(*) FROM shipments GROUP BY region"),
]


@pytest.mark.parametrize("sql", [c[1] for c in PLAIN], ids=[c[0] for c in PLAIN])
def test_inexact_queries_keep_the_plain_rewrite(shipments: tuple[GrantedTable, ...], sql: str) -> None:
    query = analyze(sql, shipments)
    assert two_level(query, HIDDEN_COUNT) is None
    assert with_group_count(query) == plain_group_count(query)
    result = run_sql(sql, shipments, OutputPolicy(True, 1, None, 0.0))
    expected = [row[:-1] for row in run(plain_group_count(query), shipments)]
    assert unordered([tuple(r) for r in result.rows]) == unordered(expected)
