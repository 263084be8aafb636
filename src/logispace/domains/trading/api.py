"""Trading API (``/api/v1/trading``): parties, the prohibited list, objects, listings, negotiations,
contracts, settlement and vouchers (流通交易接口).

Every route needs a principal. Registered objects and live listings are the market, seen by every
authenticated party; anything else (a submitted or refused object, a negotiation, a contract, an account)
only by its parties and the exchange: 404 to anyone else (X-11, 004:5193). A refused step leaves its
refusal record (:mod:`.audit`) and no other change.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query, Response

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.trading import (
    disputes,
    listings,
    negotiation,
    reads,
    reports,
    repository,
    service,
    settlement,
)
from logispace.domains.trading.audit import audited
from logispace.domains.trading.errors import TradingNotFound
from logispace.domains.trading.schemas import (
    DisputeCreate,
    DisputeRead,
    ListingCreate,
    ListingRead,
    NegotiationCreate,
    NegotiationRead,
    NegotiationStep,
    ProhibitedCreate,
    ProhibitedRead,
    RefusalRead,
    SettlementAccountRead,
    SettlementCreate,
    TradeContractRead,
    TradeDeliveryCreate,
    TradeObjectCreate,
    TradeObjectRead,
    TradeObjectReview,
    TradeVoucherRead,
    TradingPartyCreate,
    TradingPartyRead,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/trading", tags=["trading"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=100_000)]


@router.post(
    "/parties", status_code=201, summary="Register the caller's party for trading roles (交易主体注册)"
)
def register_party(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: TradingPartyCreate
) -> TradingPartyRead:
    with audited(
        db, p, settings, subject=service.subject("party", p.party_id or "system"), action="register"
    ):
        row = service.register_party(db, p, body, settings)
    return reads.party_read(row)


@router.get("/parties/{party_id}", summary="A party's trading registration (itself and the exchange)")
def get_party(db: DbSession, p: CurrentPrincipal, party_id: uuid.UUID) -> TradingPartyRead:
    return reads.party_read(service.get_party(db, p, party_id))


@router.post(
    "/prohibited", status_code=201, summary="Add to the prohibited-trading list (禁止交易清单) (authority)"
)
def add_prohibited(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: ProhibitedCreate
) -> ProhibitedRead:
    return reads.prohibited_read(service.add_prohibited(db, p, body, settings))


@router.get("/prohibited", summary="The prohibited-trading list")
def list_prohibited(db: DbSession, p: CurrentPrincipal) -> list[ProhibitedRead]:
    return [reads.prohibited_read(e) for e in repository.prohibited(db)]


@router.get("/refusals", summary="Refusal records (交易拒绝记录): all for the exchange, else the party's own")
def list_refusals(
    db: DbSession,
    p: CurrentPrincipal,
    code: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9-]+$")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[RefusalRead]:
    rows = repository.refusals(db, p.party_id, service.is_exchange(p), code, limit, offset)
    return [RefusalRead.model_validate(r, from_attributes=True) for r in rows]


@router.post("/objects", status_code=201, summary="Submit a trading object for registration (交易标的登记)")
def register_object(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: TradeObjectCreate
) -> TradeObjectRead:
    with audited(db, p, settings, subject=service.subject("object", "new"), action="register"):
        row = service.register_object(db, p, body, settings)
    return reads.object_read(db, row)


@router.get("/objects", summary="Registered objects and the caller's own (the exchange: all)")
def list_objects(
    db: DbSession, p: CurrentPrincipal, limit: Limit = 100, offset: Offset = 0
) -> list[TradeObjectRead]:
    rows = repository.objects(db, p.party_id, service.is_exchange(p), limit, offset)
    return [reads.object_read(db, r) for r in rows]


@router.get("/objects/{object_id}", summary="One trading object")
def get_object(db: DbSession, p: CurrentPrincipal, object_id: uuid.UUID) -> TradeObjectRead:
    return reads.object_read(db, service.visible_object(db, p, object_id))


@router.post(
    "/objects/{object_id}/review", summary="The exchange's formal review: registration voucher or refusal"
)
def review_object(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, object_id: uuid.UUID, body: TradeObjectReview
) -> TradeObjectRead:
    with audited(db, p, settings, subject=service.subject("object", object_id), action="review"):
        row = service.review_object(db, p, object_id, body, settings)
    return reads.object_read(db, row)


@router.post("/listings", status_code=201, summary="List a registered object with its terms (挂牌)")
def create_listing(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: ListingCreate
) -> ListingRead:
    with audited(db, p, settings, subject=service.subject("object", body.object_id), action="list"):
        row = listings.create_listing(db, p, body, settings)
    return reads.listing_read(row)


@router.get("/listings", summary="The market: live listings and the caller's own")
def list_listings(
    db: DbSession, p: CurrentPrincipal, limit: Limit = 100, offset: Offset = 0
) -> list[ListingRead]:
    rows = repository.listings(db, p.party_id, service.is_exchange(p), limit, offset)
    return [reads.listing_read(r) for r in rows]


@router.get("/listings/{listing_id}", summary="One listing")
def get_listing(db: DbSession, p: CurrentPrincipal, listing_id: uuid.UUID) -> ListingRead:
    return reads.listing_read(listings.visible_listing(db, p, listing_id))


@router.post(
    "/negotiations", status_code=201, summary="Request a contract on a listing (交易磋商) (demander)"
)
def open_negotiation(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: NegotiationCreate
) -> NegotiationRead:
    with audited(db, p, settings, subject=service.subject("listing", body.listing_id), action="request"):
        row = negotiation.open_negotiation(db, p, body, settings)
    return reads.negotiation_read(db, p, row)


@router.get("/negotiations", summary="The caller's negotiations (the exchange: all)")
def list_negotiations(
    db: DbSession, p: CurrentPrincipal, limit: Limit = 100, offset: Offset = 0
) -> list[NegotiationRead]:
    rows = repository.negotiations(db, p.party_id, service.is_exchange(p), limit, offset)
    return [reads.negotiation_read(db, p, r) for r in rows]


@router.get("/negotiations/{negotiation_id}", summary="One negotiation with its offers and allowed actions")
def get_negotiation(db: DbSession, p: CurrentPrincipal, negotiation_id: uuid.UUID) -> NegotiationRead:
    return reads.negotiation_read(db, p, negotiation.visible_negotiation(db, p, negotiation_id))


@router.post(
    "/negotiations/{negotiation_id}/steps",
    summary="Offer, counter-offer, accept, agree, verify, finalize or terminate (409 names allowed actions)",
)
def step_negotiation(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    negotiation_id: uuid.UUID,
    body: NegotiationStep,
) -> NegotiationRead:
    with audited(
        db, p, settings, subject=service.subject("negotiation", negotiation_id), action=body.action.value
    ):
        row = settlement.step_negotiation(db, p, negotiation_id, body, settings)
    return reads.negotiation_read(db, p, row)


@router.get("/contracts/{contract_id}", summary="A contract with its escrow, grant, voucher and subsidy")
def get_contract(db: DbSession, p: CurrentPrincipal, contract_id: uuid.UUID) -> TradeContractRead:
    return reads.contract_read(db, settlement.visible_contract(db, p, contract_id))


@router.post("/contracts/{contract_id}/delivery", summary="Deliver: a grant bound to the contract's purpose")
def deliver(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    contract_id: uuid.UUID,
    body: TradeDeliveryCreate,
) -> TradeContractRead:
    with audited(db, p, settings, subject=service.subject("contract", contract_id), action="deliver"):
        row = settlement.deliver(db, p, contract_id, list(body.fields), settings)
    return reads.contract_read(db, row)


@router.post("/contracts/{contract_id}/settlement", summary="Release the escrow or refund it (资金清分结算)")
def settle(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, contract_id: uuid.UUID, body: SettlementCreate
) -> TradeContractRead:
    with audited(db, p, settings, subject=service.subject("contract", contract_id), action=body.outcome):
        row = settlement.settle(db, p, contract_id, body, settings)
    return reads.contract_read(db, row)


@router.get(
    "/contracts/{contract_id}/voucher", summary="The trade voucher (交易凭证) with its ledger receipt"
)
def voucher(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, contract_id: uuid.UUID
) -> TradeVoucherRead:
    return reads.voucher_read(db, settlement.visible_contract(db, p, contract_id), settings)


@router.get("/account", summary="The caller's settlement account and its contracts' transfers")
def get_account(db: DbSession, p: CurrentPrincipal) -> SettlementAccountRead:
    if p.party_id is None:
        raise TradingNotFound("the system principal has no settlement account")
    return reads.account_read(db, p)


@router.post(
    "/contracts/{contract_id}/disputes",
    status_code=201,
    summary="Raise a dispute by its mode (争议处理) (a party)",
)
def raise_dispute(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, contract_id: uuid.UUID, body: DisputeCreate
) -> DisputeRead:
    with audited(db, p, settings, subject=service.subject("contract", contract_id), action="dispute"):
        row = disputes.raise_dispute(db, p, contract_id, body, settings)
    return DisputeRead.model_validate(row, from_attributes=True)


@router.get(
    "/contracts/{contract_id}/evidence",
    summary="The trade's evidence from the ledger as a verifiable zip (取证) (the parties, the exchange)",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "zip: manifest.json (contract, disputes), receipts/",
        }
    },
)
def evidence(db: DbSession, p: CurrentPrincipal, contract_id: uuid.UUID) -> Response:
    contract = settlement.visible_contract(db, p, contract_id)
    read = reads.contract_read(db, contract).model_dump(mode="json")
    data = disputes.evidence_bundle(db, p, contract_id, read)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="trade-{contract_id}.zip"'},
    )


@router.get(
    "/reports/{kind}",
    summary="Operating data of a month, quarter or year as CSV (运营数据报送) (the exchange)",
    response_class=Response,
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "indicator,value"}
    },
)
def report(
    db: DbSession,
    p: CurrentPrincipal,
    kind: Annotated[str, Path(pattern="^(month|quarter|year)$")],
    year: Annotated[int, Query(ge=2000, le=2100)],
    number: Annotated[int, Query(ge=1, le=12)] = 1,
) -> Response:
    rows = reports.report_rows(db, p, kind, year, number)
    return Response(
        reports.report_csv(rows),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="trading-{kind}-{rows[0][1]}.csv"'},
    )
