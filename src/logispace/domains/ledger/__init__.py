"""Evidence ledger (存证): an append-only RFC 6962 Merkle log with proofs and signed tree heads.

Built so far: :mod:`merkle` (hashing, proofs, verification, compact range), :mod:`canonical`
(RFC 8785), stored appends with signed tree heads (:mod:`service`) and the public read API;
document notarization and verification (单证存证与鉴真, :mod:`document_service`) with its API and pages.
"""

from logispace.domains.ledger import document_service
from logispace.domains.ledger.api import router as api_router
from logispace.domains.ledger.canonical import canonical_json
from logispace.domains.ledger.document_api import router as documents_api_router
from logispace.domains.ledger.document_pages import router as documents_pages_router
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
    "document_service",
    "documents_api_router",
    "documents_pages_router",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_from_inclusion_proof",
    "verify_consistency",
    "verify_inclusion",
]
