"""Search index tables (检索索引): one row of tokens per document and one row per facet value.

The full-text structures live outside these models, created by the migration: on SQLite the FTS5
table ``search_documents_fts`` (external content over ``search_documents``, kept in step by
triggers), on PostgreSQL the GIN index over ``search_documents.search_vector``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.db import Base

FTS_TABLE = "search_documents_fts"
GIN_INDEX = "ix_search_documents_search_vector"
#: Schema objects the migration creates by hand; autogenerate must not try to drop them.
UNMANAGED_NAMES = frozenset(
    {FTS_TABLE, GIN_INDEX} | {f"{FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config")}
)

TsVector = Text().with_variant(postgresql.TSVECTOR(), "postgresql")


class SearchDocumentRow(Base):
    """Indexed search document (检索文档): tokens per weight class of one record of one scope."""

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("scope", "doc_id"),
        Index("ix_search_documents_scope_updated_at", "scope", "updated_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(64))
    doc_id: Mapped[str] = mapped_column(String(64))
    title_tokens: Mapped[str] = mapped_column(Text, default="")
    keywords_tokens: Mapped[str] = mapped_column(Text, default="")
    description_tokens: Mapped[str] = mapped_column(Text, default="")
    fields_tokens: Mapped[str] = mapped_column(Text, default="")
    # Facet value tokens (``f<hex>``, see ``store.facet_token``): counted over a search's window,
    # and on SQLite a column of the FTS5 table for filters. On PostgreSQL the filters use ``F<hex>``
    # lexemes of search_vector, and the four text token columns stay empty.
    facet_tokens: Mapped[str] = mapped_column(Text, default="")
    # PostgreSQL only (tsvector with weights A-D); NULL on SQLite, which uses the FTS5 table.
    search_vector: Mapped[str | None] = mapped_column(TsVector, nullable=True)
    updated_at: Mapped[datetime]


class SearchFacetRow(Base):
    """Facet value of a search document (检索分面值), for filters and counts."""

    __tablename__ = "search_facets"
    __table_args__ = (Index("ix_search_facets_scope_facet_value", "scope", "facet", "value", "doc_id"),)

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    doc_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    facet: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)


DOCUMENTS_KEY = ("", "")
"""``(facet, value)`` of the :class:`SearchCountRow` that holds the number of documents of a scope."""


class SearchCountRow(Base):
    """Kept count of a facet value over a whole scope (分面计数), and of the scope's documents
    (``facet = value = ''``): updated by every index and remove, so that listing a scope with its
    facets reads a few rows instead of counting every document."""

    __tablename__ = "search_counts"

    scope: Mapped[str] = mapped_column(String(64), primary_key=True)
    facet: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(BigInteger)
