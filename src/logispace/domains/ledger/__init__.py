"""Evidence ledger (存证): an append-only RFC 6962 Merkle log with proofs and signed tree heads.

Only the pure core exists so far: :mod:`merkle` (hashing, proofs, verification, compact range)
and :mod:`canonical` (RFC 8785 canonical JSON of entries).
"""

from logispace.domains.ledger.canonical import canonical_json
from logispace.domains.ledger.merkle import (
    EMPTY_ROOT,
    CompactRange,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root_from_inclusion_proof,
    verify_consistency,
    verify_inclusion,
)

__all__ = [
    "EMPTY_ROOT",
    "CompactRange",
    "ProofError",
    "canonical_json",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion_proof",
    "verify_consistency",
    "verify_inclusion",
]
