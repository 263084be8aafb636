"""Receipts (存证回执): the JSON form of a :class:`Receipt` and its offline verification.

A receipt file is self-contained::

    {"format": "logispace-receipt/1",
     "entry": {"index", "leaf_input", "leaf_hash"},
     "tree_head": {"tree_size", "root_hash", "timestamp", "key_id", "signature"},
     "inclusion_proof": [...],
     "key": {"key_id", "algorithm", "public_key"}}

Bytes are base64. Verification checks the leaf hash, the inclusion proof against the signed root,
that the key id names the public key, and the head signature. A key taken from the receipt proves
only that the receipt is consistent; pinning the ledger's published keys (``GET
/api/v1/ledger/keys``) is what makes it trusted. ``contrib/logispace_verify.py`` does the same with
the standard library alone.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.signing import key_id_of, verify_signature
from logispace.domains.ledger import offline, repository
from logispace.domains.ledger.errors import BeyondLog
from logispace.domains.ledger.merkle import ProofError, leaf_hash, verify_inclusion
from logispace.domains.ledger.models import LedgerEntry, LedgerKey, LedgerTreeHead
from logispace.domains.ledger.offline import (
    INVALID,
    UNREADABLE,
    VALID,
    Unreadable,
    read_base64,
    read_field,
    read_format,
)
from logispace.domains.ledger.service import Receipt, head_timestamp, tree_head_message

FORMAT = "logispace-receipt/1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def receipt_json(receipt: Receipt) -> dict[str, Any]:
    """The receipt as the JSON document ``logispace verify`` reads."""
    return {
        "format": FORMAT,
        "entry": {
            "index": receipt.index,
            "leaf_input": _b64(receipt.leaf_input),
            "leaf_hash": _b64(receipt.leaf_hash),
        },
        "tree_head": {
            "tree_size": receipt.tree_size,
            "root_hash": _b64(receipt.root_hash),
            "timestamp": head_timestamp(receipt.timestamp),
            "key_id": receipt.key_id,
            "signature": _b64(receipt.signature),
        },
        "inclusion_proof": [_b64(node) for node in receipt.audit_path],
        "key": {
            "key_id": receipt.key_id,
            "algorithm": receipt.algorithm,
            "public_key": _b64(receipt.public_key),
        },
    }


def receipt_for(session: Session, index: int) -> Receipt:
    """A fresh receipt for entry ``index`` at the latest signed tree head."""
    row = session.get(LedgerEntry, index) if 0 <= index < 2**62 else None
    if row is None:
        raise BeyondLog(f"no entry {index}; the log has {repository.tree_size(session)} entries")
    head = session.scalar(select(LedgerTreeHead).order_by(LedgerTreeHead.tree_size.desc()).limit(1))
    if head is None:  # pragma: no cover - an entry exists, so a head does
        raise BeyondLog("the log has no signed tree head")
    key = session.get(LedgerKey, head.key_id)
    if key is None:
        raise LookupError(f"the key {head.key_id} that signed tree head {head.tree_size} is missing")
    return Receipt(
        index=index,
        leaf_input=bytes(row.leaf_input),
        leaf_hash=bytes(row.leaf_hash),
        tree_size=head.tree_size,
        root_hash=bytes(head.root_hash),
        timestamp=head.timestamp,
        audit_path=repository.stored_inclusion_proof(session, index, head.tree_size),
        key_id=head.key_id,
        signature=bytes(head.signature),
        algorithm=key.algorithm,
        public_key=bytes(key.public_key),
    )


@dataclass
class Verdict(offline.Verdict):
    """The outcome of checking a receipt: ``valid``, ``invalid`` or ``unreadable``."""

    index: int | None = None
    tree_size: int | None = None
    key_id: str | None = None
    timestamp: str | None = None


@dataclass(frozen=True)
class ReceiptDocument:
    """A receipt file read into typed values, not yet checked (:func:`read_receipt`)."""

    index: int
    leaf_input: bytes
    leaf_hash: bytes
    tree_size: int
    root_hash: bytes
    timestamp: str
    head_key_id: str
    signature: bytes
    inclusion_proof: list[bytes]
    key_id: str
    algorithm: str
    public_key: bytes
    public_key_text: str


def read_receipt(document: Any) -> ReceiptDocument:
    """Read a ``logispace-receipt/1`` document; :class:`~.offline.Unreadable` names what is wrong."""
    document = read_format(document, FORMAT, "receipt")
    entry = read_field(document, "entry", dict, "receipt")
    head = read_field(document, "tree_head", dict, "receipt")
    key = read_field(document, "key", dict, "receipt")
    index = read_field(entry, "index", int, "entry")
    leaf_input = read_base64(entry, "leaf_input", "entry")
    stated_leaf = read_base64(entry, "leaf_hash", "entry")
    size = read_field(head, "tree_size", int, "tree_head")
    root = read_base64(head, "root_hash", "tree_head")
    timestamp = read_field(head, "timestamp", str, "tree_head")
    head_key_id = read_field(head, "key_id", str, "tree_head")
    signature = read_base64(head, "signature", "tree_head")
    proof_text = read_field(document, "inclusion_proof", list, "receipt")
    proof = [read_base64({"node": p}, "node", f"inclusion_proof[{i}]") for i, p in enumerate(proof_text)]
    return ReceiptDocument(
        index=index,
        leaf_input=leaf_input,
        leaf_hash=stated_leaf,
        tree_size=size,
        root_hash=root,
        timestamp=timestamp,
        head_key_id=head_key_id,
        signature=signature,
        inclusion_proof=proof,
        key_id=read_field(key, "key_id", str, "key"),
        algorithm=read_field(key, "algorithm", str, "key"),
        public_key=read_base64(key, "public_key", "key"),
        public_key_text=key["public_key"],
    )


def pinned_keys_from(document: Any) -> list[dict[str, Any]]:
    """Keys to trust, from the JSON of ``GET /api/v1/ledger/keys``, ``{"keys": [...]}`` or one key."""
    if isinstance(document, dict) and "keys" in document:
        document = document["keys"]
    if isinstance(document, dict):
        document = [document]
    if not isinstance(document, list) or not all(isinstance(k, dict) for k in document):
        raise ValueError("the key file must hold a key object or a list of key objects")
    return document


def verify_receipt(document: Any, pinned: list[dict[str, Any]] | None = None) -> Verdict:
    """Check a receipt document offline; never raises on bad input."""
    try:
        receipt = read_receipt(document)
    except Unreadable as exc:
        return Verdict(UNREADABLE, [str(exc)])
    return check_receipt(receipt, pinned)


def check_receipt(receipt: ReceiptDocument, pinned: list[dict[str, Any]] | None = None) -> Verdict:
    """Check a receipt already read: leaf hash, inclusion proof, key id, head signature, pinned keys."""
    r = receipt
    verdict = Verdict(
        VALID, index=r.index, tree_size=r.tree_size, key_id=r.head_key_id, timestamp=r.timestamp
    )
    reasons = verdict.reasons
    if leaf_hash(r.leaf_input) != r.leaf_hash:
        reasons.append("the leaf hash does not match the leaf input")
    if not 0 <= r.index < r.tree_size:
        reasons.append(f"index {r.index} is outside a tree of size {r.tree_size}")
    else:
        try:
            verify_inclusion(r.index, r.tree_size, leaf_hash(r.leaf_input), r.inclusion_proof, r.root_hash)
        except ProofError as exc:
            reasons.append(f"the inclusion proof does not lead to the signed root: {exc}")
    if key_id_of(r.public_key) != r.key_id:
        reasons.append("the key id does not name the public key")
    if r.head_key_id != r.key_id:
        reasons.append("the tree head was signed by another key than the one given")
    message = tree_head_message(r.tree_size, r.root_hash, r.timestamp, r.head_key_id)
    try:
        signed = verify_signature(r.algorithm, r.public_key, message, r.signature)
    except ValueError:
        reasons.append(f"unknown signature algorithm {r.algorithm!r}")
    else:
        if not signed:
            reasons.append("the tree head signature does not verify")
    if pinned is None:
        verdict.notes.append(
            "the key was taken from the receipt itself: pin the ledger's keys (--key keys.json) to trust it"
        )
    elif not any(
        k.get("key_id") == r.key_id
        and k.get("algorithm") == r.algorithm
        and k.get("public_key") == r.public_key_text
        for k in pinned
    ):
        reasons.append(f"the key {r.key_id} is not one of the pinned keys")
    if reasons:
        verdict.status = INVALID
    return verdict
