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
import binascii
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.signing import key_id_of, verify_signature
from logispace.domains.ledger import repository
from logispace.domains.ledger.errors import BeyondLog
from logispace.domains.ledger.merkle import ProofError, leaf_hash, verify_inclusion
from logispace.domains.ledger.models import LedgerEntry, LedgerKey, LedgerTreeHead
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
class Verdict:
    """The outcome of checking a receipt: ``valid``, ``invalid`` or ``unreadable``."""

    status: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    index: int | None = None
    tree_size: int | None = None
    key_id: str | None = None
    timestamp: str | None = None

    @property
    def exit_code(self) -> int:
        return {"valid": 0, "invalid": 1}.get(self.status, 2)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reasons": self.reasons,
            "notes": self.notes,
            "index": self.index,
            "tree_size": self.tree_size,
            "key_id": self.key_id,
            "timestamp": self.timestamp,
        }


class _Unreadable(ValueError):
    pass


def _field(obj: Any, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(obj, dict) or name not in obj:
        raise _Unreadable(f"{where}.{name} is missing")
    value = obj[name]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise _Unreadable(f"{where}.{name} has the wrong type")
    return value


def _bytes(obj: Any, name: str, where: str) -> bytes:
    text = _field(obj, name, str, where)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise _Unreadable(f"{where}.{name} is not base64") from None


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
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            found = document.get("format") if isinstance(document, dict) else None
            raise _Unreadable(f"unknown receipt format {found!r} (expected {FORMAT!r})")
        entry = _field(document, "entry", dict, "receipt")
        head = _field(document, "tree_head", dict, "receipt")
        key = _field(document, "key", dict, "receipt")
        index = _field(entry, "index", int, "entry")
        leaf_input = _bytes(entry, "leaf_input", "entry")
        stated_leaf = _bytes(entry, "leaf_hash", "entry")
        size = _field(head, "tree_size", int, "tree_head")
        root = _bytes(head, "root_hash", "tree_head")
        timestamp = _field(head, "timestamp", str, "tree_head")
        head_key_id = _field(head, "key_id", str, "tree_head")
        signature = _bytes(head, "signature", "tree_head")
        proof_text = _field(document, "inclusion_proof", list, "receipt")
        proof = [_bytes({"node": p}, "node", f"inclusion_proof[{i}]") for i, p in enumerate(proof_text)]
        key_id = _field(key, "key_id", str, "key")
        algorithm = _field(key, "algorithm", str, "key")
        public_key = _bytes(key, "public_key", "key")
    except _Unreadable as exc:
        return Verdict("unreadable", [str(exc)])

    verdict = Verdict("valid", index=index, tree_size=size, key_id=head_key_id, timestamp=timestamp)
    reasons = verdict.reasons
    if leaf_hash(leaf_input) != stated_leaf:
        reasons.append("the leaf hash does not match the leaf input")
    if not 0 <= index < size:
        reasons.append(f"index {index} is outside a tree of size {size}")
    else:
        try:
            verify_inclusion(index, size, leaf_hash(leaf_input), proof, root)
        except ProofError as exc:
            reasons.append(f"the inclusion proof does not lead to the signed root: {exc}")
    if key_id_of(public_key) != key_id:
        reasons.append("the key id does not name the public key")
    if head_key_id != key_id:
        reasons.append("the tree head was signed by another key than the one given")
    message = tree_head_message(size, root, timestamp, head_key_id)
    try:
        signed = verify_signature(algorithm, public_key, message, signature)
    except ValueError:
        reasons.append(f"unknown signature algorithm {algorithm!r}")
    else:
        if not signed:
            reasons.append("the tree head signature does not verify")
    if pinned is None:
        verdict.notes.append(
            "the key was taken from the receipt itself: pin the ledger's keys (--key keys.json) to trust it"
        )
    elif not any(
        k.get("key_id") == key_id
        and k.get("algorithm") == algorithm
        and k.get("public_key") == key.get("public_key")
        for k in pinned
    ):
        reasons.append(f"the key {key_id} is not one of the pinned keys")
    if reasons:
        verdict.status = "invalid"
    return verdict
