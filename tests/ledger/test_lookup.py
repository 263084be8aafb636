"""Ledger lookups (存证查询): a subject's entries in ledger order, and the generic cross-check of a
stored chain against them (missing, extra, reordered links), table-driven."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from logispace.domains.ledger import LedgerRecord, chain_gaps, compare_chain, entries_for_subject, service

K = "test.step"


def _entries(*indices: int) -> list[LedgerRecord]:
    moment = datetime(2026, 12, 7, tzinfo=UTC)
    return [LedgerRecord(i, K, "chain:1", moment, None, {"n": i}) for i in indices]


# (ledger indices of the subject, stored chain's links, missing, extra, reordered)
CASES = [
    ("intact", (3, 5, 9), [(3, K), (5, K), (9, K)], [], [], []),
    ("last two deleted", (3, 5, 9, 12), [(3, K), (5, K)], [9, 12], [], []),
    ("middle deleted", (3, 5, 9), [(3, K), (9, K)], [5], [], []),
    ("forged link", (3, 5), [(3, K), (5, K), (7, K)], [], [(7, K)], []),
    ("other kind at an index", (3, 5), [(3, K), (5, "other.kind")], [5], [(5, "other.kind")], []),
    ("duplicate", (3, 5), [(3, K), (5, K), (5, K)], [], [(5, K)], []),
    ("duplicate first", (3, 5), [(5, K), (3, K), (5, K)], [], [(5, K)], [(5, K), (3, K)]),
    ("two swapped", (3, 5, 9), [(3, K), (9, K), (5, K)], [], [], [(9, K), (5, K)]),
    ("one moved to the front", (3, 5, 9), [(9, K), (3, K), (5, K)], [], [], [(9, K), (3, K), (5, K)]),
    ("empty ledger", (), [(3, K)], [], [(3, K)], []),
    ("nothing stored", (3,), [], [3], [], []),
]


@pytest.mark.parametrize(
    ("indices", "stored", "missing", "extra", "reordered"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_compare_chain_names_each_difference(
    indices: tuple[int, ...],
    stored: list[tuple[int, str]],
    missing: list[int],
    extra: list[tuple[int, str]],
    reordered: list[tuple[int, str]],
) -> None:
    gaps = compare_chain(_entries(*indices), stored)
    assert [e.entry_id for e in gaps.missing] == missing
    assert gaps.extra == extra
    assert gaps.reordered == reordered
    assert gaps.ok is not (missing or extra or reordered)
    assert [stored[i] for i in gaps.extra_at] == extra and [stored[i] for i in gaps.reordered_at] == reordered
    assert (gaps.last.entry_id if gaps.last else None) == (indices[-1] if indices else None)


def test_entries_for_subject_reads_payloads_in_ledger_order(db: Session) -> None:
    service.append_many(
        db,
        [
            ("a.one", "chain:lookup", {"n": 1}, None),
            ("a.other", "chain:elsewhere", {"n": 2}, None),
            ("a.two", "chain:lookup", {"n": 3}, None),
            ("a.one", "chain:lookup", {"n": 4}, None),
        ],
    )
    found = entries_for_subject(db, "chain:lookup")
    assert [(e.kind, e.payload["n"]) for e in found] == [("a.one", 1), ("a.two", 3), ("a.one", 4)]
    assert [e.entry_id for e in found] == sorted(e.entry_id for e in found)
    only = entries_for_subject(db, "chain:lookup", kinds=["a.one"])
    assert [e.payload["n"] for e in only] == [1, 4]
    gaps = chain_gaps(db, "chain:lookup", [(found[0].entry_id, "a.one")], kinds=["a.one"])
    assert [e.payload["n"] for e in gaps.missing] == [4]
