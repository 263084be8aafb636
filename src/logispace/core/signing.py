"""Signing providers (签名): Ed25519 key pairs, and private keys sealed at rest with AES-256-GCM.

A :class:`SigningKey` signs bytes; its ``key_id`` is the hex SHA-256 of the raw public key, so a
verifier can check that a key id names the public key it is given. Private keys are stored only
sealed (:func:`seal`) under a 32-byte master key from Settings.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

ED25519 = "ed25519"
_NONCE = 12


class SealError(ValueError):
    """A sealed key cannot be opened: wrong master key or damaged data."""


def key_id_of(public_key: bytes) -> str:
    """The key id of a raw public key: hex SHA-256."""
    return hashlib.sha256(public_key).hexdigest()


@dataclass(frozen=True)
class SigningKey:
    """A private signing key of one algorithm."""

    algorithm: str
    private_key: bytes

    @classmethod
    def generate(cls) -> SigningKey:
        raw = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
        return cls(ED25519, raw)

    @property
    def public_key(self) -> bytes:
        return (
            Ed25519PrivateKey.from_private_bytes(self.private_key)
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )

    @property
    def key_id(self) -> str:
        return key_id_of(self.public_key)

    def sign(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.private_key).sign(message)


def verify_signature(algorithm: str, public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when ``signature`` over ``message`` verifies under ``public_key``."""
    if algorithm != ED25519:
        raise ValueError(f"unknown signature algorithm {algorithm!r}")
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True


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
