"""CKAN search parameters: fq terms, sort specs and facet.field lists (pure parsing, table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from logispace.core.errors import InvalidInput
from logispace.domains.catalog.ckan.query import FilterTerm, parse_facet_fields, parse_fq, parse_sort

JAN = datetime(2024, 1, 31, tzinfo=UTC)


@pytest.mark.parametrize(
    ("fq", "terms"),
    [
        ("", []),
        ("   ", []),
        ("tags:港口", [FilterTerm("tags", ("港口",))]),
        ('organization:"a b"', [FilterTerm("organization", ("a b",))]),
        ('tags:"say \\"hi\\""', [FilterTerm("tags", ('say "hi"',))]),
        ("+res_format:CSV", [FilterTerm("res_format", ("CSV",))]),
        (
            "groups:veh AND tags:船舶 +dataset_type:dataset",
            [
                FilterTerm("groups", ("veh",)),
                FilterTerm("tags", ("船舶",)),
                FilterTerm("dataset_type", ("dataset",)),
            ],
        ),
        ('tags:(港口 OR "集装箱 码头" OR x)', [FilterTerm("tags", ("港口", "集装箱 码头", "x"))]),
        (
            "license_id:cc-by && owner_org:abc",
            [FilterTerm("license_id", ("cc-by",)), FilterTerm("owner_org", ("abc",))],
        ),
        ("metadata_modified:[2024-01-31T00:00:00Z TO *]", [FilterTerm("metadata_modified", since=JAN)]),
        ("metadata_created:[* TO 2024-01-31T00:00:00]", [FilterTerm("metadata_created", until=JAN)]),
    ],
)
def test_fq_terms(fq: str, terms: list[FilterTerm]) -> None:
    assert parse_fq(fq) == terms


@pytest.mark.parametrize(
    "fq",
    [
        "tags",
        "tags:",
        "港口",
        "-tags:x",
        "tags:x OR groups:y",
        "unknown_field:x",
        "name:abc",
        "tags:a tags:b",
        "tags:(a AND b)",
        "tags:(a OR)",
        "tags:()",
        'tags:"open',
        "tags:[a TO b]",
        "metadata_modified:2024",
        "metadata_modified:[2024-01-01 TO]",
        "metadata_modified:[yesterday TO *]",
    ],
)
def test_malformed_or_unsupported_fq_is_invalid(fq: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_fq(fq)
    assert raised.value.extensions["errors"][0]["loc"] == ["fq"]


@pytest.mark.parametrize(
    ("sort", "keys"),
    [
        (None, [("score", True), ("metadata_modified", True)]),
        ("", [("score", True), ("metadata_modified", True)]),
        ("title_string asc", [("title_string", False)]),
        ("title DESC", [("title_string", True)]),
        ("metadata_modified desc, name asc", [("metadata_modified", True), ("name", False)]),
        ("id asc", [("id", False)]),
    ],
)
def test_sort_specs(sort: str | None, keys: list[tuple[str, bool]]) -> None:
    assert parse_sort(sort) == keys


@pytest.mark.parametrize("sort", ["title_string", "views_recent desc", "name up", "name asc,", "a b c"])
def test_bad_sort_specs_are_invalid(sort: str) -> None:
    with pytest.raises(InvalidInput):
        parse_sort(sort)


@pytest.mark.parametrize(
    ("value", "fields"),
    [
        (None, []),
        ("", []),
        ('["organization","tags"]', ["organization", "tags"]),
        (["groups", "groups", "license_id"], ["groups", "license_id"]),
        ("res_format", ["res_format"]),
    ],
)
def test_facet_fields(value: str | list[str] | None, fields: list[str]) -> None:
    assert parse_facet_fields(value) == fields


@pytest.mark.parametrize("value", ["[oops", '{"a": 1}', "[1, 2]", '["grade"]', ["name"]])
def test_bad_facet_fields_are_invalid(value: str | list[str]) -> None:
    with pytest.raises(InvalidInput):
        parse_facet_fields(value)
