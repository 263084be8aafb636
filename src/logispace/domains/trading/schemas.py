"""Trading request and response bodies (交易接口报文). Amounts are decimal strings in yuan, to the fen."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from logispace.core.bodies import NOT_BLANK
from logispace.domains.trading.enums import (
    ContractState,
    DisputeMode,
    Ground,
    ListingState,
    NegotiationAction,
    NegotiationState,
    ObjectCategory,
    ObjectState,
    ObjectSubtype,
    PartyKind,
    PricingMethod,
    TradeDeliveryMode,
    TradingRole,
)

Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, pattern=NOT_BLANK)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NOT_BLANK)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Scenario = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Yuan = Annotated[
    str,
    StringConstraints(pattern=r"^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$"),
    Field(description="an amount in yuan as a decimal string, at most to the fen", examples=["245000.00"]),
]
PositiveYuan = Annotated[
    str,
    StringConstraints(pattern=r"^(0\.(0[1-9]|[1-9][0-9]?)|[1-9][0-9]{0,11}(\.[0-9]{1,2})?)$"),
    Field(
        description="a positive amount in yuan as a decimal string, at most to the fen", examples=["1000.00"]
    ),
]


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TradingPartyCreate(Body):
    """Register the caller's party for trading roles (交易主体注册, J1) with each role's attestations."""

    kind: PartyKind
    roles: list[TradingRole] = Field(min_length=1, max_length=4)
    attestations: dict[str, dict[str, bool]] = Field(
        default_factory=dict, description="per role, each attestation affirmed (true)"
    )


class TradingPartyRead(BaseModel):
    party_id: uuid.UUID
    kind: PartyKind
    roles: list[TradingRole]
    attestations: dict[str, dict[str, bool]]
    registered_at: datetime
    ledger_index: int


class DeclarationBody(Body):
    """The provider's declaration against the prohibited grounds (禁止交易情形声明, 004:5068-5076)."""

    state_secrets: bool = False
    national_security: bool = False
    identifies_persons: bool = False
    persons_consent: bool = False
    personality_rights: bool = False
    trade_secret_or_ip: bool = False
    rights_holder_consent: bool = False
    illegal_source: bool = False
    other_legal_prohibition: bool = False


class TradeObjectCreate(Body):
    """Register a trading object (交易标的登记, J2)."""

    name: Name
    description: Text
    category: ObjectCategory
    subtype: ObjectSubtype
    delivery_mode: TradeDeliveryMode
    public_data_product: bool = Field(description="a public data product: its registration certificate")
    merchant_product: bool = Field(
        default=False, description="a data merchant's product: its asset registration"
    )
    certificate_code: Code | None = None
    asset_registration_no: Code | None = None
    compliance_report: Text | None = Field(
        default=None, description="third-party compliance assessment report"
    )
    catalog_code: Code | None = Field(default=None, description="the catalogued resource delivered")
    operation_product_id: uuid.UUID | None = Field(
        default=None,
        description="a public data product: the authorized-operation product it sells (its cap applies, I-6)",
    )
    units: int | None = Field(
        default=None, ge=1, le=10**12, description="the product's billing units the object covers"
    )
    fields: list[Code] = Field(default_factory=list, max_length=200)
    declaration: DeclarationBody = Field(default_factory=DeclarationBody)


class TradeObjectReview(Body):
    """The exchange's formal review (形式审查, J2): pass (issuing the registration voucher) or refuse."""

    passed: bool
    note: Text
    ground: Ground | None = Field(default=None, description="the prohibited ground of a refusal")
    guided_cap: Yuan | None = Field(
        default=None, description="government-guided cap of a public data product (I-6), yuan"
    )


class TradeObjectRead(BaseModel):
    id: uuid.UUID
    provider_party_id: uuid.UUID
    name: str
    description: str
    category: ObjectCategory
    subtype: ObjectSubtype
    delivery_mode: TradeDeliveryMode
    public_data_product: bool
    merchant_product: bool
    certificate_code: str | None
    asset_registration_no: str | None
    compliance_report: str | None
    catalog_code: str | None
    fields: list[str]
    state: ObjectState
    voucher_code: str | None
    guided_cap: Decimal | None
    operation_product_id: uuid.UUID | None
    units: int | None
    review_note: str | None
    refusal_ground: str | None
    created_at: datetime
    ledger_index: int


class ProhibitedCreate(Body):
    """An entry of the prohibited-trading list (禁止交易清单, 004:5050): a resource or a keyword."""

    keyword: Name = Field(description="an object whose name contains it is refused")
    catalog_code: Code | None = Field(
        default=None, description="an object delivering this resource is refused"
    )
    reason: Text


class ProhibitedRead(BaseModel):
    id: uuid.UUID
    catalog_code: str | None
    keyword: str
    reason: str
    added_at: datetime
    ledger_index: int


class RefusalRead(BaseModel):
    """A refusal record (交易拒绝记录): what was refused, for whom (None: an unauthenticated connector)."""

    id: uuid.UUID
    subject: str
    party_id: uuid.UUID | None
    action: str
    code: str
    detail: str
    source: str | None
    refused_at: datetime
    ledger_index: int


class ListingCreate(Body):
    """List a registered object (挂牌, J3) with its terms: the purposes it may be used for (usage policy)."""

    object_id: uuid.UUID
    title: Name
    price: Yuan
    pricing_method: PricingMethod
    purposes: list[Scenario] = Field(min_length=1, max_length=20)
    duration_days: int = Field(ge=1, le=3650)


class ListingRead(BaseModel):
    id: uuid.UUID
    object_id: uuid.UUID
    provider_party_id: uuid.UUID
    title: str
    price: Decimal
    pricing_method: PricingMethod
    purposes: list[str]
    duration_days: int
    policy: dict[str, Any]
    state: ListingState
    listed_at: datetime


class NegotiationCreate(Body):
    """A demander's request on a listing (交易磋商请求, ContractRequestMessage)."""

    listing_id: uuid.UUID
    price: Yuan
    purpose: Scenario
    note: Text | None = None


class TradeContractTerms(Body):
    """The mandatory contents of a trade contract (合同必备条款, 004:5183), given with ``agree``."""

    data_content: Text
    quality: Text
    method: Text
    security_duties: Text
    confidentiality: Text


class NegotiationStep(Body):
    """One step of a negotiation; ``price`` with ``request`` and ``offer``, ``terms`` with ``agree``."""

    action: NegotiationAction
    price: Yuan | None = None
    note: Text | None = None
    terms: TradeContractTerms | None = None


class NegotiationOfferRead(BaseModel):
    seq: int
    party_id: uuid.UUID
    action: str
    state_after: NegotiationState
    price: Decimal | None
    note: str | None
    at: datetime


class NegotiationRead(BaseModel):
    id: uuid.UUID
    listing_id: uuid.UUID
    provider_party_id: uuid.UUID
    consumer_party_id: uuid.UUID
    state: NegotiationState
    price: Decimal
    pricing_method: PricingMethod
    purpose: str
    allowed_actions: list[NegotiationAction]
    offers: list[NegotiationOfferRead]
    contract_id: uuid.UUID | None


class SettlementCreate(Body):
    """Release escrow to the seller on accepted delivery, or refund it to the buyer on failure (004:5185)."""

    outcome: Annotated[str, StringConstraints(pattern=r"^(release|refund)$")]
    amount: PositiveYuan | None = Field(default=None, description="default: all the escrow holds")
    note: Text | None = None


class TradeContractRead(BaseModel):
    id: uuid.UUID
    negotiation_id: uuid.UUID
    object_id: uuid.UUID
    provider_party_id: uuid.UUID
    consumer_party_id: uuid.UUID
    data_content: str
    purpose: str
    quality: str
    method: str
    amount: Decimal
    pricing_method: PricingMethod
    security_duties: str
    confidentiality: str
    duration_days: int
    state: ContractState | None
    escrow: Decimal
    grant_id: uuid.UUID | None
    voucher_code: str | None
    subsidy: Decimal
    signed_at: datetime | None
    settled_at: datetime | None


class SettlementAccountRead(BaseModel):
    party_id: uuid.UUID
    balance: Decimal
    transfers: list[dict[str, Any]]


class TradeDeliveryCreate(Body):
    """The provider's delivery (交付): the fields of the resource granted (default: the object's)."""

    fields: list[Code] = Field(default_factory=list, max_length=200)


class TradeVoucherRead(BaseModel):
    """A trade voucher (交易凭证): the statement signed by the platform, the signer's public key and the
    ledger receipt of its notarization, verifiable offline."""

    statement: dict[str, Any]
    signature: str
    public_key: str
    receipt: dict[str, Any]


class DisputeCreate(Body):
    """A party of a contract raises a dispute (争议处理, 004:5099) by its mode."""

    mode: DisputeMode
    claim: Text


class DisputeRead(BaseModel):
    id: uuid.UUID
    contract_id: uuid.UUID
    raised_by_party_id: uuid.UUID
    mode: DisputeMode
    claim: str
    raised_at: datetime
    ledger_index: int
