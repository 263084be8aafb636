"""Search at scale (检索性能): kept facet counts, and facet values inside the full-text index.

- ``search_counts``: per scope, the number of documents (facet and value ``''``) and of each facet
  value, filled here from the index and kept by every index/remove.
- ``search_documents.facet_tokens``: the facet values of a document as tokens (``f<hex>``), read
  to count facets over a search's window. On SQLite also a fifth FTS5 column (the FTS5 table and
  its triggers are recreated and rebuilt), so filters are part of the MATCH; on PostgreSQL they
  are also ``F<hex>`` lexemes of ``search_vector``, and the token columns, which only FTS5 reads,
  are emptied to keep the rows a search visits small.

Revision ID: 7c1d2e3f4a5b
Revises: 5e2c7a9b41d3
Create Date: 2026-12-03 08:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7c1d2e3f4a5b"
down_revision: str | None = "3c7e1f0a9b24"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("title_tokens", "keywords_tokens", "description_tokens", "fields_tokens")


def _fts(columns: Sequence[str]) -> list[str]:
    """The FTS5 table over ``columns`` of search_documents and the triggers that keep it in step."""
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = (
        f"INSERT INTO search_documents_fts(search_documents_fts, rowid, {names}) "  # noqa: S608
        f"VALUES ('delete', old.id, {old}); "
    )
    insert = f"INSERT INTO search_documents_fts(rowid, {names}) VALUES (new.id, {new}); "  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE search_documents_fts USING fts5({names}, content='search_documents', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
        f"CREATE TRIGGER search_documents_fts_ai AFTER INSERT ON search_documents BEGIN {insert}END",
        f"CREATE TRIGGER search_documents_fts_ad AFTER DELETE ON search_documents BEGIN {delete}END",
        f"CREATE TRIGGER search_documents_fts_au AFTER UPDATE ON search_documents BEGIN {delete}{insert}END",
        "INSERT INTO search_documents_fts(search_documents_fts) VALUES ('rebuild')",
    ]


def _drop_fts() -> None:
    for trigger in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER search_documents_fts_{trigger}")
    op.execute("DROP TABLE search_documents_fts")


def upgrade() -> None:
    op.create_table(
        "search_counts",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("facet", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("scope", "facet", "value", name=op.f("pk_search_counts")),
    )
    op.execute(
        "INSERT INTO search_counts (scope, facet, value, n) "
        "SELECT scope, '', '', count(*) FROM search_documents GROUP BY scope"
    )
    op.execute(
        "INSERT INTO search_counts (scope, facet, value, n) "
        "SELECT scope, facet, value, count(*) FROM search_facets GROUP BY scope, facet, value"
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    if not postgres:
        _drop_fts()
    op.add_column("search_documents", sa.Column("facet_tokens", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("search_documents") as batch:
        batch.alter_column("facet_tokens", server_default=None)
    if postgres:
        op.execute(
            "UPDATE search_documents d SET title_tokens = '', keywords_tokens = '', "
            "description_tokens = '', fields_tokens = '', facet_tokens = coalesce(("
            "SELECT string_agg('f' || encode(convert_to(sf.facet || chr(31) || sf.value, 'UTF8'), 'hex'), "
            "' ' ORDER BY sf.facet, sf.value) FROM search_facets sf "
            "WHERE sf.scope = d.scope AND sf.doc_id = d.doc_id), ''), "
            "search_vector = coalesce(d.search_vector, ''::tsvector) || coalesce(("
            "SELECT array_to_tsvector(array_agg('F' || encode(convert_to("
            "sf.facet || chr(31) || sf.value, 'UTF8'), 'hex'))) "
            "FROM search_facets sf WHERE sf.scope = d.scope AND sf.doc_id = d.doc_id), ''::tsvector)"
        )
        return
    op.execute(
        "UPDATE search_documents SET facet_tokens = coalesce(("
        "SELECT group_concat(t, ' ') FROM (SELECT 'f' || lower(hex(sf.facet || char(31) || sf.value)) "
        "AS t FROM search_facets sf WHERE sf.scope = search_documents.scope "
        "AND sf.doc_id = search_documents.doc_id ORDER BY t)), '')"
    )
    for statement in _fts([*_COLUMNS, "facet_tokens"]):
        op.execute(statement)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if not postgres:
        _drop_fts()
    # PostgreSQL keeps its F lexemes and empty token columns: reindex to restore the old layout.
    with op.batch_alter_table("search_documents") as batch:
        batch.drop_column("facet_tokens")
    if not postgres:
        for statement in _fts(_COLUMNS):
            op.execute(statement)
    op.drop_table("search_counts")
