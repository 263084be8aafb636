"""Full-text search (全文检索) over Chinese and English text, with filters and facet counts.

A domain-free storage component: callers index :class:`SearchDocument` values under a scope of
their own, search with a :class:`SearchQuery` and fetch their rows by the returned ids.
"""

from logispace.storage.search.schemas import (
    DEFAULT_COUNT_LIMIT,
    FIELDS,
    MAX_COUNT_LIMIT,
    SearchDocument,
    SearchQuery,
    SearchResult,
    SearchSort,
)
from logispace.storage.search.store import index, matching_ids, optimize, remove, search
from logispace.storage.search.text import BUILTIN_SYNONYMS, Synonyms, load_synonyms, parse_synonyms_file

__all__ = [
    "BUILTIN_SYNONYMS",
    "DEFAULT_COUNT_LIMIT",
    "FIELDS",
    "MAX_COUNT_LIMIT",
    "SearchDocument",
    "SearchQuery",
    "SearchResult",
    "SearchSort",
    "Synonyms",
    "index",
    "load_synonyms",
    "matching_ids",
    "optimize",
    "parse_synonyms_file",
    "remove",
    "search",
]
