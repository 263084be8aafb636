"""The standalone receipt verifier (contrib/logispace_verify.py) against the project's own code.

Receipts are built with the ledger's merkle module, core.signing keys and the service's tree-head
message; the stdlib verifier and the library path must agree on valid and on tampered receipts.
A few cases run the script as a subprocess in isolated mode without site-packages (``-I -S``), so
it cannot import the project nor anything installed.
"""

from __future__ import annotations

import ast
import base64
import copy
import json
import random
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from logispace.core.signing import ED25519, SM2, SigningKey, key_id_of, verify_signature
from logispace.domains.ledger import merkle, service
from logispace.domains.ledger.canonical import canonical_json
from logispace.domains.ledger.schemas import KeyRead
from tests.contrib.stdlib_verifier import SCRIPT, lv

Receipt = dict[str, Any]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def flip_b64(text: str, bit: int) -> str:
    raw = bytearray(base64.b64decode(text))
    bit %= 8 * len(raw)
    raw[bit // 8] ^= 1 << (bit % 8)
    return b64(bytes(raw))


def key_object(key: SigningKey) -> dict[str, str]:
    return {"key_id": key.key_id, "algorithm": key.algorithm, "public_key": b64(key.public_key)}


def keys_api_json(*keys: SigningKey) -> list[dict[str, Any]]:
    """What GET /api/v1/ledger/keys answers, built with its own response model."""
    created = datetime(2026, 11, 1, tzinfo=UTC)
    return [
        KeyRead(**key_object(k), created_at=created, retired_at=None).model_dump(mode="json") for k in keys
    ]


def build_receipt(key: SigningKey, size: int, index: int, rng: random.Random) -> Receipt:
    leaves = [canonical_json({"kind": "t", "n": i, "payload": rng.randbytes(6).hex()}) for i in range(size)]
    hashes = [merkle.leaf_hash(leaf) for leaf in leaves]
    root = merkle.root_of(hashes)
    proof = merkle.inclusion_proof(index, size, merkle.subtree_from_leaves(hashes))
    timestamp = datetime(2026, 11, 22, 10, rng.randrange(60), rng.randrange(60), rng.randrange(10**6), UTC)
    signature = key.sign(service.tree_head_message(size, root, timestamp, key.key_id))
    return {
        "format": "logispace-receipt/1",
        "entry": {"index": index, "leaf_input": b64(leaves[index]), "leaf_hash": b64(hashes[index])},
        "tree_head": {
            "tree_size": size,
            "root_hash": b64(root),
            "timestamp": timestamp.isoformat(timespec="microseconds").replace("+00:00", "Z"),
            "key_id": key.key_id,
            "signature": b64(signature),
        },
        "inclusion_proof": [b64(node) for node in proof],
        "key": key_object(key),
    }


def library_valid(receipt: Receipt, pinned: list[dict[str, Any]] | None = None) -> bool:
    """The same checks through the project's code (merkle, core.signing, service.tree_head_message)."""
    try:
        entry, head, key = receipt["entry"], receipt["tree_head"], receipt["key"]
        d = lambda text: base64.b64decode(text, validate=True)  # noqa: E731
        leaf, root, public = d(entry["leaf_hash"]), d(head["root_hash"]), d(key["public_key"])
        if receipt["format"] != "logispace-receipt/1" or merkle.leaf_hash(d(entry["leaf_input"])) != leaf:
            return False
        proof = [d(node) for node in receipt["inclusion_proof"]]
        merkle.verify_inclusion(entry["index"], head["tree_size"], leaf, proof, root)
        if not key_id_of(public) == key["key_id"] == head["key_id"]:
            return False
        timestamp = datetime.fromisoformat(head["timestamp"])
        message = service.tree_head_message(head["tree_size"], root, timestamp, head["key_id"])
        if not verify_signature(key["algorithm"], public, message, d(head["signature"])):
            return False
        return pinned is None or key in [
            {k: p[k] for k in ("key_id", "algorithm", "public_key")} for p in pinned
        ]
    except (KeyError, TypeError, ValueError):  # ProofError and binascii.Error are ValueErrors
        return False


def mutate(receipt: Receipt, path: tuple[str | int, ...], change: Callable[[Any], Any]) -> Receipt:
    out = copy.deepcopy(receipt)
    target: Any = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = change(target[path[-1]])
    return out


def tampered(receipt: Receipt, other: SigningKey, rng: random.Random) -> list[tuple[str, Receipt, set[str]]]:
    """(name, tampered receipt, the checks the verifier must fail)."""
    size, index = receipt["tree_head"]["tree_size"], receipt["entry"]["index"]
    bit = rng.randrange(256)

    def at(path: tuple[str | int, ...], change: Callable[[Any], Any], base: Receipt = receipt) -> Receipt:
        return mutate(base, path, change)

    def flip(text: str) -> str:
        return flip_b64(text, bit)

    def next_microsecond_digit(text: str) -> str:
        return text[:-2] + str((int(text[-2]) + 1) % 10) + "Z"

    # A larger size can keep the proof's shape (the leaf sits in a complete left subtree): then only
    # the signature catches it.
    proof = [base64.b64decode(node) for node in receipt["inclusion_proof"]]
    leaf, root = (
        base64.b64decode(receipt["entry"]["leaf_hash"]),
        base64.b64decode(receipt["tree_head"]["root_hash"]),
    )
    try:
        same_root = merkle.root_from_inclusion_proof(index, size + 1, leaf, proof) == root
    except merkle.ProofError:
        same_root = False
    grown_fails = {"signature"} if same_root else {"inclusion", "signature"}
    relabelled = at(("tree_head", "key_id"), lambda _: other.key_id)
    cases = [
        ("leaf_input bit", at(("entry", "leaf_input"), flip), {"leaf hash"}),
        ("leaf_hash bit", at(("entry", "leaf_hash"), flip), {"leaf hash", "inclusion"}),
        ("root bit", at(("tree_head", "root_hash"), flip), {"inclusion", "signature"}),
        ("signature bit", at(("tree_head", "signature"), flip), {"signature"}),
        ("timestamp", at(("tree_head", "timestamp"), next_microsecond_digit), {"signature"}),
        ("extended proof", at(("inclusion_proof",), lambda p: [*p, b64(rng.randbytes(32))]), {"inclusion"}),
        (
            "index >= tree_size",
            at(("entry", "index"), lambda _: size + rng.randrange(3)),
            {"index", "inclusion"},
        ),
        ("tree_size grown", at(("tree_head", "tree_size"), lambda n: n + 1), grown_fails),
        ("wrong key", at(("key",), lambda _: key_object(other)), {"key id", "signature"}),
        ("wrong key, head relabelled", at(("key",), lambda _: key_object(other), relabelled), {"signature"}),
        ("key id mismatch", at(("key", "key_id"), lambda _: other.key_id), {"key id"}),
        (
            "other algorithm",
            at(("key", "algorithm"), lambda a: SM2 if a == ED25519 else ED25519),
            {"signature"},
        ),
    ]
    if receipt["inclusion_proof"]:
        node = rng.randrange(len(receipt["inclusion_proof"]))
        cases += [
            ("proof node bit", at(("inclusion_proof", node), flip), {"inclusion"}),
            ("truncated proof", at(("inclusion_proof",), lambda p: p[:-1]), {"inclusion"}),
            ("proof node dropped", at(("inclusion_proof",), lambda p: p[1:]), {"inclusion"}),
            ("other index", at(("entry", "index"), lambda i: (i + 1) % size), {"inclusion"}),
        ]
    assert index < size
    return cases


FIELDS: list[tuple[str, ...]] = [
    ("format",),
    ("entry",),
    *[("entry", f) for f in ("index", "leaf_input", "leaf_hash")],
    ("tree_head",),
    *[("tree_head", f) for f in ("tree_size", "root_hash", "timestamp", "key_id", "signature")],
    ("inclusion_proof",),
    ("key",),
    *[("key", f) for f in ("key_id", "algorithm", "public_key")],
]
ILL_TYPED: list[tuple[tuple[str | int, ...], Any]] = [
    (("format",), "logispace-receipt/2"),
    (("entry", "index"), "3"),
    (("entry", "index"), -1),
    (("entry", "index"), True),
    (("tree_head", "tree_size"), 2.0),
    (("entry", "leaf_input"), "not base64!"),
    (("tree_head", "signature"), 42),
    (("tree_head", "timestamp"), None),
    (("inclusion_proof",), "AAAA"),
    (("inclusion_proof",), [7]),
    (("key",), ["ed25519"]),
    (("key", "algorithm"), "rsa"),
]

CASES = [(alg, size, index) for alg in (ED25519, SM2) for size, index in ((1, 0), (2, 1), (64, 63))] + [
    (alg, size, random.Random(f"{alg}{seed}").randrange(size))
    for alg in (ED25519, SM2)
    for seed, size in enumerate(random.Random(f"sizes-{alg}").sample(range(3, 300), 3))
]


@pytest.fixture(scope="module", params=[ED25519, SM2])
def keys(request: pytest.FixtureRequest) -> tuple[SigningKey, SigningKey]:
    return SigningKey.generate(request.param), SigningKey.generate(request.param)


@pytest.mark.parametrize(("algorithm", "size", "index"), CASES)
def test_verifier_and_library_agree_on_valid_and_tampered_receipts(
    algorithm: str, size: int, index: int
) -> None:
    rng = random.Random(f"{algorithm}-{size}-{index}")
    key, other = SigningKey.generate(algorithm), SigningKey.generate(algorithm)
    receipt = build_receipt(key, size, index, rng)
    verdict = lv.verify_receipt(receipt)
    assert verdict.valid and library_valid(receipt), verdict.reasons
    assert verdict.exit_code == 0 and len(verdict.checks) == 7 and verdict.notes
    pinned = lv.verify_receipt(receipt, keys_api_json(other, key))
    assert pinned.valid and not pinned.notes and library_valid(receipt, keys_api_json(other, key))
    for name, bad, failing in tampered(receipt, other, rng):
        verdict = lv.verify_receipt(bad)
        assert (verdict.status, verdict.exit_code) == ("invalid", 1), name
        assert {c.name for c in verdict.checks if not c.ok} == failing, (name, verdict.reasons)
        assert not library_valid(bad), name


def test_missing_and_ill_typed_fields_are_unreadable(keys: tuple[SigningKey, SigningKey]) -> None:
    receipt = build_receipt(keys[0], 5, 2, random.Random(1))
    bad: list[Any] = [[receipt], "receipt", None]
    for path in FIELDS:
        bad.append(copy.deepcopy(receipt))
        target = bad[-1]
        for step in path[:-1]:
            target = target[step]
        del target[path[-1]]
    bad += [mutate(receipt, path, lambda _, v=value: v) for path, value in ILL_TYPED]
    for item in bad:
        verdict = lv.verify_receipt(item)
        assert (verdict.status, verdict.exit_code) == ("unreadable", 2), item
        assert not verdict.checks[-1].ok and verdict.checks[-1].name in {"format", "fields"}
        assert not library_valid(item)
    assert lv.verify_receipt(mutate(receipt, ("format",), lambda _: "x")).reasons == [
        "format: unknown receipt format (expected 'logispace-receipt/1')"
    ]


def test_a_key_not_among_the_pinned_ones_is_invalid(keys: tuple[SigningKey, SigningKey]) -> None:
    key, other = keys
    receipt = build_receipt(key, 9, 4, random.Random(2))
    for pinned in (keys_api_json(other), key_object(other)):
        verdict = lv.verify_receipt(receipt, pinned)
        assert verdict.reasons == ["pinned key: key not pinned"]
        assert not library_valid(receipt, keys_api_json(other))
    assert lv.verify_receipt(receipt, key_object(key)).valid
    assert lv.verify_receipt(receipt, []).status == "unreadable"
    assert lv.verify_receipt(receipt, [{"key_id": key.key_id}]).status == "unreadable"


def test_tree_head_message_matches_the_service_byte_for_byte(keys: tuple[SigningKey, SigningKey]) -> None:
    rng = random.Random(3)
    for _ in range(20):
        root = rng.randbytes(32)
        timestamp = datetime(
            2026, rng.randint(1, 12), rng.randint(1, 28), microsecond=rng.randrange(10**6), tzinfo=UTC
        )
        text = timestamp.isoformat(timespec="microseconds").replace("+00:00", "Z")
        size = rng.randrange(2**40)
        expected = service.tree_head_message(size, root, timestamp, keys[0].key_id)
        assert lv.tree_head_message(size, root, text, keys[0].key_id) == expected


# -- the pure primitives against their specifications ---------------------------------------------


def test_sm3_vectors_of_gb_t_32905() -> None:
    assert lv.sm3(b"abc").hex() == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert lv.sm3(b"abcd" * 16).hex() == "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"


def test_sm3_agrees_with_cryptography_across_padding_boundaries() -> None:
    from cryptography.hazmat.primitives import hashes

    for n in [0, 1, 54, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000]:
        data = bytes(range(256)) * 4
        digest = hashes.Hash(hashes.SM3())
        digest.update(data[:n])
        assert lv.sm3(data[:n]) == digest.finalize(), n


# RFC 8032 section 7.1, TEST 1 to TEST 3: (public key, message, signature).
RFC8032 = [
    (
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
        "",
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
        "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    ),
    (
        "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
        "72",
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
        "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
    ),
    (
        "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
        "af82",
        "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
        "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a",
    ),
]


@pytest.mark.parametrize(("public", "message", "signature"), RFC8032)
def test_ed25519_vectors_of_rfc_8032(public: str, message: str, signature: str) -> None:
    pk, msg, sig = bytes.fromhex(public), bytes.fromhex(message), bytes.fromhex(signature)
    assert lv.ed25519_verify(pk, msg, sig) and verify_signature(ED25519, pk, msg, sig)
    assert not lv.ed25519_verify(pk, msg + b"\x00", sig)
    assert not lv.ed25519_verify(pk, msg, sig[:-1] + bytes([sig[-1] ^ 0x01]))


def test_script_imports_only_the_standard_library() -> None:
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    imported |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
    }
    assert imported and imported <= sys.stdlib_module_names, imported - sys.stdlib_module_names
    assert "hashlib.new" not in SCRIPT.read_text(encoding="utf-8")  # SM3 is its own, never OpenSSL's


# -- the script as a third party runs it -------------------------------------------------------------


def run(tmp_path: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", "-S", str(SCRIPT), *args],
        cwd=tmp_path,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )


def test_script_exit_codes_in_isolated_mode(tmp_path: Path, keys: tuple[SigningKey, SigningKey]) -> None:
    key, other = keys
    receipt = build_receipt(key, 40, 12, random.Random(4))
    files = {
        "good.json": receipt,
        "bad.json": mutate(receipt, ("tree_head", "signature"), lambda t: flip_b64(t, 3)),
        "unknown.json": mutate(receipt, ("format",), lambda _: "logispace-receipt/9"),
        "keys.json": keys_api_json(other, key),
        "other-keys.json": keys_api_json(other),
    }
    for name, value in files.items():
        (tmp_path / name).write_text(json.dumps(value), encoding="utf-8")
    (tmp_path / "garbage.json").write_text("{not json", encoding="utf-8")

    good = run(tmp_path, "good.json")
    assert good.returncode == 0, good.stdout + good.stderr
    assert (
        good.stdout.startswith("VALID: entry 12 is in the log of 40 entries")
        and "must be pinned" in good.stdout
    )
    pinned = run(tmp_path, "--key", "keys.json", "good.json")
    assert pinned.returncode == 0 and "[ok] pinned key" in pinned.stdout and "note:" not in pinned.stdout
    not_pinned = run(tmp_path, "--key", "other-keys.json", "good.json")
    assert not_pinned.returncode == 1 and not_pinned.stdout.startswith("INVALID: pinned key: key not pinned")
    bad = run(tmp_path, "bad.json")
    assert bad.returncode == 1 and "signature" in bad.stdout.splitlines()[0]
    assert run(tmp_path, "unknown.json").returncode == 2
    assert run(tmp_path, "garbage.json").returncode == 2
    assert run(tmp_path, "missing.json").returncode == 2
    assert run(tmp_path, "--key", "garbage.json", "good.json").returncode == 2
    from_stdin = run(tmp_path, "--json", "-", stdin=json.dumps(files["bad.json"]))
    verdict = json.loads(from_stdin.stdout)
    assert from_stdin.returncode == 1 and verdict["verdict"] == "invalid" and verdict["exit_code"] == 1
    assert [c["check"] for c in verdict["checks"] if not c["ok"]] == ["signature"]


# -- signed entry timestamps (promises, issue 16) ---------------------------------------------------


def build_promise(key: SigningKey, entry_id: int) -> Receipt:
    moment = datetime(2026, 12, 7, 9, 30, 1, 250000, tzinfo=UTC)
    data = service.leaf_input_of("test.promise", f"s{entry_id}", {"n": entry_id}, None, moment)
    from logispace.domains.ledger.receipts import receipt_json

    return receipt_json(service.sign_entry_timestamp(key, entry_id, data, moment), retry_after=1)


PROMISE_CHANGES: list[tuple[str, Callable[[Receipt], None], list[str]]] = [
    ("signature", lambda r: r.update(signature=flip_b64(r["signature"], 5)), ["signature"]),
    ("key id", lambda r: r.update(key_id="0" * 64), ["key id", "signature"]),
    ("leaf hash", lambda r: r["entry"].update(leaf_hash=flip_b64(r["entry"]["leaf_hash"], 9)), ["leaf hash"]),
    ("time", lambda r: r.update(timestamp="2026-12-07T09:30:02.250000Z"), ["timestamp", "signature"]),
    ("entry id", lambda r: r["entry"].update(entry_id=r["entry"]["entry_id"] + 1), ["signature"]),
]


@pytest.mark.parametrize(("name", "change", "check"), PROMISE_CHANGES, ids=[c[0] for c in PROMISE_CHANGES])
def test_verifier_and_library_agree_on_promises(
    keys: tuple[SigningKey, SigningKey], name: str, change: Callable[[Receipt], None], check: list[str]
) -> None:
    from logispace.domains.ledger.receipts import verify_receipt

    for key in keys:
        promise = build_promise(key, 41)
        assert lv.verify_receipt(promise, key_object(key)).valid
        assert verify_receipt(promise, [key_object(key)]).status == "valid"
        changed = copy.deepcopy(promise)
        change(changed)
        verdict = lv.verify_receipt(changed, key_object(key))
        assert verdict.status == "invalid"
        assert [c.name for c in verdict.checks if not c.ok] == check, verdict.reasons
        assert verify_receipt(changed, [key_object(key)]).status == "invalid"
