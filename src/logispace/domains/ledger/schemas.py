"""Ledger API bodies. Hashes and signatures are base64, as in Certificate Transparency's JSON API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class TreeHeadRead(BaseModel):
    """A tree head; ``signature`` and ``key_id`` are null for a size that fell inside a batch."""

    tree_size: int
    root_hash: str = Field(description="base64 SHA-256 Merkle root")
    timestamp: datetime | None
    key_id: str | None
    signature: str | None = Field(description="base64 signature over the canonical tree head")


class EntryRead(BaseModel):
    """One entry of the log: ``index`` and ``integrated_at`` are null until the sequencer
    integrates it into the tree."""

    entry_id: int
    index: int | None
    integrated_at: datetime | None
    kind: str
    subject: str
    recorded_at: datetime
    leaf_input: str = Field(description="base64 RFC 8785 canonical JSON of the entry")
    leaf_hash: str = Field(description="base64 SHA-256(0x00 || leaf_input)")


class InclusionProofRead(BaseModel):
    leaf_index: int
    tree_size: int
    audit_path: list[str]


class ConsistencyProofRead(BaseModel):
    first: int
    second: int
    consistency: list[str]


class KeyRead(BaseModel):
    """A signing key of the ledger, current or retired."""

    key_id: str = Field(description="hex SHA-256 of the raw public key")
    algorithm: str
    public_key: str = Field(description="base64 raw public key")
    created_at: datetime
    retired_at: datetime | None


class ReceiptEntry(BaseModel):
    entry_id: int
    index: int
    leaf_input: str = Field(description="base64 RFC 8785 canonical JSON of the entry")
    leaf_hash: str = Field(description="base64 SHA-256(0x00 || leaf_input)")


class ReceiptTreeHead(BaseModel):
    tree_size: int
    root_hash: str
    timestamp: str = Field(description="UTC, microseconds, Z: exactly as signed")
    key_id: str
    signature: str


class ReceiptKey(BaseModel):
    key_id: str
    algorithm: str
    public_key: str


class ReceiptRead(BaseModel):
    """Receipt (存证回执): verifies offline with ``logispace verify`` or ``contrib/logispace_verify.py``."""

    format: str = Field(description="logispace-receipt/1")
    entry: ReceiptEntry
    tree_head: ReceiptTreeHead
    inclusion_proof: list[str] = Field(description="base64 audit path from the leaf to the signed root")
    key: ReceiptKey


class PromiseEntry(BaseModel):
    entry_id: int
    leaf_input: str = Field(description="base64 RFC 8785 canonical JSON of the entry")
    leaf_hash: str = Field(description="base64 SHA-256(0x00 || leaf_input)")


class EntryTimestampRead(BaseModel):
    """Signed entry timestamp (签名受理凭证): the promise to integrate an admitted entry within the
    maximum merge delay; verifies offline like a receipt."""

    format: str = Field(description="logispace-entry-timestamp/1")
    entry: PromiseEntry
    timestamp: str = Field(description="admission time, UTC, microseconds, Z: exactly as signed")
    key_id: str
    signature: str = Field(description="base64 signature over entry id, leaf hash, timestamp and key id")
    retry_after: int = Field(description="seconds after which to fetch the full receipt")
    key: ReceiptKey
