"""Boolean CKAN queries (布尔检索) evaluated against the catalogue's index: each leaf of a parsed
``q``/``fq`` tree is one index query (free text, or one field value as a facet filter), and ``AND``,
``OR`` and ``NOT`` combine their sets of catalogue codes; ``NOT`` takes from every published dataset.
Only published resources are in the index, so nothing else can be found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from logispace.domains.catalog.ckan.query import FilterTerm
from logispace.domains.catalog.ckan.syntax import DateRange, FieldValue, MatchAll, Node, Not, Or, Text
from logispace.domains.catalog.search import service as search_service


@dataclass
class Evaluation:
    """The published datasets' (code, modified, created) and what each positive text leaf ranked."""

    rows: dict[str, tuple[datetime, datetime | None]]
    filters_of: Callable[[FilterTerm], dict[str, list[str]]]
    rank: dict[str, int] = field(default_factory=dict)


def _merged(parts: tuple[Node, ...]) -> list[Node]:
    """Adjacent free-text parts of a conjunction as one text query (one relevance ranking, synonyms
    across words)."""
    words = [p.words for p in parts if isinstance(p, Text)]
    others: list[Node] = [p for p in parts if not isinstance(p, Text)]
    return [Text(" ".join(words)), *others] if words else others


def matches(session: Session, node: Node, ev: Evaluation, *, positive: bool = True) -> set[str]:
    """The codes of the published datasets matching ``node``."""
    if isinstance(node, MatchAll):
        return set(ev.rows)
    if isinstance(node, Text):
        codes = search_service.matching_codes(session, q=node.words, filters={}, sort="relevance")
        if positive:
            for n, code in enumerate(codes):
                ev.rank[code] = min(n, ev.rank.get(code, n))
        return set(codes) & set(ev.rows)
    if isinstance(node, FieldValue):
        filters = ev.filters_of(FilterTerm(node.field, (node.value,)))
        return set(search_service.matching_codes(session, q="", filters=filters, sort="recency")) & set(
            ev.rows
        )
    if isinstance(node, DateRange):
        modified = node.field == "metadata_modified"
        return {code for code, (mod, created) in ev.rows.items() if node.holds(mod if modified else created)}
    if isinstance(node, Not):
        return set(ev.rows) - matches(session, node.part, ev, positive=not positive)
    if isinstance(node, Or):
        found: set[str] = set()
        for part in node.parts:
            found |= matches(session, part, ev, positive=positive)
        return found
    result: set[str] | None = None
    for part in _merged(node.parts):
        got = matches(session, part, ev, positive=positive)
        result = got if result is None else result & got
    return set(ev.rows) if result is None else result
