"""Disputes and their evidence (争议处理与取证, J9-J10).

A party of a contract raises a dispute by its mode (协商, 调解, 仲裁, 诉讼; 004:5099); the exchange's
evidence service exports the whole trade from the ledger as a verifiable bundle (``logispace-bundle/1``):
the contract, its disputes and a receipt of every ledger entry of the object, listing, negotiation,
contract and voucher, each tied to its subject and kind. ``logispace verify`` checks the zip offline.
Nothing is ever deleted (records kept at least 20 years, 004:5187)."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
import zipfile
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.identity import Principal
from logispace.domains.ledger import entries_of_subjects, receipt_for, receipt_json
from logispace.domains.trading.enums import ContractState
from logispace.domains.trading.errors import NotAllowed, StepNotAllowed
from logispace.domains.trading.models import Dispute, Listing, Negotiation, TradeContract
from logispace.domains.trading.schemas import DisputeCreate, DisputeRead
from logispace.domains.trading.service import append, subject
from logispace.domains.trading.settlement import visible_contract

FORMAT = "logispace-bundle/1"
DISPUTABLE = (ContractState.SIGNED, ContractState.DELIVERED, ContractState.SETTLED, ContractState.REFUNDED)


def raise_dispute(
    session: Session, p: Principal, contract_id: uuid.UUID, body: DisputeCreate, settings: Settings | None
) -> Dispute:
    """A party of a signed contract raises a dispute (any post-contract state, policy-spec §4.3)."""
    contract = visible_contract(session, p, contract_id)
    if p.party_id not in (contract.provider_party_id, contract.consumer_party_id):
        raise NotAllowed("the parties of a contract raise its disputes")
    if contract.state not in DISPUTABLE:
        state = contract.state.value if contract.state else "agreed"
        raise StepNotAllowed(
            f"a contract in state {state} is not yet signed: no dispute",
            state=state,
            allowed=[s.value for s in DISPUTABLE],
            source="004:5099",
        )
    dispute = Dispute(
        id=uuid.uuid4(),
        contract_id=contract.id,
        raised_by_party_id=p.party_id,
        mode=body.mode,
        claim=body.claim,
        raised_at=utcnow(),
    )
    payload = {
        "dispute_id": str(dispute.id),
        "contract_id": str(contract.id),
        "mode": body.mode.value,
        "claim_sha256": hashlib.sha256(body.claim.encode()).hexdigest(),
        "source": "004:5099",
    }
    dispute.ledger_index = append(
        session, settings, "dispute_raised", subject("contract", contract.id), payload, p
    )
    session.add(dispute)
    session.flush()
    return dispute


def disputes_of(session: Session, contract_id: uuid.UUID) -> list[Dispute]:
    return list(
        session.scalars(select(Dispute).where(Dispute.contract_id == contract_id).order_by(Dispute.raised_at))
    )


def trade_subjects(session: Session, contract: TradeContract) -> list[str]:
    """The ledger subjects of a whole trade: object, listing, negotiation, contract, voucher."""
    negotiation = session.get_one(Negotiation, contract.negotiation_id)
    listing = session.get_one(Listing, negotiation.listing_id)
    subjects = [
        subject("object", contract.object_id),
        subject("listing", listing.id),
        subject("negotiation", negotiation.id),
        subject("contract", contract.id),
    ]
    if contract.voucher_code:
        subjects.append(subject("voucher", contract.voucher_code))
    return subjects


def _json_bytes(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True).encode()


def evidence_bundle(
    session: Session, p: Principal, contract_id: uuid.UUID, contract_read: dict[str, Any]
) -> bytes:
    """The evidence of a trade (取证) as a zip bundle the offline verifier checks."""
    contract = visible_contract(session, p, contract_id)
    files: list[dict[str, Any]] = []
    data: dict[str, bytes] = {}
    receipts = []
    for index, kind, subj in entries_of_subjects(session, trade_subjects(session, contract)):
        path = f"receipts/{index}.json"
        body = _json_bytes(receipt_json(receipt_for(session, index)))
        data[path] = body
        files.append(
            {
                "path": path,
                "sha256": hashlib.sha256(body).hexdigest(),
                "size": len(body),
                "media_type": "application/json",
            }
        )
        receipts.append(
            {
                "index": index,
                "path": path,
                "commits": [{"leaf": "/kind", "value": kind}, {"leaf": "/subject", "value": subj}],
            }
        )
    disputes = [
        DisputeRead.model_validate(d, from_attributes=True).model_dump(mode="json")
        for d in disputes_of(session, contract.id)
    ]
    manifest = {
        "format": FORMAT,
        "kind": "trading-evidence",
        "files": files,
        "receipts": receipts,
        "content": {"contract": contract_read, "disputes": disputes, "source": "004:5087; 004:5187"},
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _json_bytes(manifest))
        for path, body in data.items():
            archive.writestr(path, body)
    return out.getvalue()
