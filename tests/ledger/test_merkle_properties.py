"""Properties of the Merkle core: every proof verifies, every single-bit change fails."""

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from logispace.domains.ledger import (
    EMPTY_ROOT,
    CompactRange,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    verify_consistency,
    verify_inclusion,
)
from logispace.domains.ledger.merkle import root_of, subtree_from_leaves


def leaves(n: int) -> list[bytes]:
    return [leaf_hash(i.to_bytes(4, "big")) for i in range(n)]


def flip(data: bytes, bit: int) -> bytes:
    bit %= len(data) * 8
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def test_rfc6962_hash_prefixes_and_empty_root() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert root_of([]) == EMPTY_ROOT


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 300), st.data())
def test_compact_range_root_equals_reference_root(n: int, data: st.DataObject) -> None:
    hashes = leaves(n)
    compact = CompactRange()
    compact.extend(hashes)
    assert compact.size == n
    assert compact.root() == root_of(hashes)
    assert len(compact.peaks) == bin(n).count("1")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 260).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1))), st.integers(0, 10**6)
)
def test_inclusion_proofs_verify_and_any_bit_flip_fails(case: tuple[int, int], bit: int) -> None:
    n, index = case
    hashes = leaves(n)
    root = root_of(hashes)
    proof = inclusion_proof(index, n, subtree_from_leaves(hashes))
    assert len(proof) <= (n - 1).bit_length()
    verify_inclusion(index, n, hashes[index], proof, root)
    with pytest.raises(ProofError):
        verify_inclusion(index, n, flip(hashes[index], bit), proof, root)
    with pytest.raises(ProofError):
        verify_inclusion(index, n, hashes[index], proof, flip(root, bit))
    if proof:
        k = bit % len(proof)
        with pytest.raises(ProofError):
            verify_inclusion(
                index, n, hashes[index], [*proof[:k], flip(proof[k], bit), *proof[k + 1 :]], root
            )
        with pytest.raises(ProofError):
            verify_inclusion(index, n, hashes[index], proof[:-1], root)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 260).flatmap(lambda n: st.tuples(st.integers(1, n), st.just(n))), st.integers(0, 10**6))
def test_consistency_proofs_verify_and_any_bit_flip_fails(sizes: tuple[int, int], bit: int) -> None:
    size1, size2 = sizes
    hashes = leaves(size2)
    root1, root2 = root_of(hashes[:size1]), root_of(hashes)
    proof = consistency_proof(size1, size2, subtree_from_leaves(hashes))
    verify_consistency(size1, size2, proof, root1, root2)
    if size1 == size2:
        assert proof == []
        return
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, proof, flip(root1, bit), root2)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, proof, root1, flip(root2, bit))
    k = bit % len(proof)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, [*proof[:k], flip(proof[k], bit), *proof[k + 1 :]], root1, root2)
    with pytest.raises(ProofError):
        verify_consistency(size1, size2, proof[:-1], root1, root2)


def test_compact_range_reports_the_subtrees_it_closes() -> None:
    compact = CompactRange()
    hashes = leaves(4)
    assert [(lvl, idx) for lvl, idx, _ in compact.append(hashes[0])] == [(0, 0)]
    assert [(lvl, idx) for lvl, idx, _ in compact.append(hashes[1])] == [(0, 1), (1, 0)]
    compact.append(hashes[2])
    closed = compact.append(hashes[3])
    assert [(lvl, idx) for lvl, idx, _ in closed] == [(0, 3), (1, 1), (2, 0)]
    assert closed[-1][2] == root_of(hashes)
