"""Ledger API (``/api/v1/ledger``): tree heads, entries, proofs and keys. Public: no login."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import Query
from sqlalchemy import select

from logispace.core.errors import InvalidInput
from logispace.domains.ledger import repository
from logispace.domains.ledger.errors import BeyondLog
from logispace.domains.ledger.models import LedgerEntry, LedgerKey, LedgerTreeHead
from logispace.domains.ledger.receipts import receipt_for, receipt_json
from logispace.domains.ledger.schemas import (
    ConsistencyProofRead,
    EntryRead,
    InclusionProofRead,
    KeyRead,
    ReceiptRead,
    TreeHeadRead,
)
from logispace.web.dependencies import DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/ledger", tags=["ledger"])

Size = Annotated[int, Query(ge=1, le=2**62)]


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def _check_size(db: DbSession, size: int) -> int:
    current = repository.tree_size(db)
    if size > current:
        raise BeyondLog(f"tree size {size} is larger than the log ({current} entries)", tree_size=current)
    return current


@router.get("/tree-head", summary="The signed tree head, or the root at an earlier size")
def tree_head(db: DbSession, tree_size: Annotated[int | None, Query(ge=0, le=2**62)] = None) -> TreeHeadRead:
    current = repository.tree_size(db)
    size = current if tree_size is None else tree_size
    if size > current:
        raise BeyondLog(f"tree size {size} is larger than the log ({current} entries)", tree_size=current)
    head = db.get(LedgerTreeHead, size)
    if head is None:
        return TreeHeadRead(
            tree_size=size,
            root_hash=b64(repository.root_at(db, size)),
            timestamp=None,
            key_id=None,
            signature=None,
        )
    return TreeHeadRead(
        tree_size=head.tree_size,
        root_hash=b64(bytes(head.root_hash)),
        timestamp=head.timestamp,
        key_id=head.key_id,
        signature=b64(bytes(head.signature)),
    )


@router.get("/entries/{index}", summary="One entry with its leaf input and leaf hash")
def entry(db: DbSession, index: int) -> EntryRead:
    row = db.get(LedgerEntry, index) if 0 <= index < 2**62 else None
    if row is None:
        raise BeyondLog(f"no entry {index}; the log has {repository.tree_size(db)} entries")
    return EntryRead(
        index=row.leaf_index,
        kind=row.kind,
        subject=row.subject,
        recorded_at=row.recorded_at,
        leaf_input=b64(bytes(row.leaf_input)),
        leaf_hash=b64(bytes(row.leaf_hash)),
    )


@router.get(
    "/entries/{index}/receipt",
    summary="A receipt for an entry at the latest signed tree head, for offline verification",
)
def receipt(db: DbSession, index: int) -> ReceiptRead:
    return ReceiptRead.model_validate(receipt_json(receipt_for(db, index)))


@router.get("/proofs/inclusion", summary="Audit path of an entry in the tree of a size")
def inclusion(
    db: DbSession, index: Annotated[int, Query(ge=0, le=2**62)], tree_size: Size
) -> InclusionProofRead:
    _check_size(db, tree_size)
    if index >= tree_size:
        raise InvalidInput(
            f"index {index} is not inside a tree of size {tree_size}",
            errors=[{"loc": ["query", "index"], "msg": f"must be smaller than tree_size {tree_size}"}],
        )
    path = repository.stored_inclusion_proof(db, index, tree_size)
    return InclusionProofRead(leaf_index=index, tree_size=tree_size, audit_path=[b64(p) for p in path])


@router.get("/proofs/consistency", summary="Proof that the tree of size first is a prefix of size second")
def consistency(db: DbSession, first: Size, second: Size) -> ConsistencyProofRead:
    if first > second:
        raise InvalidInput(
            f"first {first} is larger than second {second}",
            errors=[{"loc": ["query", "first"], "msg": "must not be larger than second"}],
        )
    _check_size(db, second)
    proof = repository.stored_consistency_proof(db, first, second)
    return ConsistencyProofRead(first=first, second=second, consistency=[b64(p) for p in proof])


@router.get("/keys", summary="Public keys by id, including rotated ones")
def keys(db: DbSession) -> list[KeyRead]:
    return [
        KeyRead(
            key_id=k.key_id,
            algorithm=k.algorithm,
            public_key=b64(bytes(k.public_key)),
            created_at=k.created_at,
            retired_at=k.retired_at,
        )
        for k in db.scalars(select(LedgerKey).order_by(LedgerKey.created_at))
    ]
