"""Full-text search index (全文检索): documents, facet values, FTS5 table or tsvector GIN index.

Revision ID: 5e2c7a9b41d3
Revises: 2ef5f75bf31b
Create Date: 2026-11-22 21:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import logispace.core.db

revision: str = "5e2c7a9b41d3"
down_revision: str | None = "2ef5f75bf31b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# FTS5 over the token columns of search_documents (external content), kept in step by triggers.
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE search_documents_fts USING fts5("
    "title_tokens, keywords_tokens, description_tokens, fields_tokens, "
    "content='search_documents', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER search_documents_fts_ai AFTER INSERT ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(rowid, "
    "title_tokens, keywords_tokens, description_tokens, fields_tokens) "
    "VALUES (new.id, new.title_tokens, new.keywords_tokens, new.description_tokens, new.fields_tokens); END",
    "CREATE TRIGGER search_documents_fts_ad AFTER DELETE ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(search_documents_fts, rowid, "
    "title_tokens, keywords_tokens, description_tokens, fields_tokens) "
    "VALUES ('delete', old.id, "
    "old.title_tokens, old.keywords_tokens, old.description_tokens, old.fields_tokens); "
    "END",
    "CREATE TRIGGER search_documents_fts_au AFTER UPDATE ON search_documents BEGIN "
    "INSERT INTO search_documents_fts(search_documents_fts, rowid, "
    "title_tokens, keywords_tokens, description_tokens, fields_tokens) "
    "VALUES ('delete', old.id, "
    "old.title_tokens, old.keywords_tokens, old.description_tokens, old.fields_tokens); "
    "INSERT INTO search_documents_fts(rowid, "
    "title_tokens, keywords_tokens, description_tokens, fields_tokens) "
    "VALUES (new.id, new.title_tokens, new.keywords_tokens, new.description_tokens, new.fields_tokens); END",
)


def upgrade() -> None:
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("title_tokens", sa.Text(), nullable=False),
        sa.Column("keywords_tokens", sa.Text(), nullable=False),
        sa.Column("description_tokens", sa.Text(), nullable=False),
        sa.Column("fields_tokens", sa.Text(), nullable=False),
        sa.Column(
            "search_vector", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
        sa.Column("updated_at", logispace.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("scope", "doc_id", name=op.f("uq_search_documents_scope_doc_id")),
    )
    op.create_index(
        "ix_search_documents_scope_updated_at", "search_documents", ["scope", "updated_at"], unique=False
    )
    op.create_table(
        "search_facets",
        sa.Column("scope", sa.String(length=64), nullable=False),
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("facet", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("scope", "doc_id", "facet", "value", name=op.f("pk_search_facets")),
    )
    op.create_index(
        "ix_search_facets_scope_facet_value",
        "search_facets",
        ["scope", "facet", "value", "doc_id"],
        unique=False,
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_search_documents_search_vector ON search_documents USING gin (search_vector)"
        )
        return
    for statement in _SQLITE_FTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_search_documents_search_vector")
    else:
        for trigger in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER search_documents_fts_{trigger}")
        op.execute("DROP TABLE search_documents_fts")
    op.drop_index("ix_search_facets_scope_facet_value", table_name="search_facets")
    op.drop_table("search_facets")
    op.drop_index("ix_search_documents_scope_updated_at", table_name="search_documents")
    op.drop_table("search_documents")
