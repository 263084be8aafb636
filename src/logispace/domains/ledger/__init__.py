"""Evidence ledger (存证): an append-only RFC 6962 Merkle log with proofs and signed tree heads.

Built so far: :mod:`merkle` (hashing, proofs, verification, compact range), :mod:`canonical`
(RFC 8785), stored appends with signed tree heads (:mod:`service`) and the public read API.
"""

from logispace.domains.ledger.api import router as api_router
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
    "api_router",
    "canonical_json",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion_proof",
    "verify_consistency",
    "verify_inclusion",
]
