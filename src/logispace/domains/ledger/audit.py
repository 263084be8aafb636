"""Ledger audit (审计): recompute the log from storage and name the first index or tree head that
no longer matches.

For every entry: the stored leaf hash is the hash of the stored leaf input, the columns beside it
(``kind``, ``subject``, ``recorded_at``, ``actor_party_id``) say what the hashed leaf input says,
and the stored leaf node and every subtree it completes are what the leaves recompute to. For
every signed tree head: its root is the root recomputed from the stored leaves at its size (so
consecutive heads are consistent: each is a prefix of the next), and its signature verifies under
the published key it names, whose key id is the hash of that public key. And every signed entry
timestamp kept its promise: each entry was integrated within the maximum merge delay (a broken
promise names the entry id and its admission time).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.signing import key_id_of, verifier
from logispace.domains.ledger import repository
from logispace.domains.ledger.merkle import CompactRange, leaf_hash
from logispace.domains.ledger.models import LedgerEntry, LedgerKey, LedgerNode, LedgerTreeHead
from logispace.domains.ledger.service import head_timestamp


@dataclass(frozen=True)
class AuditResult:
    """What ``audit`` found: the size checked, and the first index or the first tree head (by its
    size) that does not match, with the reason; ``heads_checked`` counts the signatures verified."""

    tree_size: int
    first_bad_index: int | None
    reason: str | None
    bad_head: int | None = None
    heads_checked: int = field(default=0, compare=False)
    broken_promises: list[tuple[int, datetime]] = field(default_factory=list, compare=False)
    """``(entry id, admission time)`` of every entry whose signed entry timestamp promised
    integration within the maximum merge delay and that was integrated later or not at all."""

    @property
    def ok(self) -> bool:
        return self.first_bad_index is None and self.bad_head is None and not self.broken_promises


def broken_promises(
    session: Session, max_merge_delay: float, now: datetime, batch: int = 10_000
) -> list[tuple[int, datetime]]:
    """``(entry id, admission time)`` of the entries integrated later than ``max_merge_delay``
    seconds after admission, or still waiting longer than that at ``now``; in entry id order.

    The times are compared here rather than in SQL, where interval arithmetic differs between
    PostgreSQL and SQLite; the entries are read ``batch`` at a time, three columns each.
    """
    limit = timedelta(seconds=max_merge_delay)
    out: list[tuple[int, datetime]] = []
    after = -1
    while True:
        rows = session.execute(
            select(LedgerEntry.entry_id, LedgerEntry.recorded_at, LedgerEntry.integrated_at)
            .where(LedgerEntry.entry_id > after)
            .order_by(LedgerEntry.entry_id)
            .limit(batch)
        ).all()
        if not rows:
            return out
        out.extend((int(i), admitted) for i, admitted, done in rows if (done or now) - admitted > limit)
        after = int(rows[-1][0])


@dataclass(frozen=True)
class _Key:
    algorithm: str
    names_itself: bool
    verify: Callable[[bytes, bytes], bool] | None


def audit(
    session: Session,
    batch: int = 10_000,
    *,
    max_merge_delay: float | None = None,
    now: datetime | None = None,
) -> AuditResult:
    """Recompute the tree from the stored leaf inputs and compare every stored column, hash,
    subtree and tree head (root and signature); name the first index or head that no longer
    matches.

    Reads ``batch`` entries at a time, with the subtrees their appends completed and the tree
    heads at the sizes they reach in one query each, so the audit costs three queries per batch
    (and one for the keys) whatever the size of the log.
    """
    result = _audit_tree(session, batch)
    if max_merge_delay is None:
        return result
    late = broken_promises(session, max_merge_delay, now or utcnow(), batch)
    return AuditResult(
        result.tree_size, result.first_bad_index, result.reason, result.bad_head, result.heads_checked, late
    )


def _audit_tree(session: Session, batch: int) -> AuditResult:
    size = repository.tree_size(session)
    keys = _published_keys(session)
    rebuilt = CompactRange()
    expected_index = 0
    heads_checked = 0
    while expected_index < size:
        rows = session.execute(
            select(
                LedgerEntry.leaf_index,
                LedgerEntry.leaf_input,
                LedgerEntry.leaf_hash,
                LedgerEntry.kind,
                LedgerEntry.subject,
                LedgerEntry.recorded_at,
                LedgerEntry.actor_party_id,
            )
            .where(LedgerEntry.leaf_index >= expected_index, LedgerEntry.leaf_index < size)
            .order_by(LedgerEntry.leaf_index)
            .limit(batch)
        ).all()
        if not rows:
            return AuditResult(size, expected_index, "entry missing", heads_checked=heads_checked)
        first, last = rows[0].leaf_index, rows[-1].leaf_index
        stored_nodes = _nodes_completed_by(session, first, last)
        heads = {
            head.tree_size: head
            for head in session.execute(
                select(
                    LedgerTreeHead.tree_size,
                    LedgerTreeHead.root_hash,
                    LedgerTreeHead.timestamp,
                    LedgerTreeHead.key_id,
                    LedgerTreeHead.signature,
                ).where(LedgerTreeHead.tree_size.between(first + 1, last + 1))
            )
        }
        for row in rows:
            if row.leaf_index != expected_index:
                return AuditResult(size, expected_index, "entry missing", heads_checked=heads_checked)
            data = bytes(row.leaf_input)
            recomputed = leaf_hash(data)
            if recomputed != bytes(row.leaf_hash):
                return AuditResult(size, row.leaf_index, "leaf input does not match its leaf hash")
            column = _column_mismatch(data, row)
            if column is not None:
                return AuditResult(size, row.leaf_index, column, heads_checked=heads_checked)
            if stored_nodes.get((0, row.leaf_index)) != recomputed:
                return AuditResult(size, row.leaf_index, "stored leaf node does not match the leaf input")
            for level, index, node in rebuilt.append(recomputed)[1:]:
                if stored_nodes.get((level, index)) != node:
                    first_leaf = index << level
                    return AuditResult(size, first_leaf, f"stored subtree ({level}, {index}) does not match")
            head = heads.get(rebuilt.size)
            if head is not None:
                if bytes(head.root_hash) != rebuilt.root():
                    return AuditResult(
                        size,
                        row.leaf_index,
                        f"tree head at size {rebuilt.size} does not match",
                        bad_head=rebuilt.size,
                        heads_checked=heads_checked,
                    )
                wrong = _head_signature_problem(head, keys)
                if wrong is not None:
                    return AuditResult(
                        size,
                        None,
                        f"tree head at size {head.tree_size}: {wrong}",
                        head.tree_size,
                        heads_checked,
                    )
                heads_checked += 1
            expected_index += 1
    return AuditResult(size, None, None, heads_checked=heads_checked)


def _published_keys(session: Session) -> dict[str, _Key]:
    """Every signing key the ledger publishes (retired ones too), read and loaded once."""
    keys = {}
    for key_id, algorithm, public in session.execute(
        select(LedgerKey.key_id, LedgerKey.algorithm, LedgerKey.public_key)
    ):
        try:
            verify = verifier(algorithm, bytes(public))
        except ValueError:
            verify = None
        keys[key_id] = _Key(algorithm, key_id_of(bytes(public)) == key_id, verify)
    return keys


def head_message(tree_size: int, root_hash: bytes, timestamp: datetime, key_id: str) -> bytes:
    """:func:`~.service.tree_head_message` for a key id of hex digits, written out directly: the
    RFC 8785 form of four plain ASCII members is their sorted, unescaped JSON (a fifth of the cost
    per head; tests/ledger/test_audit.py checks both agree)."""
    root = base64.b64encode(root_hash).decode()
    moment = head_timestamp(timestamp)
    return (
        f'{{"key_id":"{key_id}","root_hash":"{root}","timestamp":"{moment}","tree_size":{tree_size}}}'
    ).encode()


def _head_signature_problem(head: Any, keys: dict[str, _Key]) -> str | None:
    """Why a stored head's signature does not verify under the published key it names, or None."""
    key = keys.get(head.key_id)
    if key is None:
        return f"names key {head.key_id}, which is not a published key"
    if not key.names_itself:  # so the key id is the key's hex SHA-256
        return f"the published key {head.key_id} is not the key its id names"
    if key.verify is None:
        return f"unknown signature algorithm {key.algorithm!r}"
    message = head_message(head.tree_size, bytes(head.root_hash), head.timestamp, head.key_id)
    if key.verify(message, bytes(head.signature)):
        return None
    return f"the signature does not verify under key {head.key_id}"


@lru_cache(maxsize=4096)
def _json_text(value: str) -> bytes:
    """A string as RFC 8785 writes it (escaping only what JSON must); kinds repeat, so cached."""
    if value.isascii() and value.isprintable() and '"' not in value and "\\" not in value:
        return b'"' + value.encode() + b'"'
    return json.dumps(value, ensure_ascii=False).encode()


@lru_cache(maxsize=1024)
def _leaf_time(moment: datetime) -> bytes:
    """``recorded_at`` as the leaf input writes it; the entries of one append share it, so cached."""
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z").encode()


def _columns_framed(data: bytes, row: Any) -> bool:
    """The fast path: the canonical leaf input is ``{"actor":…,"kind":…,"payload":…,"subject":…,
    "time":…}`` (members sorted), so the columns written in that form must open and close it. A
    string written here cannot hold an unescaped quote, so a match cannot straddle the payload;
    anything that does not match is read as JSON to say which column differs."""
    actor = b"null" if row.actor_party_id is None else b'"' + str(row.actor_party_id).encode() + b'"'
    return data.startswith(b'{"actor":' + actor + b',"kind":' + _json_text(row.kind) + b',"payload":') and (
        data.endswith(
            b',"subject":' + _json_text(row.subject) + b',"time":"' + _leaf_time(row.recorded_at) + b'"}'
        )
    )


def _column_mismatch(data: bytes, row: Any) -> str | None:
    """Which stored column says something else than the hashed leaf input, or None."""
    if _columns_framed(data, row):
        return None
    try:
        document = json.loads(data)
    except ValueError:
        return "leaf input is not JSON"
    if not isinstance(document, dict):
        return "leaf input is not a JSON object"
    if document.get("kind") != row.kind:
        return "stored kind does not match the leaf input"
    if document.get("subject") != row.subject:
        return "stored subject does not match the leaf input"
    actor = str(row.actor_party_id) if row.actor_party_id is not None else None
    if document.get("actor") != actor:
        return "stored actor does not match the leaf input"
    if _moment(document.get("time")) != _moment(row.recorded_at):
        return "stored recorded_at does not match the leaf input"
    return None


def _moment(value: object) -> datetime | None:
    """A leaf's ``time`` text or a stored ``recorded_at``, as an aware UTC datetime."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _nodes_completed_by(session: Session, first: int, last: int) -> dict[tuple[int, int], bytes]:
    """The stored subtrees that the appends of leaves ``first..last`` completed, in one query.

    Appending leaf ``i`` completes the subtree ``(level, j)`` when ``(j + 1) * 2**level == i + 1``,
    so at each level the indices form the range ``ceil((first + 1) / 2**level) - 1`` to
    ``(last + 1) // 2**level - 1``.
    """
    ranges = []
    for level in range((last + 1).bit_length()):
        lo = -(-(first + 1) >> level) - 1
        hi = ((last + 1) >> level) - 1
        if lo <= hi:
            ranges.append(and_(LedgerNode.level == level, LedgerNode.node_index.between(lo, hi)))
    rows = session.execute(
        select(LedgerNode.level, LedgerNode.node_index, LedgerNode.hash).where(or_(*ranges))
    )
    return {(level, index): bytes(h) for level, index, h in rows}
