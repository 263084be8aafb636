"""The negotiation (交易磋商, J4-J5): bilateral, a demander's request on a listing, then offers and
counter-offers through the Dataspace Protocol's machine (:mod:`.policies`), each priced step within the
cap (I-6) and each a ledger entry with its offer row. Its effects on the contract and the escrow are in
:mod:`.settlement`. Services never commit."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput
from logispace.domains.identity import Principal
from logispace.domains.trading import policies, repository
from logispace.domains.trading.enums import ListingState, NegotiationAction, NegotiationState, TradingRole
from logispace.domains.trading.errors import NotAllowed, StepNotAllowed, TradingNotFound
from logispace.domains.trading.listings import visible_listing
from logispace.domains.trading.models import Listing, Negotiation, Offer, TradeObject
from logispace.domains.trading.schemas import NegotiationCreate
from logispace.domains.trading.service import (
    append,
    check_guided_price,
    fen,
    is_exchange,
    party_id_of,
    require_role,
    subject,
)


def _offer(
    session: Session,
    p: Principal,
    negotiation: Negotiation,
    action: NegotiationAction,
    price: Decimal | None,
    note: str | None,
    settings: Settings | None,
) -> None:
    seq = len(repository.offers(session, negotiation.id)) + 1
    payload = {
        "negotiation_id": str(negotiation.id),
        "seq": seq,
        "action": action.value,
        "state": negotiation.state.value,
        "price": None if price is None else str(price),
        "source": "004:5103",
    }
    index = append(
        session, settings, f"negotiation_{action.value}", subject("negotiation", negotiation.id), payload, p
    )
    negotiation.ledger_index = index
    session.add(negotiation)
    session.flush()  # the negotiation before its offer: no relationship orders the two inserts
    session.add(
        Offer(
            negotiation_id=negotiation.id,
            seq=seq,
            party_id=party_id_of(p),
            action=action.value,
            state_after=negotiation.state,
            price_fen=None if price is None else fen(price),
            note=note,
            at=utcnow(),
            ledger_index=index,
        )
    )


def open_negotiation(
    session: Session, p: Principal, body: NegotiationCreate, settings: Settings | None = None
) -> Negotiation:
    """A demander's request on a listing (REQUESTED): bilateral, priced within the cap (J4-J5)."""
    require_role(session, p, TradingRole.DEMANDER)
    listing = visible_listing(session, p, body.listing_id)
    if listing.state is not ListingState.LISTED:
        raise StepNotAllowed("the listing is withdrawn", state=listing.state.value, allowed=[])
    if listing.provider_party_id == p.party_id:
        raise NotAllowed("a provider does not negotiate with itself")
    if body.purpose not in listing.purposes:
        raise InvalidInput(
            f"purpose {body.purpose} is not among the listing's purposes {', '.join(listing.purposes)}"
        )
    obj = session.get_one(TradeObject, listing.object_id)
    price = check_guided_price(session, obj, body.price)
    now = utcnow()
    negotiation = Negotiation(
        id=uuid.uuid4(),
        listing_id=listing.id,
        provider_party_id=listing.provider_party_id,
        consumer_party_id=party_id_of(p),
        state=NegotiationState.REQUESTED,
        price_fen=fen(price),
        pricing_method=listing.pricing_method,
        purpose=body.purpose,
        created_at=now,
        updated_at=now,
    )
    _offer(session, p, negotiation, NegotiationAction.REQUEST, price, body.note, settings)
    session.flush()
    return negotiation


def visible_negotiation(session: Session, p: Principal, negotiation_id: uuid.UUID) -> Negotiation:
    """A negotiation: its two parties and the exchange only; 404 to anyone else (X-11)."""
    negotiation = session.get(Negotiation, negotiation_id)
    if negotiation is None or not (
        is_exchange(p) or p.party_id in (negotiation.provider_party_id, negotiation.consumer_party_id)
    ):
        raise TradingNotFound(f"negotiation {negotiation_id} not found")
    return negotiation


def side_of(p: Principal, negotiation: Negotiation) -> str:
    if p.party_id == negotiation.provider_party_id:
        return policies.PROVIDER_SIDE
    if p.party_id == negotiation.consumer_party_id:
        return policies.CONSUMER_SIDE
    raise NotAllowed("only the two parties of a negotiation step it; the exchange never trades (004:5103)")


def transition(
    session: Session,
    p: Principal,
    negotiation: Negotiation,
    action: NegotiationAction,
    price: str | None,
    note: str | None,
    settings: Settings | None,
) -> str:
    """Move the negotiation by ``action`` (409 naming the state and the caller's allowed actions);
    returns the caller's side. Prices are checked against the cap."""
    side = side_of(p, negotiation)
    session.refresh(negotiation, with_for_update=True)
    target = policies.next_state(negotiation.state, action, side)
    if target is None:
        allowed = [a.value for a in policies.allowed_actions(negotiation.state, side)]
        closed = " (the negotiation is closed)" if negotiation.state in policies.FINAL_STATES else ""
        raise StepNotAllowed(
            f"{action.value} is not allowed to the {side} in state {negotiation.state.value}{closed}; "
            f"allowed: {', '.join(allowed) or 'none'}",
            state=negotiation.state.value,
            allowed=allowed,
        )
    checked: Decimal | None = None
    if action in policies.PRICED_ACTIONS:
        if price is None:
            raise InvalidInput(f"{action.value} carries a price")
        listing = session.get_one(Listing, negotiation.listing_id)
        obj = session.get_one(TradeObject, listing.object_id)
        checked = check_guided_price(session, obj, price)
        negotiation.price_fen = fen(checked)
    negotiation.state = target
    negotiation.updated_at = utcnow()
    _offer(session, p, negotiation, action, checked, note, settings)
    session.flush()
    return side
