"""Evidence service (存证服务): append entries in the caller's transaction; audit the stored log.

The leaf input of an entry is the RFC 8785 canonical JSON of
``{"kind", "subject", "actor", "time", "payload"}``; payloads that hold private data should carry
their hashes, the data staying in the owning domain. Signed tree heads and offline receipts are
the next part of issue 4; a receipt here carries the tree head and inclusion proof unsigned.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.domains.ledger import repository
from logispace.domains.ledger.canonical import canonical_json
from logispace.domains.ledger.merkle import CompactRange, leaf_hash
from logispace.domains.ledger.models import LedgerEntry, LedgerNode, LedgerTreeHead


@dataclass(frozen=True)
class Receipt:
    """Proof that an entry is in the log: its index and leaf, the tree head, the audit path."""

    index: int
    leaf_input: bytes
    leaf_hash: bytes
    tree_size: int
    root_hash: bytes
    timestamp: datetime
    audit_path: list[bytes]


def leaf_input_of(
    kind: str, subject: str, payload: dict[str, Any], actor: uuid.UUID | None, time: datetime
) -> bytes:
    """The canonical bytes hashed into the log for one entry."""
    document = {
        "kind": kind,
        "subject": subject,
        "actor": str(actor) if actor else None,
        "time": time.isoformat().replace("+00:00", "Z"),
        "payload": payload,
    }
    return canonical_json(document)


def append(
    session: Session, *, kind: str, subject: str, payload: dict[str, Any], actor: uuid.UUID | None
) -> Receipt:
    """Append one entry (存证) in the caller's transaction; a rollback leaves no trace of it."""
    return append_many(session, [(kind, subject, payload, actor)])[0]


def append_many(
    session: Session, entries: list[tuple[str, str, dict[str, Any], uuid.UUID | None]]
) -> list[Receipt]:
    """Append several entries under one tree head, in order."""
    if not entries:
        return []
    now = utcnow()
    leaves = []
    for kind, subject, payload, actor in entries:
        data = leaf_input_of(kind, subject, payload, actor, now)
        leaves.append(repository.NewLeaf(kind, subject, actor, now, data, leaf_hash(data)))
    repository.lock_for_append(session)
    first, size, root = repository.append_leaves(session, leaves, now)
    return [
        Receipt(
            index=first + i,
            leaf_input=leaf.leaf_input,
            leaf_hash=leaf.leaf_hash,
            tree_size=size,
            root_hash=root,
            timestamp=now,
            audit_path=repository.stored_inclusion_proof(session, first + i, size),
        )
        for i, leaf in enumerate(leaves)
    ]


@dataclass(frozen=True)
class AuditResult:
    """What ``audit`` found: the size checked and the first index that does not match, if any."""

    tree_size: int
    first_bad_index: int | None
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.first_bad_index is None


def audit(session: Session, batch: int = 10_000) -> AuditResult:
    """Recompute the tree from the stored leaf inputs and compare every stored hash, subtree and
    tree head; name the first index whose stored data no longer matches."""
    size = repository.tree_size(session)
    heads = {h.tree_size: bytes(h.root_hash) for h in session.scalars(select(LedgerTreeHead))}
    rebuilt = CompactRange()
    expected_index = 0
    while expected_index < size:
        rows = session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.leaf_index >= expected_index)
            .order_by(LedgerEntry.leaf_index)
            .limit(batch)
        ).all()
        if not rows:
            break
        stored_nodes = {
            (n.level, n.node_index): bytes(n.hash)
            for n in session.scalars(
                select(LedgerNode).where(
                    LedgerNode.level == 0,
                    LedgerNode.node_index.between(rows[0].leaf_index, rows[-1].leaf_index),
                )
            )
        }
        for row in rows:
            if row.leaf_index != expected_index:
                return AuditResult(size, expected_index, "entry missing")
            recomputed = leaf_hash(bytes(row.leaf_input))
            if recomputed != bytes(row.leaf_hash):
                return AuditResult(size, row.leaf_index, "leaf input does not match its leaf hash")
            if stored_nodes.get((0, row.leaf_index)) != recomputed:
                return AuditResult(size, row.leaf_index, "stored leaf node does not match the leaf input")
            for level, index, node in rebuilt.append(recomputed)[1:]:
                stored = session.get(LedgerNode, (level, index))
                if stored is None or bytes(stored.hash) != node:
                    first_leaf = index << level
                    return AuditResult(size, first_leaf, f"stored subtree ({level}, {index}) does not match")
            head = heads.get(rebuilt.size)
            if head is not None and head != rebuilt.root():
                return AuditResult(size, row.leaf_index, f"tree head at size {rebuilt.size} does not match")
            expected_index += 1
    return AuditResult(size, None, None)
