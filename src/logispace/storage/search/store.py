"""Index, remove and search documents (检索) on SQLite FTS5 or PostgreSQL full text.

Both backends are given the same tokens (see :mod:`.text`) and the same boolean match expression,
so they return the same result sets; only the relevance scores differ (bm25 vs ts_rank_cd).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BindParameter, bindparam, delete, insert, text
from sqlalchemy.orm import Session

from logispace.storage.search.models import FTS_TABLE, SearchDocumentRow, SearchFacetRow
from logispace.storage.search.schemas import FIELDS, SearchDocument, SearchQuery, SearchResult, SearchSort
from logispace.storage.search.text import (
    AllOf,
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


def index(session: Session, docs: Iterable[SearchDocument]) -> None:
    """Insert or replace documents (upsert by scope and doc_id), with their facet values."""
    docs = list({(d.scope, d.doc_id): d for d in docs}.values())
    if not docs:
        return
    postgres = _is_postgres(session)
    by_scope: dict[str, list[str]] = {}
    for doc in docs:
        by_scope.setdefault(doc.scope, []).append(doc.doc_id)
    for scope, ids in by_scope.items():
        remove(session, scope, ids)
    rows: list[dict[str, Any]] = []
    for doc in docs:
        tokens = {name: index_tokens(doc.fields.get(name, "")) for name in FIELDS}
        rows.append(
            {
                "scope": doc.scope,
                "doc_id": doc.doc_id,
                **{f"{name}_tokens": " ".join(tokens[name]) for name in FIELDS},
                "search_vector": tsvector_literal(tokens) if postgres else None,
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


def remove(session: Session, scope: str, doc_ids: Sequence[str]) -> None:
    """Remove documents from the index (unknown ids are ignored)."""
    for start in range(0, len(doc_ids), 500):
        chunk = list(doc_ids[start : start + 500])
        session.execute(
            delete(SearchFacetRow).where(SearchFacetRow.scope == scope, SearchFacetRow.doc_id.in_(chunk))
        )
        session.execute(
            delete(SearchDocumentRow).where(
                SearchDocumentRow.scope == scope, SearchDocumentRow.doc_id.in_(chunk)
            )
        )


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


def _matched(
    session: Session, query: SearchQuery, synonyms: Synonyms | None
) -> tuple[str, dict[str, Any], list[BindParameter[Any]], str]:
    """The SQL selecting every match (doc_id, updated_at, rank), its parameters and its order."""
    expr = parse_query(query.q, synonyms or load_synonyms())
    params: dict[str, Any] = {"scope": query.scope}
    postgres = _is_postgres(session)
    where = ["d.scope = :scope"]
    source = "search_documents d"
    rank = "0"
    if expr is not None:
        if postgres:
            params["tsq"] = pg_tsquery(expr)
            where.append("d.search_vector @@ CAST(:tsq AS tsquery)")
            rank = "-ts_rank_cd(d.search_vector, CAST(:tsq AS tsquery))"
        else:
            params["match"] = fts5_match(expr)
            weights = ", ".join(str(BM25_WEIGHTS[name]) for name in FIELDS)
            # Full-text hits first (materialized), then the join: else SQLite may drive the join from
            # search_documents and re-run the MATCH for every row.
            source = (
                f"(SELECT rowid AS id, bm25({FTS_TABLE}, {weights}) AS score FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH :match ORDER BY rowid) f "
                "CROSS JOIN search_documents d ON d.id = f.id"
            )
            rank = "f.score"
    for n, (facet, values) in enumerate(sorted(query.filters.items())):
        params[f"ff{n}"] = facet
        params[f"fv{n}"] = list(values)
        where.append(
            "d.doc_id IN (SELECT sf.doc_id FROM search_facets sf WHERE sf.scope = :scope "  # noqa: S608
            f"AND sf.facet = :ff{n} AND sf.value IN :fv{n})"
        )
    expanding: list[BindParameter[Any]] = [
        bindparam(f"fv{n}", expanding=True) for n in range(len(query.filters))
    ]
    # Only fixed fragments and placeholder names are joined into the SQL below; every value the
    # caller gives (query text, scope, facet names and values, page) is a bound parameter.
    conditions = " AND ".join(where)
    matched = f"SELECT d.doc_id, d.updated_at, {rank} AS rank FROM {source} WHERE {conditions}"  # noqa: S608
    order = (
        "rank, updated_at DESC, doc_id"
        if query.sort == SearchSort.RELEVANCE and expr is not None
        else "updated_at DESC, doc_id"
    )
    return matched, params, expanding, order


def matching_ids(session: Session, query: SearchQuery, synonyms: Synonyms | None = None) -> list[str]:
    """Every matching id in the query's order, ignoring its page: for callers that order or page
    the matches themselves (e.g. by a column of their own rows)."""
    matched, params, expanding, order = _matched(session, query, synonyms)
    sql = text(f"SELECT doc_id FROM ({matched}) m ORDER BY {order}").bindparams(*expanding)  # noqa: S608
    return [row[0] for row in session.execute(sql, params)]


def search(session: Session, query: SearchQuery, synonyms: Synonyms | None = None) -> SearchResult:
    """One page of matching ids, the total and the facet counts over all matches."""
    matched, params, expanding, order = _matched(session, query, synonyms)
    # The total comes with the page (a window count), so the matches are found and scored once.
    page_sql = (
        f"SELECT doc_id, count(*) OVER () AS total FROM ({matched}) m "  # noqa: S608
        f"ORDER BY {order} LIMIT :limit OFFSET :offset"
    )
    page = text(page_sql).bindparams(*expanding)
    rows = session.execute(page, {**params, "limit": query.limit, "offset": query.offset}).all()
    ids = [row[0] for row in rows]
    if rows:
        total = int(rows[0][1])
    elif query.offset == 0:
        total = 0
    else:
        count = text(f"SELECT count(*) FROM ({matched}) m").bindparams(*expanding)  # noqa: S608
        total = int(session.execute(count, params).scalar_one())
    facets: dict[str, list[tuple[str, int]]] = {name: [] for name in query.facets}
    if query.facets and total:
        counts_sql = (
            "SELECT sf.facet, sf.value, count(*) AS n FROM search_facets sf "  # noqa: S608
            "WHERE sf.scope = :scope AND sf.facet IN :facet_names "
            f"AND sf.doc_id IN (SELECT doc_id FROM ({matched}) m) GROUP BY sf.facet, sf.value"
        )
        counts = text(counts_sql).bindparams(*expanding, bindparam("facet_names", expanding=True))
        for facet, value, n in session.execute(counts, {**params, "facet_names": list(query.facets)}):
            facets[facet].append((value, int(n)))
        for counted in facets.values():
            counted.sort(key=lambda item: (-item[1], item[0]))
    return SearchResult(ids=ids, total=total, facets=facets)
