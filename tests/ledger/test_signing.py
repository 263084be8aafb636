"""Signed tree heads: every head verifies, rotation keeps old keys, private keys are sealed."""

import stat
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core import keystore
from logispace.core.config import Settings
from logispace.core.signing import SealError, SigningKey, seal, unseal, verify_signature
from logispace.domains.ledger import receipt_json, service, verify_receipt
from logispace.domains.ledger.models import LedgerKey, LedgerTreeHead
from tests.contrib.stdlib_verifier import lv
from tests.factories.ledger import appended


def heads_and_keys(db: Session) -> tuple[list[LedgerTreeHead], dict[str, LedgerKey]]:
    heads = list(db.scalars(select(LedgerTreeHead).order_by(LedgerTreeHead.tree_size)))
    keys = {k.key_id: k for k in db.scalars(select(LedgerKey))}
    return heads, keys


def test_every_tree_head_is_signed_and_verifies(db: Session) -> None:
    for i in range(5):
        appended(db, kind="t", subject=f"s{i}", payload={}, actor=None)
    heads, keys = heads_and_keys(db)
    assert heads
    for head in heads:
        assert service.verify_tree_head(head, keys[head.key_id])
    forged = heads[-1]
    message = service.tree_head_message(
        forged.tree_size + 1, bytes(forged.root_hash), forged.timestamp, forged.key_id
    )
    key = keys[forged.key_id]
    assert not verify_signature(key.algorithm, bytes(key.public_key), message, bytes(forged.signature))


def test_rotation_keeps_old_keys_and_old_heads_verify(db: Session) -> None:
    settings = Settings()
    appended(db, kind="t", subject="before", payload={}, actor=None)
    old = service.active_key(db, settings)
    new = service.rotate_key(db, settings)
    assert new.key_id != old.key_id
    appended(db, kind="t", subject="after", payload={}, actor=None)
    heads, keys = heads_and_keys(db)
    assert {heads[-2].key_id, heads[-1].key_id} == {old.key_id, new.key_id}
    assert keys[old.key_id].retired_at is not None and keys[new.key_id].retired_at is None
    assert all(service.verify_tree_head(h, keys[h.key_id]) for h in heads)


def test_private_keys_are_stored_sealed(db: Session) -> None:
    key = service.active_key(db, Settings())
    row = db.get_one(LedgerKey, key.key_id)
    assert key.private_key not in bytes(row.sealed_private_key)
    wrong = Settings(ledger_master_key="cd" * 32)
    with pytest.raises(SealError):
        service.active_key(db, wrong)


def test_seal_is_bound_to_its_context() -> None:
    master = bytes(range(32))
    key = SigningKey.generate()
    sealed = seal(master, key.private_key, b"a")
    assert unseal(master, sealed, b"a") == key.private_key
    with pytest.raises(SealError):
        unseal(master, sealed, b"b")


def test_master_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path, ledger_master_key=None)
    first = keystore.master_key(settings)
    path = tmp_path / "ledger-master.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keystore.master_key(settings) == first and len(first) == 32
    with pytest.raises(ValueError, match="64 hexadecimal"):
        keystore.master_key(Settings(ledger_master_key="not-hex"))


def test_the_sm2_profile_takes_over_and_old_heads_keep_verifying(db: Session) -> None:
    """Switching LOGISPACE_LEDGER_SIGNATURE_ALGORITHM to sm2 retires the Ed25519 key at the next
    append; both the library and the stand-alone verifier accept receipts of either key."""
    before = appended(db, kind="t.ed", subject="a", payload={}, actor=None, settings=Settings())
    sm2 = Settings(ledger_signature_algorithm="sm2")
    after = appended(db, kind="t.sm2", subject="b", payload={}, actor=None, settings=sm2)
    assert before.algorithm == "ed25519" and after.algorithm == "sm2"
    assert len(after.public_key) == 65 and len(after.signature) == 64
    heads, keys = heads_and_keys(db)
    assert keys[before.key_id].retired_at is not None and keys[after.key_id].retired_at is None
    for head in heads:
        assert service.verify_tree_head(head, keys[head.key_id])
    for receipt in (before, after):
        document = receipt_json(receipt)
        assert verify_receipt(document).status == "valid"
        assert lv.verify_receipt(document).valid
    # the same setting again keeps the key
    again = appended(db, kind="t.sm2", subject="c", payload={}, actor=None, settings=sm2)
    assert again.key_id == after.key_id
