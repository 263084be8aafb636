"""The audit on both databases: every kind of tampering is named, whatever the batch size.

Tampering needs the append-only triggers out of the way; the DDL is rolled back with the test.
"""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from logispace.core.config import Settings
from logispace.domains.ledger import repository, service
from logispace.domains.ledger.audit import AuditResult, _columns_framed, audit, head_message
from logispace.domains.ledger.models import LedgerEntry, LedgerKey, LedgerTreeHead
from tests.factories.identity import make_party
from tests.factories.ledger import appended, appended_many

FORGED = b"\x5a" * 32
BATCHES = [1, 3, 10_000]


def fill(db: Session, n: int) -> list[service.Receipt]:
    return appended_many(db, [("test.event", f"subject-{i}", {"n": i}, None) for i in range(n)])


def singles(db: Session, n: int) -> list[service.Receipt]:
    return [appended(db, kind="test.one", subject=f"s-{i}", payload={"i": i}, actor=None) for i in range(n)]


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


# -- columns against the hashed leaf input, and tree head signatures (issue 16 point 4) ----------


def _columns(db: Session) -> dict[str, object]:
    """Values that differ from what the leaf input of a ``fill`` entry says, column by column."""
    other = make_party(db, name="冒名主体")
    return {
        "kind": "test.forged",
        "subject": "subject-forged",
        "recorded_at": datetime(2020, 1, 1, tzinfo=UTC),
        "actor_party_id": other.id,
    }


@pytest.mark.parametrize("column", ["kind", "subject", "recorded_at", "actor_party_id"])
@pytest.mark.parametrize("batch", [1, 10_000])
def test_a_stored_column_that_contradicts_the_leaf_input_is_named(
    db: Session, column: str, batch: int
) -> None:
    receipts = fill(db, 12)
    victim = receipts[7].index
    forged = _columns(db)[column]
    unlock(db, "ledger_entries")
    db.execute(update(LedgerEntry).where(LedgerEntry.leaf_index == victim).values({column: forged}))
    result = audit(db, batch=batch)
    label = "actor" if column == "actor_party_id" else column
    assert (result.first_bad_index, result.reason) == (
        victim,
        f"stored {label} does not match the leaf input",
    )
    assert not result.ok


def test_a_recorded_at_a_microsecond_off_is_named(db: Session) -> None:
    receipts = singles(db, 3)
    entry = db.get_one(LedgerEntry, receipts[1].entry_id)
    moved = entry.recorded_at + timedelta(microseconds=1)
    unlock(db, "ledger_entries")
    db.execute(
        update(LedgerEntry).where(LedgerEntry.leaf_index == entry.leaf_index).values(recorded_at=moved)
    )
    db.expire_all()
    result = audit(db)
    assert (result.first_bad_index, result.reason) == (
        receipts[1].index,
        "stored recorded_at does not match the leaf input",
    )


def test_a_clean_log_verifies_every_head_signature(db: Session) -> None:
    singles(db, 5)
    fill(db, 4)
    result = audit(db, batch=2)
    assert result.ok and result.heads_checked == db.scalar(select(func.count()).select_from(LedgerTreeHead))


@pytest.mark.parametrize("batch", BATCHES)
def test_a_tree_head_with_a_bad_signature_is_named(db: Session, batch: int) -> None:
    receipts = singles(db, 7)
    size = receipts[3].tree_size
    head = db.get_one(LedgerTreeHead, size)
    flipped = bytes([bytes(head.signature)[0] ^ 1]) + bytes(head.signature)[1:]
    unlock(db, "ledger_tree_heads")
    db.execute(update(LedgerTreeHead).where(LedgerTreeHead.tree_size == size).values(signature=flipped))
    result = audit(db, batch=batch)
    assert not result.ok
    assert (result.first_bad_index, result.bad_head) == (None, size)
    assert result.reason == f"tree head at size {size}: the signature does not verify under key {head.key_id}"


def test_a_head_moved_to_another_published_key_is_named(db: Session, settings: Settings) -> None:
    receipts = singles(db, 3)
    size = receipts[0].tree_size
    new_key = service.rotate_key(db, settings)
    singles(db, 1)
    unlock(db, "ledger_tree_heads")
    db.execute(update(LedgerTreeHead).where(LedgerTreeHead.tree_size == size).values(key_id=new_key.key_id))
    result = audit(db)
    assert result.bad_head == size
    assert (
        result.reason == f"tree head at size {size}: the signature does not verify under key {new_key.key_id}"
    )


def test_a_published_key_swapped_under_its_id_is_named(db: Session) -> None:
    receipts = singles(db, 2)
    head = db.get_one(LedgerTreeHead, receipts[0].tree_size)
    db.execute(update(LedgerKey).where(LedgerKey.key_id == head.key_id).values(public_key=b"\x01" * 32))
    result = audit(db)
    assert result.bad_head == receipts[0].tree_size
    assert result.reason == (
        f"tree head at size {receipts[0].tree_size}: "
        f"the published key {head.key_id} is not the key its id names"
    )


def test_a_re_signed_head_whose_root_does_not_match_is_named(db: Session, settings: Settings) -> None:
    """Whoever holds the signing key can sign any root: the head's signature verifies, but the root
    is not the one the stored leaves recompute to at its size (the heads are not consistent)."""
    receipts = singles(db, 6)
    size = receipts[2].tree_size
    head = db.get_one(LedgerTreeHead, size)
    key = service.active_key(db, settings)
    signature = key.sign(service.tree_head_message(size, FORGED, head.timestamp, key.key_id))
    unlock(db, "ledger_tree_heads")
    db.execute(
        update(LedgerTreeHead)
        .where(LedgerTreeHead.tree_size == size)
        .values(root_hash=FORGED, signature=signature, key_id=key.key_id)
    )
    result = audit(db)
    assert (result.first_bad_index, result.bad_head) == (size - 1, size)
    assert result.reason == f"tree head at size {size} does not match"


def test_the_cli_names_a_bad_head(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    ledger_cli = importlib.import_module("logispace.domains.ledger.cli")
    monkeypatch.setattr(
        ledger_cli, "audit_log", lambda session, batch, **_: AuditResult(9, None, "tree head at size 4: x", 4)
    )
    result = CliRunner().invoke(ledger_cli.app, ["ledger", "audit"])
    assert result.exit_code == 1
    assert "at the tree head of size 4: tree head at size 4: x" in result.output


@pytest.mark.parametrize("size", [1, 7, 2**40 + 3])
def test_the_audit_s_head_message_is_the_signed_one(size: int) -> None:
    key_id = "ab" * 32
    moment = datetime(2026, 12, 7, 13, 5, 1, 42, tzinfo=UTC)
    for root in (FORGED, b"\x00" * 32, bytes(range(32))):
        assert head_message(size, root, moment, key_id) == service.tree_head_message(
            size, root, moment, key_id
        )


def test_heads_of_both_algorithms_verify_and_a_bad_sm2_head_is_named(db: Session, settings: Settings) -> None:
    appended(db, kind="t.ed", subject="a", payload={}, actor=None, settings=settings)
    sm2 = settings.model_copy(update={"ledger_signature_algorithm": "sm2"})
    last = [
        appended(db, kind="t.sm2", subject=f"b{i}", payload={}, actor=None, settings=sm2) for i in range(2)
    ]
    clean = audit(db)
    assert clean.ok and clean.heads_checked >= 3
    head = db.get_one(LedgerTreeHead, last[0].tree_size)
    unlock(db, "ledger_tree_heads")
    forged = bytes(head.signature)[:-1] + bytes([bytes(head.signature)[-1] ^ 1])
    db.execute(
        update(LedgerTreeHead).where(LedgerTreeHead.tree_size == head.tree_size).values(signature=forged)
    )
    result = audit(db)
    assert (result.bad_head, result.first_bad_index) == (head.tree_size, None)
    assert "does not verify" in (result.reason or "")


ODD_TEXTS = ["运单:钦州港", 'quote " inside', "back\\slash", "tab\tnew\nline", "\u2028 separator", "emoji 🚚"]


def test_columns_of_any_text_pass_and_a_changed_one_is_still_named(db: Session) -> None:
    """Subjects and kinds that RFC 8785 escapes or writes as UTF-8 pass the audit (the framed fast
    path falls back to reading the JSON), and a changed one is still named."""
    party = make_party(db, name="承运人")
    receipts = appended_many(
        db, [(f"k.{i}", text, {"t": text}, party.id if i % 2 else None) for i, text in enumerate(ODD_TEXTS)]
    )
    assert audit(db, batch=2).ok
    unlock(db, "ledger_entries")
    victim = receipts[1].index
    db.execute(update(LedgerEntry).where(LedgerEntry.leaf_index == victim).values(subject='quote " inside!'))
    result = audit(db)
    assert (result.first_bad_index, result.reason) == (victim, "stored subject does not match the leaf input")


def test_plain_entries_take_the_framed_path(db: Session) -> None:
    party = make_party(db, name="承运人")
    fill(db, 3)
    appended(db, kind="t.actor", subject="waybill:x", payload={"a": [1, {"b": None}]}, actor=party.id)
    rows = db.execute(
        select(
            LedgerEntry.leaf_input,
            LedgerEntry.kind,
            LedgerEntry.subject,
            LedgerEntry.recorded_at,
            LedgerEntry.actor_party_id,
        )
    ).all()
    assert rows and all(_columns_framed(bytes(r.leaf_input), r) for r in rows)
