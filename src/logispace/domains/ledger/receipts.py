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
import json
import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.config import Settings, get_settings
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
from logispace.domains.ledger.service import (
    EntryTimestamp,
    Receipt,
    active_key,
    entry_timestamp_message,
    head_timestamp,
    sign_entry_timestamp,
    tree_head_message,
)

FORMAT = "logispace-receipt/1"
PROMISE_FORMAT = "logispace-entry-timestamp/1"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def receipt_json(receipt: Receipt | EntryTimestamp, retry_after: int = 1) -> dict[str, Any]:
    """The receipt as the JSON document ``logispace verify`` reads: a full receipt, or for an
    entry not yet integrated the promise (its signed entry timestamp) with ``retry_after``
    seconds."""
    if isinstance(receipt, EntryTimestamp):
        return {
            "format": PROMISE_FORMAT,
            "entry": {
                "entry_id": receipt.entry_id,
                "leaf_input": _b64(receipt.leaf_input),
                "leaf_hash": _b64(receipt.leaf_hash),
            },
            "timestamp": head_timestamp(receipt.timestamp),
            "key_id": receipt.key_id,
            "signature": _b64(receipt.signature),
            "retry_after": retry_after,
            "key": {
                "key_id": receipt.key_id,
                "algorithm": receipt.algorithm,
                "public_key": _b64(receipt.public_key),
            },
        }
    return {
        "format": FORMAT,
        "entry": {
            "entry_id": receipt.entry_id,
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


def retry_after(settings: Settings) -> int:
    """Seconds after which a promised entry is integrated: the maximum merge delay, rounded up."""
    return max(1, math.ceil(settings.ledger_max_merge_delay))


def receipt_for(
    session: Session, entry_id: int, settings: Settings | None = None
) -> Receipt | EntryTimestamp:
    """A fresh receipt for entry ``entry_id`` at the latest signed tree head; before the entry is
    integrated, its signed entry timestamp (the promise) instead."""
    row = session.get(LedgerEntry, entry_id) if 0 <= entry_id < 2**62 else None
    if row is None:
        raise BeyondLog(f"no entry {entry_id}; the log has {repository.tree_size(session)} entries")
    if row.leaf_index is None:
        signer = active_key(session, settings or get_settings())
        return sign_entry_timestamp(signer, row.entry_id, bytes(row.leaf_input), row.recorded_at)
    index = row.leaf_index
    head = session.scalar(select(LedgerTreeHead).order_by(LedgerTreeHead.tree_size.desc()).limit(1))
    if head is None:  # pragma: no cover - an entry exists, so a head does
        raise BeyondLog("the log has no signed tree head")
    key = session.get(LedgerKey, head.key_id)
    if key is None:
        raise LookupError(f"the key {head.key_id} that signed tree head {head.tree_size} is missing")
    return Receipt(
        entry_id=row.entry_id,
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
    entry_id: int | None = None
    promise: bool = False
    """A signed entry timestamp (受理凭证) alone: admitted, not yet shown in the tree."""


@dataclass(frozen=True)
class ReceiptDocument:
    """A receipt file read into typed values, not yet checked (:func:`read_receipt`)."""

    entry_id: int | None
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
    entry_id = read_field(entry, "entry_id", int, "entry") if "entry_id" in entry else None
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
        entry_id=entry_id,
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
    """Check a receipt document offline, a full receipt or a promise (signed entry timestamp);
    never raises on bad input."""
    if isinstance(document, dict) and document.get("format") == PROMISE_FORMAT:
        return verify_promise(document, pinned)
    try:
        receipt = read_receipt(document)
    except Unreadable as exc:
        return Verdict(UNREADABLE, [str(exc)])
    return check_receipt(receipt, pinned)


def check_receipt(receipt: ReceiptDocument, pinned: list[dict[str, Any]] | None = None) -> Verdict:
    """Check a receipt already read: leaf hash, inclusion proof, key id, head signature, pinned keys."""
    r = receipt
    verdict = Verdict(
        VALID,
        index=r.index,
        tree_size=r.tree_size,
        key_id=r.head_key_id,
        timestamp=r.timestamp,
        entry_id=r.entry_id,
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
    _check_pinned(verdict, pinned, r.key_id, r.algorithm, r.public_key_text)
    return verdict


def _check_pinned(
    verdict: Verdict, pinned: list[dict[str, Any]] | None, key_id: str, algorithm: str, public_key: str
) -> None:
    if pinned is None:
        verdict.notes.append(
            "the key was taken from the receipt itself: pin the ledger's keys (--key keys.json) to trust it"
        )
    elif not any(
        k.get("key_id") == key_id and k.get("algorithm") == algorithm and k.get("public_key") == public_key
        for k in pinned
    ):
        verdict.reasons.append(f"the key {key_id} is not one of the pinned keys")
    if verdict.reasons:
        verdict.status = INVALID


def verify_promise(document: Any, pinned: list[dict[str, Any]] | None = None) -> Verdict:
    """Check a signed entry timestamp offline: the leaf hash, that the time is the leaf's own
    admission time, that the key id names the key, and the signature; never raises."""
    try:
        document = read_format(document, PROMISE_FORMAT, "signed entry timestamp")
        entry = read_field(document, "entry", dict, "signed entry timestamp")
        key = read_field(document, "key", dict, "signed entry timestamp")
        entry_id = read_field(entry, "entry_id", int, "entry")
        leaf_input = read_base64(entry, "leaf_input", "entry")
        stated_leaf = read_base64(entry, "leaf_hash", "entry")
        timestamp = read_field(document, "timestamp", str, "signed entry timestamp")
        stamp_key_id = read_field(document, "key_id", str, "signed entry timestamp")
        signature = read_base64(document, "signature", "signed entry timestamp")
        key_id = read_field(key, "key_id", str, "key")
        algorithm = read_field(key, "algorithm", str, "key")
        public_key = read_base64(key, "public_key", "key")
    except Unreadable as exc:
        return Verdict(UNREADABLE, [str(exc)])
    verdict = Verdict(VALID, key_id=stamp_key_id, timestamp=timestamp, entry_id=entry_id, promise=True)
    reasons = verdict.reasons
    if leaf_hash(leaf_input) != stated_leaf:
        reasons.append("the leaf hash does not match the leaf input")
    if _leaf_time(leaf_input) != timestamp:
        reasons.append("the timestamp is not the admission time in the leaf input")
    if key_id_of(public_key) != key_id:
        reasons.append("the key id does not name the public key")
    if stamp_key_id != key_id:
        reasons.append("the entry timestamp was signed by another key than the one given")
    message = entry_timestamp_message(entry_id, leaf_hash(leaf_input), timestamp, stamp_key_id)
    try:
        signed = verify_signature(algorithm, public_key, message, signature)
    except ValueError:
        reasons.append(f"unknown signature algorithm {algorithm!r}")
    else:
        if not signed:
            reasons.append("the entry timestamp signature does not verify")
    verdict.notes.append(
        "a promise: the entry is admitted but not yet in a signed tree head; fetch the receipt again later"
    )
    _check_pinned(verdict, pinned, key_id, algorithm, key["public_key"])
    return verdict


def _leaf_time(leaf_input: bytes) -> str | None:
    try:
        document = json.loads(leaf_input)
    except ValueError:
        return None
    found = document.get("time") if isinstance(document, dict) else None
    if not isinstance(found, str):
        return None
    try:
        return head_timestamp(datetime.fromisoformat(found.replace("Z", "+00:00")))
    except ValueError:
        return None
