"""Index, remove and search documents (检索) on SQLite FTS5 or PostgreSQL full text.

Both backends are given the same tokens (see :mod:`.text`) and the same boolean match expression,
so they return the same result sets; only the relevance scores differ (bm25 vs ts_rank_cd).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, and_, bindparam, delete, func, insert, or_, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from logispace.storage.search.models import (
    DOCUMENTS_KEY,
    FTS_TABLE,
    SearchCountRow,
    SearchDocumentRow,
    SearchFacetRow,
)
from logispace.storage.search.schemas import FIELDS, SearchDocument, SearchQuery, SearchResult, SearchSort
from logispace.storage.search.text import (
    AllOf,
    AnyOf,
    Expr,
    Synonyms,
    Term,
    index_tokens,
    load_synonyms,
    parse_query,
)

WEIGHT_LETTERS = dict(zip(FIELDS, "ABCD", strict=True))
BM25_WEIGHTS = {"title": 10.0, "keywords": 6.0, "description": 3.0, "fields": 2.0}
_MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
_MAX_POSITIONS_PER_LEXEME = 255


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# --- indexing ----------------------------------------------------------------------------------


def tsvector_literal(tokens_by_field: dict[str, list[str]]) -> str:
    """A ``tsvector`` in its text form, so PostgreSQL keeps exactly our tokens (no parser)."""
    positions: dict[str, list[str]] = {}
    position = 0
    for name in FIELDS:
        letter = WEIGHT_LETTERS[name]
        for token in tokens_by_field.get(name, []):
            position = min(position + 1, _MAX_POSITION)
            slots = positions.setdefault(token, [])
            if len(slots) < _MAX_POSITIONS_PER_LEXEME:
                slots.append(f"{position}{letter}")
    return " ".join(f"'{_pg_quote(token)}':{','.join(slots)}" for token, slots in positions.items())


def _pg_quote(token: str) -> str:
    return token.replace("\\", "\\\\").replace("'", "''")


def facet_token(facet: str, value: str) -> str:
    """The index token of a facet value: the hex of its UTF-8 ``facet \\x1f value``, so any value
    is one plain token. SQLite keeps it in its own FTS5 column as ``f<hex>``; PostgreSQL in the
    tsvector as ``F<hex>``, which no query word can match (query words are lowercased)."""
    return (facet + "\x1f" + value).encode().hex()


def index(session: Session, docs: Iterable[SearchDocument]) -> None:
    """Insert or replace documents (upsert by scope and doc_id), with their facet values."""
    docs = list({(d.scope, d.doc_id): d for d in docs}.values())
    if not docs:
        return
    postgres = _is_postgres(session)
    by_scope: dict[str, list[str]] = {}
    for doc in docs:
        by_scope.setdefault(doc.scope, []).append(doc.doc_id)
    deltas: dict[str, Counter[tuple[str, str]]] = {}
    for scope, ids in by_scope.items():
        deltas[scope] = _delete(session, scope, ids)
    rows: list[dict[str, Any]] = []
    for doc in docs:
        tokens = {name: index_tokens(doc.fields.get(name, "")) for name in FIELDS}
        keys = sorted(facet_token(f, v) for f, v in doc.facet_pairs())
        if postgres:
            # The tsvector holds every token; the text token columns (read by SQLite's FTS5 only)
            # stay empty, which keeps the rows that a search visits small.
            vector = " ".join([tsvector_literal(tokens), *(f"'F{key}'" for key in keys)])
            texts = dict.fromkeys((f"{name}_tokens" for name in FIELDS), "")
        else:
            vector = None
            texts = {f"{name}_tokens": " ".join(tokens[name]) for name in FIELDS}
        texts["facet_tokens"] = " ".join(f"f{key}" for key in keys)
        rows.append(
            {
                "scope": doc.scope,
                "doc_id": doc.doc_id,
                **texts,
                "search_vector": vector,
                "updated_at": doc.updated_at,
            }
        )
    session.execute(insert(SearchDocumentRow), rows)
    facets = [
        {"scope": d.scope, "doc_id": d.doc_id, "facet": f, "value": v}
        for d in docs
        for f, v in sorted(d.facet_pairs())
    ]
    if facets:
        session.execute(insert(SearchFacetRow), facets)
    for doc in docs:
        deltas[doc.scope][DOCUMENTS_KEY] += 1
        for pair in doc.facet_pairs():
            deltas[doc.scope][pair] += 1
    for scope, changes in deltas.items():
        adjust_counts(session, scope, changes)


def remove(session: Session, scope: str, doc_ids: Sequence[str]) -> None:
    """Remove documents from the index (unknown ids are ignored)."""
    adjust_counts(session, scope, _delete(session, scope, doc_ids))


def _delete(session: Session, scope: str, doc_ids: Sequence[str]) -> Counter[tuple[str, str]]:
    """Delete documents and their facet values; returns the changes to the scope's counts."""
    deltas: Counter[tuple[str, str]] = Counter()
    for start in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[start : start + 500])
        of_chunk = (SearchFacetRow.scope == scope, SearchFacetRow.doc_id.in_(chunk))
        gone = select(SearchFacetRow.facet, SearchFacetRow.value, func.count()).where(*of_chunk)
        for facet, value, n in session.execute(gone.group_by(SearchFacetRow.facet, SearchFacetRow.value)):
            deltas[(facet, value)] -= int(n)
        session.execute(delete(SearchFacetRow).where(*of_chunk))
        removed = session.execute(
            delete(SearchDocumentRow).where(
                SearchDocumentRow.scope == scope, SearchDocumentRow.doc_id.in_(chunk)
            )
        )
        deltas[DOCUMENTS_KEY] -= int(removed.rowcount)  # type: ignore[attr-defined]
    return deltas


def adjust_counts(session: Session, scope: str, deltas: Counter[tuple[str, str]]) -> None:
    """Add ``deltas`` to the kept counts of a scope (one upsert, keys in order so that concurrent
    writers lock the rows in the same order), then drop the counts that reached zero."""
    changes: list[dict[str, Any]] = [
        {"scope": scope, "facet": facet, "value": value, "n": n}
        for (facet, value), n in sorted(deltas.items())
        if n
    ]
    if not changes:
        return
    upsert = pg_insert(SearchCountRow) if _is_postgres(session) else sqlite_insert(SearchCountRow)
    upsert = upsert.on_conflict_do_update(
        index_elements=["scope", "facet", "value"], set_={"n": SearchCountRow.n + upsert.excluded.n}
    )
    session.execute(upsert, changes)
    if any(change["n"] < 0 for change in changes):
        session.execute(delete(SearchCountRow).where(SearchCountRow.scope == scope, SearchCountRow.n <= 0))


def optimize(session: Session) -> None:
    """Merge the full-text index into as few segments as possible (SQLite FTS5 ``optimize``), for
    after a bulk load: an index built by many small transactions has many segments, and each query
    term, above all a prefix, is looked up in every one. PostgreSQL's GIN index needs nothing here
    (autovacuum or ``VACUUM`` flushes its pending list)."""
    if not _is_postgres(session):
        session.execute(text("INSERT INTO search_documents_fts(search_documents_fts) VALUES ('optimize')"))


# --- match expressions -------------------------------------------------------------------------


def fts5_match(expr: Expr) -> str:
    """The FTS5 MATCH string; every token is a quoted string, so input never becomes syntax."""
    if isinstance(expr, Term):
        quoted = '"' + expr.token.replace('"', '""') + '"'
        return quoted + "*" if expr.prefix else quoted
    joiner = " AND " if isinstance(expr, AllOf) else " OR "
    return "(" + joiner.join(fts5_match(p) for p in expr.parts) + ")"


def pg_tsquery(expr: Expr) -> str:
    """The ``tsquery`` text; every lexeme is quoted, so input never becomes syntax."""
    if isinstance(expr, Term):
        quoted = "'" + _pg_quote(expr.token) + "'"
        return quoted + ":*" if expr.prefix else quoted
    joiner = " & " if isinstance(expr, AllOf) else " | "
    return "(" + joiner.join(pg_tsquery(p) for p in expr.parts) + ")"


# --- searching ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Plan:
    """The SQL pieces that select a query's matches: ``FROM ... WHERE ...``, its parameters, the
    rank expression (lower is better), the index order (``None``: table order) and whether the
    query is ranked by relevance."""

    matched: str
    params: dict[str, Any]
    expanding: list[BindParameter[Any]]
    rank: str
    order: str | None
    relevance: bool


def _plan(session: Session, query: SearchQuery, expr: Expr | None) -> _Plan:
    postgres = _is_postgres(session)
    relevance = query.sort == SearchSort.RELEVANCE and expr is not None
    params: dict[str, Any] = {"scope": query.scope}
    where = ["d.scope = :scope"]
    source = "search_documents d"
    rank = "0"
    order: str | None = "d.updated_at DESC, d.doc_id"
    if expr is not None and postgres:
        # Text and filters in one tsquery (the GIN index answers both); rank by the text only.
        params["tsq"] = pg_tsquery(expr)
        params["tsq_filtered"] = pg_tsquery(_with_filters(expr, query.filters, "F"))
        where.append("d.search_vector @@ CAST(:tsq_filtered AS tsquery)")
        if relevance:
            rank = "-ts_rank(d.search_vector, CAST(:tsq AS tsquery))"
            order = None
    elif expr is not None:
        # The text in the four text columns, the filters in the facet column: one MATCH. The FTS5
        # table drives the join, so the MATCH runs once and stops at the window.
        columns = "{" + " ".join(f"{name}_tokens" for name in FIELDS) + "} : "
        parts = [columns + fts5_match(expr)]
        parts += ["{facet_tokens} : " + fts5_match(part) for part in _filter_parts(query.filters, "f")]
        params["match"] = " AND ".join(parts)
        source = f"{FTS_TABLE} CROSS JOIN search_documents d ON d.id = {FTS_TABLE}.rowid"
        where.append(f"{FTS_TABLE} MATCH :match")
        if relevance:
            weights = ", ".join([*(str(BM25_WEIGHTS[name]) for name in FIELDS), "0.0"])
            rank = f"bm25({FTS_TABLE}, {weights})"
            order = f"{FTS_TABLE}.rowid"
    expanding: list[BindParameter[Any]] = []
    if expr is None:
        # Filters only: the documents with the values drive, then their rows by recency.
        for n, (facet, values) in enumerate(sorted(query.filters.items())):
            params[f"ff{n}"] = facet
            params[f"fv{n}"] = list(values)
            where.append(
                "d.doc_id IN (SELECT sf.doc_id FROM search_facets sf WHERE sf.scope = :scope "  # noqa: S608
                f"AND sf.facet = :ff{n} AND sf.value IN :fv{n})"
            )
            expanding.append(bindparam(f"fv{n}", expanding=True))
    # Only fixed fragments and placeholder names are joined into the SQL below; every value the
    # caller gives (query text, scope, facet names and values, page) is a bound parameter.
    matched = f"FROM {source} WHERE {' AND '.join(where)}"
    return _Plan(matched, params, expanding, rank, order, relevance)


def matching_ids(session: Session, query: SearchQuery, synonyms: Synonyms | None = None) -> list[str]:
    """Every matching id in the query's order (relevance or recency), ignoring its page and its
    ``count_limit``: for callers that order or page all matches themselves. Visits every match."""
    expr = parse_query(query.q, synonyms or load_synonyms())
    plan = _plan(session, query, expr)
    sql = text(f"SELECT d.doc_id, d.updated_at, {plan.rank} AS rank {plan.matched}")
    rows = list(session.execute(sql.bindparams(*plan.expanding), plan.params).all())
    rows.sort(key=lambda row: row[0])
    rows.sort(key=lambda row: row[1], reverse=True)
    if plan.relevance:
        rows.sort(key=lambda row: float(row[2]))
    return [row[0] for row in rows]


def search(session: Session, query: SearchQuery, synonyms: Synonyms | None = None) -> SearchResult:
    """One page of matching ids, the total and the facet counts (exact up to ``count_limit``).

    The work is bounded by a *window*: the first ``count_limit`` + 1 matches in an order the index
    gives without visiting every match. Relevance: index order (FTS5 rowid order on SQLite, table
    order of the GIN bitmap or scan on PostgreSQL), then the window is scored and sorted; recency:
    ``updated_at`` descending. A window that holds every match makes the result exact.
    """
    expr = parse_query(query.q, synonyms or load_synonyms())
    if expr is None and not query.filters:
        return _list_scope(session, query)
    plan = _plan(session, query, expr)
    matched, params, expanding, rank, order, relevance = (
        plan.matched,
        plan.params,
        plan.expanding,
        plan.rank,
        plan.order,
        plan.relevance,
    )
    ordered_by = f" ORDER BY {order}" if order else ""
    window = text(
        f"SELECT d.id, d.doc_id, d.updated_at, {rank} AS rank, d.facet_tokens "
        f"{matched}{ordered_by} LIMIT :window"
    ).bindparams(*expanding)
    with _stable_scan_order(session, active=order is None):
        rows = list(session.execute(window, {**params, "window": query.count_limit + 1}).all())
    exact = len(rows) <= query.count_limit
    del rows[query.count_limit :]
    if relevance:
        rows.sort(key=lambda row: row[1])
        rows.sort(key=lambda row: row[2], reverse=True)
        rows.sort(key=lambda row: float(row[3]))
    ordered = [row[1] for row in rows]
    end = query.offset + query.limit
    ids = ordered[query.offset : end]
    if end > len(ordered) and not exact:
        # Past the window: the other matches in the window's order (in id order on PostgreSQL,
        # whose window has no ORDER BY, leaving out the window's own ids).
        start = max(query.offset, len(ordered))
        rest_params = {**params, "n": end - start, "start": start}
        if order is None:
            rest_sql = f"SELECT d.doc_id {matched} AND NOT (d.id = ANY(:window_ids)) ORDER BY d.id"
            rest_params |= {"window_ids": [row[0] for row in rows], "start": start - len(ordered)}
        else:
            rest_sql = f"SELECT d.doc_id {matched}{ordered_by}"
        rest = text(rest_sql + " LIMIT :n OFFSET :start").bindparams(*expanding)
        ids += [row[0] for row in session.execute(rest, rest_params)]
    facets = _facet_counts(query.facets, (row[4] for row in rows))
    return SearchResult(ids=ids, total=len(ordered), facets=facets, total_exact=exact, facets_exact=exact)


@contextmanager
def _stable_scan_order(session: Session, *, active: bool) -> Iterator[None]:
    """On PostgreSQL, for a statement without ORDER BY: no synchronized or parallel scan, so that
    the matches come in table order and the same window is chosen every time (restored after)."""
    if not active:
        yield
        return
    before = session.execute(
        text(
            "SELECT current_setting('synchronize_seqscans'), "
            "current_setting('max_parallel_workers_per_gather'), "
            "set_config('synchronize_seqscans', 'off', true), "
            "set_config('max_parallel_workers_per_gather', '0', true)"
        )
    ).one()
    try:
        yield
    finally:
        session.execute(
            text(
                "SELECT set_config('synchronize_seqscans', :s, true), "
                "set_config('max_parallel_workers_per_gather', :p, true)"
            ),
            {"s": before[0], "p": before[1]},
        )


def _filter_parts(filters: dict[str, list[str]], prefix: str) -> list[Expr]:
    """Each filtered facet as "any of its values" over facet tokens."""
    parts: list[Expr] = []
    for facet, values in sorted(filters.items()):
        terms = tuple(Term(prefix + facet_token(facet, v)) for v in dict.fromkeys(values))
        parts.append(AnyOf(terms) if terms else AnyOf((Term(prefix),)))
    return parts


def _with_filters(expr: Expr, filters: dict[str, list[str]], prefix: str) -> Expr:
    parts = _filter_parts(filters, prefix)
    return AllOf((expr, *parts)) if parts else expr


def _facet_counts(facet_names: Sequence[str], token_lists: Iterable[str]) -> dict[str, list[tuple[str, int]]]:
    """Facet counts over documents given by their ``facet_tokens``, by count descending, then value."""
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in facet_names}
    if not facets:
        return facets
    seen = Counter(token for tokens in token_lists for token in tokens.split())
    for token, n in seen.items():
        facet, _, value = bytes.fromhex(token[1:]).decode().partition("\x1f")
        if facet in facets:
            facets[facet].append((value, n))
    for counted in facets.values():
        counted.sort(key=lambda item: (-item[1], item[0]))
    return facets


def _list_scope(session: Session, query: SearchQuery) -> SearchResult:
    """No text and no filters: a page by recency, the total and the facets from the kept counts."""
    page = select(SearchDocumentRow.doc_id).where(SearchDocumentRow.scope == query.scope)
    page = page.order_by(SearchDocumentRow.updated_at.desc(), SearchDocumentRow.doc_id)
    ids = list(session.scalars(page.limit(query.limit).offset(query.offset)))
    counted = select(SearchCountRow.facet, SearchCountRow.value, SearchCountRow.n).where(
        SearchCountRow.scope == query.scope,
        SearchCountRow.n > 0,
        or_(
            SearchCountRow.facet.in_(query.facets),
            and_(SearchCountRow.facet == DOCUMENTS_KEY[0], SearchCountRow.value == DOCUMENTS_KEY[1]),
        ),
    )
    total = 0
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in query.facets}
    for facet, value, n in session.execute(counted):
        if (facet, value) == DOCUMENTS_KEY:
            total = int(n)
        else:
            facets[facet].append((value, int(n)))
    if not total:
        facets = {name: [] for name in query.facets}
    for values in facets.values():
        values.sort(key=lambda item: (-item[1], item[0]))
    return SearchResult(ids=ids, total=total, facets=facets)
