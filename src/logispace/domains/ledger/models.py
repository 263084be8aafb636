"""Ledger tables: entries (leaves), complete subtrees, and tree heads. Append-only by trigger."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from logispace.core.db import Base

APPEND_ONLY_TABLES = ("ledger_entries", "ledger_nodes", "ledger_tree_heads")


class LedgerEntry(Base):
    """Ledger entry (存证记录): one leaf of the log, its canonical leaf input and leaf hash."""

    __tablename__ = "ledger_entries"

    leaf_index: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
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


class LedgerTreeHead(Base):
    """Signed tree head (签名树头): the root at a size, signed when an append grows the log to it."""

    __tablename__ = "ledger_tree_heads"

    tree_size: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    timestamp: Mapped[datetime] = mapped_column()
    key_id: Mapped[str] = mapped_column(ForeignKey("ledger_keys.key_id", ondelete="RESTRICT"))
    signature: Mapped[bytes] = mapped_column(LargeBinary)
