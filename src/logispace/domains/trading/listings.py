"""Listings (挂牌, J3): a registered object of its provider listed at a price within its cap, with its
terms as an ODRL ``Offer`` of the access domain's profile. Services never commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput
from logispace.domains.access import ODRL_PROFILE, SCENARIOS
from logispace.domains.identity import Principal
from logispace.domains.trading.enums import ListingState, ObjectState
from logispace.domains.trading.errors import NotAllowed, StepNotAllowed, TradingNotFound
from logispace.domains.trading.models import Listing, TradeObject
from logispace.domains.trading.schemas import ListingCreate
from logispace.domains.trading.service import (
    append,
    check_guided_price,
    fen,
    is_exchange,
    subject,
    visible_object,
    yuan,
)

ODRL_CONTEXT = "http://www.w3.org/ns/odrl.jsonld"


def offer_policy(
    listing_id: uuid.UUID, provider: uuid.UUID, obj: TradeObject, purposes: list[str]
) -> dict[str, Any]:
    """The listing's terms as an ODRL Offer of the access domain's profile: use for one of the purposes,
    no redistribution; the contract's grant is the Agreement that narrows it to one purpose."""
    target = (
        f"urn:logispace:resource:{obj.catalog_code}"
        if obj.catalog_code
        else f"urn:logispace:trading-object:{obj.id}"
    )
    return {
        "@context": ODRL_CONTEXT,
        "@type": "Offer",
        "uid": f"urn:logispace:listing:{listing_id}",
        "profile": ODRL_PROFILE,
        "assigner": f"urn:logispace:party:{provider}",
        "permission": [
            {
                "target": target,
                "action": "use",
                "constraint": [{"leftOperand": "purpose", "operator": "isAnyOf", "rightOperand": purposes}],
            }
        ],
        "prohibition": [{"target": target, "action": "distribute"}],
    }


def create_listing(
    session: Session, p: Principal, body: ListingCreate, settings: Settings | None = None
) -> Listing:
    """List a registered object of the caller (J3, 004:5087) at a price within its cap."""
    obj = visible_object(session, p, body.object_id)
    if obj.provider_party_id != p.party_id:
        raise NotAllowed("only the object's provider lists it")
    if obj.state is not ObjectState.REGISTERED:
        raise StepNotAllowed(
            f"an object in state {obj.state.value} is not listed",
            state=obj.state.value,
            allowed=[],
            source="004:5179",
        )
    unknown = [purpose for purpose in body.purposes if purpose not in SCENARIOS]
    if unknown:
        raise InvalidInput(f"purposes {', '.join(unknown)} are not scenarios of the usage policies")
    check_guided_price(session, obj, body.price)
    listing_id = uuid.uuid4()
    listing = Listing(
        id=listing_id,
        object_id=obj.id,
        provider_party_id=obj.provider_party_id,
        title=body.title,
        price_fen=fen(body.price),
        pricing_method=body.pricing_method,
        purposes=list(body.purposes),
        duration_days=body.duration_days,
        policy=offer_policy(listing_id, obj.provider_party_id, obj, list(body.purposes)),
        state=ListingState.LISTED,
        listed_at=utcnow(),
    )
    payload = {
        "listing_id": str(listing_id),
        "object_id": str(obj.id),
        "price": str(yuan(fen(body.price))),
        "source": "004:5087",
    }
    listing.ledger_index = append(session, settings, "listed", subject("listing", listing_id), payload, p)
    session.add(listing)
    session.flush()
    return listing


def visible_listing(session: Session, p: Principal, listing_id: uuid.UUID) -> Listing:
    listing = session.get(Listing, listing_id)
    if listing is None or not (
        listing.state is ListingState.LISTED or is_exchange(p) or listing.provider_party_id == p.party_id
    ):
        raise TradingNotFound(f"listing {listing_id} not found")
    return listing
