"""Ledger tables: entries (leaves), complete subtrees, tree heads (append-only by trigger), and
notarized documents with their versions (versions append-only by trigger)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin

APPEND_ONLY_TABLES = ("ledger_entries", "ledger_nodes", "ledger_tree_heads")


class LedgerEntry(Base):
    """Ledger entry (存证记录): one admitted entry, its canonical leaf input and leaf hash.

    ``entry_id`` (存证编号) is given at admission without any lock (a database sequence on
    PostgreSQL); ``leaf_index`` (树内序号) and ``integrated_at`` are set once, by the sequencer,
    when the entry is integrated into the tree. Domains store the entry id.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index(
            "ix_ledger_entries_pending",
            "entry_id",
            postgresql_where=text("leaf_index IS NULL"),
            sqlite_where=text("leaf_index IS NULL"),
        ),
    )

    entry_id: Mapped[int] = mapped_column(BigInteger, Identity(start=0, minvalue=0), primary_key=True)
    leaf_index: Mapped[int | None] = mapped_column(BigInteger, index=True, unique=True)
    integrated_at: Mapped[datetime | None] = mapped_column()
    kind: Mapped[str] = mapped_column(String(80))
    subject: Mapped[str] = mapped_column(String(200), index=True)
    actor_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime] = mapped_column()
    leaf_input: Mapped[bytes] = mapped_column(LargeBinary)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerNode(Base):
    """A complete subtree of the log: leaves ``[node_index * 2**level, (node_index + 1) * 2**level)``."""

    __tablename__ = "ledger_nodes"

    level: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    node_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class LedgerKey(Base):
    """Ledger signing key (签名密钥): the public key, and the private key sealed under the master key.

    Rotation retires a key but keeps it, so old tree heads stay verifiable.
    """

    __tablename__ = "ledger_keys"

    key_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    algorithm: Mapped[str] = mapped_column(String(20))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    sealed_private_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column()
    retired_at: Mapped[datetime | None] = mapped_column()


class SequencerLock(Base):
    """The lock row of the sequencer (排序器锁): on SQLite, whoever holds ``holder`` with a fresh
    ``heartbeat`` integrates; on PostgreSQL an advisory lock does this and the row only reports."""

    __tablename__ = "ledger_sequencer"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    heartbeat: Mapped[datetime] = mapped_column()


class LedgerTreeHead(Base):
    """Signed tree head (签名树头): the root at a size, signed when an append grows the log to it."""

    __tablename__ = "ledger_tree_heads"

    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    timestamp: Mapped[datetime] = mapped_column()
    key_id: Mapped[str] = mapped_column(ForeignKey("ledger_keys.key_id", ondelete="RESTRICT"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)


class Document(IdMixin, Base):
    """Notarized document (存证单证): a waybill, bill of lading or declaration a party signed.

    The file itself is never stored, only the hashes of its versions.
    """

    __tablename__ = "documents"
    __table_args__ = (
        Index("ix_documents_issuer_created", "issuer_party_id", "created_at"),
        Index("ix_documents_reference", "reference"),
    )

    issuer_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("parties.id", ondelete="RESTRICT"))
    title: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class DocumentVersion(IdMixin, Base):
    """Document version (单证版本): one signed hash of a document, written once and never changed.

    A later version supersedes the earlier ones, which stay verifiable.
    """

    __tablename__ = "document_versions"
    __table_args__ = (UniqueConstraint("document_id", "version"),)

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="RESTRICT"))
    version: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    filename: Mapped[str | None] = mapped_column(String(255))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )
