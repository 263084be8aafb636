"""Document notarization and verification (单证存证与鉴真): service, API and pages."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

import pytest
import rfc8785
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import Conflict
from logispace.core.signing import verify_signature
from logispace.domains.identity import service as identity_service
from logispace.domains.ledger import document_service, repository, verify_receipt
from logispace.domains.ledger.documents.schemas import DocumentFields
from logispace.domains.ledger.models import Document, DocumentVersion, LedgerEntry
from tests.conftest import Actor, World
from tests.identity.support import Browser, assert_problem

WAYBILL = b"%PDF-1.7 multimodal waybill LS-2026-0001\n" * 50
BILL_OF_LADING = {
    "bl_no": "BL-2026-0042",
    "shipper": "甲物流",
    "containers": ["TGHU8883590"],
    "gross_kg": 21450.5,
}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def upload(
    client: TestClient, actor: Actor, data: bytes = WAYBILL, name: str = "waybill.pdf", **fields: str
) -> Any:
    return client.post(
        "/api/v1/documents",
        files={"file": (name, data, "application/pdf")},
        data=fields,
        headers=actor.headers,
    )


def notarized(client: TestClient, actor: Actor, data: bytes = WAYBILL, **fields: str) -> dict[str, Any]:
    response = upload(client, actor, data, **{"title": "多式联运运单", "reference": "LS-2026-0001", **fields})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def verify(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/v1/documents/verify", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def entry_of(db: Session, index: int) -> dict[str, Any]:
    row = db.get(LedgerEntry, index)
    assert row is not None
    document: dict[str, Any] = json.loads(bytes(row.leaf_input))
    return document


# -- notarizing ----------------------------------------------------------------------------------


def test_notarizing_a_file_signs_its_hash_and_appends_it_to_the_ledger(
    client: TestClient, world: World, db: Session
) -> None:
    before = repository.tree_size(db)
    body = notarized(client, world.a_admin)
    version = body["version"]
    assert version["sha256"] == sha(WAYBILL)
    assert version["size"] == len(WAYBILL)
    assert version["media_type"] == "application/pdf"
    assert version["version"] == 1
    assert version["signature_valid"] is True
    assert body["filename"] == "waybill.pdf"
    assert body["document"]["issuer_name"] == "甲物流公司"
    assert body["document"]["issuer_party_id"] == str(world.a_admin.party_id)
    newest = db.scalar(select(func.max(LedgerEntry.entry_id)))
    assert body["ledger_index"] == newest
    assert body["receipt_url"] == f"/api/v1/ledger/entries/{newest}/receipt"
    assert repository.tree_size(db) == before + 1
    receipt = client.get(body["receipt_url"]).json()
    assert verify_receipt(receipt, client.get("/api/v1/ledger/keys").json()).status == "valid"

    entry = entry_of(db, body["ledger_index"])
    document_id = body["document"]["id"]
    assert entry["kind"] == "document.notarized"
    assert entry["subject"] == f"document:{document_id}"
    assert entry["actor"] == str(world.a_admin.party_id)
    statement = entry["payload"]["statement"]
    assert statement == {
        "document_id": document_id,
        "version": 1,
        "sha256": sha(WAYBILL),
        "media_type": "application/pdf",
        "size": len(WAYBILL),
        "signed_at": statement["signed_at"],
        "signer_party_id": str(world.a_admin.party_id),
        "key_id": body["key_id"],
    }
    # Title and reference are in the ledger only as hashes; the file name not at all.
    leaf = json.dumps(entry, ensure_ascii=False)
    assert "多式联运运单" not in leaf
    assert "LS-2026-0001" not in leaf
    assert "waybill.pdf" not in leaf
    assert entry["payload"]["title_sha256"] == sha("多式联运运单".encode())
    assert entry["payload"]["reference_sha256"] == sha(b"LS-2026-0001")

    # Anyone can check the signature with the party's published key.
    [key] = client.get(f"/api/v1/parties/{world.a_admin.party_id}/keys").json()
    assert key["key_id"] == body["key_id"]
    assert verify_signature(
        key["algorithm"],
        base64.b64decode(key["public_key"]),
        rfc8785.dumps(statement),
        base64.b64decode(body["signature"]),
    )
    # The file itself is stored nowhere.
    assert db.scalar(select(func.count()).select_from(DocumentVersion).where(DocumentVersion.size == 0)) == 0


def test_notarizing_a_json_document_hashes_its_canonical_form(client: TestClient, world: World) -> None:
    response = client.post(
        "/api/v1/documents",
        json={"title": "海运提单", "reference": "BL-2026-0042", "document": BILL_OF_LADING},
        headers=world.b_admin.headers,
    )
    assert response.status_code == 201, response.text
    canonical = rfc8785.dumps(BILL_OF_LADING)
    version = response.json()["version"]
    assert version["sha256"] == sha(canonical)
    assert version["media_type"] == "application/json"
    assert version["size"] == len(canonical)
    # The same document written in another key order and spacing is the same document.
    reordered = json.dumps(dict(reversed(list(BILL_OF_LADING.items()))), indent=2, ensure_ascii=False)
    assert (
        verify(client, sha256=hashlib.sha256(rfc8785.dumps(json.loads(reordered))).hexdigest())["verdict"]
        == "authentic"
    )
    # ...and the canonical bytes uploaded as a file verify too.
    by_file = client.post(
        "/api/v1/documents/verify", files={"file": ("bl.json", canonical, "application/json")}
    )
    assert by_file.json()["verdict"] == "authentic"


def test_a_new_version_supersedes_the_old_one(client: TestClient, world: World) -> None:
    first = notarized(client, world.a_admin)
    document_id = first["document"]["id"]
    changed = WAYBILL + b"amended: consignee address\n"
    second = notarized(client, world.a_admin, changed, document_id=document_id, title="ignored")
    assert second["document"]["id"] == document_id
    assert second["version"]["version"] == 2
    assert second["document"]["title"] == "多式联运运单"
    assert second["ledger_index"] > first["ledger_index"]

    document = client.get(f"/api/v1/documents/{document_id}").json()
    assert [(v["version"], v["superseded"], v["signature_valid"]) for v in document["versions"]] == [
        (1, True, True),
        (2, False, True),
    ]
    old = verify(client, sha256=sha(WAYBILL), document_id=document_id)
    assert (old["verdict"], old["version"], old["latest_version"], old["superseded"]) == (
        "authentic",
        1,
        2,
        True,
    )
    new = verify(client, sha256=sha(changed))
    assert (new["verdict"], new["version"], new["superseded"]) == ("authentic", 2, False)


# -- verifying -----------------------------------------------------------------------------------


def test_authentic_names_the_signer_and_proves_the_ledger_entry(client: TestClient, world: World) -> None:
    body = notarized(client, world.a_admin)
    notarized(client, world.b_admin, b"another party's file")  # the log grows past the entry
    response = client.post("/api/v1/documents/verify", files={"file": ("w.pdf", WAYBILL, "application/pdf")})
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["verdict"] == "authentic"
    assert result["document_id"] == body["document"]["id"]
    assert result["signer_party_id"] == str(world.a_admin.party_id)
    assert result["signer_name"] == "甲物流公司"
    assert result["signed_at"] == body["version"]["signed_at"]
    assert result["signature_valid"] is True
    assert result["superseded"] is False
    ledger = result["ledger"]
    assert ledger["index"] == body["ledger_index"]
    assert ledger["tree_size"] > ledger["tree_index"] + 1
    assert ledger["pending"] is False
    assert ledger["leaf_hash_matches"] and ledger["statement_matches"]
    assert ledger["inclusion_verified"] and ledger["tree_head_signature_valid"]
    head = client.get("/api/v1/ledger/tree-head").json()
    assert (ledger["tree_size"], ledger["root_hash"]) == (head["tree_size"], head["root_hash"])


def test_tampered_when_the_document_is_known_but_the_hash_is_not(client: TestClient, world: World) -> None:
    body = notarized(client, world.a_admin)
    document_id = body["document"]["id"]
    forged = WAYBILL.replace(b"0001", b"0009")
    by_file = client.post(
        "/api/v1/documents/verify",
        files={"file": ("w.pdf", forged, "application/pdf")},
        data={"document_id": document_id},
    )
    assert by_file.status_code == 200, by_file.text
    result = by_file.json()
    assert result["verdict"] == "tampered"
    assert result["sha256"] == sha(forged)
    assert result["signer_name"] == "甲物流公司"
    assert result["signed_at"] == body["version"]["signed_at"]
    assert result["latest_version"] == 1
    # Without the document id the same file is simply unknown.
    assert verify(client, sha256=sha(forged))["verdict"] == "unknown"


def test_without_a_document_id_the_first_notarization_names_the_signer(
    client: TestClient, world: World
) -> None:
    original = notarized(client, world.a_admin)
    copy = notarized(client, world.b_admin, title="乙方的副本")
    result = verify(client, sha256=sha(WAYBILL))
    assert (result["document_id"], result["signer_name"]) == (original["document"]["id"], "甲物流公司")
    named = verify(client, sha256=sha(WAYBILL), document_id=copy["document"]["id"])
    assert (named["document_id"], named["signer_name"]) == (copy["document"]["id"], "乙港口公司")


def test_a_file_over_the_body_limit_is_413_and_writes_nothing(
    client: TestClient, world: World, db: Session, settings: Settings
) -> None:
    before = repository.tree_size(db)
    too_big = b"x" * (settings.max_body_bytes + 1)
    assert_problem(upload(client, world.a_admin, too_big, title="大文件"), 413, "payload-too-large")
    assert repository.tree_size(db) == before
    assert client.get("/api/v1/documents", headers=world.a_admin.headers).json()["total"] == 0


def test_unknown_hash_and_unknown_document_are_verdicts_not_errors(client: TestClient, world: World) -> None:
    notarized(client, world.a_admin)
    unknown = verify(client, sha256="ab" * 32)
    assert unknown["verdict"] == "unknown"
    assert unknown["signer_name"] is None
    assert unknown["ledger"] is None
    missing = verify(client, sha256=sha(WAYBILL), document_id=str(uuid.uuid4()))
    assert missing["verdict"] == "unknown"
    upper = verify(client, sha256=sha(WAYBILL).upper())
    assert (upper["verdict"], upper["sha256"]) == ("authentic", sha(WAYBILL))


def test_key_rotation_keeps_old_versions_verifying(client: TestClient, world: World) -> None:
    first = notarized(client, world.a_admin)
    rotated = client.post("/api/v1/parties/me/keys/rotate", headers=world.a_admin.headers)
    assert rotated.status_code == 201
    second = notarized(client, world.a_admin, WAYBILL + b"v2", document_id=first["document"]["id"])
    assert first["key_id"] != second["key_id"] == rotated.json()["key_id"]
    versions = client.get(f"/api/v1/documents/{first['document']['id']}").json()["versions"]
    assert [(v["key_id"], v["signature_valid"]) for v in versions] == [
        (first["key_id"], True),
        (second["key_id"], True),
    ]
    assert verify(client, sha256=sha(WAYBILL))["signature_valid"] is True


def test_a_changed_signature_no_longer_verifies(db: Session, settings: Settings, world: World) -> None:
    """The signature check can fail: a version whose hash was swapped (the trigger forbids changing
    a stored one, so the check runs on a detached copy) does not verify."""
    user = identity_service.user_by_username(db, world.a_admin.username)
    assert user is not None
    principal = identity_service.principal_of_user(db, user)
    done = document_service.notarize(
        db, principal, settings, document_service.json_content(BILL_OF_LADING), DocumentFields(title="提单")
    )
    document = db.get_one(Document, done.document.id)
    stored = db.scalars(select(DocumentVersion).where(DocumentVersion.document_id == document.id)).one()
    assert document_service.signature_valid(db, document, stored)
    db.expunge(stored)
    stored.sha256 = "00" * 32
    assert not document_service.signature_valid(db, document, stored)


# -- transactions and append-only storage ----------------------------------------------------


def test_a_rolled_back_notarization_leaves_no_ledger_entry(
    client: TestClient, world: World, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = repository.tree_size(db)

    def fail(*_: object) -> None:
        raise Conflict("failure after the ledger append")

    monkeypatch.setattr(document_service, "document_read", fail)
    response = upload(client, world.a_admin, title="回滚")
    assert_problem(response, 409)
    assert repository.tree_size(db) == before
    assert (
        db.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.leaf_index >= before)) == 0
    )
    assert db.scalar(select(func.count()).select_from(Document).where(Document.title == "回滚")) == 0


def test_versions_cannot_be_changed_in_the_database(client: TestClient, world: World, db: Session) -> None:
    notarized(client, world.a_admin)
    nested = db.begin_nested()
    with pytest.raises(DBAPIError):
        db.execute(update(DocumentVersion).values(sha256="00" * 32))
    nested.rollback()


# -- bad input and authorization ---------------------------------------------------------------


def test_an_empty_file_is_refused(client: TestClient, world: World, db: Session) -> None:
    before = repository.tree_size(db)
    body = assert_problem(upload(client, world.a_admin, b"", title="空文件"), 422, "validation-failed")
    assert body["errors"][0]["loc"] == ["body", "file"]
    assert repository.tree_size(db) == before
    empty_check = client.post("/api/v1/documents/verify", files={"file": ("e", b"", "text/plain")})
    assert assert_problem(empty_check, 422)["errors"][0]["loc"] == ["body", "file"]


@pytest.mark.parametrize("value", ["abc", "zz" * 32, "ab" * 33, "", 42])
def test_a_malformed_hash_is_422_naming_the_field(client: TestClient, value: object) -> None:
    body = assert_problem(client.post("/api/v1/documents/verify", json={"sha256": value}), 422)
    assert ["body", "sha256"] in [e["loc"] for e in body["errors"]]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"reference": "x", "document": {"a": 1}}, "title"),
        ({"title": "t"}, "document"),
        ({"title": "t", "document": {"a": 1}, "secret": 1}, "secret"),
        ({"title": "t\x00", "document": {"a": 1}}, "title"),
        ({"title": "t", "document": {"a": 2**60}}, "document"),
        ({"title": "t", "document": {"a": 1}, "document_id": "not-a-uuid"}, "document_id"),
    ],
)
def test_bad_json_documents_are_422_naming_the_field(
    client: TestClient, world: World, payload: dict[str, Any], field: str
) -> None:
    body = assert_problem(client.post("/api/v1/documents", json=payload, headers=world.a_admin.headers), 422)
    assert field in {str(loc) for e in body["errors"] for loc in e["loc"]}, body


def test_missing_body_and_wrong_media_type(client: TestClient, world: World) -> None:
    headers = world.a_admin.headers
    assert_problem(client.post("/api/v1/documents", headers=headers), 422)
    assert_problem(client.post("/api/v1/documents/verify"), 422)
    text = client.post(
        "/api/v1/documents", content=b"hello", headers={**headers, "Content-Type": "text/plain"}
    )
    assert_problem(text, 415)
    no_file = client.post(
        "/api/v1/documents", data={"title": "t"}, files={"other": ("x", b"x")}, headers=headers
    )
    assert_problem(no_file, 422)


def test_a_version_of_another_partys_document_is_404_like_a_missing_one(
    client: TestClient, world: World, db: Session
) -> None:
    theirs = notarized(client, world.b_admin)["document"]["id"]
    before = repository.tree_size(db)
    missing = str(uuid.uuid4())
    foreign = assert_problem(upload(client, world.a_admin, b"x", document_id=theirs), 404, "not-found")
    absent = assert_problem(upload(client, world.a_admin, b"x", document_id=missing), 404, "not-found")
    assert foreign["detail"].replace(theirs, "ID") == absent["detail"].replace(missing, "ID")
    assert repository.tree_size(db) == before
    assert len(client.get(f"/api/v1/documents/{theirs}").json()["versions"]) == 1


def test_notarizing_needs_a_login_and_a_writing_role(client: TestClient, world: World) -> None:
    assert_problem(client.post("/api/v1/documents", files={"file": ("w", WAYBILL)}, data={"title": "t"}), 401)
    assert_problem(client.post("/api/v1/documents", json={"title": "t", "document": {}}), 401)
    assert_problem(client.get("/api/v1/documents"), 401)
    for caller in (world.a_analyst, world.reviewer, world.authority_admin):
        assert_problem(upload(client, caller, title="t"), 403, "permission-denied")


def test_document_metadata_is_public_and_unknown_ids_are_404(client: TestClient, world: World) -> None:
    body = notarized(client, world.a_admin)
    public = client.get(f"/api/v1/documents/{body['document']['id']}")
    assert public.status_code == 200
    assert (
        public.json()
        == client.get(f"/api/v1/documents/{body['document']['id']}", headers=world.b_admin.headers).json()
    )
    assert "waybill.pdf" not in public.text
    assert_problem(client.get(f"/api/v1/documents/{uuid.uuid4()}"), 404, "not-found")


def test_the_list_shows_only_the_callers_party(client: TestClient, world: World) -> None:
    mine = notarized(client, world.a_admin, title="甲方运单")
    notarized(client, world.b_admin, b"b's declaration", title="乙方报关单机密", reference="乙-REF-7")
    for caller in (world.a_admin, world.a_analyst):
        listed = client.get("/api/v1/documents", headers=caller.headers)
        assert listed.status_code == 200
        body = listed.json()
        assert [d["id"] for d in body["items"]] == [mine["document"]["id"]]
        assert body["total"] == 1
        assert "乙方报关单机密" not in listed.text
        assert "乙-REF-7" not in listed.text
    b_list = client.get("/api/v1/documents?limit=1&offset=0", headers=world.b_admin.headers).json()
    assert [d["title"] for d in b_list["items"]] == ["乙方报关单机密"]
    assert client.get("/api/v1/documents", headers=world.reviewer.headers).json()["total"] == 0


# -- pages ---------------------------------------------------------------------------------------


def test_public_page_shows_versions_qr_code_and_verifies_a_file(client: TestClient, world: World) -> None:
    body = notarized(client, world.a_admin)
    document_id = body["document"]["id"]
    page = client.get(f"/documents/{document_id}")
    assert page.status_code == 200
    assert "多式联运运单" in page.text
    assert "甲物流公司" in page.text
    assert '<svg width="' in page.text and 'class="qr"' in page.text
    assert f"http://testserver/documents/{document_id}" in page.text
    assert body["receipt_url"] in page.text
    assert "有效签名" in page.text

    plain = client.post(f"/documents/{document_id}/verify", files={"file": ("w.pdf", WAYBILL)})
    assert plain.status_code == 200
    assert "<html" in plain.text
    assert "与存证版本一致" in plain.text and "authentic" in plain.text
    fragment = client.post(
        f"/documents/{document_id}/verify",
        files={"file": ("w.pdf", b"forged")},
        headers={"HX-Request": "true"},
    )
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "与存证版本不一致" in fragment.text and "tampered" in fragment.text
    empty = client.post(f"/documents/{document_id}/verify", files={"file": ("e", b"")})
    assert empty.status_code == 422
    assert client.get(f"/documents/{uuid.uuid4()}").status_code == 404
    assert client.post(f"/documents/{uuid.uuid4()}/verify", files={"file": ("w", WAYBILL)}).status_code == 404


def test_documents_page_lists_own_documents_and_notarizes_through_the_form(
    client: TestClient, world: World, log_in: Callable[[Actor], Browser]
) -> None:
    notarized(client, world.b_admin, b"b's file", title="乙方机密提单")
    browser = log_in(world.a_admin)
    response = browser.client.post(
        "/documents",
        data={"csrf_token": browser.csrf_token, "title": "", "reference": "甲-001"},
        files={"file": ("manifest.csv", b"container,weight\nTGHU8883590,21450\n", "text/csv")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/documents/")
    listed = browser.get("/documents")
    assert listed.status_code == 200
    assert "manifest.csv" in listed.text  # the title defaults to the file name
    assert "乙方机密提单" not in listed.text

    refused = browser.client.post(
        "/documents",
        data={"csrf_token": browser.csrf_token, "title": "x"},
        files={"file": ("e.txt", b"", "text/plain")},
    )
    assert refused.status_code == 422
    assert "file" in refused.text

    analyst = log_in(world.a_analyst).get("/documents")
    assert analyst.status_code == 200
    assert "manifest.csv" in analyst.text
    assert 'data-testid="notarize-form"' not in analyst.text
    no_csrf = browser.client.post("/documents", data={"title": "x"}, files={"file": ("a", b"a")})
    assert no_csrf.status_code == 403
