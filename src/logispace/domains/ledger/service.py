"""Evidence service (存证服务): append entries in the caller's transaction; audit the stored log.

The leaf input of an entry is the RFC 8785 canonical JSON of
``{"kind", "subject", "actor", "time", "payload"}``; payloads that hold private data should carry
their hashes, the data staying in the owning domain. Every append signs the new tree head
with the active key and returns a :class:`Receipt` that verifies offline (:mod:`receipts`).
"""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
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

    The entry's id, tree index and leaf, the signed tree head that includes it, the audit path
    from the leaf to that head's root, and the public key whose id signed the head. Exists once
    the sequencer integrated the entry; before, the entry has only its :class:`EntryTimestamp`.
    """

    entry_id: int
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
    forget_admission_keys()
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


@dataclass(frozen=True)
class EntryTimestamp:
    """Signed entry timestamp (签名受理凭证, SET): the log's promise to integrate an admitted entry
    within the maximum merge delay, verifiable offline against the published keys.

    The signature covers :func:`entry_timestamp_message`: the entry id, the leaf hash, the
    admission time (the ``time`` of the leaf input) and the key id.
    """

    entry_id: int
    leaf_input: bytes
    leaf_hash: bytes
    timestamp: datetime
    key_id: str
    signature: bytes
    algorithm: str
    public_key: bytes


def entry_timestamp_message(
    entry_id: int, leaf_hash_: bytes, timestamp: datetime | str, key_id: str
) -> bytes:
    """The bytes a signed entry timestamp covers: canonical JSON, the hash in base64."""
    return canonical_json(
        {
            "entry_id": entry_id,
            "key_id": key_id,
            "leaf_hash": base64.b64encode(leaf_hash_).decode(),
            "timestamp": timestamp if isinstance(timestamp, str) else head_timestamp(timestamp),
            "type": "logispace-entry-timestamp",
        }
    )


def sign_entry_timestamp(
    key: SigningKey, entry_id: int, leaf_input: bytes, timestamp: datetime
) -> EntryTimestamp:
    """The signed entry timestamp of an admitted entry under ``key``."""
    hashed = leaf_hash(leaf_input)
    signature = key.sign(entry_timestamp_message(entry_id, hashed, timestamp, key.key_id))
    return EntryTimestamp(
        entry_id, leaf_input, hashed, timestamp, key.key_id, signature, key.algorithm, key.public_key
    )


# The opened active key per database and algorithm, for admissions: reading it from the database
# in every business transaction would add a statement to each. Kept a few seconds, so that a key
# rotated by another process is taken up soon (a SET signed by the retired key still verifies).
_ADMISSION_KEYS: dict[tuple[str, str], tuple[SigningKey, float]] = {}
_ADMISSION_KEY_SECONDS = 5.0


def forget_admission_keys() -> None:
    """Drop the cached admission keys (after a rotation; tests whose transactions roll back)."""
    _ADMISSION_KEYS.clear()


def _admission_key(session: Session, settings: Settings) -> SigningKey:
    cache_key = (str(session.get_bind().engine.url), settings.ledger_signature_algorithm)
    cached = _ADMISSION_KEYS.get(cache_key)
    if cached is not None and cached[1] > time.monotonic():
        return cached[0]
    fresh = session.scalar(select(LedgerKey.key_id).where(LedgerKey.retired_at.is_(None)).limit(1))
    key = active_key(session, settings)
    if fresh == key.key_id:  # only a key already stored before this transaction is shared
        _ADMISSION_KEYS[cache_key] = (key, time.monotonic() + _ADMISSION_KEY_SECONDS)
    return key


def append(
    session: Session,
    *,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    actor: uuid.UUID | None,
    settings: Settings | None = None,
) -> EntryTimestamp:
    """Admit one entry (存证受理) in the caller's transaction; a rollback leaves no trace of it."""
    return append_many(session, [(kind, subject, payload, actor)], settings)[0]


def append_many(
    session: Session,
    entries: list[tuple[str, str, dict[str, Any], uuid.UUID | None]],
    settings: Settings | None = None,
) -> list[EntryTimestamp]:
    """Admit several entries, in order: one INSERT (with RETURNING of the ids a PostgreSQL sequence
    gives), no lock and no tree touched, and a signed entry timestamp each. The sequencer
    (:mod:`sequencer`) integrates them into the tree once the caller's transaction commits."""
    if not entries:
        return []
    settings = settings or get_settings()
    now = utcnow()
    inputs = [leaf_input_of(kind, subject, payload, actor, now) for kind, subject, payload, actor in entries]
    rows: list[dict[str, Any]] = [
        {
            "kind": kind,
            "subject": subject,
            "actor_party_id": actor,
            "recorded_at": now,
            "leaf_input": data,
            "leaf_hash": leaf_hash(data),
        }
        for (kind, subject, _, actor), data in zip(entries, inputs, strict=True)
    ]
    ids = repository.admit(session, rows)
    key = _admission_key(session, settings)
    stamps = [sign_entry_timestamp(key, i, data, now) for i, data in zip(ids, inputs, strict=True)]
    if settings.ledger_sequencer == "inline" and not session.info.get(_DEFERRED):
        from logispace.domains.ledger.sequencer import integrate

        integrate(session, settings=settings, until=ids[-1])
    return stamps


_DEFERRED = "ledger.integration_deferred"


@contextmanager
def integration_deferred(session: Session, settings: Settings | None = None) -> Iterator[None]:
    """In the ``inline`` mode, integrate the entries appended inside the block once, when it ends
    without an error, under one tree head, instead of one head per append: for bulk writes such as
    demo loads and test fixtures. In the other modes the sequencer integrates anyway: no effect."""
    depth = session.info.get(_DEFERRED, 0)
    session.info[_DEFERRED] = depth + 1
    try:
        yield
    finally:
        session.info[_DEFERRED] = depth
    settings = settings or get_settings()
    if depth == 0 and settings.ledger_sequencer == "inline":
        from logispace.domains.ledger.sequencer import integrate

        integrate(session, settings=settings)


def entries_of_subjects(session: Session, subjects: list[str]) -> list[tuple[int, str, str]]:
    """``(entry id, kind, subject)`` of every entry about one of ``subjects``, in admission order."""
    if not subjects:
        return []
    rows = session.execute(
        select(LedgerEntry.entry_id, LedgerEntry.kind, LedgerEntry.subject)
        .where(LedgerEntry.subject.in_(subjects))
        .order_by(LedgerEntry.entry_id)
    ).all()
    return [(int(i), str(k), str(s)) for i, k, s in rows]


def timed_entries_of_subjects(
    session: Session, subjects: list[str], kinds: list[str], *, limit: int, offset: int
) -> list[tuple[int, str, str, datetime]]:
    """``(entry id, kind, subject, recorded_at)`` of the entries of ``kinds`` about one of ``subjects``
    (记录时间), newest first, one page: for activity streams."""
    if not subjects or not kinds:
        return []
    rows = session.execute(
        select(LedgerEntry.entry_id, LedgerEntry.kind, LedgerEntry.subject, LedgerEntry.recorded_at)
        .where(LedgerEntry.subject.in_(subjects), LedgerEntry.kind.in_(kinds))
        .order_by(LedgerEntry.entry_id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(int(i), str(k), str(s), t) for i, k, s, t in rows]
