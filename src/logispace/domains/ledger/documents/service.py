"""Document notarization and verification (单证存证与鉴真).

A party notarizes a document by signing a canonical statement of its hash with the party's key
and appending that statement to the ledger in the same transaction. The content is never stored:
files are hashed as they stream in, JSON documents are hashed in RFC 8785 canonical form.
Verification recomputes everything it reports: the signature under the signer's public key, the
ledger entry's leaf hash, and its inclusion under the current signed tree head.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, BinaryIO, Protocol

import rfc8785
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput, NotFound, PermissionDenied
from logispace.core.pagination import PageParams, paged
from logispace.core.signing import verify_signature
from logispace.domains import identity
from logispace.domains.identity import Principal
from logispace.domains.ledger import repository, service
from logispace.domains.ledger.canonical import canonical_json
from logispace.domains.ledger.documents import policies as policies
from logispace.domains.ledger.documents.schemas import (
    DocumentFields,
    DocumentRead,
    DocumentSummary,
    LedgerCheck,
    Notarized,
    VerifyResult,
    VersionRead,
)
from logispace.domains.ledger.merkle import ProofError, leaf_hash, verify_inclusion
from logispace.domains.ledger.models import Document, DocumentVersion, LedgerEntry, LedgerKey, LedgerTreeHead

ENTRY_KIND = "document.notarized"
JSON_MEDIA_TYPE = "application/json"
OCTET_STREAM = "application/octet-stream"
_MEDIA_TYPE = re.compile(r"^[A-Za-z0-9][\w.+-]{0,40}/[A-Za-z0-9][\w.+-]{0,57}$")
_CHUNK = 64 * 1024


class AsyncReadable(Protocol):
    async def read(self, size: int = -1) -> bytes: ...


@dataclass(frozen=True)
class Content:
    """What is signed about a document's content: its hash, type, size and (for files) name."""

    sha256: str
    media_type: str
    size: int
    filename: str | None = None


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _field_error(field: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field}: {message}", errors=[{"loc": ["body", field], "msg": message}])


def receipt_url(index: int) -> str:
    return f"/api/v1/ledger/entries/{index}/receipt"


def page_url(document_id: uuid.UUID) -> str:
    return f"/documents/{document_id}"


# -- content --------------------------------------------------------------------------------------


async def hash_stream(upload: AsyncReadable) -> tuple[str, int]:
    """SHA-256 and size of an upload, read in chunks (the body limit bounds the total)."""
    digest = hashlib.sha256()
    size = 0
    while chunk := await upload.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def hash_file(handle: BinaryIO) -> tuple[str, int]:
    """SHA-256 and size of a (spooled) uploaded file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    while chunk := handle.read(_CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def file_content(sha256: str, size: int, media_type: str | None, filename: str | None) -> Content:
    """The content of an uploaded file; an empty file is refused (422 on ``file``)."""
    if size == 0:
        raise _field_error("file", "the file is empty")
    kind = (media_type or "").split(";")[0].strip().lower()
    name = None
    if filename:
        name = "".join(ch for ch in filename.replace("\\", "/").rsplit("/", 1)[-1] if ch.isprintable())
        name = name[:255] or None
    return Content(sha256, kind if _MEDIA_TYPE.match(kind) else OCTET_STREAM, size, name)


def json_content(document: dict[str, Any]) -> Content:
    """The content of a JSON document: the SHA-256 of its RFC 8785 canonical bytes."""
    try:
        data = canonical_json(document)
    except rfc8785.CanonicalizationError as exc:
        raise _field_error("document", f"cannot be put in canonical form: {exc}") from None
    return Content(hashlib.sha256(data).hexdigest(), JSON_MEDIA_TYPE, len(data))


# -- signing -------------------------------------------------------------------------------------


def statement(document_id: uuid.UUID, signer: uuid.UUID, version: DocumentVersion) -> dict[str, Any]:
    """The statement a party signs for one version (RFC 8785 canonical JSON is what is signed)."""
    return {
        "document_id": str(document_id),
        "version": version.version,
        "sha256": version.sha256,
        "media_type": version.media_type,
        "size": version.size,
        "signed_at": _iso(version.signed_at),
        "signer_party_id": str(signer),
        "key_id": version.key_id,
    }


def _text_hash(text: str | None) -> str | None:
    return hashlib.sha256(text.encode("utf-8")).hexdigest() if text is not None else None


@dataclass(frozen=True)
class Companion:
    """A second ledger entry appended with a document's, under the same signed tree head: what
    the document is a step of (e.g. ``waybill.step`` about ``waybill:<id>``), so the owning chain
    finds all its notarized steps by its own subject. Its payload gains ``document``: the
    document's id, version and SHA-256."""

    kind: str
    subject: str
    payload: dict[str, Any]


def notarize(
    session: Session,
    p: Principal,
    settings: Settings,
    content: Content,
    fields: DocumentFields,
    companion: Companion | None = None,
) -> Notarized:
    """Sign ``content`` as a new document, or as the next version of ``fields.document_id``, and
    append the signed statement to the ledger in the caller's transaction (with ``companion``
    right after it, when given)."""
    if not policies.can_notarize(p) or p.party_id is None:
        raise PermissionDenied("notarizing needs a party administrator or data steward of a party")
    party_id = p.party_id
    if fields.document_id is not None:
        document = session.get(Document, fields.document_id)
        if document is None or not policies.can_add_version(p, document.issuer_party_id):
            raise NotFound(f"document {fields.document_id} not found")
        number = (
            session.scalar(
                select(func.max(DocumentVersion.version)).where(DocumentVersion.document_id == document.id)
            )
            or 0
        ) + 1
    else:
        if fields.title is None:
            raise _field_error("title", "a new document needs a title")
        document = Document(issuer_party_id=party_id, title=fields.title, reference=fields.reference)
        session.add(document)
        session.flush()
        number = 1
    key = identity.active_party_key(session, party_id, settings)
    version = DocumentVersion(
        id=uuid.uuid4(),
        document_id=document.id,
        version=number,
        sha256=content.sha256,
        media_type=content.media_type,
        size=content.size,
        filename=content.filename,
        key_id=key.key_id,
        signed_at=utcnow(),
    )
    signed = statement(document.id, party_id, version)
    version.signature = key.sign(canonical_json(signed))
    entries: list[tuple[str, str, dict[str, Any], uuid.UUID | None]] = [
        (
            ENTRY_KIND,
            f"document:{document.id}",
            {
                "statement": signed,
                "algorithm": key.algorithm,
                "signature": _b64(version.signature),
                "title_sha256": _text_hash(document.title),
                "reference_sha256": _text_hash(document.reference),
            },
            party_id,
        )
    ]
    if companion is not None:
        about = {"id": str(document.id), "version": version.version, "sha256": version.sha256}
        entries.append(
            (companion.kind, companion.subject, {**companion.payload, "document": about}, party_id)
        )
    receipt = service.append_many(session, entries, settings)[0]
    version.ledger_index = receipt.entry_id
    session.add(version)
    session.flush()
    # a new document's only version is the one just written: no need to read it back
    read = document_read(session, document, [version] if fields.document_id is None else None)
    return Notarized(
        document=read,
        version=read.versions[-1],
        filename=version.filename,
        key_id=version.key_id,
        signature=_b64(version.signature),
        ledger_index=receipt.entry_id,
        receipt_url=receipt_url(receipt.entry_id),
    )


# -- reading -------------------------------------------------------------------------------------


def list_documents(session: Session, p: Principal, params: PageParams) -> tuple[list[DocumentSummary], int]:
    """The caller's party's documents, newest first; nothing for a caller without a party."""
    stmt = (
        select(Document)
        .where(Document.issuer_party_id == p.party_id)
        .order_by(Document.created_at.desc(), Document.id)
    )
    if p.party_id is None:
        return [], 0
    documents, total = paged(session, stmt, params)
    latest = _latest_versions(session, [d.id for d in documents])
    return [
        DocumentSummary(
            id=d.id,
            title=d.title,
            reference=d.reference,
            created_at=d.created_at,
            latest_version=latest[d.id].version,
            latest_sha256=latest[d.id].sha256,
            latest_signed_at=latest[d.id].signed_at,
            latest_filename=latest[d.id].filename,
            page_url=page_url(d.id),
        )
        for d in documents
        if d.id in latest
    ], total


def count_documents(session: Session) -> int:
    """How many documents are notarized on the platform (for the public portal's figures)."""
    return session.scalar(select(func.count()).select_from(Document)) or 0


def jurisdiction_documents(
    session: Session, p: Principal, params: PageParams, *, q: str | None = None
) -> tuple[list[DocumentSummary], int, dict[uuid.UUID, str]]:
    """The documents issued by the parties of the caller's jurisdiction (辖区单证), newest first, with
    the issuers' names; for authority staff only (403 otherwise). ``q`` matches title or reference."""
    where = identity.jurisdiction(session, p)
    issuers = identity.party_ids_in(session, where)
    stmt = select(Document).where(Document.issuer_party_id.in_(list(issuers)))
    if q:
        like = f"%{q.strip()}%"
        stmt = stmt.where(Document.title.ilike(like) | Document.reference.ilike(like))
    documents, total = paged(session, stmt.order_by(Document.created_at.desc(), Document.id), params)
    latest = _latest_versions(session, [d.id for d in documents])
    summaries = [
        DocumentSummary(
            id=d.id,
            title=d.title,
            reference=d.reference,
            created_at=d.created_at,
            latest_version=latest[d.id].version,
            latest_sha256=latest[d.id].sha256,
            latest_signed_at=latest[d.id].signed_at,
            latest_filename=latest[d.id].filename,
            page_url=page_url(d.id),
        )
        for d in documents
        if d.id in latest
    ]
    return summaries, total, {d.id: issuers.get(d.issuer_party_id, "") for d in documents}


def _latest_versions(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, DocumentVersion]:
    out: dict[uuid.UUID, DocumentVersion] = {}
    if not ids:
        return out
    for v in session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_id.in_(ids)).order_by(DocumentVersion.version)
    ):
        out[v.document_id] = v
    return out


def get_document(session: Session, document_id: uuid.UUID) -> Document:
    """A document by id; its metadata is public (anyone holding the id or the QR code sees it)."""
    document = session.get(Document, document_id)
    if document is None:
        raise NotFound(f"document {document_id} not found")
    return document


def versions_of(session: Session, document_id: uuid.UUID) -> list[DocumentVersion]:
    return list(
        session.scalars(
            select(DocumentVersion)
            .where(DocumentVersion.document_id == document_id)
            .order_by(DocumentVersion.version)
        )
    )


def signature_valid(session: Session, document: Document, version: DocumentVersion) -> bool:
    """Re-verify a version's signature under the issuer's public key with that key id."""
    key = identity.public_key(session, version.key_id)
    if key is None or key.party_id != document.issuer_party_id:
        return False
    message = canonical_json(statement(document.id, document.issuer_party_id, version))
    try:
        return verify_signature(key.algorithm, key.public_key, message, bytes(version.signature))
    except ValueError:
        return False


def _version_read(session: Session, document: Document, v: DocumentVersion, latest: int) -> VersionRead:
    return VersionRead(
        version=v.version,
        sha256=v.sha256,
        media_type=v.media_type,
        size=v.size,
        signed_at=v.signed_at,
        key_id=v.key_id,
        signature=_b64(bytes(v.signature)),
        ledger_index=v.ledger_index,
        receipt_url=receipt_url(v.ledger_index),
        signature_valid=signature_valid(session, document, v),
        superseded=policies.is_superseded(v.version, latest),
    )


def document_read(
    session: Session, document: Document, versions: Sequence[DocumentVersion] | None = None
) -> DocumentRead:
    """The document with its versions (read here unless the caller holds all of them, oldest first)."""
    versions = versions_of(session, document.id) if versions is None else list(versions)
    latest = versions[-1].version if versions else 0
    return DocumentRead(
        id=document.id,
        issuer_party_id=document.issuer_party_id,
        issuer_name=identity.party_name(session, document.issuer_party_id) or "",
        title=document.title,
        reference=document.reference,
        created_at=document.created_at,
        page_url=page_url(document.id),
        versions=[_version_read(session, document, v, latest) for v in versions],
    )


def find_by_reference(session: Session, party_id: uuid.UUID, reference: str) -> Document | None:
    """A party's document with this reference (the demo loader uses it to stay idempotent)."""
    return session.scalar(
        select(Document)
        .where(Document.issuer_party_id == party_id, Document.reference == reference)
        .order_by(Document.created_at)
        .limit(1)
    )


def with_reference(
    session: Session, reference: str, issuers: Sequence[uuid.UUID]
) -> list[tuple[Document, DocumentVersion]]:
    """The versions of the documents ``issuers`` notarized with ``reference``, in ledger order."""
    if not issuers:
        return []
    rows = session.execute(
        select(Document, DocumentVersion)
        .join(DocumentVersion, DocumentVersion.document_id == Document.id)
        .where(Document.reference == reference, Document.issuer_party_id.in_(list(issuers)))
        .order_by(DocumentVersion.ledger_index)
    )
    return [(d, v) for d, v in rows]


def described_by(payload: dict[str, Any], document: Document) -> bool:
    """Whether a ``document.notarized`` entry's payload carries this document's title and
    reference (their SHA-256), as they were when it was notarized."""
    return payload.get("title_sha256") == _text_hash(document.title) and payload.get(
        "reference_sha256"
    ) == _text_hash(document.reference)


# -- verification --------------------------------------------------------------------------------


def ledger_check(session: Session, document: Document, version: DocumentVersion) -> LedgerCheck:
    """Recompute the version's ledger leaf hash and prove its inclusion under the current head."""
    entry = session.get(LedgerEntry, version.ledger_index)
    if entry is None:  # the foreign key makes this impossible; report it rather than fail
        raise NotFound(f"ledger entry {version.ledger_index} is missing")
    leaf_input = bytes(entry.leaf_input)
    recomputed = leaf_hash(leaf_input)
    try:
        carried = json.loads(leaf_input)
        payload = carried.get("payload", {})
        statement_matches = (
            carried.get("kind") == ENTRY_KIND
            and carried.get("subject") == f"document:{document.id}"
            and payload.get("statement") == statement(document.id, document.issuer_party_id, version)
            and payload.get("signature") == _b64(bytes(version.signature))
        )
    except (ValueError, AttributeError):
        statement_matches = False
    size = repository.tree_size(session)
    head = session.get(LedgerTreeHead, size)
    root = bytes(head.root_hash) if head is not None else repository.root_at(session, size)
    included = False
    if entry.leaf_index is not None:
        try:
            proof = repository.stored_inclusion_proof(session, entry.leaf_index, size)
            verify_inclusion(entry.leaf_index, size, recomputed, proof, root)
            included = True
        except (ProofError, ValueError, LookupError):
            included = False
    head_key = session.get(LedgerKey, head.key_id) if head is not None else None
    return LedgerCheck(
        index=entry.entry_id,
        tree_index=entry.leaf_index,
        pending=entry.leaf_index is None,
        receipt_url=receipt_url(entry.entry_id),
        leaf_hash=_b64(recomputed),
        leaf_hash_matches=recomputed == bytes(entry.leaf_hash),
        statement_matches=statement_matches,
        tree_size=size,
        root_hash=_b64(root),
        inclusion_verified=included,
        tree_head_signature_valid=(
            head is not None and head_key is not None and service.verify_tree_head(head, head_key)
        ),
    )


def _described(
    session: Session, verdict: str, sha256: str, document: Document, v: DocumentVersion, latest: int
) -> VerifyResult:
    return VerifyResult.model_validate(
        {
            "verdict": verdict,
            "sha256": sha256,
            "document_id": document.id,
            "title": document.title,
            "reference": document.reference,
            "version": v.version,
            "latest_version": latest,
            "superseded": policies.is_superseded(v.version, latest),
            "signer_party_id": document.issuer_party_id,
            "signer_name": identity.party_name(session, document.issuer_party_id),
            "signed_at": v.signed_at,
            "key_id": v.key_id,
            "signature_valid": signature_valid(session, document, v),
            "ledger": ledger_check(session, document, v),
        }
    )


def verify(session: Session, sha256: str, document_id: uuid.UUID | None = None) -> VerifyResult:
    """The verdict on a hash: ``authentic`` when a version has it; ``tampered`` when the named
    document is known but none of its versions has it; ``unknown`` otherwise."""
    sha256 = sha256.lower()
    stmt = select(DocumentVersion).where(DocumentVersion.sha256 == sha256)
    if document_id is not None:
        if session.get(Document, document_id) is None:
            return VerifyResult(verdict="unknown", sha256=sha256, document_id=document_id)
        # Within one document, the latest version with this content.
        stmt = stmt.order_by(DocumentVersion.version.desc()).where(DocumentVersion.document_id == document_id)
    else:
        # Across documents, the first to have notarized it: a later copy notarized by someone else
        # does not take over the signer's name.
        stmt = stmt.order_by(DocumentVersion.signed_at, DocumentVersion.ledger_index)
    match = session.scalar(stmt.limit(1))
    if match is not None:
        document = session.get_one(Document, match.document_id)
        latest = versions_of(session, document.id)[-1]
        return _described(session, "authentic", sha256, document, match, latest.version)
    if document_id is not None:
        document = session.get_one(Document, document_id)
        versions = versions_of(session, document.id)
        if versions:
            return _described(session, "tampered", sha256, document, versions[-1], versions[-1].version)
    return VerifyResult(verdict="unknown", sha256=sha256, document_id=document_id)
