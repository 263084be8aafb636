"""Trading tables (流通交易): registered trading parties, the prohibited list, objects, listings,
negotiations with their offers, contracts, the settlement accounts in double entry, and refusals.

Amounts are integers in fen (分), exact on every database. Nothing here has a deletion path: trading
records are kept at least 20 years (004:5187); every state change is a ledger entry of the same transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from logispace.core.clock import utcnow
from logispace.core.db import Base, IdMixin
from logispace.domains.trading.enums import (
    AccountKind,
    ContractState,
    DisputeMode,
    ListingState,
    NegotiationState,
    ObjectCategory,
    ObjectState,
    ObjectSubtype,
    PartyKind,
    PricingMethod,
    TradeDeliveryMode,
    TransferKind,
)

_PARTY = "parties.id"


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class TradingParty(IdMixin, Base):
    """Trading party (交易主体, J1): a party's trading roles and their attestations, formally reviewed."""

    __tablename__ = "trading_parties"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), unique=True)
    kind: Mapped[PartyKind] = mapped_column(_enum(PartyKind, "trading_party_kind"))
    roles: Mapped[list[str]] = mapped_column(JSON)
    attestations: Mapped[dict[str, Any]] = mapped_column(JSON)
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class ProhibitedEntry(IdMixin, Base):
    """An entry of the authority's prohibited-trading list (禁止交易清单, 004:5050)."""

    __tablename__ = "trading_prohibited_entries"

    catalog_code: Mapped[str | None] = mapped_column(String(20), index=True)
    keyword: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    added_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class TradeObject(IdMixin, Base):
    """Trading object (交易标的, J2): what is registered for trading, its materials and review."""

    __tablename__ = "trading_objects"
    __table_args__ = (Index("ix_trading_objects_provider_state", "provider_party_id", "state"),)

    provider_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    category: Mapped[ObjectCategory] = mapped_column(_enum(ObjectCategory, "trading_object_category"))
    subtype: Mapped[ObjectSubtype] = mapped_column(_enum(ObjectSubtype, "trading_object_subtype"))
    delivery_mode: Mapped[TradeDeliveryMode] = mapped_column(
        _enum(TradeDeliveryMode, "trading_delivery_mode")
    )
    public_data_product: Mapped[bool] = mapped_column(Boolean)
    merchant_product: Mapped[bool] = mapped_column(Boolean)
    certificate_code: Mapped[str | None] = mapped_column(String(32))
    asset_registration_no: Mapped[str | None] = mapped_column(String(64))
    compliance_report: Mapped[str | None] = mapped_column(Text)
    catalog_code: Mapped[str | None] = mapped_column(String(20))
    fields: Mapped[list[str]] = mapped_column(JSON)
    declaration: Mapped[dict[str, bool]] = mapped_column(JSON)
    state: Mapped[ObjectState] = mapped_column(_enum(ObjectState, "trading_object_state"))
    voucher_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    guided_cap_fen: Mapped[int | None] = mapped_column(BigInteger)
    operation_product_id: Mapped[uuid.UUID | None] = mapped_column()
    """The authorized-operation product (授权运营产品) a public data product sells: its cap is the cap.
    No foreign key (see the migration ``trading_product_caps``): checked when the object is registered."""
    units: Mapped[int | None] = mapped_column(BigInteger)
    """How many of the product's billing units (calls, records, ...) the object covers."""
    review_note: Mapped[str | None] = mapped_column(Text)
    refusal_ground: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reviewed_at: Mapped[datetime | None] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Listing(IdMixin, Base):
    """Listing (挂牌, J3): a registered object offered with its terms and asking price."""

    __tablename__ = "trading_listings"

    object_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("trading_objects.id", ondelete="RESTRICT"))
    provider_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    pricing_method: Mapped[PricingMethod] = mapped_column(_enum(PricingMethod, "trading_pricing_method"))
    purposes: Mapped[list[str]] = mapped_column(JSON)
    duration_days: Mapped[int] = mapped_column(Integer)
    policy: Mapped[dict[str, Any]] = mapped_column(JSON)
    state: Mapped[ListingState] = mapped_column(_enum(ListingState, "trading_listing_state"))
    listed_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Negotiation(IdMixin, Base):
    """Contract negotiation (交易磋商, J4-J5): bilateral, between the listing's provider and one demander."""

    __tablename__ = "trading_negotiations"

    listing_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("trading_listings.id", ondelete="RESTRICT"))
    provider_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    consumer_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    state: Mapped[NegotiationState] = mapped_column(_enum(NegotiationState, "trading_negotiation_state"))
    price_fen: Mapped[int] = mapped_column(BigInteger)
    pricing_method: Mapped[PricingMethod] = mapped_column(_enum(PricingMethod, "trading_neg_pricing_method"))
    purpose: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)
    # a Dataspace Protocol consumer's own process id and callback address (None: opened on the platform)
    consumer_pid: Mapped[str | None] = mapped_column(String(200))
    callback_address: Mapped[str | None] = mapped_column(String(500))


class Offer(IdMixin, Base):
    """One message of a negotiation (报价与还价): who said what, at which price, in which state after."""

    __tablename__ = "trading_offers"
    __table_args__ = (UniqueConstraint("negotiation_id", "seq"),)

    negotiation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trading_negotiations.id", ondelete="RESTRICT"), index=True
    )
    seq: Mapped[int] = mapped_column(Integer)
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(String(16))
    state_after: Mapped[NegotiationState] = mapped_column(_enum(NegotiationState, "trading_offer_state"))
    price_fen: Mapped[int | None] = mapped_column(BigInteger)
    note: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class TradeContract(IdMixin, Base):
    """Trade contract (交易合同, J6) with its mandatory contents (004:5183), settlement and voucher."""

    __tablename__ = "trading_contracts"

    negotiation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trading_negotiations.id", ondelete="RESTRICT"), unique=True
    )
    object_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("trading_objects.id", ondelete="RESTRICT"))
    provider_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    consumer_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    data_content: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(64))
    quality: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(Text)
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    pricing_method: Mapped[PricingMethod] = mapped_column(_enum(PricingMethod, "trading_contract_pricing"))
    security_duties: Mapped[str] = mapped_column(Text)
    confidentiality: Mapped[str] = mapped_column(Text)
    duration_days: Mapped[int] = mapped_column(Integer)
    state: Mapped[ContractState | None] = mapped_column(_enum(ContractState, "trading_contract_state"))
    grant_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("access_grants.id", ondelete="RESTRICT"))
    voucher_code: Mapped[str | None] = mapped_column(String(32), unique=True)
    voucher: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    subsidy_fen: Mapped[int] = mapped_column(BigInteger, default=0)
    agreed_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column()
    settled_at: Mapped[datetime | None] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger)
    # the transfer process's consumer pid and callback address (TransferRequestMessage)
    transfer_consumer_pid: Mapped[str | None] = mapped_column(String(200))
    transfer_callback_address: Mapped[str | None] = mapped_column(String(500))


class Account(IdMixin, Base):
    """Settlement account (结算账户): a party's, or the escrow of one contract (资金清分结算, 004:5185)."""

    __tablename__ = "trading_accounts"
    __table_args__ = (UniqueConstraint("kind", "party_id", "contract_id"),)

    kind: Mapped[AccountKind] = mapped_column(_enum(AccountKind, "trading_account_kind"))
    party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    contract_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("trading_contracts.id", ondelete="RESTRICT")
    )
    balance_fen: Mapped[int] = mapped_column(BigInteger, default=0)


class Transfer(IdMixin, Base):
    """A settlement transfer (结算划转): two postings of equal and opposite amounts."""

    __tablename__ = "trading_transfers"

    contract_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trading_contracts.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[TransferKind] = mapped_column(_enum(TransferKind, "trading_transfer_kind"))
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int | None] = mapped_column(BigInteger)
    # written with the transfer in one flush (the unit of work inserts the transfer first); never loaded
    postings: Mapped[list[Posting]] = relationship(lazy="raise_on_sql")


class Posting(IdMixin, Base):
    """One side of a transfer (记账分录): a signed amount on one account; each transfer's sum is zero."""

    __tablename__ = "trading_postings"

    transfer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trading_transfers.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trading_accounts.id", ondelete="RESTRICT"), index=True
    )
    amount_fen: Mapped[int] = mapped_column(BigInteger)


class TradingRefusal(IdMixin, Base):
    """A refused trading step (交易拒绝记录): what was refused, on which ground, certified in the ledger."""

    __tablename__ = "trading_refusals"
    __table_args__ = (Index("ix_trading_refusals_subject_at", "subject", "refused_at"),)

    subject: Mapped[str] = mapped_column(String(80))
    party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    action: Mapped[str] = mapped_column(String(32))
    code: Mapped[str] = mapped_column(String(64))
    detail: Mapped[str] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(100))
    refused_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class Dispute(IdMixin, Base):
    """A dispute over a contract (交易争议, J9): its mode and claim; the exchange provides the evidence."""

    __tablename__ = "trading_disputes"

    contract_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("trading_contracts.id", ondelete="RESTRICT"), index=True
    )
    raised_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    mode: Mapped[DisputeMode] = mapped_column(_enum(DisputeMode, "trading_dispute_mode"))
    claim: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    ledger_index: Mapped[int] = mapped_column(BigInteger)


class DspCallback(IdMixin, Base):
    """A Dataspace Protocol message owed to a consumer's callback address (回调发件箱): queued in the
    transaction of the state change it announces, sent afterwards by :mod:`.callbacks`."""

    __tablename__ = "trading_dsp_callbacks"
    __table_args__ = (Index("ix_trading_dsp_callbacks_status", "status", "created_at"),)

    process_id: Mapped[uuid.UUID] = mapped_column(index=True)
    url: Mapped[str] = mapped_column(String(700))
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_status: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column()
