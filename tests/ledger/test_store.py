"""The stored log on both databases: appends, proofs from stored subtrees, triggers, audit."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from logispace.domains.ledger import (
    ProofError,
    leaf_hash,
    repository,
    service,
    verify_consistency,
    verify_inclusion,
)
from logispace.domains.ledger.audit import audit
from logispace.domains.ledger.merkle import root_of
from tests.factories.ledger import appended, appended_many


def fill(db: Session, n: int) -> list[service.Receipt]:
    return appended_many(db, [("test.event", f"subject-{i}", {"n": i}, None) for i in range(n)])


def test_receipts_verify_against_the_stored_tree(db: Session) -> None:
    before = repository.tree_size(db)
    receipts = fill(db, 37)
    size = repository.tree_size(db)
    assert size == before + 37
    root = repository.root_at(db, size)
    for r in receipts:
        assert r.tree_size == size and r.root_hash == root
        assert r.leaf_hash == leaf_hash(r.leaf_input)
        verify_inclusion(r.index, r.tree_size, r.leaf_hash, r.audit_path, r.root_hash)


def test_single_appends_grow_one_by_one_and_stay_consistent(db: Session) -> None:
    receipts = [
        appended(db, kind="party.created", subject=f"party/{i}", payload={"i": i}, actor=None)
        for i in range(20)
    ]
    hashes = [r.leaf_hash for r in receipts]
    start = receipts[0].index
    for r in receipts:
        for old in range(max(start, 1), r.tree_size + 1):
            proof = repository.stored_consistency_proof(db, old, r.tree_size)
            verify_consistency(old, r.tree_size, proof, repository.root_at(db, old), r.root_hash)
        proof = repository.stored_inclusion_proof(db, r.index, r.tree_size)
        verify_inclusion(r.index, r.tree_size, r.leaf_hash, proof, r.root_hash)
    if start == 0:
        assert receipts[-1].root_hash == root_of(hashes)


def test_leaf_input_is_canonical_json_of_the_entry(db: Session) -> None:
    r = appended(db, kind="party.created", subject="party/甲", payload={"b": 1, "a": "物流"}, actor=None)
    text_ = r.leaf_input.decode("utf-8")
    assert text_.startswith(
        '{"actor":null,"kind":"party.created","payload":{"a":"物流","b":1},"subject":"party/甲"'
    )
    assert text_.endswith('Z"}')


def test_a_rolled_back_write_leaves_no_entry(db: Session) -> None:
    size = repository.tree_size(db)
    nested = db.begin_nested()
    appended(db, kind="x", subject="rolled-back", payload={}, actor=None)
    assert repository.tree_size(db) == size + 1
    nested.rollback()
    assert repository.tree_size(db) == size


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE ledger_entries SET subject = 'forged'",
        "DELETE FROM ledger_entries",
        "UPDATE ledger_nodes SET level = level",
        "DELETE FROM ledger_tree_heads",
    ],
)
def test_the_database_refuses_update_and_delete(db: Session, statement: str) -> None:
    fill(db, 3)
    nested = db.begin_nested()
    with pytest.raises(DatabaseError, match="append-only"):
        db.execute(text(statement))
    nested.rollback()


def _drop_triggers(db: Session) -> None:
    """Tampering needs the triggers out of the way; DDL is rolled back with the test."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE ledger_entries DISABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER ledger_entries_no_update"))


def test_audit_passes_and_then_names_the_tampered_index(db: Session) -> None:
    receipts = fill(db, 25)
    assert audit(db).ok
    victim = receipts[13].index
    _drop_triggers(db)
    db.execute(
        text("UPDATE ledger_entries SET leaf_input = :forged WHERE leaf_index = :i").bindparams(
            forged=b'{"forged":true}', i=victim
        )
    )
    db.expire_all()
    result = audit(db)
    assert result.first_bad_index == victim
    assert result.reason == "leaf input does not match its leaf hash"


def test_audit_catches_a_forged_leaf_with_a_matching_hash(db: Session) -> None:
    receipts = fill(db, 9)
    victim = receipts[4].index
    forged = b'{"forged":true}'
    _drop_triggers(db)
    db.execute(
        text("UPDATE ledger_entries SET leaf_input = :f, leaf_hash = :h WHERE leaf_index = :i").bindparams(
            f=forged, h=leaf_hash(forged), i=victim
        )
    )
    db.expire_all()
    result = audit(db)
    assert result.first_bad_index == victim
    with pytest.raises(ProofError):
        verify_inclusion(
            victim, receipts[-1].tree_size, leaf_hash(forged), receipts[4].audit_path, receipts[4].root_hash
        )


def test_proofs_still_verify_when_their_subtrees_take_several_queries(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(repository, "_KEYS_PER_QUERY", 3)
    receipts = fill(db, 41)
    size = repository.tree_size(db)
    root = repository.root_at(db, size)
    assert root == receipts[-1].root_hash
    for r in receipts:
        verify_inclusion(r.index, size, r.leaf_hash, r.audit_path, root)
    for old in (1, 8, size // 2, size - 1):
        proof = repository.stored_consistency_proof(db, old, size)
        verify_consistency(old, size, proof, repository.root_at(db, old), root)


def test_batched_audit_paths_equal_single_ones(db: Session) -> None:
    fill(db, 19)
    size = repository.tree_size(db)
    indices = [0, 1, size // 3, size - 2, size - 1]
    assert repository.stored_inclusion_proofs(db, indices, size) == [
        repository.stored_inclusion_proof(db, i, size) for i in indices
    ]


def test_a_missing_subtree_is_reported_not_guessed(db: Session) -> None:
    receipts = fill(db, 8)
    size = repository.tree_size(db)
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("ALTER TABLE ledger_nodes DISABLE TRIGGER USER"))
    else:
        db.execute(text("DROP TRIGGER ledger_nodes_no_delete"))
    victim = receipts[3].index
    db.execute(text("DELETE FROM ledger_nodes WHERE level = 0 AND node_index = :i").bindparams(i=victim ^ 1))
    with pytest.raises(LookupError, match="missing"):
        repository.stored_inclusion_proof(db, victim, size)


def test_timed_entries_of_subjects_pages_newest_first_by_kind(db: Session) -> None:
    made = service.append_many(
        db,
        [
            ("thing.made", "subject-x", {"n": 0}, None),
            ("thing.seen", "subject-x", {"n": 1}, None),
            ("thing.made", "subject-y", {"n": 2}, None),
            ("thing.made", "subject-z", {"n": 3}, None),
            ("thing.changed", "subject-x", {"n": 4}, None),
        ],
    )
    kinds = ["thing.made", "thing.changed"]
    found = service.timed_entries_of_subjects(db, ["subject-x", "subject-y"], kinds, limit=10, offset=0)
    assert [(i, k, s) for i, k, s, _ in found] == [
        (made[4].entry_id, "thing.changed", "subject-x"),
        (made[2].entry_id, "thing.made", "subject-y"),
        (made[0].entry_id, "thing.made", "subject-x"),
    ]
    assert all(t == made[0].timestamp for *_, t in found)  # the time the ledger recorded them
    paged = service.timed_entries_of_subjects(db, ["subject-x", "subject-y"], kinds, limit=1, offset=1)
    assert paged == found[1:2]
    assert service.timed_entries_of_subjects(db, [], kinds, limit=10, offset=0) == []
    # the older reader is unchanged: every kind, in log order
    assert [i for i, _, _ in service.entries_of_subjects(db, ["subject-x"])] == [
        made[0].entry_id,
        made[1].entry_id,
        made[4].entry_id,
    ]
