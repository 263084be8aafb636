"""Document notarization bodies (单证存证). Hashes are lowercase hex SHA-256, signatures base64."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints
from pydantic.config import JsonDict

from logispace.core.bodies import NOT_BLANK

NO_NUL = r"^[^\x00]*$"
SHA256_HEX = r"^[0-9a-fA-F]{64}$"

Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)
]
Reference = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NOT_BLANK)
]
Sha256 = Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, pattern=SHA256_HEX)]

Verdict = Literal["authentic", "tampered", "unknown"]


_GIVEN_TITLE: JsonDict = {"required": ["title"], "properties": {"title": {"type": "string"}}}
_GIVEN_DOCUMENT: JsonDict = {"required": ["document_id"], "properties": {"document_id": {"type": "string"}}}


class DocumentFields(BaseModel):
    """What describes a document besides its content; ``document_id`` adds a version to it.

    Title and reference are fixed when the document is created: on a new version they are ignored.
    """

    # A new document needs a title; a new version names its document.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"anyOf": [_GIVEN_TITLE, _GIVEN_DOCUMENT]})

    title: Title | None = Field(default=None, description="required for a new document")
    reference: Reference | None = Field(default=None, description="e.g. the waybill number")
    document_id: uuid.UUID | None = Field(default=None, description="add a version to this document")


class DocumentJsonCreate(DocumentFields):
    """A JSON document to notarize: its RFC 8785 canonical form is hashed."""

    document: dict[str, Any]


class VerifyRequest(BaseModel):
    """A hash to check, optionally against one document."""

    model_config = ConfigDict(extra="forbid")

    sha256: Sha256 = Field(description="hex SHA-256 of the file or of the canonical JSON")
    document_id: uuid.UUID | None = None


class VerifyFileFields(BaseModel):
    """The form fields sent with a file to verify."""

    model_config = ConfigDict(extra="forbid")

    document_id: uuid.UUID | None = None


class VersionRead(BaseModel):
    """One notarized version (单证版本) with the result of checking its signature now."""

    version: int
    sha256: str
    media_type: str
    size: int
    signed_at: datetime
    key_id: str
    signature: str = Field(description="base64 signature over the canonical statement")
    ledger_index: int
    receipt_url: str
    signature_valid: bool
    superseded: bool


class DocumentRead(BaseModel):
    """A notarized document's public metadata (存证单证)."""

    id: uuid.UUID
    issuer_party_id: uuid.UUID
    issuer_name: str
    title: str
    reference: str | None
    created_at: datetime
    page_url: str
    versions: list[VersionRead]


class DocumentSummary(BaseModel):
    """A document in its issuer's list."""

    id: uuid.UUID
    title: str
    reference: str | None
    created_at: datetime
    latest_version: int
    latest_sha256: str
    latest_signed_at: datetime
    latest_filename: str | None
    page_url: str


class Notarized(BaseModel):
    """What notarizing answers: the document, the new version, its signature and ledger receipt."""

    document: DocumentRead
    version: VersionRead
    filename: str | None
    key_id: str
    signature: str
    ledger_index: int
    receipt_url: str


class LedgerCheck(BaseModel):
    """The ledger entry of a version, checked now against the current tree head.

    ``index`` is the entry id the version stores; ``tree_index`` is its place in the tree, null
    while the entry is admitted but not yet integrated (``pending``: its signed entry timestamp
    stands for it until the sequencer integrates it, within the maximum merge delay).
    """

    index: int
    tree_index: int | None = None
    pending: bool = False
    receipt_url: str
    leaf_hash: str = Field(description="base64 SHA-256(0x00 || leaf_input), recomputed")
    leaf_hash_matches: bool = Field(description="the stored leaf hash equals the recomputed one")
    statement_matches: bool = Field(description="the entry carries this version's statement and signature")
    tree_size: int
    root_hash: str = Field(description="base64 root of the current signed tree head")
    inclusion_verified: bool
    tree_head_signature_valid: bool


class VerifyResult(BaseModel):
    """The verdict on a hash (单证鉴真结论): authentic, tampered or unknown."""

    verdict: Verdict
    sha256: str
    document_id: uuid.UUID | None = None
    title: str | None = None
    reference: str | None = None
    version: int | None = None
    latest_version: int | None = None
    superseded: bool | None = None
    signer_party_id: uuid.UUID | None = None
    signer_name: str | None = None
    signed_at: datetime | None = None
    key_id: str | None = None
    signature_valid: bool | None = None
    ledger: LedgerCheck | None = None
