"""Read bodies of trading records (交易记录读取): amounts back to yuan, a negotiation with its thread."""

from __future__ import annotations

import base64
import hashlib
import uuid
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import Principal, active_party_key, data_authority_party
from logispace.domains.ledger import canonical_json, receipt_for, receipt_json
from logispace.domains.trading import policies, repository
from logispace.domains.trading.enums import AccountKind, NegotiationState
from logispace.domains.trading.errors import NotAllowed, TradingNotFound
from logispace.domains.trading.models import (
    Listing,
    Negotiation,
    ProhibitedEntry,
    TradeContract,
    TradeObject,
    TradingParty,
)
from logispace.domains.trading.negotiation import side_of
from logispace.domains.trading.schemas import (
    ListingRead,
    NegotiationOfferRead,
    NegotiationRead,
    ProhibitedRead,
    SettlementAccountRead,
    TradeContractRead,
    TradeObjectRead,
    TradeVoucherRead,
    TradingPartyRead,
)
from logispace.domains.trading.service import guided_cap, yuan
from logispace.domains.trading.settlement import escrow_balance


def party_read(row: TradingParty) -> TradingPartyRead:
    return TradingPartyRead.model_validate(row, from_attributes=True)


def prohibited_read(row: ProhibitedEntry) -> ProhibitedRead:
    return ProhibitedRead.model_validate(row, from_attributes=True)


def object_read(session: Session, row: TradeObject) -> TradeObjectRead:
    """An object with the cap in force: its operation product's, else the review's (I-6)."""
    data = {k: getattr(row, k) for k in TradeObjectRead.model_fields if k != "guided_cap"}
    return TradeObjectRead(**data, guided_cap=guided_cap(session, row))


def listing_read(row: Listing) -> ListingRead:
    data = {k: getattr(row, k) for k in ListingRead.model_fields if k != "price"}
    return ListingRead(**data, price=yuan(row.price_fen))


def negotiation_read(session: Session, p: Principal, row: Negotiation) -> NegotiationRead:
    try:
        side: str | None = side_of(p, row)
    except NotAllowed:  # the exchange reads, it does not step
        side = None
    allowed = policies.allowed_actions(row.state, side) if side else []
    contract = repository.contract_of(session, row.id)
    offers = [
        NegotiationOfferRead(
            seq=o.seq,
            party_id=o.party_id,
            action=o.action,
            state_after=NegotiationState(o.state_after),
            price=yuan(o.price_fen),
            note=o.note,
            at=o.at,
        )
        for o in repository.offers(session, row.id)
    ]
    return NegotiationRead(
        id=row.id,
        listing_id=row.listing_id,
        provider_party_id=row.provider_party_id,
        consumer_party_id=row.consumer_party_id,
        state=row.state,
        price=yuan(row.price_fen),
        pricing_method=row.pricing_method,
        purpose=row.purpose,
        allowed_actions=allowed,
        offers=offers,
        contract_id=contract.id if contract else None,
    )


def contract_read(session: Session, row: TradeContract) -> TradeContractRead:
    skip = {"amount", "escrow", "subsidy"}
    data = {k: getattr(row, k) for k in TradeContractRead.model_fields if k not in skip}
    return TradeContractRead(
        **data,
        amount=yuan(row.amount_fen),
        escrow=escrow_balance(session, row),
        subsidy=yuan(row.subsidy_fen),
    )


def account_read(session: Session, p: Principal) -> SettlementAccountRead:
    """The caller's settlement account (结算账户) and the transfers of its contracts."""
    party_id = p.party_id or uuid.UUID(int=0)
    own = repository.account(session, AccountKind.PARTY, party_id, None, lock=False)
    contracts = [c.id for c in repository.contracts_of(session, party_id)]
    transfers = [
        {
            "contract_id": str(t.contract_id),
            "kind": t.kind.value,
            "amount": str(yuan(t.amount_fen)),
            "at": t.at.isoformat(),
            "ledger_index": t.ledger_index,
        }
        for t in repository.transfers_of(session, contracts)
    ]
    return SettlementAccountRead(
        party_id=party_id, balance=yuan(own.balance_fen if own else 0), transfers=transfers
    )


def voucher_read(session: Session, contract: TradeContract, settings: Settings) -> TradeVoucherRead:
    """The trade voucher (交易凭证) of a visible contract: its statement, signature, the platform's public key
    and the ledger receipt of its notarization; 404 before it is issued."""
    platform = data_authority_party(session)
    if contract.voucher is None or platform is None:
        raise TradingNotFound(f"contract {contract.id} has no trade voucher yet")
    key = active_party_key(session, platform, settings)
    return TradeVoucherRead(
        statement=contract.voucher["statement"],
        signature=contract.voucher["signature"],
        public_key=base64.b64encode(key.public_key).decode(),
        receipt=receipt_json(receipt_for(session, int(contract.voucher["ledger_index"]))),
    )


def statement_digest(statement: dict[str, Any]) -> str:
    """The SHA-256 of a voucher's statement (its canonical JSON), as the ledger entry carries it."""
    return hashlib.sha256(canonical_json(statement)).hexdigest()
