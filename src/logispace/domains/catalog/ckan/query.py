"""CKAN search parameters (CKAN 检索参数): ``fq`` filter queries, ``sort`` specs and ``facet.field``
lists parsed into plain values, refusing what is malformed or not supported with a validation error.

Only the Solr syntax CKAN clients and harvesters send is understood: ``field:value`` terms joined by
spaces or ``AND`` (an optional leading ``+``), a value bare, double-quoted, ``(a OR b)``, or for the
two date fields a range ``[2024-01-01T00:00:00Z TO *]``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from logispace.core.errors import InvalidInput

FILTER_FIELDS = frozenset(
    {
        "organization",
        "owner_org",
        "groups",
        "tags",
        "res_format",
        "license_id",
        "dataset_type",
        "type",
        "state",
        "capacity",
        "private",
    }
)
RANGE_FIELDS = frozenset({"metadata_modified", "metadata_created"})
SORT_FIELDS = ("score", "metadata_modified", "metadata_created", "title_string", "name", "id")
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
DEFAULT_SORT = "score desc, metadata_modified desc"

_QUOTED = r'"(?:[^"\\]|\\.)*"'
_TERM = re.compile(
    r"\s*(?:(?:AND|&&)\s+)?\+?(?P<field>[A-Za-z_][A-Za-z0-9_]*):"
    rf"(?P<value>{_QUOTED}|\((?:[^()\"]|{_QUOTED})*\)|\[[^\]]*\]|[^\s\"()\[\]]+)"
)
_ALTERNATIVE = re.compile(rf"\s*(?:{_QUOTED}|[^\s\"()]+)")
_ESCAPE = re.compile(r"\\(.)")


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[{"loc": [field], "msg": message}])


@dataclass(frozen=True)
class FilterTerm:
    """One ``field:value`` term: the values any of which may match, or a time range."""

    field: str
    values: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None


def _unquote(value: str) -> str:
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return _ESCAPE.sub(r"\1", value[1:-1])
    return _ESCAPE.sub(r"\1", value)


def _alternatives(inner: str) -> tuple[str, ...]:
    """``a OR "b c" OR d`` to its values."""
    values: list[str] = []
    expect_value = True
    pos = 0
    while pos < len(inner):
        match = _ALTERNATIVE.match(inner, pos)
        if match is None:
            if inner[pos:].strip():
                raise _invalid("fq", f"cannot read {inner!r}")
            break
        token = match.group().strip()
        pos = match.end()
        if not expect_value:
            if token.upper() != "OR":
                raise _invalid("fq", f"values in parentheses must be joined by OR, not {token!r}")
        else:
            values.append(_unquote(token))
        expect_value = not expect_value
    if not values or expect_value:
        raise _invalid("fq", f"cannot read ({inner})")
    return tuple(values)


def _moment(text: str) -> datetime | None:
    if text == "*":
        return None
    cleaned = text.strip().upper()
    if cleaned == "NOW":
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise _invalid("fq", f"{text!r} is not a date and time like 2024-01-31T00:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _range(field: str, value: str) -> FilterTerm:
    parts = value[1:-1].split(" TO ")
    if len(parts) != 2:
        raise _invalid("fq", f"a range is [start TO end], not {value}")
    return FilterTerm(field, since=_moment(parts[0].strip()), until=_moment(parts[1].strip()))


def parse_fq(fq: str) -> list[FilterTerm]:
    """The terms of ``fq``, each field at most once."""
    terms: list[FilterTerm] = []
    pos = 0
    seen: set[str] = set()
    while pos < len(fq):
        if not fq[pos:].strip():
            break
        match = _TERM.match(fq, pos)
        if match is None:
            raise _invalid("fq", f"cannot read {fq[pos:].strip()[:60]!r}: use field:value terms")
        pos = match.end()
        field, value = match.group("field"), match.group("value")
        if field not in FILTER_FIELDS | RANGE_FIELDS:
            known = ", ".join(sorted(FILTER_FIELDS | RANGE_FIELDS))
            raise _invalid("fq", f"unknown field {field!r}; filter on {known}")
        if field in seen:
            raise _invalid("fq", f"{field} is given twice; use {field}:(a OR b) for either value")
        seen.add(field)
        if field in RANGE_FIELDS:
            if not value.startswith("["):
                raise _invalid("fq", f"{field} takes a range [start TO end]")
            terms.append(_range(field, value))
        elif value.startswith("["):
            raise _invalid("fq", f"{field} takes a value, not a range")
        elif value.startswith("("):
            terms.append(FilterTerm(field, _alternatives(value[1:-1])))
        else:
            terms.append(FilterTerm(field, (_unquote(value),)))
    return terms


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
