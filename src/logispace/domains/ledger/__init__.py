"""Evidence ledger (存证): an append-only RFC 6962 Merkle log with proofs and signed tree heads.

Built so far: :mod:`merkle` (hashing, proofs, verification, compact range), :mod:`canonical`
(RFC 8785), admission with signed entry timestamps (:mod:`service`), integration into the tree in
batches under one signed tree head each (:mod:`sequencer`), receipts, bundles, audit and
offline verification, named lookups of a subject's entries and the cross-check of a stored chain
(:mod:`lookup`), and the public read API at the root; document notarization and verification
(单证存证与鉴真) with its API and pages in the :mod:`documents` sub-package, built on the log.
"""

from pathlib import Path

from logispace.domains.ledger import i18n
from logispace.domains.ledger.api import router as api_router
from logispace.domains.ledger.canonical import canonical_json
from logispace.domains.ledger.cli import app as cli
from logispace.domains.ledger.cli import verify as verify_command
from logispace.domains.ledger.documents import service as document_service
from logispace.domains.ledger.documents.api import router as documents_api_router
from logispace.domains.ledger.documents.pages import router as documents_pages_router
from logispace.domains.ledger.documents.schemas import DocumentFields
from logispace.domains.ledger.lookup import (
    ChainGaps,
    LedgerRecord,
    chain_gaps,
    compare_chain,
    entries_for_subject,
    entries_for_subjects,
)
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
from logispace.domains.ledger.receipts import receipt_for, receipt_json, verify_receipt
from logispace.domains.ledger.sequencer import Integration, Sequencer, integrate
from logispace.domains.ledger.service import (
    EntryTimestamp,
    Receipt,
    append,
    append_many,
    entries_of_subjects,
    forget_admission_keys,
    integration_deferred,
    timed_entries_of_subjects,
)
from logispace.domains.ledger.subscriptions import subscribe
from logispace.web.parts import WebParts

WEB = WebParts(
    routers=(api_router, documents_api_router, documents_pages_router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
    field_labels=i18n.FIELD_LABELS,
    template_globals={},
)
"""The routers, templates, page strings and labels this domain brings to the web application."""

__all__ = [
    "EMPTY_ROOT",
    "WEB",
    "ChainGaps",
    "CompactRange",
    "DocumentFields",
    "EntryTimestamp",
    "Integration",
    "LedgerRecord",
    "ProofError",
    "Receipt",
    "Sequencer",
    "api_router",
    "append",
    "append_many",
    "canonical_json",
    "chain_gaps",
    "cli",
    "compare_chain",
    "consistency_proof",
    "document_service",
    "documents_api_router",
    "documents_pages_router",
    "entries_for_subject",
    "entries_for_subjects",
    "entries_of_subjects",
    "forget_admission_keys",
    "inclusion_proof",
    "integrate",
    "integration_deferred",
    "leaf_hash",
    "node_hash",
    "receipt_for",
    "receipt_json",
    "root_from_inclusion_proof",
    "subscribe",
    "timed_entries_of_subjects",
    "verify_command",
    "verify_consistency",
    "verify_inclusion",
    "verify_receipt",
]
