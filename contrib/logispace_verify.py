#!/usr/bin/env python3
"""Verify a LogiSpace ledger receipt offline, with nothing but Python 3.9+ and its standard library.

    python3 logispace_verify.py [--key keys.json] [--json] receipt.json

keys.json is what ``GET /api/v1/ledger/keys`` returns (or one key object): with it, the receipt's
key must be one of those pinned keys. Exit status: 0 valid, 1 invalid, 2 unreadable or unknown
format. As a module: ``verify_receipt(receipt_dict, pinned_keys=None) -> Verdict``.

Written from the specifications, not from any library: RFC 6962 / RFC 9162 section 2.1.3.2
(Merkle inclusion), RFC 8785 (canonical JSON of the tree head), RFC 8032 (Ed25519),
GB/T 32905 (SM3) and GB/T 32918.2 / 32918.5 (SM2 signatures on the recommended curve, with the
default user id "1234567812345678"). See docs/verify.md.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

FORMAT = "logispace-receipt/1"
PROMISE_FORMAT = "logispace-entry-timestamp/1"
ALGORITHMS = ("ed25519", "sm2")
SM2_DEFAULT_ID = b"1234567812345678"

# -- SM3 (GB/T 32905-2016) ------------------------------------------------------------------------

_M32 = 0xFFFFFFFF
_SM3_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _M32


def sm3(data: bytes) -> bytes:
    """The SM3 hash of ``data`` (32 bytes)."""
    bits = len(data) * 8
    data = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + bits.to_bytes(8, "big")
    v = list(_SM3_IV)
    for off in range(0, len(data), 64):
        w = [int.from_bytes(data[off + 4 * i : off + 4 * i + 4], "big") for i in range(16)]
        for j in range(16, 68):
            x = w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)
            w.append(x ^ _rotl(x, 15) ^ _rotl(x, 23) ^ _rotl(w[j - 13], 7) ^ w[j - 6])
        a, b, c, d, e, f, g, h = v
        for j in range(64):
            a12 = _rotl(a, 12)
            ss1 = _rotl((a12 + e + _rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j)) & _M32, 7)
            if j < 16:
                ff, gg = a ^ b ^ c, e ^ f ^ g
            else:
                ff, gg = (a & b) | (a & c) | (b & c), (e & f) | (~e & g)
            tt1 = (ff + d + (ss1 ^ a12) + (w[j] ^ w[j + 4])) & _M32
            tt2 = (gg + h + ss1 + w[j]) & _M32
            a, b, c, d = tt1, a, _rotl(b, 9), c
            e, f, g, h = tt2 ^ _rotl(tt2, 9) ^ _rotl(tt2, 17), e, _rotl(f, 19), g
        v = [old ^ new for old, new in zip(v, (a, b, c, d, e, f, g, h))]
    return b"".join(x.to_bytes(4, "big") for x in v)


def _mul(k: int, point: Any, add: Callable[[Any, Any], Any], zero: Any) -> Any:
    """``[k]point`` by double-and-add (verification only handles public values)."""
    acc = zero
    for bit in bin(k)[2:]:
        acc = add(acc, acc)
        if bit == "1":
            acc = add(acc, point)
    return acc


# -- SM2 signature verification (GB/T 32918.2-2016 section 7, recommended curve of 32918.5) ---------

_SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
_SM2_A = _SM2_P - 3
_SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
_SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
_SM2_GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
_SM2_GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0


def _sm2_add(p1: tuple[int, int] | None, p2: tuple[int, int] | None) -> tuple[int, int] | None:
    """Affine point addition; ``None`` is the point at infinity."""
    if p1 is None or p2 is None:
        return p2 if p1 is None else p1
    (x1, y1), (x2, y2) = p1, p2
    if x1 == x2 and (y1 + y2) % _SM2_P == 0:
        return None
    if p1 == p2:
        lam = (3 * x1 * x1 + _SM2_A) * pow(2 * y1, -1, _SM2_P) % _SM2_P
    else:
        lam = (y2 - y1) * pow(x2 - x1, -1, _SM2_P) % _SM2_P
    x3 = (lam * lam - x1 - x2) % _SM2_P
    return x3, (lam * (x1 - x3) - y1) % _SM2_P


def sm2_verify(public_key: bytes, message: bytes, signature: bytes, user_id: bytes = SM2_DEFAULT_ID) -> bool:
    """SM2 with SM3: ``public_key`` is ``04 || X || Y`` (65 bytes), ``signature`` is ``r || s`` (64)."""
    if len(public_key) != 65 or public_key[0] != 4 or len(signature) != 64:
        return False
    x, y = int.from_bytes(public_key[1:33], "big"), int.from_bytes(public_key[33:], "big")
    if x >= _SM2_P or y >= _SM2_P or (y * y - x * x * x - _SM2_A * x - _SM2_B) % _SM2_P:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (1 <= r < _SM2_N and 1 <= s < _SM2_N):
        return False
    t = (r + s) % _SM2_N
    if t == 0:
        return False
    curve = b"".join(v.to_bytes(32, "big") for v in (_SM2_A, _SM2_B, _SM2_GX, _SM2_GY))
    z = sm3((len(user_id) * 8).to_bytes(2, "big") + user_id + curve + public_key[1:])
    e = int.from_bytes(sm3(z + message), "big")
    point = _sm2_add(_mul(s, (_SM2_GX, _SM2_GY), _sm2_add, None), _mul(t, (x, y), _sm2_add, None))
    return point is not None and (e + point[0]) % _SM2_N == r


# -- Ed25519 verification (RFC 8032 section 5.1.7), extended coordinates (X, Y, Z, T) ------------

_ED_P = 2**255 - 19
_ED_L = 2**252 + 27742317777372353535851937790883648493
_ED_D = -121665 * pow(121666, -1, _ED_P) % _ED_P
_ED_SQRT_M1 = pow(2, (_ED_P - 1) // 4, _ED_P)


def _ed_add(p: tuple[int, int, int, int], q: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    a = (p[1] - p[0]) * (q[1] - q[0]) % _ED_P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _ED_P
    c = 2 * p[3] * q[3] * _ED_D % _ED_P
    d = 2 * p[2] * q[2] % _ED_P
    e, f, g, h = b - a, d - c, d + c, b + a
    return e * f % _ED_P, g * h % _ED_P, f * g % _ED_P, e * h % _ED_P


def _ed_decode(data: bytes) -> tuple[int, int, int, int] | None:
    """RFC 8032 section 5.1.3; ``None`` for an encoding that is not a point."""
    y = int.from_bytes(data, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    if y >= _ED_P:
        return None
    x2 = (y * y - 1) * pow(_ED_D * y * y + 1, -1, _ED_P) % _ED_P
    x = pow(x2, (_ED_P + 3) // 8, _ED_P)
    if (x * x - x2) % _ED_P:
        x = x * _ED_SQRT_M1 % _ED_P
    if (x * x - x2) % _ED_P or (x == 0 and sign):
        return None
    if x & 1 != sign:
        x = _ED_P - x
    return x, y, 1, x * y % _ED_P


_ED_BX = 15112221349535400772501151409588531511454012693041857206046113283949847762202
_ED_BY = 46316835694926478169428394003475163141307993866256225615783033603165251855960  # 4/5
_ED_B, _ED_0 = (_ED_BX, _ED_BY, 1, _ED_BX * _ED_BY % _ED_P), (0, 1, 1, 0)


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """Ed25519: the cofactorless check ``[S]B == R + [k]A`` of RFC 8032."""
    if len(public_key) != 32 or len(signature) != 64:
        return False
    a, r = _ed_decode(public_key), _ed_decode(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a is None or r is None or s >= _ED_L:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public_key + message).digest(), "little") % _ED_L
    left: tuple[int, int, int, int] = _mul(s, _ED_B, _ed_add, _ED_0)
    (x1, y1, z1, _), (x2, y2, z2, _) = left, _ed_add(r, _mul(k, a, _ed_add, _ED_0))
    return (x1 * z2 - x2 * z1) % _ED_P == 0 and (y1 * z2 - y2 * z1) % _ED_P == 0


def verify_signature(algorithm: str, public_key: bytes, message: bytes, signature: bytes) -> bool:
    if algorithm == "sm2":
        return sm2_verify(public_key, message, signature)
    return algorithm == "ed25519" and ed25519_verify(public_key, message, signature)


# -- Merkle inclusion (RFC 9162 section 2.1.3.2) and the signed tree head ------------------------


def leaf_hash(leaf_input: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + leaf_input).digest()


def _node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def root_from_inclusion_proof(index: int, size: int, leaf: bytes, proof: list[bytes]) -> bytes:
    """The root that ``proof`` implies for leaf hash ``leaf`` at ``index``; ValueError says why not."""
    if not 0 <= index < size:
        raise ValueError(f"index {index} is outside a tree of size {size}")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ValueError("the proof is longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = _node_hash(p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("the proof is shorter than the tree is deep")
    return r


def tree_head_message(tree_size: int, root_hash: bytes, timestamp: str, key_id: str) -> bytes:
    """RFC 8785 canonical JSON of the tree head: keys sorted, no spaces, UTF-8 (values here are ASCII)."""
    head: dict[str, Any] = {"key_id": key_id, "root_hash": base64.b64encode(root_hash).decode()}
    head.update(timestamp=timestamp, tree_size=tree_size)
    return json.dumps(head, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_timestamp_message(entry_id: int, leaf: bytes, timestamp: str, key_id: str) -> bytes:
    """RFC 8785 canonical JSON of a signed entry timestamp (values here are ASCII)."""
    stamp: dict[str, Any] = {
        "entry_id": entry_id,
        "key_id": key_id,
        "leaf_hash": base64.b64encode(leaf).decode(),
    }
    stamp.update(timestamp=timestamp, type="logispace-entry-timestamp")
    return json.dumps(stamp, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _leaf_time(leaf_input: bytes) -> str | None:
    """The leaf's ``time`` as signatures write times: UTC, microseconds, ``Z``."""
    try:
        found = json.loads(leaf_input).get("time")
        moment = datetime.fromisoformat(found.replace("Z", "+00:00")).astimezone(timezone.utc)
    except (ValueError, AttributeError, TypeError):
        return None
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


# -- the receipt -----------------------------------------------------------------------------------


class Unreadable(ValueError):
    """The receipt (or the pinned keys) is not of the known format."""


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class Verdict:
    """``status`` is valid, invalid or unreadable; ``checks`` in the order they were made."""

    status: str
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""

    @property
    def valid(self) -> bool:
        return self.status == "valid"

    @property
    def exit_code(self) -> int:
        return {"valid": 0, "invalid": 1}.get(self.status, 2)

    @property
    def reasons(self) -> list[str]:
        return [f"{c.name}: {c.detail}" for c in self.checks if not c.ok]

    def as_dict(self) -> dict[str, Any]:
        checks = [{"check": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks]
        out = {"verdict": self.status, "exit_code": self.exit_code, "summary": self.summary}
        return {**out, "reasons": self.reasons, "checks": checks, "notes": self.notes}


def _get(obj: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in obj:
        raise Unreadable(f"{where}.{key} is missing")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) or (isinstance(value, int) and value < 0):
        raise Unreadable(f"{where}.{key} must be a {'natural number' if kind is int else kind.__name__}")
    return value


def _b64(text: Any, where: str) -> bytes:
    if not isinstance(text, str):
        raise Unreadable(f"{where} must be a base64 string")
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Unreadable(f"{where} is not base64") from None


def _key(obj: Any, where: str) -> tuple[str, str, bytes]:
    if not isinstance(obj, dict):
        raise Unreadable(f"{where} must be a key object")
    algorithm = _get(obj, "algorithm", str, where)
    if algorithm not in ALGORITHMS:
        raise Unreadable(f"{where}.algorithm {algorithm!r} is not one of {', '.join(ALGORITHMS)}")
    public_key = _b64(_get(obj, "public_key", str, where), f"{where}.public_key")
    return _get(obj, "key_id", str, where), algorithm, public_key


def parse_pinned_keys(data: Any) -> list[tuple[str, str, bytes]]:
    """Keys as ``GET /api/v1/ledger/keys`` returns them (a list of key objects), or one key object."""
    items = [data] if isinstance(data, dict) else data
    if not isinstance(items, list) or not items:
        raise Unreadable("the pinned keys must be a key object or a non-empty list of them")
    return [_key(item, f"keys[{i}]") for i, item in enumerate(items)]


def verify_receipt(receipt: Any, pinned_keys: Any = None) -> Verdict:
    """Check a receipt (parsed JSON), full or a promise (signed entry timestamp); ``pinned_keys``
    as in keys.json. Never raises on bad input."""
    if isinstance(receipt, dict) and receipt.get("format") == PROMISE_FORMAT:
        return verify_promise(receipt, pinned_keys)
    verdict = Verdict("unreadable")
    add = verdict.checks.append
    if not isinstance(receipt, dict) or receipt.get("format") != FORMAT:
        add(Check("format", False, f"unknown receipt format (expected {FORMAT!r})"))
        return verdict
    add(Check("format", True, FORMAT))
    try:
        pinned = None if pinned_keys is None else parse_pinned_keys(pinned_keys)
    except Unreadable as exc:
        add(Check("pinned keys", False, str(exc)))
        return verdict
    try:
        entry, head = _get(receipt, "entry", dict, "receipt"), _get(receipt, "tree_head", dict, "receipt")
        index = _get(entry, "index", int, "entry")
        leaf_input = _b64(_get(entry, "leaf_input", str, "entry"), "entry.leaf_input")
        claimed_leaf = _b64(_get(entry, "leaf_hash", str, "entry"), "entry.leaf_hash")
        size = _get(head, "tree_size", int, "tree_head")
        root = _b64(_get(head, "root_hash", str, "tree_head"), "tree_head.root_hash")
        timestamp = _get(head, "timestamp", str, "tree_head")
        head_key_id = _get(head, "key_id", str, "tree_head")
        signature = _b64(_get(head, "signature", str, "tree_head"), "tree_head.signature")
        nodes = _get(receipt, "inclusion_proof", list, "receipt")
        proof = [_b64(node, f"inclusion_proof[{i}]") for i, node in enumerate(nodes)]
        key_id, algorithm, public_key = _key(_get(receipt, "key", dict, "receipt"), "key")
    except Unreadable as exc:
        add(Check("fields", False, str(exc)))
        return verdict
    add(Check("fields", True, "all fields present and well typed"))

    same = leaf_hash(leaf_input) == claimed_leaf
    add(Check("leaf hash", same, f"SHA-256(0x00 || leaf_input) {'==' if same else '!='} leaf_hash"))
    add(Check("index", index < size, f"entry {index} {'<' if index < size else '>='} tree_size {size}"))
    try:
        if any(len(node) != 32 for node in proof):
            raise ValueError("a proof node is not 32 bytes")
        same = root_from_inclusion_proof(index, size, claimed_leaf, proof) == root
        add(Check("inclusion", same, f"{len(proof)}-node proof leads to {'the' if same else 'another'} root"))
    except ValueError as exc:
        add(Check("inclusion", False, str(exc)))
    own = key_id == hashlib.sha256(public_key).hexdigest()
    detail = f"key.key_id {'==' if own else '!='} hex SHA-256(public_key)"
    add(
        Check(
            "key id",
            own and key_id == head_key_id,
            f"{detail}, {'==' if key_id == head_key_id else '!='} tree_head.key_id",
        )
    )
    message = tree_head_message(size, root, timestamp, head_key_id)
    ok = verify_signature(algorithm, public_key, message, signature)
    add(Check("signature", ok, f"{algorithm} signature over the tree head {'verifies' if ok else 'fails'}"))
    _pinned_check(verdict, pinned, (key_id, algorithm, public_key))
    verdict.status = "valid" if all(c.ok for c in verdict.checks) else "invalid"
    if verdict.valid:
        verdict.summary = f"entry {index} is in the log of {size} entries signed at {timestamp} by {key_id}"
    return verdict


def _pinned_check(verdict: Verdict, pinned: Any, key: tuple[str, str, bytes]) -> None:
    if pinned is None:
        verdict.notes.append(
            "the key was taken from the receipt itself: it must be pinned (--key keys.json, from "
            "GET /api/v1/ledger/keys of the operator) before this verdict can be trusted"
        )
    else:
        found = key in pinned
        verdict.checks.append(
            Check("pinned key", found, "the key is one of the pinned keys" if found else "key not pinned")
        )


def verify_promise(stamp: Any, pinned_keys: Any = None) -> Verdict:
    """Check a signed entry timestamp (a promise to integrate the entry within the maximum merge
    delay): leaf hash, admission time, key id, signature, pinned key."""
    verdict = Verdict("unreadable")
    add = verdict.checks.append
    add(Check("format", True, PROMISE_FORMAT))
    try:
        pinned = None if pinned_keys is None else parse_pinned_keys(pinned_keys)
    except Unreadable as exc:
        add(Check("pinned keys", False, str(exc)))
        return verdict
    try:
        entry = _get(stamp, "entry", dict, "entry timestamp")
        entry_id = _get(entry, "entry_id", int, "entry")
        leaf_input = _b64(_get(entry, "leaf_input", str, "entry"), "entry.leaf_input")
        claimed_leaf = _b64(_get(entry, "leaf_hash", str, "entry"), "entry.leaf_hash")
        timestamp = _get(stamp, "timestamp", str, "entry timestamp")
        stamp_key_id = _get(stamp, "key_id", str, "entry timestamp")
        signature = _b64(_get(stamp, "signature", str, "entry timestamp"), "signature")
        key_id, algorithm, public_key = _key(_get(stamp, "key", dict, "entry timestamp"), "key")
    except Unreadable as exc:
        add(Check("fields", False, str(exc)))
        return verdict
    add(Check("fields", True, "all fields present and well typed"))
    same = leaf_hash(leaf_input) == claimed_leaf
    add(Check("leaf hash", same, f"SHA-256(0x00 || leaf_input) {'==' if same else '!='} leaf_hash"))
    on_time = _leaf_time(leaf_input) == timestamp
    add(
        Check(
            "timestamp", on_time, "the admission time " + ("is" if on_time else "is not") + " the leaf's time"
        )
    )
    own = key_id == hashlib.sha256(public_key).hexdigest()
    detail = f"key.key_id {'==' if own else '!='} hex SHA-256(public_key)"
    same_key = key_id == stamp_key_id
    add(Check("key id", own and same_key, f"{detail}, {'==' if same_key else '!='} the timestamp's key_id"))
    message = entry_timestamp_message(entry_id, leaf_hash(leaf_input), timestamp, stamp_key_id)
    ok = verify_signature(algorithm, public_key, message, signature)
    add(
        Check(
            "signature", ok, f"{algorithm} signature over the entry timestamp {'verifies' if ok else 'fails'}"
        )
    )
    _pinned_check(verdict, pinned, (key_id, algorithm, public_key))
    verdict.notes.append(
        "a promise: the entry is admitted but not yet in a signed tree head; fetch the receipt later"
    )
    verdict.status = "valid" if all(c.ok for c in verdict.checks) else "invalid"
    if verdict.valid:
        verdict.summary = (
            f"entry {entry_id} admitted at {timestamp}, promised by {key_id} (not yet in the tree)"
        )
    return verdict


def _load(path: str) -> Any:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError) as exc:
        raise Unreadable(f"cannot read {path}: {exc}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a LogiSpace ledger receipt offline.")
    parser.add_argument("receipt", help="receipt JSON file, or - for standard input")
    parser.add_argument("--key", metavar="KEYS_JSON", help="pinned keys: GET /api/v1/ledger/keys, or one key")
    parser.add_argument("--json", action="store_true", help="print a machine-readable verdict")
    args = parser.parse_args(argv)
    try:
        pinned = None if args.key is None else _load(args.key)
        verdict = verify_receipt(_load(args.receipt), pinned)
    except Unreadable as exc:
        verdict = Verdict("unreadable", [Check("read", False, str(exc))])
    if args.json:
        print(json.dumps(verdict.as_dict(), indent=2))
    else:
        print(f"{verdict.status.upper()}: {verdict.summary or '; '.join(verdict.reasons)}")
        for c in verdict.checks:
            print(f"  [{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}")
        for note in verdict.notes:
            print(f"note: {note}")
    return verdict.exit_code


if __name__ == "__main__":
    sys.exit(main())
