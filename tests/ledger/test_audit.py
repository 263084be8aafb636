"""The audit on both databases: every kind of tampering is named, whatever the batch size.

Tampering needs the append-only triggers out of the way; the DDL is rolled back with the test.
"""

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from logispace.domains.ledger import repository, service
from logispace.domains.ledger.audit import audit

FORGED = b"\x5a" * 32
BATCHES = [1, 3, 10_000]


def fill(db: Session, n: int) -> list[service.Receipt]:
    return service.append_many(db, [("test.event", f"subject-{i}", {"n": i}, None) for i in range(n)])


def singles(db: Session, n: int) -> list[service.Receipt]:
    return [
        service.append(db, kind="test.one", subject=f"s-{i}", payload={"i": i}, actor=None) for i in range(n)
    ]


def unlock(db: Session, table: str) -> None:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
    else:
        db.execute(text(f"DROP TRIGGER {table}_no_update"))
        db.execute(text(f"DROP TRIGGER {table}_no_delete"))


@pytest.mark.parametrize("batch", BATCHES)
def test_a_clean_log_passes_at_every_batch_size(db: Session, batch: int) -> None:
    fill(db, 21)
    singles(db, 6)
    result = audit(db, batch=batch)
    assert result.ok
    assert result.tree_size == repository.tree_size(db)


@pytest.mark.parametrize("batch", BATCHES)
def test_a_tampered_interior_subtree_is_named_by_its_first_leaf(db: Session, batch: int) -> None:
    receipts = fill(db, 40)
    leaf = receipts[17].index
    level, index = 2, leaf >> 2
    assert (index + 1) << level <= receipts[-1].tree_size  # the subtree is complete
    unlock(db, "ledger_nodes")
    db.execute(
        text("UPDATE ledger_nodes SET hash = :h WHERE level = :l AND node_index = :i").bindparams(
            h=FORGED, l=level, i=index
        )
    )
    result = audit(db, batch=batch)
    assert result.first_bad_index == index << level
    assert result.reason == f"stored subtree ({level}, {index}) does not match"


@pytest.mark.parametrize("batch", BATCHES)
def test_a_missing_subtree_is_named(db: Session, batch: int) -> None:
    receipts = fill(db, 40)
    leaf = receipts[21].index
    level, index = 1, leaf >> 1
    unlock(db, "ledger_nodes")
    db.execute(
        text("DELETE FROM ledger_nodes WHERE level = :l AND node_index = :i").bindparams(l=level, i=index)
    )
    result = audit(db, batch=batch)
    assert result.first_bad_index == index << level
    assert result.reason == f"stored subtree ({level}, {index}) does not match"


def test_a_tampered_leaf_node_is_named(db: Session) -> None:
    receipts = fill(db, 12)
    victim = receipts[5].index
    unlock(db, "ledger_nodes")
    db.execute(
        text("UPDATE ledger_nodes SET hash = :h WHERE level = 0 AND node_index = :i").bindparams(
            h=FORGED, i=victim
        )
    )
    result = audit(db, batch=4)
    assert result.first_bad_index == victim
    assert result.reason == "stored leaf node does not match the leaf input"


@pytest.mark.parametrize("batch", BATCHES)
def test_a_tampered_tree_head_is_named_at_its_last_leaf(db: Session, batch: int) -> None:
    receipts = singles(db, 9)
    size = receipts[4].tree_size
    unlock(db, "ledger_tree_heads")
    db.execute(
        text("UPDATE ledger_tree_heads SET root_hash = :h WHERE tree_size = :s").bindparams(h=FORGED, s=size)
    )
    result = audit(db, batch=batch)
    assert result.first_bad_index == size - 1
    assert result.reason == f"tree head at size {size} does not match"


@pytest.mark.parametrize("batch", BATCHES)
def test_a_missing_entry_is_named_in_the_middle_and_at_the_end(db: Session, batch: int) -> None:
    receipts = fill(db, 15)
    unlock(db, "ledger_entries")
    last = receipts[-1].index
    db.execute(text("DELETE FROM ledger_entries WHERE leaf_index = :i").bindparams(i=last))
    assert audit(db, batch=batch) == audit(db, batch=batch)
    tail = audit(db, batch=batch)
    assert (tail.first_bad_index, tail.reason) == (last, "entry missing")
    middle = receipts[6].index
    db.execute(text("DELETE FROM ledger_entries WHERE leaf_index = :i").bindparams(i=middle))
    result = audit(db, batch=batch)
    assert (result.first_bad_index, result.reason) == (middle, "entry missing")


def test_the_first_of_two_tamperings_is_named(db: Session) -> None:
    receipts = fill(db, 30)
    unlock(db, "ledger_entries")
    for victim in (receipts[25].index, receipts[11].index):
        db.execute(
            text("UPDATE ledger_entries SET leaf_hash = :h WHERE leaf_index = :i").bindparams(
                h=FORGED, i=victim
            )
        )
    result = audit(db, batch=5)
    assert (result.first_bad_index, result.reason) == (
        receipts[11].index,
        "leaf input does not match its leaf hash",
    )
