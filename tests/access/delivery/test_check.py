"""The sandbox SQL checker: what is allowed, what is refused, and that each refusal names what and why."""

from __future__ import annotations

import pytest

from logispace.domains.access.delivery import (
    DeliveryRefused,
    GrantedTable,
    SandboxColumnNotGranted,
    SandboxForbiddenFunction,
    SandboxMultipleStatements,
    SandboxNotAggregate,
    SandboxNotSelect,
    SandboxSensitiveColumn,
    SandboxSyntax,
    SandboxTableNotGranted,
    SandboxUnsupported,
    check_sql,
)
from logispace.domains.access.delivery.check import analyze

# (case id: what is refused and why, SQL, error class, a fragment the detail must contain)
REFUSED: list[tuple[str, str, type[DeliveryRefused], str]] = [
    ("select-star-is-row-level", "SELECT * FROM waybills", SandboxNotAggregate, "SELECT *"),
    ("table-star-is-row-level", "SELECT w.* FROM waybills w", SandboxNotAggregate, "row-level"),
    ("bare-column-is-row-level", "SELECT origin, weight_kg FROM waybills", SandboxNotAggregate, "row"),
    (
        "non-key-column-beside-aggregate",
        "SELECT origin, waybill_id, COUNT(*) FROM waybills GROUP BY origin",
        SandboxNotAggregate,
        "waybill_id",
    ),
    (
        "expression-over-non-key",
        "SELECT origin, weight_kg * 2, COUNT(*) FROM waybills GROUP BY origin",
        SandboxNotAggregate,
        "neither an aggregate nor",
    ),
    (
        "column-outside-grant",
        "SELECT internal_note, COUNT(*) FROM waybills GROUP BY internal_note",
        SandboxColumnNotGranted,
        "internal_note",
    ),
    (
        "column-outside-grant-in-where",
        "SELECT COUNT(*) FROM waybills WHERE internal_note = 'x'",
        SandboxColumnNotGranted,
        "internal_note",
    ),
    (
        "column-outside-grant-of-joined-table",
        "SELECT COUNT(*) FROM waybills w JOIN carriers c ON w.origin = c.origin WHERE c.province = '广西'",
        SandboxColumnNotGranted,
        "province",
    ),
    ("table-not-granted", "SELECT COUNT(*) FROM shippers", SandboxTableNotGranted, "shippers"),
    (
        "system-catalog",
        "SELECT COUNT(*) FROM information_schema.tables",
        SandboxTableNotGranted,
        "system catalog",
    ),
    ("pg-catalog", "SELECT COUNT(*) FROM pg_catalog.pg_tables", SandboxTableNotGranted, "system catalog"),
    ("sqlite-master", "SELECT COUNT(*) FROM sqlite_master", SandboxTableNotGranted, "system catalog"),
    (
        "attached-database",
        "SELECT COUNT(*) FROM other.main.waybills",
        SandboxTableNotGranted,
        "qualified",
    ),
    (
        "read-parquet-path",
        "SELECT COUNT(*) FROM read_parquet('/etc/passwd')",
        SandboxForbiddenFunction,
        "READ_PARQUET",
    ),
    (
        "read-csv-url",
        "SELECT COUNT(*) FROM read_csv('https://example.org/x.csv')",
        SandboxForbiddenFunction,
        "not allowed",
    ),
    (
        "file-path-as-table",
        "SELECT COUNT(*) FROM '/var/objects/ab/cd.parquet'",
        SandboxForbiddenFunction,
        "path",
    ),
    ("url-as-table", "SELECT COUNT(*) FROM 's3://bucket/x.parquet'", SandboxForbiddenFunction, "path"),
    (
        "duckdb-table-function",
        "SELECT COUNT(*) FROM duckdb_tables()",
        SandboxForbiddenFunction,
        "DUCKDB_TABLES",
    ),
    ("glob-table-function", "SELECT COUNT(*) FROM glob('/*')", SandboxForbiddenFunction, "GLOB"),
    ("getenv-scalar", "SELECT getenv('HOME'), COUNT(*) FROM waybills", SandboxForbiddenFunction, "GETENV"),
    (
        "current-setting",
        "SELECT current_setting('memory_limit'), COUNT(*) FROM waybills",
        SandboxForbiddenFunction,
        "CURRENT_SETTING",
    ),
    (
        "row-valued-aggregate",
        "SELECT origin, STRING_AGG(waybill_id, ',') FROM waybills GROUP BY origin",
        SandboxForbiddenFunction,
        "not allowed",
    ),
    (
        "any-value-shows-a-row",
        "SELECT origin, ANY_VALUE(waybill_id) FROM waybills GROUP BY origin",
        SandboxForbiddenFunction,
        "not allowed",
    ),
    ("copy", "COPY waybills TO '/tmp/out.csv'", SandboxNotSelect, "COPY"),
    ("attach", "ATTACH '/tmp/other.duckdb' AS other", SandboxNotSelect, "ATTACH"),
    ("install", "INSTALL httpfs", SandboxNotSelect, "INSTALL"),
    ("load", "LOAD httpfs", SandboxNotSelect, "LOAD"),
    ("pragma", "PRAGMA database_list", SandboxNotSelect, "PRAGMA"),
    ("set", "SET enable_external_access = true", SandboxNotSelect, "SET"),
    ("create", "CREATE TABLE x AS SELECT 1", SandboxNotSelect, "CREATE"),
    ("export", "EXPORT DATABASE '/tmp/x'", SandboxSyntax, "parse"),
    ("describe", "DESCRIBE waybills", SandboxNotSelect, "DESCRIBE"),
    (
        "multi-statement",
        "SELECT COUNT(*) FROM waybills; SELECT * FROM waybills",
        SandboxMultipleStatements,
        "more than one statement",
    ),
    (
        "multi-statement-copy",
        "SELECT COUNT(*) FROM waybills; COPY waybills TO '/tmp/x.csv'",
        SandboxMultipleStatements,
        "more than one statement",
    ),
    (
        "comment-hides-statement-block",
        "SELECT COUNT(*) FROM waybills /* ; COPY waybills TO '/tmp/x.csv' */",
        SandboxMultipleStatements,
        "comment",
    ),
    (
        "comment-hides-statement-line",
        "SELECT COUNT(*) FROM waybills -- ATTACH '/tmp/x.duckdb'",
        SandboxMultipleStatements,
        "comment",
    ),
    (
        "line-comment-then-statement",
        "SELECT COUNT(*) FROM waybills --\n; DROP TABLE waybills",
        SandboxMultipleStatements,
        "more than one statement",
    ),
    ("union", "SELECT COUNT(*) FROM waybills UNION SELECT 1", SandboxUnsupported, "UNION"),
    (
        "subquery-in-from",
        "SELECT COUNT(*) FROM (SELECT * FROM waybills) x",
        SandboxUnsupported,
        "subquery",
    ),
    (
        "with-clause",
        "WITH x AS (SELECT * FROM waybills) SELECT COUNT(*) FROM x",
        SandboxUnsupported,
        "WITH",
    ),
    (
        "window-returns-rows",
        "SELECT COUNT(*) OVER (PARTITION BY origin) FROM waybills",
        SandboxUnsupported,
        "window",
    ),
    ("select-distinct", "SELECT DISTINCT origin FROM waybills", SandboxUnsupported, "DISTINCT"),
    ("placeholder", "SELECT COUNT(*) FROM waybills WHERE origin = $1", SandboxUnsupported, "parameter"),
    ("sampling", "SELECT COUNT(*) FROM waybills USING SAMPLE 10%", SandboxUnsupported, "sampling"),
    (
        "sensitive-column-output",
        "SELECT driver_id_number, COUNT(*) FROM waybills GROUP BY driver_id_number",
        SandboxSensitiveColumn,
        "driver_id_number",
    ),
    (
        "sensitive-column-max",
        "SELECT MAX(driver_mobile) FROM waybills",
        SandboxSensitiveColumn,
        "driver_mobile",
    ),
    ("syntax", "SELEC COUNT(*) FROM waybills", SandboxSyntax, "parse"),
    ("empty", "   ", SandboxSyntax, "empty"),
    ("unterminated-string", "SELECT COUNT(*) FROM waybills WHERE origin = 'x", SandboxSyntax, ""),
    (
        "group-by-ordinal-out-of-range",
        "SELECT COUNT(*) FROM waybills GROUP BY 5",
        SandboxSyntax,
        "GROUP BY 5",
    ),
]


@pytest.mark.parametrize(("sql", "error", "fragment"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_refused(
    tables: tuple[GrantedTable, ...], sql: str, error: type[DeliveryRefused], fragment: str
) -> None:
    with pytest.raises(error) as raised:
        check_sql(sql, tables)
    assert fragment in raised.value.detail
    assert raised.value.status in (403, 422)
    problem = raised.value.problem()
    assert problem["code"] == error.code
    assert problem["detail"] == raised.value.detail


ALLOWED = [
    ("count-star", "SELECT COUNT(*) FROM waybills"),
    ("group-by-key", "SELECT origin, COUNT(*) AS n, SUM(weight_kg) FROM waybills GROUP BY origin"),
    ("group-by-ordinal", "SELECT origin, AVG(weight_kg) FROM waybills GROUP BY 1 ORDER BY 2 DESC LIMIT 3"),
    ("group-by-alias", "SELECT date_trunc('month', pickup_at) AS m, COUNT(*) FROM waybills GROUP BY m"),
    ("group-by-expression", "SELECT upper(mode), COUNT(*) FROM waybills GROUP BY upper(mode)"),
    ("group-by-all", "SELECT origin, mode, COUNT(*) FROM waybills GROUP BY ALL"),
    ("key-inside-expression", "SELECT lower(origin) || '-x', COUNT(*) FROM waybills GROUP BY origin"),
    ("having", "SELECT origin, COUNT(*) FROM waybills GROUP BY origin HAVING COUNT(*) > 100"),
    (
        "filter-and-case",
        "SELECT COUNT(*) FILTER (WHERE pieces > 3), SUM(CASE WHEN mode = '铁路' THEN 1 ELSE 0 END) "
        "FROM waybills WHERE pickup_at >= DATE '2026-02-01' AND origin IN ('南宁市', '钦州市')",
    ),
    (
        "join-granted-tables",
        "SELECT c.hubs, COUNT(*) FROM waybills w JOIN carriers c ON w.origin = c.origin GROUP BY c.hubs",
    ),
    ("sensitive-column-counted", "SELECT COUNT(DISTINCT driver_id_number) FROM waybills"),
    ("sensitive-column-filtered", "SELECT COUNT(*) FROM waybills WHERE driver_mobile LIKE '138%'"),
    (
        "extract-and-interval",
        "SELECT EXTRACT(year FROM pickup_at + INTERVAL 1 DAY) y, COUNT(*) FROM waybills GROUP BY y",
    ),
    ("quoted-names-any-case", 'SELECT "Origin", COUNT(*) FROM "WAYBILLS" GROUP BY "Origin"'),
    ("plain-comment", "SELECT COUNT(*) FROM waybills -- 按始发地统计"),
    ("trailing-semicolon", "SELECT COUNT(*) FROM waybills;"),
    (
        "median-and-quantile",
        "SELECT origin, MEDIAN(weight_kg), QUANTILE_CONT(weight_kg, 0.9) FROM waybills GROUP BY origin",
    ),
]


@pytest.mark.parametrize("sql", [c[1] for c in ALLOWED], ids=[c[0] for c in ALLOWED])
def test_allowed(tables: tuple[GrantedTable, ...], sql: str) -> None:
    normalized = check_sql(sql, tables)
    assert normalized.upper().startswith("SELECT")
    assert "--" not in normalized and "/*" not in normalized


def test_normalized_sql_names_granted_spelling_and_drops_comments(tables: tuple[GrantedTable, ...]) -> None:
    a = check_sql("select ORIGIN, count(*) from Waybills /* 统计 */ group by ORIGIN", tables)
    b = check_sql("SELECT origin,\n  COUNT(*)\nFROM waybills GROUP BY origin", tables)
    assert a == b
    assert '"waybills"."origin"' in a
    assert "统计" not in a


def test_outputs_describe_keys_and_aggregates(tables: tuple[GrantedTable, ...]) -> None:
    query = analyze(
        "SELECT origin, COUNT(*) AS n, SUM(weight_kg) AS w, COUNT(DISTINCT plate), 1 AS one "
        "FROM waybills GROUP BY origin",
        tables,
    )
    kinds = [(o.name, o.kind, o.function, o.argument, o.distinct) for o in query.outputs]
    assert kinds == [
        ("origin", "key", None, None, False),
        ("n", "aggregate", "COUNT", None, False),
        ("w", "aggregate", "SUM", ("waybills", "weight_kg"), False),
        ("COUNT(DISTINCT plate)", "aggregate", "COUNT", ("waybills", "plate"), True),
        ("one", "constant", None, None, False),
    ]
    assert query.tables == ("waybills",)
    assert query.grouped


def test_unknown_granted_table_list_is_named(waybills: GrantedTable) -> None:
    with pytest.raises(SandboxTableNotGranted) as raised:
        check_sql("SELECT COUNT(*) FROM carriers", [waybills])
    assert "waybills" in raised.value.detail
