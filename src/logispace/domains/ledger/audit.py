"""Ledger audit (审计): recompute the log from storage and name the first index that no longer matches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.ledger import repository
from logispace.domains.ledger.merkle import CompactRange, leaf_hash
from logispace.domains.ledger.models import LedgerEntry, LedgerNode, LedgerTreeHead


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
