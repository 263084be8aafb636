"""Search documents, queries and results (检索请求与结果): plain values, validated on creation."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from logispace.core.errors import InvalidInput

FIELDS = ("title", "keywords", "description", "fields")
"""Weight classes, highest first: PostgreSQL weights A-D, FTS5 bm25 column weights."""
MAX_LIMIT = 200
MAX_OFFSET = 10_000
MAX_FILTER_VALUES = 50
DEFAULT_COUNT_LIMIT = 1000
"""Matches counted exactly, ranked by relevance and counted into facets; beyond it, estimates."""
MAX_COUNT_LIMIT = 10_000


class SearchSort(StrEnum):
    """Result order: best match first, or most recently updated first."""

    RELEVANCE = "relevance"
    RECENCY = "recency"


@dataclass(frozen=True)
class SearchDocument:
    """A record to index: its texts by weight class and its facet values."""

    scope: str
    doc_id: str
    fields: dict[str, str]
    facets: dict[str, str | list[str]]
    updated_at: datetime

    def __post_init__(self) -> None:
        unknown = set(self.fields) - set(FIELDS)
        if unknown:
            raise ValueError(f"unknown search fields {sorted(unknown)}; use {FIELDS}")
        if not self.scope or len(self.scope) > 64 or not self.doc_id or len(self.doc_id) > 64:
            raise ValueError("scope and doc_id must be 1 to 64 characters")
        if self.updated_at.tzinfo is None:
            raise ValueError("updated_at must be timezone-aware")
        if any(not facet or len(facet) > 64 for facet in self.facets):
            raise ValueError("facet names must be 1 to 64 characters")

    def facet_pairs(self) -> set[tuple[str, str]]:
        pairs: set[tuple[str, str]] = set()
        for facet, values in self.facets.items():
            for value in [values] if isinstance(values, str) else values:
                pairs.add((facet, value))
        return pairs


@dataclass(frozen=True)
class SearchQuery:
    """A search (检索条件): free text, facet filters, facets to count, order and page.

    ``count_limit`` bounds the work of a search that matches many documents: up to that many
    matches the total and the facet counts are exact and relevance ranks every match; beyond it the
    total is reported as ``count_limit`` (``total_exact`` false), relevance ranks the
    ``count_limit`` most recently indexed matches and the facets count those
    (``facets_exact`` false). Listing a whole scope (no text, no filters) is always exact.
    """

    scope: str
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    facets: list[str] = field(default_factory=list)
    sort: SearchSort | str = SearchSort.RELEVANCE
    limit: int = 20
    offset: int = 0
    count_limit: int = DEFAULT_COUNT_LIMIT

    def __post_init__(self) -> None:
        problems: list[str] = []
        if not 1 <= self.count_limit <= MAX_COUNT_LIMIT:
            problems.append(f"count_limit must be between 1 and {MAX_COUNT_LIMIT}")
        if not 1 <= self.limit <= MAX_LIMIT:
            problems.append(f"limit must be between 1 and {MAX_LIMIT}")
        if not 0 <= self.offset <= MAX_OFFSET:
            problems.append(f"offset must be between 0 and {MAX_OFFSET}")
        try:
            object.__setattr__(self, "sort", SearchSort(self.sort))
        except ValueError:
            problems.append(f"sort must be one of {[s.value for s in SearchSort]}")
        if any(len(values) > MAX_FILTER_VALUES for values in self.filters.values()):
            problems.append(f"at most {MAX_FILTER_VALUES} values per filter")
        if problems:
            raise InvalidInput("; ".join(problems))


@dataclass(frozen=True)
class SearchResult:
    """Matching ids in order (one page), the total of matches, and facet counts over all matches.

    ``total_exact`` false: more than ``count_limit`` documents match and ``total`` is that limit
    (a lower bound, "1000+"). ``facets_exact`` false: the counts are those of the ``count_limit``
    matches that were ranked, not of all matches.
    """

    ids: list[str]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    total_exact: bool = True
    facets_exact: bool = True
