"""Ledger API (``/api/v1/ledger``): tree heads, entries, proofs and keys. Public: no login."""

from __future__ import annotations

import base64
from typing import Annotated

from fastapi import Query, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select

from logispace.core.errors import InvalidInput
from logispace.domains.ledger import repository
from logispace.domains.ledger.errors import BeyondLog
from logispace.domains.ledger.models import LedgerEntry, LedgerKey, LedgerTreeHead
from logispace.domains.ledger.receipts import receipt_for, receipt_json, retry_after
from logispace.domains.ledger.schemas import (
    ConsistencyProofRead,
    EntryRead,
    EntryTimestampRead,
    InclusionProofRead,
    KeyRead,
    ReceiptRead,
    TreeHeadRead,
)
from logispace.domains.ledger.service import EntryTimestamp
from logispace.web.dependencies import AppSettings, DbSession
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


@router.get(
    "/entries/{entry_id}",
    summary="One entry by its id, with its leaf input, leaf hash and tree index once integrated",
)
def entry(db: DbSession, entry_id: int) -> EntryRead:
    row = db.get(LedgerEntry, entry_id) if 0 <= entry_id < 2**62 else None
    if row is None:
        raise BeyondLog(f"no entry {entry_id}; the log has {repository.tree_size(db)} entries")
    return EntryRead(
        entry_id=row.entry_id,
        index=row.leaf_index,
        integrated_at=row.integrated_at,
        kind=row.kind,
        subject=row.subject,
        recorded_at=row.recorded_at,
        leaf_input=b64(bytes(row.leaf_input)),
        leaf_hash=b64(bytes(row.leaf_hash)),
    )


@router.get(
    "/entries/{entry_id}/receipt",
    summary="A receipt for an entry at the latest signed tree head, for offline verification; "
    "202 with the signed entry timestamp and Retry-After while the entry awaits integration",
    response_model=ReceiptRead,
    responses={202: {"model": EntryTimestampRead, "description": "Admitted, not yet integrated"}},
)
def receipt(db: DbSession, settings: AppSettings, entry_id: int) -> Response:
    found = receipt_for(db, entry_id, settings)
    if isinstance(found, EntryTimestamp):
        wait = retry_after(settings)
        body = EntryTimestampRead.model_validate(receipt_json(found, wait))
        return JSONResponse(body.model_dump(mode="json"), status_code=202, headers={"Retry-After": str(wait)})
    return JSONResponse(ReceiptRead.model_validate(receipt_json(found)).model_dump(mode="json"))


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
