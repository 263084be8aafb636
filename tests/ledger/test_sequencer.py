"""Admission apart from integration (issue 16): an append writes one row and signs a promise; the
sequencer integrates committed entries in batches, with consecutive indices, one head per batch.

Most tests run in the rolled-back transaction of ``db`` with ``ledger_sequencer="off"`` and
integrate with :func:`ledger.integrate`; the late-commit and server-thread tests need committed
rows and use a throwaway database of their own.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace import migrations
from logispace.app.main import create_app
from logispace.core.config import Settings
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains import ledger
from logispace.domains.ledger import repository, service
from logispace.domains.ledger.audit import audit
from logispace.domains.ledger.models import LedgerEntry, LedgerNode, LedgerTreeHead
from logispace.domains.ledger.receipts import receipt_for, receipt_json, verify_receipt
from tests.databases import BACKEND, throwaway_database


@pytest.fixture
def off(database_url: str) -> Settings:
    """Settings of a server whose sequencer runs elsewhere: appends only admit."""
    return Settings(database_url=database_url, ledger_sequencer="off", cookie_secure=False)


def admit(db: Session, settings: Settings, n: int, prefix: str = "s") -> list[service.EntryTimestamp]:
    return service.append_many(
        db, [("test.admit", f"{prefix}{i}", {"i": i}, None) for i in range(n)], settings
    )


def test_admission_writes_one_row_and_no_tree(db: Session, off: Settings) -> None:
    size = repository.tree_size(db)
    nodes = db.scalar(select(func.count()).select_from(LedgerNode))
    stamps = admit(db, off, 3)
    assert [s.entry_id for s in stamps] == list(range(stamps[0].entry_id, stamps[0].entry_id + 3))
    rows = db.scalars(select(LedgerEntry).where(LedgerEntry.entry_id >= stamps[0].entry_id)).all()
    assert [(r.leaf_index, r.integrated_at) for r in rows] == [(None, None)] * 3
    assert repository.tree_size(db) == size
    assert db.scalar(select(func.count()).select_from(LedgerNode)) == nodes
    for stamp in stamps:
        assert stamp.timestamp == rows[0].recorded_at
        assert verify_receipt(receipt_json(stamp)).status == "valid"


def test_integration_gives_consecutive_indices_and_one_head_per_batch(db: Session, off: Settings) -> None:
    size = repository.tree_size(db)
    heads = db.scalar(select(func.count()).select_from(LedgerTreeHead))
    stamps = admit(db, off, 5)
    done = ledger.integrate(db, settings=off.model_copy(update={"ledger_batch_size": 2}))
    assert (done.count, done.tree_size) == (5, size + 5)
    indices = {
        r.entry_id: r.leaf_index
        for r in db.scalars(select(LedgerEntry).where(LedgerEntry.entry_id >= stamps[0].entry_id))
    }
    assert [indices[s.entry_id] for s in stamps] == list(range(size, size + 5))
    # batches of 2, 2 and 1: three signed heads
    assert db.scalar(select(func.count()).select_from(LedgerTreeHead)) == heads + 3
    assert ledger.integrate(db, settings=off).count == 0
    assert audit(db).ok


def test_inline_appends_in_a_deferred_block_get_one_head_when_it_ends(db: Session, database_url: str) -> None:
    inline = Settings(database_url=database_url, ledger_sequencer="inline", cookie_secure=False)
    size = repository.tree_size(db)
    heads = db.scalar(select(func.count()).select_from(LedgerTreeHead))
    with ledger.integration_deferred(db, inline):
        admit(db, inline, 2)
        with ledger.integration_deferred(db, inline):  # nested: only the outer block integrates
            admit(db, inline, 1)
        assert repository.tree_size(db) == size
    assert repository.tree_size(db) == size + 3
    assert db.scalar(select(func.count()).select_from(LedgerTreeHead)) == heads + 1
    admit(db, inline, 1)  # outside a block, inline integrates every append at once again
    assert repository.tree_size(db) == size + 4

    def failing_block() -> None:
        with ledger.integration_deferred(db, inline):
            admit(db, inline, 1)
            raise RuntimeError("the block failed: nothing is integrated for it")

    with pytest.raises(RuntimeError):
        failing_block()
    assert repository.tree_size(db) == size + 4
    assert audit(db).ok


def test_a_receipt_is_a_promise_until_integrated(db: Session, off: Settings) -> None:
    stamp = admit(db, off, 1)[0]
    early = receipt_for(db, stamp.entry_id, off)
    assert isinstance(early, service.EntryTimestamp)
    ledger.integrate(db, settings=off)
    full = receipt_for(db, stamp.entry_id, off)
    assert isinstance(full, service.Receipt)
    assert (full.entry_id, full.index) == (stamp.entry_id, repository.tree_size(db) - 1)
    verdict = verify_receipt(receipt_json(full))
    assert (verdict.status, verdict.entry_id, verdict.promise) == ("valid", stamp.entry_id, False)


def test_the_receipt_route_answers_202_with_retry_after_then_200(
    client: TestClient, db: Session, off: Settings
) -> None:
    stamp = admit(db, off, 1)[0]
    db.commit()
    keys = client.get("/api/v1/ledger/keys").json()
    early = client.get(f"/api/v1/ledger/entries/{stamp.entry_id}/receipt")
    assert early.status_code == 202
    assert early.headers["retry-after"] == "1"
    body = early.json()
    assert (body["format"], body["retry_after"], body["entry"]["entry_id"]) == (
        "logispace-entry-timestamp/1",
        1,
        stamp.entry_id,
    )
    verdict = verify_receipt(body, keys)
    assert (verdict.status, verdict.promise, verdict.reasons) == ("valid", True, [])
    entry = client.get(f"/api/v1/ledger/entries/{stamp.entry_id}").json()
    assert (entry["entry_id"], entry["index"], entry["integrated_at"]) == (stamp.entry_id, None, None)
    ledger.integrate(db, settings=off)
    db.commit()
    late = client.get(f"/api/v1/ledger/entries/{stamp.entry_id}/receipt")
    assert late.status_code == 200
    assert late.json()["format"] == "logispace-receipt/1"
    assert verify_receipt(late.json(), keys).status == "valid"


def _flip(text: str) -> str:
    import base64

    raw = bytearray(base64.b64decode(text))
    raw[0] ^= 1
    return base64.b64encode(bytes(raw)).decode()


PROMISE_TAMPERING: list[tuple[str, Any, str]] = [
    (
        "signature bit",
        lambda d: d.update(signature=_flip(d["signature"])),
        "the entry timestamp signature does not verify",
    ),
    (
        "other key id",
        lambda d: d.update(key_id="0" * 64),
        "the entry timestamp was signed by another key than the one given",
    ),
    (
        "key id of no key",
        lambda d: d["key"].update(key_id="0" * 64),
        "the key id does not name the public key",
    ),
    (
        "leaf hash",
        lambda d: d["entry"].update(leaf_hash=_flip(d["entry"]["leaf_hash"])),
        "the leaf hash does not match the leaf input",
    ),
    (
        "time moved",
        lambda d: d.update(timestamp="2020-01-01T00:00:00.000000Z"),
        "the timestamp is not the admission time in the leaf input",
    ),
    (
        "entry id",
        lambda d: d["entry"].update(entry_id=d["entry"]["entry_id"] + 1),
        "the entry timestamp signature does not verify",
    ),
]


@pytest.mark.parametrize(
    ("name", "change", "reason"), PROMISE_TAMPERING, ids=[t[0] for t in PROMISE_TAMPERING]
)
def test_a_changed_promise_is_named(db: Session, off: Settings, name: str, change: Any, reason: str) -> None:
    document = receipt_json(admit(db, off, 1)[0])
    changed = copy.deepcopy(document)
    change(changed)
    verdict = verify_receipt(changed)
    assert verdict.status == "invalid"
    assert reason in verdict.reasons, verdict.reasons


def test_the_audit_names_broken_promises(db: Session, off: Settings) -> None:
    early = admit(db, off, 2, "early")
    ledger.integrate(db, settings=off)
    waiting = admit(db, off, 1, "waiting")[0]
    later = waiting.timestamp + timedelta(seconds=5)
    result = audit(db, max_merge_delay=1.0, now=later)
    assert (waiting.entry_id, waiting.timestamp) in result.broken_promises
    assert not any(i in (e.entry_id for e in early) for i, _ in result.broken_promises)
    assert not result.ok
    # Integrated, but later than a promise of a millionth of a second: broken too.
    strict = audit(db, max_merge_delay=0.000001, now=waiting.timestamp)
    assert {e.entry_id for e in early} <= {i for i, _ in strict.broken_promises}


@pytest.fixture
def committed(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """A throwaway database of its own whose rows commit for real."""
    with throwaway_database(tmp_path) as url:
        migrations.upgrade(url)
        engine = make_engine(url)
        try:
            yield url, make_sessionmaker(engine)
        finally:
            engine.dispose()


def test_an_entry_committed_late_is_integrated_after_the_others_never_skipped(
    committed: tuple[str, Any],
) -> None:
    url, sessions = committed
    settings = Settings(database_url=url, ledger_sequencer="off")
    late, early = sessions(), sessions()
    try:
        if BACKEND == "postgresql":
            # The late transaction takes the smaller id, the early one a larger id and commits first.
            first = admit(late, settings, 1, "late")[0]
            second = admit(early, settings, 1, "early")[0]
            early.commit()
            with sessions() as s:  # the sequencer sees only the committed one
                assert ledger.integrate(s, settings=settings).count == 1
                s.commit()
            late.commit()
        else:  # SQLite has one writer: ids follow commit order, the late entry takes the larger id
            second = admit(early, settings, 1, "early")[0]
            early.commit()
            with sessions() as s:
                assert ledger.integrate(s, settings=settings).count == 1
                s.commit()
            first = admit(late, settings, 1, "late")[0]
            late.commit()
        with sessions() as s:
            assert ledger.integrate(s, settings=settings).count == 1
            s.commit()
            where = {r.entry_id: r.leaf_index for r in s.scalars(select(LedgerEntry))}
            assert where == {second.entry_id: 0, first.entry_id: 1}
            assert audit(s).ok
    finally:
        late.close()
        early.close()


def test_the_server_thread_integrates_within_the_merge_delay(committed: tuple[str, Any]) -> None:
    url, sessions = committed
    settings = Settings(
        database_url=url, ledger_sequencer="thread", ledger_max_merge_delay=0.5, cookie_secure=False
    )
    with TestClient(create_app(settings)):
        with sessions() as s:
            stamp = admit(s, settings, 3)[0]
            s.commit()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with sessions() as s:
                if repository.tree_size(s) == 3:
                    break
            time.sleep(0.05)
        with sessions() as s:
            assert repository.tree_size(s) == 3
            row = s.get_one(LedgerEntry, stamp.entry_id)
            assert row.integrated_at is not None
            assert row.integrated_at - row.recorded_at <= timedelta(seconds=5)
