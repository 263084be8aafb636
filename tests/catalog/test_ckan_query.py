"""CKAN search parameters: fq terms, sort specs and facet.field lists (pure parsing, table-driven)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from logispace.core.errors import InvalidInput
from logispace.domains.catalog.ckan.query import (
    FilterTerm,
    parse_facet_fields,
    parse_fq,
    parse_sort,
    simple_form,
)
from logispace.domains.catalog.ckan.syntax import (
    And,
    DateRange,
    FieldValue,
    MatchAll,
    Node,
    Not,
    Or,
    Text,
    parse,
)

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


def tags(v: str) -> FieldValue:
    return FieldValue("tags", v)


def org(v: str) -> FieldValue:
    return FieldValue("organization", v)


# Once refused as unsupported (they were in the table of invalid fq); now boolean queries.
@pytest.mark.parametrize(
    ("source", "tree"),
    [
        ("", MatchAll()),
        ("*:*", MatchAll()),
        ("*", MatchAll()),
        ("港口", Text("港口")),
        ("铁路 OR 港口", Or((Text("铁路"), Text("港口")))),
        ("铁路 || 港口", Or((Text("铁路"), Text("港口")))),
        ("铁路 港口", And((Text("铁路"), Text("港口")))),
        ("铁路 AND 港口", And((Text("铁路"), Text("港口")))),
        ("铁路 && 港口", And((Text("铁路"), Text("港口")))),
        ('"cold chain" OR 冷链', Or((Text("cold chain"), Text("冷链")))),
        ("cold-chain", Text("cold-chain")),
        ("text:港口", Text("港口")),
        ("-tags:x", Not(tags("x"))),
        ("a - b", And((Text("a"), Text("-"), Text("b")))),
        ("NOT tags:x", Not(tags("x"))),
        ("!tags:x", Not(tags("x"))),
        ("+tags:x", tags("x")),
        ("-organization:a -groups:b", And((Not(org("a")), Not(FieldValue("groups", "b"))))),
        ("tags:x OR groups:y", Or((tags("x"), FieldValue("groups", "y")))),
        ("tags:a tags:b", And((tags("a"), tags("b")))),
        ("tags:(a AND b)", And((tags("a"), tags("b")))),
        ("tags:(a OR (b AND -c))", Or((tags("a"), And((tags("b"), Not(tags("c"))))))),
        ('tags:("a b" OR c)', Or((tags("a b"), tags("c")))),
        # precedence: NOT over AND over OR over juxtaposition (q.op AND)
        ("a OR b AND c", Or((Text("a"), And((Text("b"), Text("c")))))),
        ("a AND b OR c", Or((And((Text("a"), Text("b"))), Text("c")))),
        ("NOT a AND b", And((Not(Text("a")), Text("b")))),
        ("a OR b c", And((Or((Text("a"), Text("b"))), Text("c")))),
        (
            "organization:a OR organization:b -groups:x",
            And((Or((org("a"), org("b"))), Not(FieldValue("groups", "x")))),
        ),
        ("((a))", Text("a")),
        ("(a OR (b (c OR -d)))", Or((Text("a"), And((Text("b"), Or((Text("c"), Not(Text("d"))))))))),
        ("NOT (a OR b)", Not(Or((Text("a"), Text("b"))))),
        ("*:* -tags:x", And((MatchAll(), Not(tags("x"))))),
        ("metadata_modified:[2024-01-31T00:00:00Z TO *]", DateRange("metadata_modified", since=JAN)),
        (
            "metadata_created:{* TO 2024-01-31T00:00:00Z}",
            DateRange("metadata_created", until=JAN, since_exclusive=True, until_exclusive=True),
        ),
        ('tags:"say \\"hi\\""', tags('say "hi"')),
        ("tags:a\\:b", tags("a:b")),
    ],
)
def test_query_syntax_trees(source: str, tree: Node) -> None:
    assert parse(source, "q") == tree


@pytest.mark.parametrize(
    ("source", "says"),
    [
        ("(a OR b", "unclosed parenthesis"),
        ("a OR b)", "unexpected ')'"),
        ('"open', "unclosed quote"),
        ("a OR", "missing at the end"),
        ("AND a", "unexpected 'AND'"),
        ("a AND OR b", "unexpected 'OR'"),
        ("name:x", "unknown field 'name'"),
        ("tags:", "needs a value"),
        ("tags:(groups:x)", "a field inside tags"),
        ("tags:[a TO b]", "takes a value, not a range"),
        ("metadata_modified:2024", "takes a range"),
        ("metadata_modified:[2024 TO]", "a range is [start TO end]"),
        ("[a TO b]", "a range needs a field"),
        ("tags:港*", "wildcards"),
        ("港口~2", "wildcards"),
        ("tags:*", "tags:* is not supported"),
        ("tags:()", "empty parentheses"),
        ("港口", "free text '港口' belongs in q"),
        ("(" * 30 + "a" + ")" * 30, "nested deeper"),
        (" OR ".join(f"w{n}" for n in range(70)), "too many terms"),
    ],
)
def test_query_syntax_errors_name_the_problem(source: str, says: str) -> None:
    param = "fq" if "belongs in q" in says else "q"
    with pytest.raises(InvalidInput) as raised:
        parse(source, param)
    assert raised.value.extensions["errors"][0]["loc"] == [param]
    assert says in raised.value.extensions["errors"][0]["msg"]


@pytest.mark.parametrize(
    ("source", "form"),
    [
        ("铁路 港口 tags:x", ("铁路 港口", [FilterTerm("tags", ("x",))])),
        ("tags:(a OR b)", ("", [FilterTerm("tags", ("a", "b"))])),
        ("tags:a OR tags:b", ("", [FilterTerm("tags", ("a", "b"))])),
        ("铁路 OR 港口", None),
        ("tags:a tags:b", None),
        ("-tags:a", None),
        ("tags:a OR groups:b", None),
    ],
)
def test_plain_conjunctions_go_to_the_index_in_one_query(
    source: str, form: tuple[str, list[FilterTerm]] | None
) -> None:
    assert simple_form(parse(source)) == form


@pytest.mark.parametrize(
    "fq",
    [
        "tags",
        "tags:",
        "港口",
        "unknown_field:x",
        "name:abc",
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
