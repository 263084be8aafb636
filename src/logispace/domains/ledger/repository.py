"""Ledger storage (存证存储): appends and proofs over the stored complete subtrees.

An admission inserts the entry without touching the tree; an integration reads the right border
of the tree (one query), adds the admitted leaves, and writes their tree indices, the subtrees
they complete and the new tree head, in bulk. Proofs fetch the
O(log n) subtrees they need in one query. Nothing is ever recomputed from all leaves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from logispace.domains.ledger.merkle import (
    EMPTY_ROOT,
    CompactRange,
    SubtreeRoot,
    consistency_proof,
    inclusion_proof,
    node_hash,
    split_point,
)
from logispace.domains.ledger.models import LedgerEntry, LedgerNode, LedgerTreeHead

ENTRIES = cast(Table, LedgerEntry.__table__)
NODES = cast(Table, LedgerNode.__table__)

# Any constant: the advisory lock that serializes appends on PostgreSQL (SQLite has one writer).
_APPEND_LOCK = 6962
# Bound parameters stay well under SQLite's (32766) and PostgreSQL's (65535) limits.
_KEYS_PER_QUERY = 5000
_SELECT_NODES = "SELECT level, node_index, hash FROM ledger_nodes WHERE "


def perfect_subtrees(lo: int, hi: int) -> list[tuple[int, int]]:
    """The complete subtrees ``(level, index)`` whose hashes make up MTH of leaves ``[lo, hi)``."""
    out: list[tuple[int, int]] = []

    def walk(a: int, b: int) -> None:
        n = b - a
        if n & (n - 1) == 0 and a % n == 0:
            out.append((n.bit_length() - 1, a // n))
            return
        k = split_point(n)
        walk(a, a + k)
        walk(a + k, b)

    walk(lo, hi)
    return out


def _mth_from(nodes: dict[tuple[int, int], bytes], lo: int, hi: int) -> bytes:
    n = hi - lo
    if n & (n - 1) == 0 and lo % n == 0:
        return nodes[(n.bit_length() - 1, lo // n)]
    k = split_point(n)
    return node_hash(_mth_from(nodes, lo, lo + k), _mth_from(nodes, lo + k, hi))


def _load_nodes(session: Session, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored subtrees ``keys``, in one query per ``_KEYS_PER_QUERY`` keys; raises LookupError
    if any is missing.

    The condition is ``level = L AND node_index IN (...)`` per level, OR-ed, which both databases
    answer from the primary key (a row-value ``(level, node_index) IN (VALUES ...)`` makes SQLite
    scan the whole table, so every proof was O(n) there). The SQL is written as text with bound
    parameters: building the same condition as SQLAlchemy expressions cost about 1.5 ms of Python
    per proof, several times the query itself.
    """
    wanted = sorted(set(keys))
    if not wanted:
        return {}
    found: dict[tuple[int, int], bytes] = {}
    for start in range(0, len(wanted), _KEYS_PER_QUERY):
        by_level: dict[int, list[int]] = {}
        for level, index in wanted[start : start + _KEYS_PER_QUERY]:
            by_level.setdefault(level, []).append(index)
        clauses: list[str] = []
        params: dict[str, int] = {}
        for n, (level, indexes) in enumerate(by_level.items()):
            params[f"l{n}"] = level
            names = []
            for m, index in enumerate(indexes):
                params[f"i{n}_{m}"] = index
                names.append(f":i{n}_{m}")
            clauses.append(f"(level = :l{n} AND node_index IN ({', '.join(names)}))")
        rows = session.execute(text(_SELECT_NODES + " OR ".join(clauses)), params)
        found.update(((level, index), bytes(h)) for level, index, h in rows)
    missing = [key for key in wanted if key not in found]
    if missing:
        raise LookupError(f"ledger subtrees missing from storage: {missing[:5]}")
    return found


def tree_size(session: Session) -> int:
    """The number of entries in the log."""
    size = session.scalar(select(LedgerTreeHead.tree_size).order_by(LedgerTreeHead.tree_size.desc()).limit(1))
    return int(size or 0)


def compact_range(session: Session, size: int) -> CompactRange:
    """The right border of the tree of ``size`` leaves, read in one query."""
    keys: list[tuple[int, int]] = []
    start = 0
    for bit in reversed(range(size.bit_length())):
        if size & (1 << bit):
            keys.append((bit, start >> bit))
            start += 1 << bit
    nodes = _load_nodes(session, keys)
    return CompactRange(size=size, peaks=[nodes[key] for key in keys])


def admit(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    """Insert admitted entries (no tree index yet) and return their ids, in order.

    PostgreSQL: one ``INSERT ... RETURNING``, the ids from the column's identity sequence (no
    lock; ids of concurrent transactions may commit out of order, which the sequencer allows for).
    SQLite, which has one writer at a time: one INSERT per entry that takes the next id itself.
    """
    table = ENTRIES
    if session.get_bind().dialect.name == "postgresql":
        stmt = insert(table).returning(table.c.entry_id, sort_by_parameter_order=True)
        return [int(i) for i in session.execute(stmt, rows).scalars()]
    # SQLite: the next id is read by the INSERT itself, which holds the one write lock; a row at a
    # time, so that each reads the id the previous one took.
    next_id = select(func.coalesce(func.max(table.c.entry_id), -1) + 1).scalar_subquery()
    stmt = insert(table).values(entry_id=next_id).returning(table.c.entry_id)
    return [int(session.execute(stmt, row).scalar_one()) for row in rows]


def pending(session: Session, limit: int, until: int | None = None) -> list[tuple[int, bytes, datetime]]:
    """``(entry id, leaf hash, admission time)`` of the oldest committed entries not yet
    integrated (the caller's own admitted entries too), in admission order; ``until`` bounds the
    entry ids."""
    stmt = select(LedgerEntry.entry_id, LedgerEntry.leaf_hash, LedgerEntry.recorded_at).where(
        LedgerEntry.leaf_index.is_(None)
    )
    if until is not None:
        stmt = stmt.where(LedgerEntry.entry_id <= until)
    rows = session.execute(stmt.order_by(LedgerEntry.entry_id).limit(limit))
    return [(int(i), bytes(h), t) for i, h, t in rows]


def lock_for_append(session: Session) -> None:
    """Serialize integrations until the caller's transaction ends (PostgreSQL advisory lock)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK})


def try_lock_for_append(session: Session) -> bool:
    """Take the integration lock if no other transaction holds it (PostgreSQL); SQLite's single
    writer serializes integrations by itself."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK}))


def _copy_nodes(session: Session, rows: Iterable[tuple[int, int, bytes]]) -> None:
    """Store subtrees with a binary ``COPY`` on the session's own psycopg connection (same
    transaction): a 10,000-leaf batch closes about 20,000 of them, and an ``INSERT ... SELECT FROM
    unnest(...)`` of text-encoded arrays took 3 to 5 times as long as the same rows copied."""
    driver = session.connection().connection.driver_connection
    if driver is None:
        raise RuntimeError("the session has no open driver connection")
    with (
        driver.cursor() as cursor,
        cursor.copy("COPY ledger_nodes (level, node_index, hash) FROM STDIN (FORMAT BINARY)") as copy,
    ):
        copy.set_types(["int4", "int8", "bytea"])
        for row in rows:
            copy.write_row(row)


HeadSigner = Callable[[int, bytes, datetime], tuple[str, bytes]]
CrashPoint = Callable[[str], None]


def integrate_leaves(
    session: Session,
    leaves: Sequence[tuple[int, bytes, datetime]],
    timestamp: datetime,
    sign_head: HeadSigner,
    crash_point: CrashPoint = lambda _where: None,
) -> tuple[int, int, bytes]:
    """Give ``leaves`` (``(entry id, leaf hash)``) the next tree indices, store the subtrees they
    complete and the signed head of the grown tree; returns ``(first_index, new_size, new_root)``.
    The caller holds the integration lock. Two bulk statements on PostgreSQL (an UPDATE from
    ``unnest`` of arrays, a binary COPY of the subtrees), executemany on SQLite. The UPDATE names
    the batch's range of entry ids besides the ids: without it PostgreSQL joined the array to a
    sequential scan of the whole table, O(size) per batch."""
    size = tree_size(session)
    border = compact_range(session, size)
    levels: list[int] = []
    indexes: list[int] = []
    hashes: list[bytes] = []
    for _, hashed, _ in leaves:
        for lvl, idx, h in border.append(hashed):
            levels.append(lvl)
            indexes.append(idx)
            hashes.append(h)
    ids = [entry_id for entry_id, _, _ in leaves]
    positions = list(range(size, border.size))
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                "UPDATE ledger_entries AS e SET leaf_index = v.i, integrated_at = :t "
                "FROM unnest(CAST(:ids AS bigint[]), CAST(:positions AS bigint[])) AS v(id, i) "
                "WHERE e.entry_id = v.id AND e.entry_id BETWEEN :lo AND :hi"
            ),
            {"ids": ids, "positions": positions, "t": timestamp, "lo": min(ids), "hi": max(ids)},
        )
        crash_point("entries")
        _copy_nodes(session, zip(levels, indexes, hashes, strict=True))
    else:
        session.execute(
            update(ENTRIES)
            .where(ENTRIES.c.entry_id == bindparam("b_id"))
            .values(leaf_index=bindparam("b_index"), integrated_at=bindparam("b_at")),
            [{"b_id": i, "b_index": p, "b_at": timestamp} for i, p in zip(ids, positions, strict=True)],
        )
        crash_point("entries")
        session.execute(
            insert(NODES),
            [
                {"level": lv, "node_index": ix, "hash": h}
                for lv, ix, h in zip(levels, indexes, hashes, strict=True)
            ],
        )
    crash_point("tree")
    root = border.root()
    key_id, signature = sign_head(border.size, root, timestamp)
    crash_point("signed")
    session.add(
        LedgerTreeHead(
            tree_size=border.size, root_hash=root, timestamp=timestamp, key_id=key_id, signature=signature
        )
    )
    session.flush()
    return size, border.size, root


def root_at(session: Session, size: int) -> bytes:
    """The root of the tree of the first ``size`` leaves."""
    if size == 0:
        return EMPTY_ROOT
    return _mth_from(_load_nodes(session, perfect_subtrees(0, size)), 0, size)


def _with_stored_subtrees(session: Session, build: Callable[[SubtreeRoot], list[bytes]]) -> list[bytes]:
    """Run a proof builder twice: first to learn which stored subtrees it reads, then on them,
    fetched in one query."""
    keys: list[tuple[int, int]] = []

    def record(lo: int, hi: int) -> bytes:
        keys.extend(perfect_subtrees(lo, hi))
        return b""

    build(record)
    nodes = _load_nodes(session, keys)
    return build(lambda lo, hi: _mth_from(nodes, lo, hi))


def stored_inclusion_proof(session: Session, index: int, size: int) -> list[bytes]:
    """The audit path of leaf ``index`` in the tree of ``size`` leaves, from stored subtrees."""
    return _with_stored_subtrees(session, lambda subtree: inclusion_proof(index, size, subtree))


def stored_consistency_proof(session: Session, size1: int, size2: int) -> list[bytes]:
    """The consistency proof from ``size1`` to ``size2``, from stored subtrees."""
    return _with_stored_subtrees(session, lambda subtree: consistency_proof(size1, size2, subtree))


def stored_inclusion_proofs(session: Session, indices: Sequence[int], size: int) -> list[list[bytes]]:
    """The audit paths of several leaves in the tree of ``size`` leaves, their subtrees fetched
    together (a batch of receipts costs one query per ``_KEYS_PER_QUERY`` subtrees, not one each)."""
    keys: list[tuple[int, int]] = []

    def record(lo: int, hi: int) -> bytes:
        keys.extend(perfect_subtrees(lo, hi))
        return b""

    for index in indices:
        inclusion_proof(index, size, record)
    nodes = _load_nodes(session, keys)
    return [inclusion_proof(index, size, lambda lo, hi: _mth_from(nodes, lo, hi)) for index in indices]
