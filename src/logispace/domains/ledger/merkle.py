"""Merkle tree hashing (默克尔树) of RFC 6962 / RFC 9162 with SHA-256, pure and storage-free.

* ``leaf_hash(x) = SHA-256(0x00 || x)``, ``node_hash(l, r) = SHA-256(0x01 || l || r)``; the root
  of the empty tree is ``SHA-256()``.
* Proofs are built from a ``subtree`` function giving the root of leaves ``[lo, hi)``, so a store
  that keeps complete subtrees answers it in O(log n) reads and never rehashes the whole log.
* Verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2 and raises :class:`ProofError`
  with the reason; the RFC 6962 probes of transparency-dev/merkle pass (tests/ledger).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

SubtreeRoot = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof does not verify; the message says why."""


def leaf_hash(leaf_input: bytes) -> bytes:
    """RFC 6962 leaf hash: ``SHA-256(0x00 || leaf_input)``."""
    return hashlib.sha256(b"\x00" + leaf_input).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 6962 interior node hash: ``SHA-256(0x01 || left || right)``."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def split_point(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes]) -> bytes:
    """MTH of a whole list of leaf hashes (reference; O(n))."""
    if not leaf_hashes:
        return EMPTY_ROOT
    return _mth(leaf_hashes.__getitem__, 0, len(leaf_hashes))


def _mth(leaf: Callable[[int], bytes], lo: int, hi: int) -> bytes:
    if hi - lo == 1:
        return leaf(lo)
    k = split_point(hi - lo)
    return node_hash(_mth(leaf, lo, lo + k), _mth(leaf, lo + k, hi))


def subtree_from_leaves(leaf_hashes: Sequence[bytes]) -> SubtreeRoot:
    """A ``subtree`` function over an in-memory list of leaf hashes (tests, audits)."""
    return lambda lo, hi: _mth(leaf_hashes.__getitem__, lo, hi)


def inclusion_proof(index: int, size: int, subtree: SubtreeRoot) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of the first ``size`` leaves (RFC 6962 2.1.1)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf index {index} is outside a tree of size {size}")
    path: list[bytes] = []
    lo, hi, m = 0, size, index
    # Walk down from the root; collect siblings bottom-up by prepending.
    while hi - lo > 1:
        k = split_point(hi - lo)
        if m < k:
            path.append(subtree(lo + k, hi))
            hi = lo + k
        else:
            path.append(subtree(lo, lo + k))
            lo, m = lo + k, m - k
    path.reverse()
    return path


def consistency_proof(size1: int, size2: int, subtree: SubtreeRoot) -> list[bytes]:
    """The proof that the tree of ``size1`` leaves is a prefix of the tree of ``size2`` (RFC 6962 2.1.2)."""
    if not 0 < size1 <= size2:
        raise ValueError(f"no consistency proof from size {size1} to size {size2}")
    proof: list[bytes] = []
    lo, hi, m, complete = 0, size2, size1, True
    while m != hi - lo:
        k = split_point(hi - lo)
        if m <= k:
            proof.append(subtree(lo + k, hi))
            hi = lo + k
        else:
            proof.append(subtree(lo, lo + k))
            lo, m, complete = lo + k, m - k, False
    if not complete:
        proof.append(subtree(lo, hi))
    proof.reverse()
    return proof


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: Sequence[bytes]) -> bytes:
    """The root implied by ``proof`` for leaf hash ``leaf`` at ``index`` (RFC 9162 2.1.3.2)."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is outside a tree of size {size}")
    if len(leaf) != HASH_SIZE:
        raise ProofError(f"the leaf hash has {len(leaf)} bytes, not {HASH_SIZE}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than the tree is deep")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows ``leaf`` at ``index`` under ``root``."""
    if root_from_inclusion_proof(index, size, leaf, proof) != root:
        raise ProofError("the proof leads to a different root")


def verify_consistency(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> None:
    """Raise :class:`ProofError` unless ``proof`` shows tree ``size1`` is a prefix of tree ``size2``
    (RFC 9162 2.1.4.2). A proof from the empty tree proves nothing and is refused."""
    if size1 > size2:
        raise ProofError(f"size1 {size1} is larger than size2 {size2}")
    if size1 == 0:
        raise ProofError("consistency with the empty tree proves nothing")
    if size1 == size2:
        if proof:
            raise ProofError("equal sizes need an empty proof")
        if root1 != root2:
            raise ProofError("equal sizes but different roots")
        return
    if not proof:
        raise ProofError("the proof is empty")
    path = list(proof)
    if size1 & (size1 - 1) == 0:  # a power of two: the old root is itself a node of the new tree
        path.insert(0, root1)
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            raise ProofError("the proof is longer than needed")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the proof is shorter than needed")
    if fr != root1:
        raise ProofError("the proof does not lead to the first root")
    if sr != root2:
        raise ProofError("the proof does not lead to the second root")


@dataclass
class CompactRange:
    """The right border of a log: one root per complete subtree, largest first.

    Appending is O(log n) and the root is O(log n), so a tree head is never recomputed from all
    leaves. ``appended`` lists the complete subtrees each append finished, ``(level, index, hash)``,
    for a store to keep.
    """

    size: int = 0
    peaks: list[bytes] = field(default_factory=list)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add leaf hash ``leaf``; return the complete subtrees ``(level, index, hash)`` it closed."""
        closed = [(0, self.size, leaf)]
        node, index, level = leaf, self.size, 0
        while index & 1:
            node = node_hash(self.peaks.pop(), node)
            index >>= 1
            level += 1
            closed.append((level, index, node))
        self.peaks.append(node)
        self.size += 1
        return closed

    def extend(self, leaves: Iterable[bytes]) -> None:
        for leaf in leaves:
            self.append(leaf)

    def root(self) -> bytes:
        """The root hash of the tree of ``size`` leaves."""
        if not self.peaks:
            return EMPTY_ROOT
        node = self.peaks[-1]
        for peak in reversed(self.peaks[:-1]):
            node = node_hash(peak, node)
        return node
