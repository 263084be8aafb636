"""Signing keys of both algorithms (Ed25519 and the 国密 SM2-with-SM3 profile), table-driven.

SM2 is checked three ways: the published GM/T 0003.5-2012 Annex A.2 example (= GB/T 32918.5-2017
Appendix A) on the recommended curve, gmssl's own ``sign_with_sm3``, and the independent
pure-Python verifier of ``contrib/logispace_verify.py``.
"""

from __future__ import annotations

import hashlib
import random

import pytest
from gmssl import sm2 as gmssl_sm2  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from logispace.core import signing
from logispace.core.config import Settings
from logispace.core.signing import (
    ED25519,
    SM2,
    SigningKey,
    key_id_of,
    seal,
    unseal,
    verifier,
    verify_signature,
)
from tests.contrib.stdlib_verifier import lv

ALGORITHMS = [ED25519, SM2]
PUBLIC_KEY_SIZE = {ED25519: 32, SM2: 65}
N = signing._N
P = signing._P


def flip(data: bytes, bit: int) -> bytes:
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


@pytest.fixture(scope="module", params=ALGORITHMS)
def key(request: pytest.FixtureRequest) -> SigningKey:
    return SigningKey.generate(request.param)


def test_sign_verify_and_raw_formats(key: SigningKey) -> None:
    message = b"tree head \x00\xff"
    signature = key.sign(message)
    assert len(key.private_key) == 32 and len(signature) == 64
    assert len(key.public_key) == PUBLIC_KEY_SIZE[key.algorithm]
    assert verify_signature(key.algorithm, key.public_key, message, signature)
    # The private key alone gives the same public key (it is all that is sealed at rest).
    assert SigningKey(key.algorithm, key.private_key).public_key == key.public_key
    assert lv.verify_signature(key.algorithm, key.public_key, message, signature)


def test_sm2_public_key_is_uncompressed_point_on_the_curve() -> None:
    public = SigningKey.generate(SM2).public_key
    x, y = int.from_bytes(public[1:33], "big"), int.from_bytes(public[33:], "big")
    assert public[0] == 4 and signing._on_curve(x, y)


def test_key_id_is_hex_sha256_of_the_raw_public_key(key: SigningKey) -> None:
    assert key.key_id == key_id_of(key.public_key) == hashlib.sha256(key.public_key).hexdigest()
    assert len(key.key_id) == 64 and key.key_id != SigningKey.generate(key.algorithm).key_id


def test_signatures_are_randomized_for_sm2_and_deterministic_for_ed25519(key: SigningKey) -> None:
    same = key.sign(b"m") == key.sign(b"m")
    assert same is (key.algorithm == ED25519)


@pytest.mark.parametrize("bit", [0, 7, 100, 255, 256, 300, 511])
def test_tampered_signature_fails(key: SigningKey, bit: int) -> None:
    signature = key.sign(b"message")
    assert not verify_signature(key.algorithm, key.public_key, b"message", flip(signature, bit))
    assert not lv.verify_signature(key.algorithm, key.public_key, b"message", flip(signature, bit))


@pytest.mark.parametrize("bit", [0, 1, 8 * 7 + 3])
def test_tampered_message_fails(key: SigningKey, bit: int) -> None:
    message = b"12345678 tree head"
    signature = key.sign(message)
    assert not verify_signature(key.algorithm, key.public_key, flip(message, bit), signature)
    assert not verify_signature(key.algorithm, key.public_key, message + b"\x00", signature)
    assert not lv.verify_signature(key.algorithm, key.public_key, flip(message, bit), signature)


def test_wrong_key_fails(key: SigningKey) -> None:
    other = SigningKey.generate(key.algorithm)
    signature = key.sign(b"message")
    assert not verify_signature(key.algorithm, other.public_key, b"message", signature)
    assert not lv.verify_signature(key.algorithm, other.public_key, b"message", signature)


def test_signature_of_one_algorithm_does_not_verify_as_the_other() -> None:
    ed, sm = SigningKey.generate(ED25519), SigningKey.generate(SM2)
    assert not verify_signature(SM2, ed.public_key, b"m", ed.sign(b"m"))
    assert not verify_signature(ED25519, sm.public_key, b"m", sm.sign(b"m"))


def _sm2_malformed(public: bytes, signature: bytes) -> list[tuple[str, bytes, bytes]]:
    x = public[1:33]
    off_curve = public[:-1] + bytes([public[-1] ^ 1])
    big = (P + 1).to_bytes(32, "big")
    r_s = lambda r, s: r.to_bytes(32, "big") + s.to_bytes(32, "big")  # noqa: E731
    return [
        ("empty key", b"", signature),
        ("compressed prefix", b"\x02" + x + public[33:], signature),
        ("no prefix", public[1:], signature),
        ("key one byte short", public[:-1], signature),
        ("key one byte long", public + b"\x00", signature),
        ("point off the curve", off_curve, signature),
        ("coordinate >= p", b"\x04" + big + public[33:], signature),
        ("all-zero key", bytes(65), signature),
        ("empty signature", public, b""),
        ("signature short", public, signature[:-1]),
        ("signature long", public, signature + b"\x00"),
        ("r = 0", public, r_s(0, 1)),
        ("s = 0", public, r_s(1, 0)),
        ("r = n", public, r_s(N, 1)),
        ("s = n", public, r_s(1, N)),
        ("r + s = n", public, r_s(1, N - 1)),
        ("all ones", public, b"\xff" * 64),
    ]


def _ed25519_malformed(public: bytes, signature: bytes) -> list[tuple[str, bytes, bytes]]:
    s_plus_l = (int.from_bytes(signature[32:], "little") + lv._ED_L).to_bytes(32, "little")
    return [
        ("empty key", b"", signature),
        ("key short", public[:-1], signature),
        ("key long", public + b"\x00", signature),
        ("key not a point", (2).to_bytes(32, "little"), signature),
        ("key y >= p", b"\xff" * 31 + b"\x7f", signature),
        ("empty signature", public, b""),
        ("signature short", public, signature[:-1]),
        ("signature long", public, signature + b"\x00"),
        ("S + L (not reduced)", public, signature[:32] + s_plus_l),
        ("all ones", public, b"\xff" * 64),
    ]


def test_malformed_keys_and_signatures_give_false(key: SigningKey) -> None:
    signature = key.sign(b"m")
    table = (_sm2_malformed if key.algorithm == SM2 else _ed25519_malformed)(key.public_key, signature)
    for name, public, sig in table:
        assert verify_signature(key.algorithm, public, b"m", sig) is False, name
        assert lv.verify_signature(key.algorithm, public, b"m", sig) is False, name


@settings(max_examples=40, deadline=None)
@given(st.binary(min_size=64, max_size=64), st.binary(min_size=64, max_size=64))
def test_sm2_verify_never_raises_on_random_bytes(xy: bytes, signature: bytes) -> None:
    assert verify_signature(SM2, b"\x04" + xy, b"m", signature) is False


def test_sm2_crafted_points_at_the_gmssl_edge_cases_give_false() -> None:
    """[s]G == [t]P (gmssl's verify reads a Jacobian X there) and [s]G == -[t]P (infinity)."""
    d = 0x1234567
    public = SigningKey(SM2, d.to_bytes(32, "big")).public_key
    r = 0xABCDEF
    for s in (r * d * pow(1 - d, -1, N) % N, -r * d * pow(1 + d, -1, N) % N):
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
        assert verify_signature(SM2, public, b"m", signature) is False
        assert lv.verify_signature(SM2, public, b"m", signature) is False


def test_unknown_algorithm_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="unknown signature algorithm"):
        SigningKey.generate("rsa")
    with pytest.raises(ValueError, match="unknown signature algorithm"):
        SigningKey("rsa", bytes(32))
    with pytest.raises(ValueError, match="unknown signature algorithm"):
        verify_signature("rsa", bytes(32), b"m", bytes(64))


@pytest.mark.parametrize("d", [0, N - 1, N, 2**256 - 1])
def test_sm2_private_key_out_of_range_is_refused(d: int) -> None:
    with pytest.raises(ValueError, match="1 <= d <= n - 2"):
        SigningKey(SM2, d.to_bytes(32, "big"))


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_private_key_of_wrong_size_is_refused(algorithm: str) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        SigningKey(algorithm, bytes(31) + b"\x01\x02")


def test_generate_defaults_to_ed25519() -> None:
    assert SigningKey.generate().algorithm == ED25519


def test_the_setting_names_the_algorithm_of_new_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().ledger_signature_algorithm == ED25519
    monkeypatch.setenv("LOGISPACE_LEDGER_SIGNATURE_ALGORITHM", "sm2")
    assert SigningKey.generate(Settings().ledger_signature_algorithm).algorithm == SM2
    monkeypatch.setenv("LOGISPACE_LEDGER_SIGNATURE_ALGORITHM", "rsa")
    with pytest.raises(ValueError, match="ledger_signature_algorithm"):
        Settings()


def test_bytes_like_inputs_verify_and_other_types_give_false(key: SigningKey) -> None:
    signature = key.sign(b"m")
    assert verify_signature(key.algorithm, bytearray(key.public_key), memoryview(b"m"), bytearray(signature))
    assert verify_signature(key.algorithm, key.public_key.hex(), b"m", signature) is False  # type: ignore[arg-type]


def test_seal_round_trip_of_an_sm2_private_key() -> None:
    master = bytes(range(32))
    key = SigningKey.generate(SM2)
    sealed = seal(master, key.private_key, key.key_id.encode())
    assert key.private_key not in sealed
    opened = SigningKey(SM2, unseal(master, sealed, key.key_id.encode()))
    assert opened == key and opened.public_key == key.public_key
    assert verify_signature(SM2, key.public_key, b"m", opened.sign(b"m"))


# -- the published example, and what gmssl computes ----------------------------------------------

# GM/T 0003.5-2012 Annex A.2 (= GB/T 32918.5-2017 Appendix A): recommended curve, ID 1234567812345678.
VECTOR_D = bytes.fromhex("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8")
VECTOR_PUBLIC = bytes.fromhex(
    "04"
    "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020"
    "CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13"
)
VECTOR_MESSAGE = b"message digest"
VECTOR_Z = bytes.fromhex("B2E14C5C79C6DF5B85F4FE7ED8DB7A262B9DA7E07CCB0EA9F4747B8CCDA8A4F3")
VECTOR_E = bytes.fromhex("F0B43E94BA45ACCAACE692ED534382EB17E6AB5A19CE7B31F4486FDFC0D28640")
VECTOR_K = 0x59276E27D506861A16680F3AD9C02DCCEF3CC1FA3CDBE4CE6D54B80DEAC1BC21
VECTOR_SIGNATURE = bytes.fromhex(
    "F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3"
    "B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA"
)


def test_published_sm2_example_public_key_z_e_and_signature() -> None:
    key = SigningKey(SM2, VECTOR_D)
    assert key.public_key == VECTOR_PUBLIC
    assert signing.sm2_z(VECTOR_PUBLIC) == VECTOR_Z
    assert signing.sm2_digest(VECTOR_PUBLIC, VECTOR_MESSAGE) == VECTOR_E
    assert signing._sm2_sign_digest(VECTOR_D, VECTOR_E, VECTOR_K) == VECTOR_SIGNATURE
    assert verify_signature(SM2, VECTOR_PUBLIC, VECTOR_MESSAGE, VECTOR_SIGNATURE)
    assert lv.sm2_verify(VECTOR_PUBLIC, VECTOR_MESSAGE, VECTOR_SIGNATURE)
    assert not verify_signature(SM2, VECTOR_PUBLIC, b"message digesT", VECTOR_SIGNATURE)
    assert not lv.sm2_verify(VECTOR_PUBLIC, VECTOR_MESSAGE, VECTOR_SIGNATURE, user_id=b"ALICE123@YAHOO.COM")


def test_gmssl_sign_with_sm3_includes_z_with_the_default_id() -> None:
    key = SigningKey(SM2, VECTOR_D)
    crypt = gmssl_sm2.CryptSM2(private_key=VECTOR_D.hex(), public_key="")
    crypt.public_key = VECTOR_PUBLIC[1:].hex()
    theirs = bytes.fromhex(crypt.sign_with_sm3(VECTOR_MESSAGE, f"{VECTOR_K:064x}"))
    assert theirs == VECTOR_SIGNATURE
    assert verify_signature(SM2, key.public_key, VECTOR_MESSAGE, theirs)


def test_sm2_key_whose_x_starts_with_04_signs_and_verifies() -> None:
    """gmssl's constructor would strip this X's leading "04" (str.lstrip); keys are set directly here."""
    key = SigningKey(SM2, (11).to_bytes(32, "big"))
    assert key.public_key[1:].hex().startswith("04")
    signature = key.sign(b"m")
    assert verify_signature(SM2, key.public_key, b"m", signature)
    assert lv.sm2_verify(key.public_key, b"m", signature)


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_library_and_stdlib_verifier_agree_on_random_messages(algorithm: str) -> None:
    rng = random.Random(f"agree-{algorithm}")
    for _ in range(6):
        key = SigningKey.generate(algorithm)
        message = rng.randbytes(rng.randint(0, 200))
        signature = key.sign(message)
        tampered = flip(signature, rng.randrange(512))
        for sig in (signature, tampered):
            assert verify_signature(algorithm, key.public_key, message, sig) == lv.verify_signature(
                algorithm, key.public_key, message, sig
            )
        assert lv.verify_signature(algorithm, key.public_key, message, signature)


@pytest.mark.parametrize("bit", [0, 200, 511])
def test_a_bound_verifier_answers_as_verify_signature(key: SigningKey, bit: int) -> None:
    message = b"tree head"
    signature = key.sign(message)
    flipped = bytearray(signature)
    flipped[bit // 8] ^= 1 << (bit % 8)
    check = verifier(key.algorithm, key.public_key)
    for m, s in ((message, signature), (message, bytes(flipped)), (b"other", signature), (message, b"")):
        assert check(m, s) is verify_signature(key.algorithm, key.public_key, m, s)
    assert check(message, signature) is True and check(message, bytes(flipped)) is False


def test_a_bound_verifier_of_a_malformed_key_refuses_everything() -> None:
    assert verifier(ED25519, b"\x01" * 5)(b"m", b"\x00" * 64) is False
    with pytest.raises(ValueError, match="unknown signature algorithm"):
        verifier("rsa", b"\x01" * 32)
