"""Parties and objects (交易主体与标的), J1-J2 of state machine J, and what every trading service shares.

A party registers its trading roles with their attestations (J1, formally reviewed against
:data:`.policies.ATTESTATIONS`); a provider registers an object, refused on any prohibited ground or the
authority's prohibited list, or when its registration is missing (I-5); the exchange's formal review
issues its registration voucher (J2), and :func:`check_guided_price` keeps every price within a public
data product's government-guided cap (I-6). Listings are in :mod:`.listings`, the negotiation in
:mod:`.negotiation`, contracts, settlement and vouchers in :mod:`.settlement`. The exchange is the
platform, acting through the authority's staff. Every change is a ledger entry of the same transaction;
services never commit.
"""

from __future__ import annotations

import secrets
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput, NotFound
from logispace.domains.identity import SYSTEM, Principal
from logispace.domains.ledger import append as ledger_append
from logispace.domains.operation import UseClass as ProductUse
from logispace.domains.operation import products as operation_products
from logispace.domains.operation.pricing import BillingUnit, PriceAboveCap, UseClass, charge, check_price
from logispace.domains.registration import certificate_service
from logispace.domains.trading import policies, repository
from logispace.domains.trading.enums import (
    Ground,
    ObjectState,
    TradingRole,
)
from logispace.domains.trading.errors import (
    AttestationMissing,
    NotAllowed,
    NotTradingParty,
    OperationProductInvalid,
    PriceAboveGuidedCap,
    ProhibitedObject,
    RegistrationMissing,
    StepNotAllowed,
    TradingNotFound,
)
from logispace.domains.trading.models import (
    ProhibitedEntry,
    TradeObject,
    TradingParty,
)
from logispace.domains.trading.schemas import (
    ProhibitedCreate,
    TradeObjectCreate,
    TradeObjectReview,
    TradingPartyCreate,
)


def fen(amount: Decimal | str) -> int:
    return int(policies.to_fen(amount) * 100)


def yuan(amount_fen: int | None) -> Decimal | None:
    return None if amount_fen is None else (Decimal(amount_fen) / 100).quantize(policies.FEN)


def subject(kind: str, record_id: uuid.UUID | str) -> str:
    """The ledger subject of a trading record, e.g. ``trading-object:<id>``."""
    return f"trading-{kind}:{record_id}"


def append(
    session: Session, settings: Settings | None, kind: str, subj: str, payload: dict[str, Any], p: Principal
) -> int:
    """Certify one trading step in the ledger, in the caller's transaction."""
    receipt = ledger_append(
        session, kind=f"trading.{kind}", subject=subj, payload=payload, actor=p.party_id, settings=settings
    )
    return receipt.entry_id


def is_exchange(p: Principal) -> bool:
    """The exchange's staff (交易场所): the platform's authority users (004:5087)."""
    return p.is_authority


def party_id_of(p: Principal) -> uuid.UUID:
    if p.party_id is None:
        raise NotAllowed("a party acts in trading, not the system principal")
    return p.party_id


def require_role(session: Session, p: Principal, *roles: TradingRole) -> TradingParty:
    """The caller's trading registration with one of ``roles``; 409 naming the role otherwise (J1)."""
    registered = repository.party(session, party_id_of(p))
    if registered is None or not set(registered.roles) & {r.value for r in roles}:
        names = " or ".join(r.value for r in roles)
        raise NotTradingParty(f"the party is not registered as {names} on the exchange", source="004:5177")
    return registered


# -- J1 parties (交易主体注册) ----------------------------------------------------------------------------


def register_party(
    session: Session, p: Principal, body: TradingPartyCreate, settings: Settings | None = None
) -> TradingParty:
    """Register the caller's party for its roles; the formal review checks each role's attestations."""
    party_id = party_id_of(p)
    if is_exchange(p):
        raise NotAllowed("the exchange's authority does not trade")
    missing = policies.missing_attestations(body.roles, body.attestations)
    if missing:
        named = "; ".join(f"{role.value}: {name} ({source})" for role, name, source in missing)
        raise AttestationMissing(f"attestations not affirmed: {named}", source=missing[0][2])
    existing = repository.party(session, party_id)
    roles = sorted({r.value for r in body.roles} | set(existing.roles if existing else []))
    attestations = {**(existing.attestations if existing else {}), **body.attestations}
    payload = {"party_id": str(party_id), "kind": body.kind.value, "roles": roles, "source": "004:5177"}
    index = append(session, settings, "party_registered", subject("party", party_id), payload, p)
    if existing is None:
        existing = TradingParty(party_id=party_id, kind=body.kind, registered_at=utcnow())
        session.add(existing)
    existing.kind, existing.roles, existing.attestations, existing.ledger_index = (
        body.kind,
        roles,
        attestations,
        index,
    )
    session.flush()
    return existing


def get_party(session: Session, p: Principal, party_id: uuid.UUID) -> TradingParty:
    """A party's trading registration: itself and the exchange only (X-11, 004:5193)."""
    if not (is_exchange(p) or p.party_id == party_id):
        raise TradingNotFound(f"trading party {party_id} not found")
    found = repository.party(session, party_id)
    if found is None:
        raise TradingNotFound(f"trading party {party_id} not found")
    return found


# -- the prohibited list (禁止交易清单) -------------------------------------------------------------------


def add_prohibited(
    session: Session, p: Principal, body: ProhibitedCreate, settings: Settings | None = None
) -> ProhibitedEntry:
    """The authority adds an entry to the prohibited-trading list (004:5050)."""
    if not is_exchange(p):
        raise NotAllowed("the competent authority keeps the prohibited-trading list (004:5050)")
    entry = ProhibitedEntry(
        id=uuid.uuid4(),
        catalog_code=body.catalog_code,
        keyword=body.keyword,
        reason=body.reason,
        added_by_party_id=party_id_of(p),
        added_at=utcnow(),
    )
    payload = {"entry_id": str(entry.id), "catalog_code": body.catalog_code, "keyword": body.keyword}
    entry.ledger_index = append(
        session, settings, "prohibited_listed", subject("prohibited", entry.id), payload, p
    )
    session.add(entry)
    session.flush()
    return entry


# -- J2 objects (交易标的登记) ----------------------------------------------------------------------------


def _refuse_ground(ground: Ground, detail: str) -> ProhibitedObject:
    rule = policies.GROUNDS[ground]
    return ProhibitedObject(
        f"{detail}: {ground.value}", source=rule.source, ground=ground.value, article=rule.article
    )


def _check_registration(session: Session, provider: uuid.UUID, body: TradeObjectCreate) -> None:
    if body.public_data_product:
        if body.certificate_code is None:
            raise RegistrationMissing(
                "a public data product shows its registration certificate", source="004:5458"
            )
        try:
            certificate = certificate_service.find(session, body.certificate_code)
        except NotFound:
            raise RegistrationMissing(
                f"registration certificate {body.certificate_code} not found", source="004:5458"
            ) from None
        if certificate.status.value != "valid" or certificate.holder_party_id != provider:
            raise RegistrationMissing(
                f"registration certificate {body.certificate_code} is not a valid certificate of the provider",  # noqa: E501
                source="004:5458",
            )
    if body.operation_product_id is not None:
        _check_operation_product(session, provider, body.operation_product_id, body)
    if body.merchant_product and body.asset_registration_no is None:
        raise RegistrationMissing(
            "a data merchant's product passes data asset registration before trading", source="004:5150"
        )


def _check_operation_product(
    session: Session, provider: uuid.UUID, product_id: uuid.UUID, body: TradeObjectCreate
) -> None:
    """A public data product sells a charged product of its provider's authorized operation whose cap is
    set (上限收费标准, 004:1017): that cap, per billing unit, bounds every price (I-6)."""
    if not body.public_data_product or body.units is None:
        raise InvalidInput("an operation product backs a public data product, with the units it covers")
    try:
        product = operation_products.visible_product(session, SYSTEM, product_id)
    except NotFound:
        product = None
    if product is None or product.operator_party_id != provider:
        raise OperationProductInvalid(
            f"operation product {product_id} is not a product of the provider's operation",
            source="004:5181",
        )
    if product.use_class is not ProductUse.INDUSTRY or product.price_cap_fen is None:
        raise OperationProductInvalid(
            f"operation product {product.name} has no government-guided cap to trade under "
            "(free for public governance, or the cap is not set yet)",
            source="004:1017",
        )


def register_object(
    session: Session, p: Principal, body: TradeObjectCreate, settings: Settings | None = None
) -> TradeObject:
    """Submit an object for registration (J2): refused on a prohibited ground, the prohibited list or a
    missing registration, each naming its rule; otherwise it waits for the exchange's formal review."""
    roles = (
        (TradingRole.DATA_MERCHANT,)
        if body.merchant_product
        else (TradingRole.PROVIDER, TradingRole.DATA_MERCHANT)
    )
    require_role(session, p, *roles)
    provider = party_id_of(p)
    if body.subtype not in policies.SUBTYPES[body.category]:
        raise InvalidInput(
            f"subtype {body.subtype.value} is not of category {body.category.value} (004:5058-5064)"
        )
    grounds = policies.prohibited_grounds(policies.Declaration(**body.declaration.model_dump()))
    if grounds:
        raise _refuse_ground(grounds[0], "the object may not be traded")
    listed = repository.prohibited_matches(session, body.catalog_code, body.name)
    if listed:
        raise _refuse_ground(
            Ground.PROHIBITED_LIST, f"the object is on the prohibited list ({listed[0].reason})"
        )
    _check_registration(session, provider, body)
    obj = TradeObject(
        id=uuid.uuid4(),
        provider_party_id=provider,
        **body.model_dump(exclude={"declaration"}),
        declaration=body.declaration.model_dump(),
        state=ObjectState.SUBMITTED,
        created_at=utcnow(),
    )
    payload = {
        "object_id": str(obj.id),
        "category": body.category.value,
        "subtype": body.subtype.value,
        "certificate_code": body.certificate_code,
        "asset_registration_no": body.asset_registration_no,
        "source": "004:5179",
    }
    obj.ledger_index = append(session, settings, "object_submitted", subject("object", obj.id), payload, p)
    session.add(obj)
    session.flush()
    return obj


def visible_object(session: Session, p: Principal, object_id: uuid.UUID) -> TradeObject:
    obj = session.get(TradeObject, object_id)
    if obj is None or not (
        obj.state is ObjectState.REGISTERED or is_exchange(p) or obj.provider_party_id == p.party_id
    ):
        raise TradingNotFound(f"trading object {object_id} not found")
    return obj


def review_object(
    session: Session,
    p: Principal,
    object_id: uuid.UUID,
    body: TradeObjectReview,
    settings: Settings | None = None,
) -> TradeObject:
    """The exchange's formal review (形式审查, 004:5179): registered with its voucher, or refused naming the
    prohibited ground."""
    if not is_exchange(p):
        raise NotAllowed("the exchange reviews trading objects (004:5179)")
    obj = visible_object(session, p, object_id)
    session.refresh(obj, with_for_update=True)
    if obj.state is not ObjectState.SUBMITTED:
        raise StepNotAllowed(
            f"an object in state {obj.state.value} is not reviewed", state=obj.state.value, allowed=[]
        )
    if body.guided_cap is not None and not obj.public_data_product:
        raise InvalidInput("a government-guided cap applies to a public data product only (004:5181)")
    if body.guided_cap is not None and obj.operation_product_id is not None:
        raise InvalidInput(
            "the cap of this object is its operation product's cap (004:1017), not the review's"
        )
    if not body.passed and body.ground is None:
        raise InvalidInput("a refusal names its prohibited ground")
    now = utcnow()
    obj.review_note, obj.reviewed_at = body.note, now
    if body.passed:
        obj.state = ObjectState.REGISTERED
        obj.voucher_code = f"JYBD-{now:%Y%m%d}-{secrets.token_hex(4).upper()}"
        obj.guided_cap_fen = None if body.guided_cap is None else fen(body.guided_cap)
        kind = "object_registered"
        payload: dict[str, Any] = {
            "object_id": str(obj.id),
            "voucher_code": obj.voucher_code,
            "source": "004:5179",
        }
    else:
        ground = body.ground or Ground.OTHER_LEGAL_PROHIBITION  # checked above: a refusal names it
        obj.state = ObjectState.REFUSED
        obj.refusal_ground = ground.value
        kind = "object_refused"
        payload = {
            "object_id": str(obj.id),
            "ground": ground.value,
            "source": policies.GROUNDS[ground].source,
        }
    obj.ledger_index = append(session, settings, kind, subject("object", obj.id), payload, p)
    session.flush()
    return obj


def guided_cap(session: Session, obj: TradeObject) -> Decimal | None:
    """The government-guided cap (政府指导价上限) of an object, or ``None`` when pricing is autonomous
    (004:5181). A public data product that sells an authorized-operation product is capped by that
    product's cap (上限收费标准, per billing unit, 004:1017) times the units it covers, charged by the
    operation domain's pricing engine; otherwise by the cap the exchange's review recorded."""
    if not obj.public_data_product:
        return None
    if obj.operation_product_id is not None and obj.units is not None:
        product = operation_products.visible_product(session, SYSTEM, obj.operation_product_id)
        if product.price_cap_fen is not None and product.billing_unit is not None:
            per_unit = Decimal(product.price_cap_fen) / 100
            # the operation's billing units, named by the pricing engine (按产品数量, 按服务次数, ...)
            return charge(BillingUnit(f"per_{product.billing_unit.value}"), per_unit, obj.units)
    return yuan(obj.guided_cap_fen)


def check_guided_price(session: Session, obj: TradeObject, price: Decimal | str) -> Decimal:
    """The price, checked against the object's cap by the operation domain's pricing engine (I-6)."""
    cap = guided_cap(session, obj)
    try:
        return check_price(UseClass.INDUSTRY_DEVELOPMENT, Decimal(price), cap)
    except PriceAboveCap as exc:
        raise PriceAboveGuidedCap(
            f"the price {price} yuan is above the government-guided cap {cap} yuan",
            source="004:5181",
            cap=str(cap),
        ) from exc
