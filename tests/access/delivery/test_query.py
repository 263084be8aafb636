"""API mode: granted fields with row filters, each column desensitized by its rule."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
import rfc8785

from logispace.domains.access.delivery import (
    DeliveryRefused,
    GrantedTable,
    QueryBadFilter,
    QueryColumnNotGranted,
    RowFilter,
    run_query,
)
from logispace.domains.access.delivery.masking import apply_rule
from tests.access.delivery.conftest import ROWS

SALT = b"grant-7-salt"


def test_fields_filters_and_masking(waybills: GrantedTable) -> None:
    result = run_query(
        waybills,
        [
            "waybill_id",
            "origin",
            "driver_id_number",
            "driver_mobile",
            "driver_name",
            "plate",
            "pickup_at",
            "lng",
        ],
        [RowFilter("origin", "=", "钦州市"), RowFilter("pieces", ">=", 20)],
        limit=5,
        offset=0,
        salt=SALT,
    )
    assert result.columns[0] == "waybill_id"
    assert result.rows_returned == 5 and result.cells_returned == 40
    assert result.rows_read == ROWS
    for row in result.rows:
        record = dict(zip(result.columns, row, strict=True))
        assert record["origin"] == "钦州市"
        assert str(record["driver_id_number"]).startswith("450102********")
        assert str(record["driver_mobile"]).startswith("138****")
        assert str(record["driver_name"]).endswith("**")
        assert str(record["plate"]).startswith("桂A") and "*" in str(record["plate"])
        assert len(str(record["pickup_at"])) == 10  # generalized to the day
        assert record["lng"] == round(float(record["lng"]), 2)  # type: ignore[arg-type]
    ids = [r[0] for r in result.rows]
    assert ids == sorted(ids)


def test_hash_rule_uses_the_grant_salt(waybills: GrantedTable) -> None:
    hashed = GrantedTable(
        waybills.name, waybills.parquet_paths, waybills.columns, {"waybill_id": "hash_hmac_sha256"}
    )
    first = run_query(hashed, ["waybill_id"], [RowFilter("pieces", "=", 7)], 3, 0, SALT)
    other = run_query(hashed, ["waybill_id"], [RowFilter("pieces", "=", 7)], 3, 0, b"another")
    assert all(len(str(v[0])) == 64 for v in first.rows)
    assert set(first.rows).isdisjoint(other.rows)


def test_pages_do_not_overlap(waybills: GrantedTable) -> None:
    filters = [RowFilter("mode", "in", ["铁路", "公铁联运"]), RowFilter("waybill_id", "like", "LS00000000%")]
    first = run_query(waybills, ["waybill_id", "mode"], filters, 50, 0, SALT)
    second = run_query(waybills, ["waybill_id", "mode"], filters, 50, 50, SALT)
    assert first.rows_returned == second.rows_returned == 50
    assert not set(first.rows) & set(second.rows)
    assert all(r[1] in ("铁路", "公铁联运") for r in first.rows + second.rows)
    assert first.query_hash != second.query_hash


def test_date_filter_and_hashes(waybills: GrantedTable) -> None:
    plain = GrantedTable(waybills.name, waybills.parquet_paths, waybills.columns, {})
    result = run_query(plain, ["waybill_id"], [RowFilter("pickup_at", "<", date(2026, 1, 2))], 100, 0, SALT)
    assert result.rows_returned == 24  # one waybill an hour from 2026-01-01 00:00 UTC
    body = rfc8785.dumps({"columns": list(result.columns), "rows": [list(r) for r in result.rows]})
    assert result.result_hash == hashlib.sha256(body).hexdigest()
    assert result.bytes_returned == len(body)


def test_no_match_is_an_empty_page(waybills: GrantedTable) -> None:
    result = run_query(waybills, ["origin"], [RowFilter("origin", "=", "不存在")], 10, 0, SALT)
    assert result.rows == () and result.rows_returned == 0 and result.cells_returned == 0


def test_masking_matches_the_rule_functions(waybills: GrantedTable) -> None:
    result = run_query(
        waybills, ["waybill_id", "shipper_uscc"], [RowFilter("waybill_id", "=", "LS000000000003")], 1, 0, SALT
    )
    assert result.rows == (("LS000000000003", apply_rule("mask_uscc", "91450103MA5L8XJ73C", SALT)),)


# (case: what and why, fields, filters, limit, offset, error, fragment)
BAD: list[tuple[str, list[str], list[RowFilter], int, int, type[DeliveryRefused], str]] = [
    (
        "field-outside-grant",
        ["waybill_id", "internal_note"],
        [],
        10,
        0,
        QueryColumnNotGranted,
        "internal_note",
    ),
    ("no-fields", [], [], 10, 0, QueryBadFilter, "at least one field"),
    ("field-twice", ["origin", "origin"], [], 10, 0, QueryBadFilter, "twice"),
    (
        "filter-column-outside-grant",
        ["origin"],
        [RowFilter("internal_note", "=", "x")],
        10,
        0,
        QueryColumnNotGranted,
        "internal_note",
    ),
    (
        "filter-on-masked-column-discloses-it",
        ["origin"],
        [RowFilter("driver_id_number", "=", "450102199003001200X")],
        10,
        0,
        QueryBadFilter,
        "desensitized",
    ),
    ("unknown-operator", ["origin"], [RowFilter("pieces", "~", 3)], 10, 0, QueryBadFilter, "operator"),
    (
        "sql-as-operator",
        ["origin"],
        [RowFilter("pieces", "= 1 OR 1 =", 1)],
        10,
        0,
        QueryBadFilter,
        "operator",
    ),
    ("in-needs-a-list", ["origin"], [RowFilter("origin", "in", "南宁市")], 10, 0, QueryBadFilter, "list"),
    ("in-empty", ["origin"], [RowFilter("origin", "in", [])], 10, 0, QueryBadFilter, "list"),
    ("like-needs-text", ["origin"], [RowFilter("origin", "like", 3)], 10, 0, QueryBadFilter, "text pattern"),
    ("value-of-wrong-kind", ["origin"], [RowFilter("pieces", "=", {"a": 1})], 10, 0, QueryBadFilter, "dict"),
    (
        "value-that-does-not-cast",
        ["origin"],
        [RowFilter("pieces", ">", "many")],
        10,
        0,
        QueryBadFilter,
        "cannot be applied",
    ),
    (
        "range-on-generalized-date",
        ["origin"],
        [RowFilter("pickup_at", ">", "2026-01-01")],
        10,
        0,
        QueryBadFilter,
        "desensitized",
    ),
    ("limit-zero", ["origin"], [], 0, 0, QueryBadFilter, "limit"),
    ("limit-too-large", ["origin"], [], 10_001, 0, QueryBadFilter, "limit"),
    ("negative-offset", ["origin"], [], 10, -1, QueryBadFilter, "offset"),
]


@pytest.mark.parametrize(
    ("fields", "filters", "limit", "offset", "error", "fragment"),
    [c[1:] for c in BAD],
    ids=[c[0] for c in BAD],
)
def test_bad_input(
    waybills: GrantedTable,
    fields: list[str],
    filters: list[RowFilter],
    limit: int,
    offset: int,
    error: type[DeliveryRefused],
    fragment: str,
) -> None:
    with pytest.raises(error) as raised:
        run_query(waybills, fields, filters, limit, offset, SALT)
    assert fragment in raised.value.detail


def test_injection_in_a_value_is_a_literal(waybills: GrantedTable) -> None:
    result = run_query(waybills, ["origin"], [RowFilter("origin", "=", "x' OR '1'='1")], 10, 0, SALT)
    assert result.rows == ()
