"""CKAN search parameters (CKAN 检索参数): ``sort`` specs and ``facet.field`` lists parsed into plain
values, and parsed ``q``/``fq`` trees (:mod:`.syntax`) reduced to index filters where they are plain
conjunctions, refusing what is malformed or not supported with a validation error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from logispace.core.errors import InvalidInput
from logispace.domains.catalog.ckan.syntax import (
    RANGE_FIELDS,
    And,
    DateRange,
    FieldValue,
    MatchAll,
    Node,
    Or,
    Text,
    invalid,
    parse,
)

__all__ = [
    "RANGE_FIELDS",
    "FilterTerm",
    "parse",
    "parse_facet_fields",
    "parse_fq",
    "parse_sort",
    "simple_form",
]

SORT_FIELDS = ("score", "metadata_modified", "metadata_created", "title_string", "name", "id")
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
DEFAULT_SORT = "score desc, metadata_modified desc"


def _invalid(field: str, message: str) -> InvalidInput:
    return invalid(field, message)


@dataclass(frozen=True)
class FilterTerm:
    """One ``field:value`` term: the values any of which may match, or a time range."""

    field: str
    values: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None


def _flat(node: Node) -> list[Node]:
    return [leaf for part in node.parts for leaf in _flat(part)] if isinstance(node, And) else [node]


def _term(node: Node) -> FilterTerm | None:
    if isinstance(node, FieldValue):
        return FilterTerm(node.field, (node.value,))
    if isinstance(node, DateRange) and not (node.since_exclusive or node.until_exclusive):
        return FilterTerm(node.field, since=node.since, until=node.until)
    if isinstance(node, Or) and all(isinstance(p, FieldValue) for p in node.parts):
        fields = {p.field for p in node.parts if isinstance(p, FieldValue)}
        if len(fields) == 1:
            return FilterTerm(fields.pop(), tuple(p.value for p in node.parts if isinstance(p, FieldValue)))
    return None


def simple_form(node: Node) -> tuple[str, list[FilterTerm]] | None:
    """A tree that is free text and field filters all of which must hold, each field at most once
    (what the index answers in one query), as (text, terms); ``None`` for anything else."""
    words: list[str] = []
    terms: list[FilterTerm] = []
    for part in _flat(node):
        if isinstance(part, MatchAll):
            continue
        if isinstance(part, Text):
            words.append(part.words)
            continue
        term = _term(part)
        if term is None or any(t.field == term.field for t in terms):
            return None
        terms.append(term)
    return " ".join(words), terms


def parse_fq(fq: str) -> list[FilterTerm] | None:
    """The terms of an ``fq`` made of field filters all of which must hold; ``None`` when it needs
    the boolean evaluation (OR across fields, NOT, free text, a field twice)."""
    form = simple_form(parse(fq, "fq"))
    return None if form is None or form[0] else form[1]


def parse_sort(sort: str | None) -> list[tuple[str, bool]]:
    """``field asc|desc`` pairs as (field, descending); the default when empty."""
    spec = (sort or "").strip() or DEFAULT_SORT
    keys: list[tuple[str, bool]] = []
    for part in spec.split(","):
        words = part.split()
        if len(words) != 2 or words[1].lower() not in ("asc", "desc"):
            raise _invalid("sort", f"{part.strip()!r} is not 'field asc' or 'field desc'")
        field = "title_string" if words[0] == "title" else words[0]
        if field not in SORT_FIELDS:
            raise _invalid("sort", f"cannot sort on {words[0]!r}; use {', '.join(SORT_FIELDS)}")
        keys.append((field, words[1].lower() == "desc"))
    return keys


def sort_text(keys: list[tuple[str, bool]]) -> str:
    return ", ".join(f"{field} {'desc' if desc else 'asc'}" for field, desc in keys)


def parse_facet_fields(value: str | list[str] | None) -> list[str]:
    """``facet.field``: a JSON list (as a string from a query string), a list, or one name."""
    if value is None or value == "":
        return []
    names: Any = value
    if isinstance(value, str):
        try:
            names = json.loads(value) if value.lstrip().startswith("[") else [value]
        except ValueError:
            raise _invalid("facet.field", "must be a JSON list of field names") from None
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise _invalid("facet.field", "must be a list of field names")
    unknown = [n for n in names if n not in FACET_FIELDS]
    if unknown:
        raise _invalid("facet.field", f"cannot count {unknown}; use {', '.join(FACET_FIELDS)}")
    return list(dict.fromkeys(names))
