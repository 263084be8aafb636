"""Signing providers (签名): Ed25519 and SM2 key pairs, and private keys sealed at rest with AES-256-GCM.

A :class:`SigningKey` signs bytes; its ``key_id`` is the hex SHA-256 of the raw public key, so a
verifier can check that a key id names the public key it is given. Private keys are stored only
sealed (:func:`seal`) under a 32-byte master key from Settings.

Raw formats, fixed for both algorithms:

=========== ======================== ============================================== ====================
algorithm   private key              public key                                     signature
=========== ======================== ============================================== ====================
``ed25519`` 32-byte seed (RFC 8032)  32 bytes (RFC 8032 encoding)                   64 bytes ``R || S``
``sm2``     32 bytes, big-endian d,  65 bytes uncompressed ``0x04 || X || Y``,      64 bytes ``r || s``,
            ``1 <= d <= n - 2``      each coordinate 32 bytes big-endian            each 32 bytes big-endian
=========== ======================== ============================================== ====================

``sm2`` is the 国密 profile: SM2 signatures (GB/T 32918.2) on the recommended curve (GB/T 32918.5)
over SM3 (GB/T 32905). The signed value is ``e = SM3(Z || M)`` with
``Z = SM3(ENTL || ID || a || b || xG || yG || xA || yA)`` and the default user id
``"1234567812345678"`` (GM/T 0009), ``ENTL`` being the id's length in bits as two bytes. Z and e
are computed here with ``cryptography``'s SM3; ``gmssl`` does the curve arithmetic.

What ``gmssl`` 3.2.2 does, checked against its source and the GM/T 0003.5 example (tests/core):
``CryptSM2.sign_with_sm3`` does include Z, with ENTL ``0x0080`` and the default id hard-coded, so
its signatures verify here; but left to itself it draws k with ``random.choice`` (not a CSPRNG)
and without reducing it below n, its constructor strips the ``04`` prefix with ``str.lstrip`` and
so also eats leading ``0``/``4`` hex digits of X, ``sign`` returns ``None`` in the rare r = 0,
r + k = n, s = 0 cases, and ``verify`` neither range-checks r and s nor checks that the key is on
the curve, and reads a Jacobian coordinate when ``[s]G == [t]P``. So this module draws k with
:mod:`secrets` in ``[1, n - 1]`` and retries, sets the public key itself, uses only ``gmssl``'s
scalar multiplication to verify, and checks every input first: :func:`verify_signature` returns
False for a malformed key or signature and never raises on bad input. ``gmssl`` is pure Python and
not constant-time.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from gmssl import sm2 as gmssl_sm2  # type: ignore[import-untyped]

ED25519 = "ed25519"
SM2 = "sm2"
ALGORITHMS = (ED25519, SM2)
SM2_DEFAULT_ID = b"1234567812345678"
_NONCE = 12

# The recommended curve of GB/T 32918.5 (the table gmssl uses): y^2 = x^3 + ax + b over F_p, order n.
_CURVE = gmssl_sm2.default_ecc_table
_P = int(_CURVE["p"], 16)
_A = int(_CURVE["a"], 16)
_B = int(_CURVE["b"], 16)
_N = int(_CURVE["n"], 16)
_G_HEX = _CURVE["g"].lower()
_G = (int(_G_HEX[:64], 16), int(_G_HEX[64:], 16))


class SealError(ValueError):
    """A sealed key cannot be opened: wrong master key or damaged data."""


def key_id_of(public_key: bytes) -> str:
    """The key id of a raw public key: hex SHA-256."""
    return hashlib.sha256(public_key).hexdigest()


@dataclass(frozen=True)
class SigningKey:
    """A private signing key of one algorithm (``ed25519`` or ``sm2``)."""

    algorithm: str
    private_key: bytes

    def __post_init__(self) -> None:
        if self.algorithm not in ALGORITHMS:
            raise ValueError(f"unknown signature algorithm {self.algorithm!r}")
        if len(self.private_key) != 32:
            raise ValueError(f"a {self.algorithm} private key has 32 bytes")
        if self.algorithm == SM2 and not 1 <= int.from_bytes(self.private_key, "big") <= _N - 2:
            raise ValueError("an SM2 private key d must satisfy 1 <= d <= n - 2")

    @classmethod
    def generate(cls, algorithm: str = ED25519) -> SigningKey:
        if algorithm == ED25519:
            raw = Ed25519PrivateKey.generate().private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
            return cls(ED25519, raw)
        if algorithm == SM2:
            return cls(SM2, (secrets.randbelow(_N - 2) + 1).to_bytes(32, "big"))
        raise ValueError(f"unknown signature algorithm {algorithm!r}")

    @cached_property
    def public_key(self) -> bytes:
        if self.algorithm == SM2:
            return b"\x04" + bytes.fromhex(_gmssl(self.private_key.hex())._kg(self._d, _G_HEX))
        return self._ed25519.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    @property
    def _d(self) -> int:
        return int.from_bytes(self.private_key, "big")

    def sign(self, message: bytes) -> bytes:
        if self.algorithm == SM2:
            return _sm2_sign_digest(self.private_key, sm2_digest(self.public_key, message))
        return self._ed25519.sign(message)

    @cached_property
    def _ed25519(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.private_key)


def verify_signature(algorithm: str, public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` over ``message`` verifies under ``public_key``.

    A malformed key or signature gives False; only an unknown algorithm raises ``ValueError``.
    """
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown signature algorithm {algorithm!r}")
    if not all(isinstance(v, bytes | bytearray | memoryview) for v in (public_key, message, signature)):
        return False
    public_key, message, signature = bytes(public_key), bytes(message), bytes(signature)
    if algorithm == SM2:
        return _sm2_verify(public_key, message, signature)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def verifier(algorithm: str, public_key: bytes) -> Callable[[bytes, bytes], bool]:
    """``verify(message, signature) -> bool`` bound to one public key, loaded once: for checking
    many signatures of one key (an audit of every tree head). Same answers as
    :func:`verify_signature`; only an unknown algorithm raises ``ValueError``."""
    if algorithm not in ALGORITHMS:
        raise ValueError(f"unknown signature algorithm {algorithm!r}")
    public_key = bytes(public_key)
    if algorithm == SM2:
        return lambda message, signature: verify_signature(SM2, public_key, message, signature)
    try:
        loaded = Ed25519PublicKey.from_public_bytes(public_key)
    except ValueError:
        return lambda _message, _signature: False

    def verify(message: bytes, signature: bytes) -> bool:
        try:
            loaded.verify(bytes(signature), bytes(message))
        except (InvalidSignature, ValueError, TypeError):
            return False
        return True

    return verify


# -- SM2 with SM3 ---------------------------------------------------------------------------------


def _sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def sm2_z(public_key: bytes, user_id: bytes = SM2_DEFAULT_ID) -> bytes:
    """``Z_A`` of GB/T 32918.2 section 5.5 for a 65-byte public key ``0x04 || X || Y``."""
    curve = b"".join(v.to_bytes(32, "big") for v in (_A, _B, *_G))
    return _sm3((len(user_id) * 8).to_bytes(2, "big") + user_id + curve + public_key[1:])


def sm2_digest(public_key: bytes, message: bytes, user_id: bytes = SM2_DEFAULT_ID) -> bytes:
    """``e = SM3(Z_A || M)``, the value an SM2 signature signs (GB/T 32918.2 section 6.1)."""
    return _sm3(sm2_z(public_key, user_id) + message)


def _gmssl(private_hex: str, public_xy_hex: str = "") -> gmssl_sm2.CryptSM2:
    crypt = gmssl_sm2.CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public_xy_hex  # set directly: the constructor's lstrip("04") mangles some keys
    return crypt


def _sm2_sign_digest(private_key: bytes, digest: bytes, k: int | None = None) -> bytes:
    """Sign ``digest`` (= e) with a fresh secret k in ``[1, n - 1]``; ``k`` is for test vectors only."""
    crypt = _gmssl(private_key.hex())
    while True:
        nonce = k if k is not None else secrets.randbelow(_N - 1) + 1
        signature = crypt.sign(digest, f"{nonce:064x}")
        if signature is not None:
            return bytes.fromhex(signature)
        if k is not None:
            raise ValueError("this k gives no signature (r = 0, r + k = n or s = 0)")


def _on_curve(x: int, y: int) -> bool:
    return x < _P and y < _P and (y * y - x * x * x - _A * x - _B) % _P == 0


def _sm2_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    if len(public_key) != 65 or public_key[0] != 4 or len(signature) != 64:
        return False
    x, y = int.from_bytes(public_key[1:33], "big"), int.from_bytes(public_key[33:], "big")
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (_on_curve(x, y) and 1 <= r < _N and 1 <= s < _N):
        return False
    t = (r + s) % _N
    if t == 0:
        return False
    e = int.from_bytes(sm2_digest(public_key, message), "big")
    crypt = _gmssl("", public_key[1:].hex())
    p1, p2 = crypt._kg(s, _G_HEX), crypt._kg(t, crypt.public_key)
    point = _affine_add(_parse(p1), _parse(p2))
    return point is not None and (e + point[0]) % _N == r


def _parse(point_hex: str | None) -> tuple[int, int] | None:
    return None if point_hex is None else (int(point_hex[:64], 16), int(point_hex[64:128], 16))


def _affine_add(p: tuple[int, int] | None, q: tuple[int, int] | None) -> tuple[int, int] | None:
    """``p + q`` on the curve, ``None`` being the point at infinity (doubling and inverses included)."""
    if p is None or q is None:
        return q if p is None else p
    if p[0] == q[0] and (p[1] + q[1]) % _P == 0:
        return None
    if p == q:
        slope = (3 * p[0] * p[0] + _A) * pow(2 * p[1], -1, _P)
    else:
        slope = (q[1] - p[1]) * pow(q[0] - p[0], -1, _P)
    x = (slope * slope - p[0] - q[0]) % _P
    return x, (slope * (p[0] - x) - p[1]) % _P


# -- sealing --------------------------------------------------------------------------------------


def seal(master_key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """AES-256-GCM: ``nonce || ciphertext``, bound to ``context`` (e.g. the key id)."""
    nonce = os.urandom(_NONCE)
    return nonce + AESGCM(_check_master(master_key)).encrypt(nonce, plaintext, context)


def unseal(master_key: bytes, sealed: bytes, context: bytes) -> bytes:
    """Open what :func:`seal` made, or raise :class:`SealError`."""
    try:
        return AESGCM(_check_master(master_key)).decrypt(sealed[:_NONCE], sealed[_NONCE:], context)
    except InvalidTag:
        raise SealError("the sealed key does not open with this master key") from None


def _check_master(master_key: bytes) -> bytes:
    if len(master_key) != 32:
        raise ValueError("the master key must be 32 bytes")
    return master_key
