"""Receipts: every append returns one that verifies offline; any change to it is caught."""

from __future__ import annotations

import base64
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from logispace import migrations
from logispace.cli import app as cli_app
from logispace.core.config import get_settings
from logispace.core.db import make_engine
from logispace.domains.ledger import receipt_for, receipt_json, verify_receipt
from tests.databases import throwaway_database
from tests.factories.ledger import appended, appended_many

Receipt = dict[str, Any]


def flip(text: str, bit: int = 0) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[bit // 8 % len(raw)] ^= 1 << (bit % 8)
    return base64.b64encode(bytes(raw)).decode()


@pytest.fixture
def receipts(db: Session) -> list[Receipt]:
    made = appended_many(db, [("test.event", f"s{i}", {"i": i}, None) for i in range(11)])
    single = appended(db, kind="test.single", subject="one", payload={"名": "甲"}, actor=None)
    return [receipt_json(r) for r in [*made, single]]


def test_every_append_returns_a_receipt_that_verifies(receipts: list[Receipt]) -> None:
    for receipt in receipts:
        verdict = verify_receipt(receipt)
        assert verdict.status == "valid", verdict.reasons
        assert verdict.notes and "pin" in verdict.notes[0]


def test_a_fresh_receipt_at_the_latest_head_verifies_for_old_entries(
    db: Session, receipts: list[Receipt]
) -> None:
    first = receipts[0]["entry"]["entry_id"]
    appended_many(db, [("test.later", f"l{i}", {"i": i}, None) for i in range(5)])
    fresh = receipt_json(receipt_for(db, first))
    assert fresh["tree_head"]["tree_size"] == receipts[-1]["tree_head"]["tree_size"] + 5
    assert fresh["entry"] == receipts[0]["entry"]
    assert verify_receipt(fresh).status == "valid"


def _set(path: tuple[Any, ...], change: Callable[[Any], Any]) -> Callable[[Receipt], None]:
    def apply(receipt: Receipt) -> None:
        target: Any = receipt
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = change(target[path[-1]])

    return apply


TAMPERINGS: dict[str, tuple[Callable[[Receipt], None], str]] = {
    "leaf input bit": (_set(("entry", "leaf_input"), flip), "leaf hash does not match"),
    "leaf hash bit": (_set(("entry", "leaf_hash"), lambda v: flip(v, 77)), "leaf hash does not match"),
    "root bit": (_set(("tree_head", "root_hash"), lambda v: flip(v, 3)), "inclusion proof"),
    "proof node bit": (_set(("inclusion_proof", 0), lambda v: flip(v, 200)), "inclusion proof"),
    "truncated proof": (_set(("inclusion_proof",), lambda v: v[:-1]), "inclusion proof"),
    "extended proof": (_set(("inclusion_proof",), lambda v: [*v, v[0]]), "inclusion proof"),
    "signature bit": (_set(("tree_head", "signature"), lambda v: flip(v, 9)), "signature does not verify"),
    "timestamp": (_set(("tree_head", "timestamp"), lambda v: v.replace("Z", "1Z")), "signature"),
    "tree size": (_set(("tree_head", "tree_size"), lambda v: v + 1), "signature does not verify"),
    "index out of range": (_set(("entry", "index"), lambda v: 10**6), "outside a tree"),
    "negative index": (_set(("entry", "index"), lambda v: -1), "outside a tree"),
    "key id": (_set(("key", "key_id"), lambda v: "0" * 64), "key id does not name"),
    "head key id": (_set(("tree_head", "key_id"), lambda v: "0" * 64), "another key"),
    "public key bit": (_set(("key", "public_key"), flip), "key id does not name"),
    "unknown algorithm": (_set(("key", "algorithm"), lambda v: "rsa"), "unknown signature algorithm"),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_any_change_to_a_receipt_makes_it_invalid(receipts: list[Receipt], name: str) -> None:
    tamper, reason = TAMPERINGS[name]
    for receipt in (receipts[3], receipts[-1]):
        changed = copy.deepcopy(receipt)
        tamper(changed)
        verdict = verify_receipt(changed)
        assert verdict.status == "invalid", name
        assert any(reason in r for r in verdict.reasons), verdict.reasons


UNREADABLE: dict[str, tuple[Any, str]] = {
    "not an object": ([1, 2], "unknown receipt format"),
    "unknown format": ({"format": "ct-sct/1"}, "unknown receipt format 'ct-sct/1'"),
    "missing entry": ({"format": "logispace-receipt/1"}, "receipt.entry is missing"),
}


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_unreadable_receipts_say_why(name: str) -> None:
    document, reason = UNREADABLE[name]
    verdict = verify_receipt(document)
    assert verdict.status == "unreadable" and verdict.exit_code == 2
    assert reason in verdict.reasons[0]


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        (("entry", "index"), "3", "entry.index has the wrong type"),
        (("entry", "index"), True, "entry.index has the wrong type"),
        (("entry", "leaf_input"), "not base64!", "entry.leaf_input is not base64"),
        (("inclusion_proof", 0), 5, "inclusion_proof[0].node has the wrong type"),
        (("tree_head",), None, "receipt.tree_head has the wrong type"),
    ],
)
def test_malformed_fields_are_named(
    receipts: list[Receipt], path: tuple[Any, ...], value: Any, reason: str
) -> None:
    changed = copy.deepcopy(receipts[2])
    _set(path, lambda _: value)(changed)
    verdict = verify_receipt(changed)
    assert verdict.status == "unreadable"
    assert verdict.reasons == [reason]


def test_pinned_keys_decide_trust(receipts: list[Receipt]) -> None:
    receipt = receipts[0]
    key = receipt["key"]
    assert verify_receipt(receipt, [key]).status == "valid"
    assert verify_receipt(receipt, [key]).notes == []
    other = {**key, "key_id": "f" * 64}
    verdict = verify_receipt(receipt, [other])
    assert verdict.status == "invalid"
    assert verdict.reasons == [f"the key {key['key_id']} is not one of the pinned keys"]


def test_the_receipt_route_serves_a_verifiable_receipt(client: TestClient, db: Session) -> None:
    made = appended(db, kind="test.api", subject="api", payload={"x": 1}, actor=None)
    db.commit()
    body = client.get(f"/api/v1/ledger/entries/{made.entry_id}/receipt").json()
    keys = client.get("/api/v1/ledger/keys").json()
    assert body["entry"]["leaf_input"] == base64.b64encode(made.leaf_input).decode()
    assert verify_receipt(body, keys).status == "valid"


@pytest.mark.parametrize("index", ["-1", "99999999", str(2**70)])
def test_receipt_for_an_entry_beyond_the_log_is_404(client: TestClient, index: str) -> None:
    response = client.get(f"/api/v1/ledger/entries/{index}/receipt")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert "no entry" in response.json()["detail"]


def test_receipt_route_rejects_a_non_integer_index(client: TestClient) -> None:
    response = client.get("/api/v1/ledger/entries/abc/receipt")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


# -- the command line -------------------------------------------------------------------------


@pytest.fixture
def saved(tmp_path: Path, receipts: list[Receipt]) -> Path:
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(receipts[4]))
    return path


def run(*args: str) -> Any:
    return CliRunner().invoke(cli_app, list(args))


def test_cli_verify_exit_codes(tmp_path: Path, saved: Path, receipts: list[Receipt]) -> None:
    ok = run("verify", str(saved))
    assert ok.exit_code == 0, ok.output
    assert "VALID" in ok.output and "pin" in ok.output

    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps([receipts[4]["key"]]))
    assert run("verify", "--key", str(keys), str(saved)).exit_code == 0

    tampered = copy.deepcopy(receipts[4])
    tampered["entry"]["leaf_input"] = flip(tampered["entry"]["leaf_input"])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tampered))
    result = run("verify", "--json", str(bad))
    assert result.exit_code == 1
    assert json.loads(result.output)["status"] == "invalid"

    unknown = tmp_path / "unknown.json"
    unknown.write_text(json.dumps({"format": "nope"}))
    assert run("verify", str(unknown)).exit_code == 2
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json")
    result = run("verify", str(garbage))
    assert result.exit_code == 2 and "unreadable receipt" in result.output
    assert run("verify", str(tmp_path / "missing.json")).exit_code == 2
    assert run("verify", "--key", str(garbage), str(saved)).exit_code == 2


def test_cli_receipt_and_audit_on_a_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    monkeypatch.setenv("LOGISPACE_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        result = run("ledger", "audit")
        assert result.exit_code == 0, result.output
        assert "ledger intact" in result.output
        missing = run("ledger", "receipt", "99999999")
        assert missing.exit_code == 2 and "no entry 99999999" in missing.output
    finally:
        get_settings.cache_clear()


def test_cli_audit_names_a_row_tampered_in_the_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On its own database: commit entries, tamper one row behind the triggers' back, audit."""
    with throwaway_database(tmp_path) as url:
        migrations.upgrade(url)
        engine = make_engine(url)
        try:
            with Session(engine) as session, session.begin():
                made = appended_many(session, [("t", f"s{i}", {"i": i}, None) for i in range(30)])
            victim = made[17].index
            with engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("ALTER TABLE ledger_entries DISABLE TRIGGER USER"))
                else:
                    conn.execute(text("DROP TRIGGER ledger_entries_no_update"))
                conn.execute(
                    text("UPDATE ledger_entries SET leaf_input = :f WHERE leaf_index = :i"),
                    {"f": b'{"forged":true}', "i": victim},
                )
        finally:
            engine.dispose()
        monkeypatch.setenv("LOGISPACE_DATABASE_URL", url)
        get_settings.cache_clear()
        try:
            result = run("ledger", "audit")
        finally:
            get_settings.cache_clear()
    assert result.exit_code == 1, result.output
    assert f"at index {victim}" in result.output
    assert "leaf input does not match" in result.output
