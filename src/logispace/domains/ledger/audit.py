"""Ledger audit (审计): recompute the log from storage and name the first index that no longer matches."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
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
    tree head; name the first index whose stored data no longer matches.

    Reads ``batch`` entries at a time, with the subtrees their appends completed and the tree
    heads at the sizes they reach in one query each, so the audit costs three queries per batch
    whatever the size of the log.
    """
    size = repository.tree_size(session)
    rebuilt = CompactRange()
    expected_index = 0
    while expected_index < size:
        rows = session.execute(
            select(LedgerEntry.leaf_index, LedgerEntry.leaf_input, LedgerEntry.leaf_hash)
            .where(LedgerEntry.leaf_index >= expected_index, LedgerEntry.leaf_index < size)
            .order_by(LedgerEntry.leaf_index)
            .limit(batch)
        ).all()
        if not rows:
            return AuditResult(size, expected_index, "entry missing")
        first, last = rows[0].leaf_index, rows[-1].leaf_index
        stored_nodes = _nodes_completed_by(session, first, last)
        heads = {
            tree_size: bytes(root)
            for tree_size, root in session.execute(
                select(LedgerTreeHead.tree_size, LedgerTreeHead.root_hash).where(
                    LedgerTreeHead.tree_size.between(first + 1, last + 1)
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
                if stored_nodes.get((level, index)) != node:
                    first_leaf = index << level
                    return AuditResult(size, first_leaf, f"stored subtree ({level}, {index}) does not match")
            head = heads.get(rebuilt.size)
            if head is not None and head != rebuilt.root():
                return AuditResult(size, row.leaf_index, f"tree head at size {rebuilt.size} does not match")
            expected_index += 1
    return AuditResult(size, None, None)


def _nodes_completed_by(session: Session, first: int, last: int) -> dict[tuple[int, int], bytes]:
    """The stored subtrees that the appends of leaves ``first..last`` completed, in one query.

    Appending leaf ``i`` completes the subtree ``(level, j)`` when ``(j + 1) * 2**level == i + 1``,
    so at each level the indices form the range ``ceil((first + 1) / 2**level) - 1`` to
    ``(last + 1) // 2**level - 1``.
    """
    ranges = []
    for level in range((last + 1).bit_length()):
        lo = -(-(first + 1) >> level) - 1
        hi = ((last + 1) >> level) - 1
        if lo <= hi:
            ranges.append(and_(LedgerNode.level == level, LedgerNode.node_index.between(lo, hi)))
    rows = session.execute(
        select(LedgerNode.level, LedgerNode.node_index, LedgerNode.hash).where(or_(*ranges))
    )
    return {(level, index): bytes(h) for level, index, h in rows}
