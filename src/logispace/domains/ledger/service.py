"""Evidence service (存证服务): append entries in the caller's transaction; audit the stored log.

The leaf input of an entry is the RFC 8785 canonical JSON of
``{"kind", "subject", "actor", "time", "payload"}``; payloads that hold private data should carry
their hashes, the data staying in the owning domain. Every append signs the new tree head
with the active key and returns a :class:`Receipt` that verifies offline (:mod:`receipts`).
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings, get_settings
from logispace.core.db import transaction_cache
from logispace.core.keystore import master_key
from logispace.core.signing import SigningKey, seal, unseal, verify_signature
from logispace.domains.ledger import repository
from logispace.domains.ledger.canonical import canonical_json
from logispace.domains.ledger.merkle import leaf_hash
from logispace.domains.ledger.models import LedgerEntry, LedgerKey, LedgerTreeHead


@dataclass(frozen=True)
class Receipt:
    """Receipt (存证回执): proof that an entry is in the log, verifiable offline.

    The entry's index and leaf, the signed tree head that includes it, the audit path from the
    leaf to that head's root, and the public key whose id signed the head.
    """

    index: int
    leaf_input: bytes
    leaf_hash: bytes
    tree_size: int
    root_hash: bytes
    timestamp: datetime
    audit_path: list[bytes]
    key_id: str
    signature: bytes
    algorithm: str
    public_key: bytes


# -- signing keys and tree heads ----------------------------------------------------------------


_OPENED = "ledger.opened_key"


def active_key(session: Session, settings: Settings) -> SigningKey:
    """The current signing key, made on first use; its private half opened with the master key
    once per transaction (appending many entries in one unit of work reads it once).

    When Settings name another algorithm than the current key's (e.g. switching to the 国密
    profile, ``sm2``), the current key is retired and a key of the new algorithm takes over.
    """
    opened = transaction_cache(session, _OPENED)
    if opened.get("key") is not None and opened["key"].algorithm == settings.ledger_signature_algorithm:
        key: SigningKey = opened["key"]
        return key
    row = session.scalar(
        select(LedgerKey).where(LedgerKey.retired_at.is_(None)).order_by(LedgerKey.created_at.desc()).limit(1)
    )
    if row is None:
        key = _new_key(session, settings)
    elif row.algorithm != settings.ledger_signature_algorithm:
        key = rotate_key(session, settings)
    else:
        private = unseal(master_key(settings), bytes(row.sealed_private_key), row.key_id.encode())
        key = SigningKey(row.algorithm, private)
    opened["key"] = key
    return key


def rotate_key(session: Session, settings: Settings) -> SigningKey:
    """Retire the current key (kept, so old heads verify) and start signing with a new one."""
    transaction_cache(session, _OPENED).pop("key", None)
    now = utcnow()
    for row in session.scalars(select(LedgerKey).where(LedgerKey.retired_at.is_(None))):
        row.retired_at = now
    return _new_key(session, settings)


def _new_key(session: Session, settings: Settings) -> SigningKey:
    key = SigningKey.generate(settings.ledger_signature_algorithm)
    session.add(
        LedgerKey(
            key_id=key.key_id,
            algorithm=key.algorithm,
            public_key=key.public_key,
            sealed_private_key=seal(master_key(settings), key.private_key, key.key_id.encode()),
            created_at=utcnow(),
        )
    )
    session.flush()
    return key


def head_timestamp(timestamp: datetime) -> str:
    """A tree head's time as its signature covers it: UTC, microseconds, ``Z``."""
    return timestamp.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def tree_head_message(tree_size: int, root_hash: bytes, timestamp: datetime | str, key_id: str) -> bytes:
    """The bytes a tree head signature covers: canonical JSON, hashes in base64."""
    return canonical_json(
        {
            "key_id": key_id,
            "root_hash": base64.b64encode(root_hash).decode(),
            "timestamp": timestamp if isinstance(timestamp, str) else head_timestamp(timestamp),
            "tree_size": tree_size,
        }
    )


def verify_tree_head(head: LedgerTreeHead, key: LedgerKey) -> bool:
    """True when the stored head's signature verifies under ``key``."""
    message = tree_head_message(head.tree_size, bytes(head.root_hash), head.timestamp, head.key_id)
    return head.key_id == key.key_id and verify_signature(
        key.algorithm, bytes(key.public_key), message, bytes(head.signature)
    )


# -- entries ------------------------------------------------------------------------------------


def leaf_input_of(
    kind: str, subject: str, payload: dict[str, Any], actor: uuid.UUID | None, time: datetime
) -> bytes:
    """The canonical bytes hashed into the log for one entry."""
    document = {
        "kind": kind,
        "subject": subject,
        "actor": str(actor) if actor else None,
        "time": time.isoformat().replace("+00:00", "Z"),
        "payload": payload,
    }
    return canonical_json(document)


def append(
    session: Session,
    *,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    actor: uuid.UUID | None,
    settings: Settings | None = None,
) -> Receipt:
    """Append one entry (存证) in the caller's transaction; a rollback leaves no trace of it."""
    return append_many(session, [(kind, subject, payload, actor)], settings)[0]


def append_many(
    session: Session,
    entries: list[tuple[str, str, dict[str, Any], uuid.UUID | None]],
    settings: Settings | None = None,
) -> list[Receipt]:
    """Append several entries under one signed tree head, in order."""
    if not entries:
        return []
    settings = settings or get_settings()
    now = utcnow()
    leaves = []
    for kind, subject, payload, actor in entries:
        data = leaf_input_of(kind, subject, payload, actor, now)
        leaves.append(repository.NewLeaf(kind, subject, actor, now, data, leaf_hash(data)))
    repository.lock_for_append(session)
    key = active_key(session, settings)

    signatures: list[bytes] = []

    def sign_head(size: int, root: bytes, timestamp: datetime) -> tuple[str, bytes]:
        signatures.append(key.sign(tree_head_message(size, root, timestamp, key.key_id)))
        return key.key_id, signatures[-1]

    first, size, root = repository.append_leaves(session, leaves, now, sign_head)
    public_key = key.public_key
    paths = repository.stored_inclusion_proofs(session, range(first, size), size)
    return [
        Receipt(
            index=first + i,
            leaf_input=leaf.leaf_input,
            leaf_hash=leaf.leaf_hash,
            tree_size=size,
            root_hash=root,
            timestamp=now,
            audit_path=paths[i],
            key_id=key.key_id,
            signature=signatures[-1],
            algorithm=key.algorithm,
            public_key=public_key,
        )
        for i, leaf in enumerate(leaves)
    ]


def entries_of_subjects(session: Session, subjects: list[str]) -> list[tuple[int, str, str]]:
    """``(index, kind, subject)`` of every entry about one of ``subjects``, in log order."""
    if not subjects:
        return []
    rows = session.execute(
        select(LedgerEntry.leaf_index, LedgerEntry.kind, LedgerEntry.subject)
        .where(LedgerEntry.subject.in_(subjects))
        .order_by(LedgerEntry.leaf_index)
    ).all()
    return [(int(i), str(k), str(s)) for i, k, s in rows]


def timed_entries_of_subjects(
    session: Session, subjects: list[str], kinds: list[str], *, limit: int, offset: int
) -> list[tuple[int, str, str, datetime]]:
    """``(index, kind, subject, recorded_at)`` of the entries of ``kinds`` about one of ``subjects``
    (记录时间), newest first, one page: for activity streams."""
    if not subjects or not kinds:
        return []
    rows = session.execute(
        select(LedgerEntry.leaf_index, LedgerEntry.kind, LedgerEntry.subject, LedgerEntry.recorded_at)
        .where(LedgerEntry.subject.in_(subjects), LedgerEntry.kind.in_(kinds))
        .order_by(LedgerEntry.leaf_index.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(int(i), str(k), str(s), t) for i, k, s, t in rows]
