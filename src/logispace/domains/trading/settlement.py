"""Contracts, settlement and vouchers (合同签订、交付结算、出具凭证), J6-J8 of state machine J.

``agree`` drafts the contract with its mandatory contents (004:5183); ``verify`` is the demander's
signature with the price paid into the contract's escrow; ``finalize`` the provider's, after which the
contract is signed. Delivery is a grant of the access domain bound to the contract's purpose (I-9).
Settlement goes through the exchange (004:5185) in double entry: every transfer is two postings of
opposite amounts, so the balances of all accounts always sum to zero. When the escrow is empty after a
release the exchange issues the trade voucher (交易凭证, 004:5087), signed with the platform's key and
notarized in the ledger, with the §4.6 subsidy of the buyer. Services never commit.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import Conflict, InvalidInput
from logispace.domains.access import grant_for_contract
from logispace.domains.identity import Principal, active_party_key, data_authority_party
from logispace.domains.ledger import canonical_json
from logispace.domains.trading import callbacks, policies, repository
from logispace.domains.trading.enums import (
    AccountKind,
    ContractState,
    NegotiationAction,
    NegotiationState,
    TransferKind,
)
from logispace.domains.trading.errors import (
    NotAllowed,
    SettlementBeyondEscrow,
    StepNotAllowed,
    TradingNotFound,
)
from logispace.domains.trading.models import (
    Account,
    Listing,
    Negotiation,
    Posting,
    TradeContract,
    TradeObject,
    Transfer,
)
from logispace.domains.trading.negotiation import transition, visible_negotiation
from logispace.domains.trading.schemas import NegotiationStep, SettlementCreate, TradeContractTerms
from logispace.domains.trading.service import append, fen, is_exchange, subject, yuan

A = NegotiationAction


class NoPlatformKey(Conflict):
    """No data authority party to sign trade vouchers (409)."""

    code = "trading-no-platform-signer"
    title = "The platform has no signer for trade vouchers"


# -- accounts in double entry (复式记账) ----------------------------------------------------------------


def account(
    session: Session, kind: AccountKind, party_id: uuid.UUID | None, contract_id: uuid.UUID | None
) -> Account:
    found = repository.account(session, kind, party_id, contract_id)
    if found is None:
        found = Account(id=uuid.uuid4(), kind=kind, party_id=party_id, contract_id=contract_id, balance_fen=0)
        session.add(found)
        session.flush()
    return found


def post_transfer(
    session: Session,
    contract_id: uuid.UUID,
    kind: TransferKind,
    source: Account,
    target: Account,
    amount_fen: int,
) -> Transfer:
    """Move ``amount_fen`` from ``source`` to ``target``: two postings that sum to zero."""
    if amount_fen <= 0:
        raise InvalidInput("a transfer moves a positive amount")
    transfer = Transfer(
        id=uuid.uuid4(), contract_id=contract_id, kind=kind, amount_fen=amount_fen, at=utcnow()
    )
    # one flush for the transfer and its postings: Transfer.postings orders the inserts
    transfer.postings = [
        Posting(id=uuid.uuid4(), account_id=source.id, amount_fen=-amount_fen),
        Posting(id=uuid.uuid4(), account_id=target.id, amount_fen=amount_fen),
    ]
    session.add(transfer)
    source.balance_fen -= amount_fen
    target.balance_fen += amount_fen
    return transfer


@dataclass(frozen=True)
class ContractAccounts:
    """The three accounts of a contract's settlement, locked together."""

    buyer: Account
    escrow: Account
    seller: Account


def accounts_of(session: Session, contract: TradeContract) -> ContractAccounts:
    """The buyer's, the escrow and the seller's accounts, locked by one statement (created if missing)."""
    found = {(a.kind, a.party_id): a for a in repository.contract_accounts(session, contract)}

    def get(kind: AccountKind, party_id: uuid.UUID | None) -> Account:
        row = found.get((kind, party_id))
        if row is None:
            row = account(session, kind, party_id, contract.id if kind is AccountKind.ESCROW else None)
        return row

    return ContractAccounts(
        buyer=get(AccountKind.PARTY, contract.consumer_party_id),
        escrow=get(AccountKind.ESCROW, None),
        seller=get(AccountKind.PARTY, contract.provider_party_id),
    )


def _certify_transfer(
    session: Session, p: Principal, contract: TradeContract, transfer: Transfer, settings: Settings | None
) -> None:
    payload = {
        "contract_id": str(contract.id),
        "transfer_id": str(transfer.id),
        "kind": transfer.kind.value,
        "amount": str(yuan(transfer.amount_fen)),
        "source": "004:5185",
    }
    transfer.ledger_index = append(
        session, settings, f"settlement_{transfer.kind.value}", subject("contract", contract.id), payload, p
    )


# -- J6 contract (合同) -------------------------------------------------------------------------------


def visible_contract(session: Session, p: Principal, contract_id: uuid.UUID) -> TradeContract:
    """A contract: its two parties and the exchange only; 404 to anyone else (X-11)."""
    contract = session.get(TradeContract, contract_id)
    if contract is None or not (
        is_exchange(p) or p.party_id in (contract.provider_party_id, contract.consumer_party_id)
    ):
        raise TradingNotFound(f"contract {contract_id} not found")
    return contract


def step_negotiation(
    session: Session,
    p: Principal,
    negotiation_id: uuid.UUID,
    body: NegotiationStep,
    settings: Settings | None,
) -> Negotiation:
    """One step of the negotiation with its effect on the contract and the escrow."""
    negotiation = visible_negotiation(session, p, negotiation_id)
    if body.action is A.AGREE and body.terms is None:
        raise InvalidInput("agree carries the contract's terms (004:5183)")
    before = negotiation.state
    transition(session, p, negotiation, body.action, body.price, body.note, settings)
    if body.action is A.AGREE:
        _draft_contract(session, p, negotiation, body, settings)
    elif body.action is A.VERIFY:
        contract = _contract_of(session, negotiation)
        books = accounts_of(session, contract)
        moved = post_transfer(
            session, contract.id, TransferKind.ESCROW, books.buyer, books.escrow, contract.amount_fen
        )
        _certify_transfer(session, p, contract, moved, settings)
    elif body.action is A.FINALIZE:
        contract = _contract_of(session, negotiation)
        contract.state, contract.signed_at = ContractState.SIGNED, utcnow()
        payload = {
            "contract_id": str(contract.id),
            "amount": str(yuan(contract.amount_fen)),
            "source": "004:5183",
        }
        contract.ledger_index = append(
            session, settings, "contract_signed", subject("contract", contract.id), payload, p
        )
    elif body.action is A.TERMINATE and before is NegotiationState.VERIFIED:
        contract = _contract_of(session, negotiation)
        books = accounts_of(session, contract)
        moved = post_transfer(
            session, contract.id, TransferKind.REFUND, books.escrow, books.buyer, books.escrow.balance_fen
        )
        _certify_transfer(session, p, contract, moved, settings)
    callbacks.negotiation_changed(session, negotiation, body.action, p.party_id)
    session.flush()
    return negotiation


def _contract_of(session: Session, negotiation: Negotiation) -> TradeContract:
    contract = repository.contract_of(session, negotiation.id)
    if contract is None:  # pragma: no cover - agreed before verified: the machine guarantees it
        raise TradingNotFound(f"negotiation {negotiation.id} has no contract")
    return contract


def _draft_contract(
    session: Session, p: Principal, negotiation: Negotiation, body: NegotiationStep, settings: Settings | None
) -> TradeContract:
    terms = body.terms or TradeContractTerms.model_validate({})  # checked by the caller: agree carries terms
    listing = session.get_one(Listing, negotiation.listing_id)
    contract = TradeContract(
        id=uuid.uuid4(),
        negotiation_id=negotiation.id,
        object_id=listing.object_id,
        provider_party_id=negotiation.provider_party_id,
        consumer_party_id=negotiation.consumer_party_id,
        purpose=negotiation.purpose,
        amount_fen=negotiation.price_fen,
        pricing_method=negotiation.pricing_method,
        duration_days=listing.duration_days,
        state=None,
        subsidy_fen=0,
        agreed_at=utcnow(),
        **terms.model_dump(),
    )
    payload = {
        "contract_id": str(contract.id),
        "negotiation_id": str(negotiation.id),
        "purpose": contract.purpose,
        "amount": str(yuan(contract.amount_fen)),
        "contents_sha256": _digest(terms.model_dump()),
        "source": "004:5183",
    }
    contract.ledger_index = append(
        session, settings, "contract_agreed", subject("contract", contract.id), payload, p
    )
    session.add(contract)
    session.flush()
    return contract


def _digest(document: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()


# -- J7 delivery and settlement (交付结算) --------------------------------------------------------------


def _require_state(contract: TradeContract, allowed: tuple[ContractState, ...], step: str) -> None:
    if contract.state not in allowed:
        state = contract.state.value if contract.state else "agreed"
        raise StepNotAllowed(
            f"a contract in state {state} is not {step}", state=state, allowed=[s.value for s in allowed]
        )


def deliver(
    session: Session, p: Principal, contract_id: uuid.UUID, fields: list[str], settings: Settings | None
) -> TradeContract:
    """The provider delivers (交付): a grant of the access domain bound to the contract's purpose, for the
    contract's duration; an object without a catalogued resource is delivered outside the platform."""
    contract = visible_contract(session, p, contract_id)
    if p.party_id != contract.provider_party_id:
        raise NotAllowed("the provider delivers")
    session.refresh(contract, with_for_update=True)
    _require_state(contract, (ContractState.SIGNED,), "delivered")
    obj = session.get_one(TradeObject, contract.object_id)
    if obj.catalog_code is not None:
        start = utcnow()
        grant = grant_for_contract(
            session,
            p,
            consumer=contract.consumer_party_id,
            catalog_code=obj.catalog_code,
            fields=fields or obj.fields,
            purpose=contract.purpose,
            start=start,
            end=start + timedelta(days=contract.duration_days),
            title=obj.name,
            # what people read as the request's purpose on the access pages; the trading ledger entry
            # "delivered" ties the grant to the contract's id
            reference=f"依数据流通交易合同交付：{obj.name}（标的登记凭证 {obj.voucher_code}）",
            settings=settings,
        )
        contract.grant_id = grant.id
    contract.state = ContractState.DELIVERED
    payload = {
        "contract_id": str(contract.id),
        "grant_id": str(contract.grant_id) if contract.grant_id else None,
    }
    contract.ledger_index = append(
        session, settings, "delivered", subject("contract", contract.id), payload, p
    )
    callbacks.transfer_changed(session, contract, "start")
    session.flush()
    return contract


def settle(
    session: Session, p: Principal, contract_id: uuid.UUID, body: SettlementCreate, settings: Settings
) -> TradeContract:
    """Release escrow to the provider (the demander accepts delivery) or refund it to the demander (the
    provider or the exchange on failed delivery); never more than the escrow holds."""
    contract = visible_contract(session, p, contract_id)
    session.refresh(contract, with_for_update=True)
    release = body.outcome == "release"
    if release and p.party_id != contract.consumer_party_id:
        raise NotAllowed("the demander accepts delivery and releases the price")
    if not release and not (p.party_id == contract.provider_party_id or is_exchange(p)):
        raise NotAllowed("the provider or the exchange refunds a failed delivery")
    allowed = (ContractState.DELIVERED,) if release else (ContractState.SIGNED, ContractState.DELIVERED)
    _require_state(contract, allowed, "released" if release else "refunded")
    books = accounts_of(session, contract)
    escrow = books.escrow
    amount = escrow.balance_fen if body.amount is None else fen(body.amount)
    if amount > escrow.balance_fen or amount <= 0:
        raise SettlementBeyondEscrow(
            f"{yuan(amount)} yuan is more than the escrow's {yuan(escrow.balance_fen)} yuan",
            source="004:5185",
            escrow=str(yuan(escrow.balance_fen)),
        )
    target = books.seller if release else books.buyer
    kind = TransferKind.RELEASE if release else TransferKind.REFUND
    _certify_transfer(
        session, p, contract, post_transfer(session, contract.id, kind, escrow, target, amount), settings
    )
    if escrow.balance_fen == 0:
        released = sum(
            t.amount_fen
            for t in repository.transfers_of(session, [contract.id])
            if t.kind is TransferKind.RELEASE
        )
        if released:
            _issue_voucher(session, p, contract, released, settings)
        else:
            contract.state, contract.settled_at = ContractState.REFUNDED, utcnow()
    if not release:
        callbacks.transfer_changed(session, contract, "termination")
    session.flush()
    return contract


# -- J8 voucher and the §4.6 subsidy (交易凭证与奖补) ------------------------------------------------------


def _subsidy(session: Session, contract: TradeContract, obj: TradeObject, now: datetime) -> int:
    year = datetime(now.year, 1, 1, tzinfo=UTC)
    granted = repository.subsidies_granted(
        session, contract.consumer_party_id, year, year.replace(year=now.year + 1)
    )
    amount = policies.subsidy(
        Decimal(contract.amount_fen) / 100,
        now.date(),
        subtype=obj.subtype,
        public_data=obj.public_data_product,
        granted_this_year=Decimal(granted) / 100,
    )
    return fen(amount)


def _issue_voucher(
    session: Session, p: Principal, contract: TradeContract, released_fen: int, settings: Settings
) -> None:
    platform = data_authority_party(session)
    if platform is None:
        raise NoPlatformKey("a trade voucher is signed by the platform's data authority; none is registered")
    now = utcnow()
    obj = session.get_one(TradeObject, contract.object_id)
    contract.subsidy_fen = _subsidy(session, contract, obj, now)
    contract.voucher_code = f"JYPZ-{now:%Y%m%d}-{secrets.token_hex(5).upper()}"
    contract.state, contract.settled_at = ContractState.SETTLED, now
    key = active_party_key(session, platform, settings)
    statement = {
        "type": "logispace-trade-voucher",
        "code": contract.voucher_code,
        "contract_id": str(contract.id),
        "object": {"id": str(obj.id), "name": obj.name, "registration_voucher": obj.voucher_code},
        "provider": str(contract.provider_party_id),
        "consumer": str(contract.consumer_party_id),
        "purpose": contract.purpose,
        "amount": str(yuan(contract.amount_fen)),
        "released": str(yuan(released_fen)),
        "subsidy": str(yuan(contract.subsidy_fen)),
        "contract_sha256": _digest(_contents(contract)),
        "settled_at": now.isoformat(),
        "issuer": str(platform),
        "key_id": key.key_id,
        "algorithm": key.algorithm,
        "source": "004:5087",
    }
    signature = base64.b64encode(key.sign(canonical_json(statement))).decode()
    payload = {"statement_sha256": _digest(statement), "signature": signature}
    index = append(session, settings, "voucher_issued", subject("voucher", contract.voucher_code), payload, p)
    contract.voucher = {"statement": statement, "signature": signature, "ledger_index": index}
    contract.ledger_index = index


def _contents(contract: TradeContract) -> dict[str, Any]:
    """The mandatory contents of the contract (004:5183), as the voucher's digest covers them."""
    return {
        "data_content": contract.data_content,
        "purpose": contract.purpose,
        "quality": contract.quality,
        "method": contract.method,
        "amount": str(yuan(contract.amount_fen)),
        "security_duties": contract.security_duties,
        "confidentiality": contract.confidentiality,
    }


def escrow_balance(session: Session, contract: TradeContract) -> Decimal:
    found = repository.account(session, AccountKind.ESCROW, None, contract.id, lock=False)
    return yuan(found.balance_fen if found else 0) or Decimal("0.00")
