"""Ledger lookups (存证查询): small, named reads of the entries about a subject, and the comparison
of a stored chain (a waybill's steps, an application's history) with what the ledger holds.

Domains that keep a stored state beside their ledger entries read the ledger only through these
functions: they read entries by entry id, admitted or already integrated into the tree.
:func:`chain_gaps` is the generic cross-check: given the ``(entry id, kind)`` list of a
stored chain and its subject, it returns the ledger entries the chain lacks, the chain's links the
ledger does not hold, and the links stored out of ledger order.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.ledger.models import LedgerEntry


@dataclass(frozen=True)
class LedgerRecord:
    """An entry as a domain reads it (存证记录): entry id, kind, subject, time, actor and payload.

    ``entry_id`` is what domains store beside their records (it exists from admission on, before
    the sequencer gives the entry a tree index). ``payload`` is decoded from the hashed leaf
    input, not taken from the columns beside it.
    """

    entry_id: int
    kind: str
    subject: str
    recorded_at: datetime
    actor_party_id: uuid.UUID | None
    payload: dict[str, Any]


def _decoded(leaf_input: bytes) -> dict[str, Any]:
    try:
        document = json.loads(leaf_input)
    except ValueError:
        return {}
    payload = document.get("payload") if isinstance(document, dict) else None
    return payload if isinstance(payload, dict) else {}


def entries_for_subjects(
    session: Session, subjects: Iterable[str], kinds: Iterable[str] | None = None
) -> list[LedgerRecord]:
    """The entries about any of ``subjects`` (of ``kinds`` when given), admitted or integrated, in
    admission order (the order of a subject's entries: a domain writes them one transaction after
    another)."""
    wanted = sorted(set(subjects))
    if not wanted:
        return []
    stmt = select(
        LedgerEntry.entry_id,
        LedgerEntry.kind,
        LedgerEntry.subject,
        LedgerEntry.recorded_at,
        LedgerEntry.actor_party_id,
        LedgerEntry.leaf_input,
    ).where(LedgerEntry.subject.in_(wanted))
    if kinds is not None:
        stmt = stmt.where(LedgerEntry.kind.in_(sorted(set(kinds))))
    rows = session.execute(stmt.order_by(LedgerEntry.entry_id))
    return [LedgerRecord(int(i), str(k), str(s), t, a, _decoded(bytes(data))) for i, k, s, t, a, data in rows]


def entries_for_subject(
    session: Session, subject: str, kinds: Iterable[str] | None = None
) -> list[LedgerRecord]:
    """The entries about ``subject`` (of ``kinds`` when given), in ledger order."""
    return entries_for_subjects(session, [subject], kinds)


@dataclass(frozen=True)
class ChainGaps:
    """How a stored chain differs from the ledger (链与账本核对).

    ``missing``: ledger entries of the subject the chain does not name (a deleted link);
    ``extra``: the chain's ``(index, kind)`` links that are no entry of the subject and kind (an
    added or forged link, or a duplicate); ``reordered``: links in both whose place in the chain
    is not their place in the ledger. ``entries`` are the subject's entries read.
    """

    entries: list[LedgerRecord]
    missing: list[LedgerRecord] = field(default_factory=list)
    extra: list[tuple[int, str]] = field(default_factory=list)
    reordered: list[tuple[int, str]] = field(default_factory=list)
    extra_at: list[int] = field(default_factory=list)
    """The positions in the stored chain of the ``extra`` links (a duplicate's later copies)."""
    reordered_at: list[int] = field(default_factory=list)
    """The positions in the stored chain of the ``reordered`` links."""

    @property
    def ok(self) -> bool:
        return not (self.missing or self.extra or self.reordered)

    @property
    def last(self) -> LedgerRecord | None:
        """The subject's last entry in the ledger: the state the stored chain must end in."""
        return self.entries[-1] if self.entries else None


def compare_chain(entries: Sequence[LedgerRecord], stored: Sequence[tuple[int, str]]) -> ChainGaps:
    """Compare a stored chain's ``(ledger index, kind)`` links, in the chain's order, with the
    subject's ledger ``entries`` (in ledger order); pure, for any chain."""
    known = {(e.entry_id, e.kind) for e in entries}
    seen: set[int] = set()
    present: list[tuple[int, tuple[int, str]]] = []
    extra_at: list[int] = []
    for position, link in enumerate(stored):
        if link in known and link[0] not in seen:
            seen.add(link[0])
            present.append((position, link))
        else:
            extra_at.append(position)
    in_ledger_order = sorted(link for _, link in present)
    reordered_at = [
        position for (position, link), want in zip(present, in_ledger_order, strict=True) if link != want
    ]
    missing = [e for e in entries if e.entry_id not in seen]
    return ChainGaps(
        list(entries),
        missing,
        [stored[i] for i in extra_at],
        [stored[i] for i in reordered_at],
        extra_at,
        reordered_at,
    )


def chain_gaps(
    session: Session, subject: str, stored: Sequence[tuple[int, str]], kinds: Iterable[str] | None = None
) -> ChainGaps:
    """The cross-check of a stored chain against the ledger entries of ``subject`` (of ``kinds``)."""
    return compare_chain(entries_for_subject(session, subject, kinds), stored)
