"""Password hashing and bearer secrets."""

from logispace.core import crypto


def test_password_round_trip_and_wrong_password() -> None:
    stored = crypto.hash_password("s3cret-passphrase")
    assert stored.startswith("$argon2id$")
    assert crypto.verify_password(stored, "s3cret-passphrase")
    assert not crypto.verify_password(stored, "s3cret-passphrasE")
    assert not crypto.verify_password("not-a-hash", "anything")


def test_secrets_are_unique_prefixed_and_stored_as_digest() -> None:
    a, b = crypto.new_secret("lsp_"), crypto.new_secret("lsp_")
    assert a != b and a.startswith("lsp_") and len(a) == 4 + 43
    assert crypto.secret_digest(a) != crypto.secret_digest(b)
    assert len(crypto.secret_digest(a)) == 64 and a not in crypto.secret_digest(a)
