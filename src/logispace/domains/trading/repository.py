"""Trading queries (交易查询): lookups with row locks where a step changes a record."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from logispace.domains.trading.enums import AccountKind, ContractState, ListingState, ObjectState
from logispace.domains.trading.models import (
    Account,
    Listing,
    Negotiation,
    Offer,
    ProhibitedEntry,
    TradeContract,
    TradeObject,
    TradingParty,
    TradingRefusal,
    Transfer,
)


def party(session: Session, party_id: uuid.UUID) -> TradingParty | None:
    return session.scalar(select(TradingParty).where(TradingParty.party_id == party_id))


def prohibited_matches(session: Session, catalog_code: str | None, name: str) -> list[ProhibitedEntry]:
    rows = session.scalars(select(ProhibitedEntry).order_by(ProhibitedEntry.added_at, ProhibitedEntry.id))
    return [
        e
        for e in rows
        if (e.catalog_code is not None and e.catalog_code == catalog_code) or e.keyword in name
    ]


def prohibited(session: Session) -> Sequence[ProhibitedEntry]:
    return session.scalars(
        select(ProhibitedEntry).order_by(ProhibitedEntry.added_at, ProhibitedEntry.id)
    ).all()


def locked(session: Session, model: type, record_id: uuid.UUID) -> object | None:
    return session.get(model, record_id, with_for_update=True)


def objects(
    session: Session, party_id: uuid.UUID | None, everything: bool, limit: int, offset: int
) -> Sequence[TradeObject]:
    query = select(TradeObject)
    if not everything:
        query = query.where(
            or_(TradeObject.provider_party_id == party_id, TradeObject.state == ObjectState.REGISTERED)
        )
    return session.scalars(
        query.order_by(TradeObject.created_at.desc(), TradeObject.id).limit(limit).offset(offset)
    ).all()


def listings(
    session: Session, party_id: uuid.UUID | None, everything: bool, limit: int, offset: int
) -> Sequence[Listing]:
    query = select(Listing)
    if not everything:
        query = query.where(or_(Listing.provider_party_id == party_id, Listing.state == ListingState.LISTED))
    return session.scalars(
        query.order_by(Listing.listed_at.desc(), Listing.id).limit(limit).offset(offset)
    ).all()


def negotiations(
    session: Session, party_id: uuid.UUID | None, everything: bool, limit: int, offset: int
) -> Sequence[Negotiation]:
    query = select(Negotiation)
    if not everything:
        query = query.where(
            or_(Negotiation.provider_party_id == party_id, Negotiation.consumer_party_id == party_id)
        )
    return session.scalars(
        query.order_by(Negotiation.created_at.desc(), Negotiation.id).limit(limit).offset(offset)
    ).all()


def offers(session: Session, negotiation_id: uuid.UUID) -> Sequence[Offer]:
    return session.scalars(
        select(Offer).where(Offer.negotiation_id == negotiation_id).order_by(Offer.seq)
    ).all()


def contract_of(session: Session, negotiation_id: uuid.UUID) -> TradeContract | None:
    return session.scalar(select(TradeContract).where(TradeContract.negotiation_id == negotiation_id))


def account(
    session: Session,
    kind: AccountKind,
    party_id: uuid.UUID | None,
    contract_id: uuid.UUID | None,
    lock: bool = True,
) -> Account | None:
    """One account, locked for a posting unless ``lock`` is False (a read)."""
    stmt = select(Account).where(
        Account.kind == kind, Account.party_id == party_id, Account.contract_id == contract_id
    )
    return session.scalar(stmt.with_for_update() if lock else stmt)


def contract_accounts(session: Session, contract: TradeContract) -> Sequence[Account]:
    """The accounts a contract's settlement posts to (its escrow, its two parties'), locked in one
    statement, in id order (two settlements lock shared party accounts in the same order)."""
    parties = [contract.consumer_party_id, contract.provider_party_id]
    return session.scalars(
        select(Account)
        .where(
            or_(
                and_(
                    Account.kind == AccountKind.PARTY,
                    Account.party_id.in_(parties),
                    Account.contract_id.is_(None),
                ),
                and_(Account.kind == AccountKind.ESCROW, Account.contract_id == contract.id),
            )
        )
        .order_by(Account.id)
        .with_for_update()
    ).all()


def transfers_of(session: Session, contract_ids: Sequence[uuid.UUID]) -> Sequence[Transfer]:
    return session.scalars(
        select(Transfer).where(Transfer.contract_id.in_(contract_ids)).order_by(Transfer.at, Transfer.id)
    ).all()


def contracts_of(session: Session, party_id: uuid.UUID) -> Sequence[TradeContract]:
    return session.scalars(
        select(TradeContract).where(
            or_(TradeContract.provider_party_id == party_id, TradeContract.consumer_party_id == party_id)
        )
    ).all()


def subsidies_granted(session: Session, consumer: uuid.UUID, start: datetime, end: datetime) -> int:
    total = session.scalar(
        select(func.coalesce(func.sum(TradeContract.subsidy_fen), 0)).where(
            TradeContract.consumer_party_id == consumer,
            TradeContract.state == ContractState.SETTLED,
            TradeContract.settled_at >= start,
            TradeContract.settled_at < end,
        )
    )
    return int(total or 0)


def balance_sum(session: Session) -> int:
    """The sum of every account's balance: zero, always (double entry)."""
    return int(session.scalar(select(func.coalesce(func.sum(Account.balance_fen), 0))) or 0)


def market(
    session: Session,
    party_id: uuid.UUID | None,
    everything: bool,
    *,
    words: str = "",
    category: str = "",
    public: bool | None = None,
    purpose: str = "",
    limit: int = 200,
) -> list[tuple[Listing, TradeObject]]:
    """The market (交易大厅): live listings (and the caller's own) with their objects, filtered by words in
    the title or the object's name, category, public data product or not, and purpose. No prices are
    compared or ranked: there is no price board (X-8)."""
    query = select(Listing, TradeObject).join(TradeObject, TradeObject.id == Listing.object_id)
    if not everything:
        query = query.where(or_(Listing.provider_party_id == party_id, Listing.state == ListingState.LISTED))
    if words:
        like = f"%{words}%"
        query = query.where(or_(Listing.title.like(like), TradeObject.name.like(like)))
    if category:
        query = query.where(TradeObject.category == category)
    if public is not None:
        query = query.where(TradeObject.public_data_product.is_(public))
    rows = session.execute(query.order_by(Listing.listed_at.desc(), Listing.id).limit(limit)).all()
    return [(row[0], row[1]) for row in rows if not purpose or purpose in row[0].purposes]


def listings_of_object(session: Session, object_id: uuid.UUID) -> Sequence[Listing]:
    return session.scalars(
        select(Listing).where(Listing.object_id == object_id).order_by(Listing.listed_at.desc(), Listing.id)
    ).all()


def negotiations_of_listing(session: Session, listing_id: uuid.UUID) -> Sequence[Negotiation]:
    return session.scalars(select(Negotiation).where(Negotiation.listing_id == listing_id)).all()


def refusals(
    session: Session, party_id: uuid.UUID | None, everyone: bool, code: str | None, limit: int, offset: int
) -> Sequence[TradingRefusal]:
    """Refusal records, newest first: all of them for the exchange, else the party's own."""
    stmt = select(TradingRefusal).order_by(TradingRefusal.refused_at.desc(), TradingRefusal.id)
    if not everyone:
        if party_id is None:
            return []
        stmt = stmt.where(TradingRefusal.party_id == party_id)
    if code is not None:
        stmt = stmt.where(TradingRefusal.code == code)
    return session.scalars(stmt.limit(limit).offset(offset)).all()
