"""Trading pages (数据流通交易): the market of listings (search and filters, no price board), an object's
page with its listings, the negotiation thread (offer, counter-offer, accept, contract), the contract with
its escrow and voucher, the voucher's QR code page, the party's account statement and the exchange's
monthly, quarterly and annual reports.

Each page step calls the same services as the API (:mod:`.api`) through the same refusal record
(:mod:`.audit`); a refused step is shown on its page in Chinese, naming the document and article of the
rule, never its code or source line.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import segno
from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.citations import cite
from logispace.core.errors import DomainError, NotFound
from logispace.domains.access import SCENARIOS
from logispace.domains.identity import PageUser, Principal, party_names
from logispace.domains.trading import (
    listings,
    negotiation,
    policies,
    reads,
    reports,
    repository,
    service,
    settlement,
)
from logispace.domains.trading.audit import audited
from logispace.domains.trading.enums import (
    ContractState,
    Ground,
    ListingState,
    NegotiationAction,
    ObjectCategory,
    ObjectState,
    TransferKind,
)
from logispace.domains.trading.i18n import TRADING_LABELS
from logispace.domains.trading.models import TradeContract
from logispace.domains.trading.schemas import (
    NegotiationCreate,
    NegotiationStep,
    SettlementCreate,
    TradeVoucherRead,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.refusals import attempt
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

Text = Annotated[str | None, Form(max_length=4000)]
Short = Annotated[str | None, Form(max_length=40)]
Done = Annotated[str | None, Query(max_length=40)]


def reasons_of(exc: ValidationError | DomainError) -> list[str]:
    """The Chinese reason of a refusal, by its code, with the document and article of its rule."""
    labels = TRADING_LABELS["refusal"]
    if isinstance(exc, ValidationError) or exc.code not in labels:
        return [labels["validation"]]
    reason = labels[exc.code]
    ground = exc.extensions.get("ground")
    if ground in TRADING_LABELS["ground"]:
        reason = f"{reason}：{TRADING_LABELS['ground'][str(ground)]}"
    if exc.extensions.get("cap") not in (None, "None"):
        reason = f"{reason}（上限 {exc.extensions['cap']} 元）"
    allowed = exc.extensions.get("allowed")
    if exc.code == "trading-invalid-transition" and isinstance(allowed, list):
        names = [TRADING_LABELS["action"].get(a, "") for a in allowed]
        reason = f"{reason}；可进行：{'、'.join(n for n in names if n) or '无'}"
    cited = cite(str(exc.extensions.get("source") or ""))
    return [f"{reason}（依据{cited}）" if cited else reason]


@dataclass(frozen=True)
class Record:
    """The record a page step acts on: its kind, id and the view that shows it again with a refusal."""

    kind: str
    record_id: uuid.UUID
    view: Callable[..., HTMLResponse]


def _page_step(
    request: Request,
    db: Session,
    settings: Any,
    p: Principal,
    where: Record,
    action: str,
    run: Callable[[], Any],
) -> Response:
    """One step taken from a record's page under its refusal record: the page again with the refusal in
    Chinese, or back to the page saying what was done."""

    def step() -> Any:
        with audited(db, p, settings, subject=service.subject(where.kind, where.record_id), action=action):
            return run()

    _, errors, status = attempt(db, step, reasons_of)
    if errors:
        return where.view(request, db, p, where.record_id, errors, status)
    done = "delivered" if action == "deliver" else action
    return RedirectResponse(f"/trading/{where.kind}s/{where.record_id}?done={done}", status_code=303)


# -- the market (交易大厅) ---------------------------------------------------------------------------


@router.get("/trading")
def market_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    q: Annotated[str, Query(max_length=100)] = "",
    category: Annotated[str, Query(max_length=40)] = "",
    public: Annotated[str, Query(max_length=3)] = "",
    purpose: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """交易大厅: the live listings, searched and filtered; the asking price is on each object's page."""
    p = user.principal
    chosen = category if category in {c.value for c in ObjectCategory} else ""
    rows = repository.market(
        db,
        p.party_id,
        service.is_exchange(p),
        words=q.strip(),
        category=ObjectCategory(chosen) if chosen else "",
        public={"yes": True, "no": False}.get(public),
        purpose=purpose if purpose in SCENARIOS else "",
    )
    names = party_names(db, {listing.provider_party_id for listing, _ in rows})
    filters = {"q": q, "category": chosen, "public": public, "purpose": purpose}
    return render(
        request,
        "trading/market.html",
        {"rows": rows, "names": names, "filters": filters, "scenarios": SCENARIOS},
    )


def _object_view(
    request: Request,
    db: Session,
    p: Principal,
    object_id: uuid.UUID,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    obj = service.visible_object(db, p, object_id)
    listings = [
        x
        for x in repository.listings_of_object(db, obj.id)
        if x.state is ListingState.LISTED or service.is_exchange(p) or x.provider_party_id == p.party_id
    ]
    party = repository.party(db, p.party_id) if p.party_id else None
    may_request = party is not None and "demander" in party.roles and p.party_id != obj.provider_party_id
    ground = policies.GROUNDS.get(Ground(obj.refusal_ground)) if obj.refusal_ground else None
    context = {
        "o": obj,
        "listings": listings,
        "provider": party_names(db, {obj.provider_party_id}).get(obj.provider_party_id, ""),
        "cap": service.guided_cap(db, obj),
        "may_request": may_request and obj.state is ObjectState.REGISTERED,
        "ground": ground,
        "scenarios": SCENARIOS,
        "errors": errors or [],
    }
    return render(request, "trading/object.html", context, status_code=status_code)


@router.get("/trading/objects/{object_id}")
def object_page(request: Request, db: DbSession, user: PageUser, object_id: uuid.UUID) -> HTMLResponse:
    return _object_view(request, db, user.principal, object_id)


@router.post("/trading/listings/{listing_id}/negotiations")
def open_negotiation_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    listing_id: uuid.UUID,
    offer_price_yuan: Short = None,
    purpose: Short = None,
    note: Text = None,
) -> Response:
    """The demander's request on a listing (发起磋商): its offer and purpose."""
    p = user.principal
    listing = listings.visible_listing(db, p, listing_id)

    def step() -> Any:
        body = NegotiationCreate.model_validate(
            {
                "listing_id": str(listing_id),
                "price": (offer_price_yuan or "").strip(),
                "purpose": purpose or "",
                "note": (note or "").strip() or None,
            }
        )
        with audited(db, p, settings, subject=service.subject("listing", listing_id), action="request"):
            return negotiation.open_negotiation(db, p, body, settings)

    created, errors, status = attempt(db, step, reasons_of)
    if created is None:
        return _object_view(request, db, p, listing.object_id, errors, status)
    return RedirectResponse(f"/trading/negotiations/{created.id}?done=request", status_code=303)


# -- negotiations (交易磋商) -------------------------------------------------------------------------


@router.get("/trading/negotiations")
def negotiations_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    """我的磋商: the negotiations the caller's party is in (the exchange: all)."""
    p = user.principal
    rows = repository.negotiations(db, p.party_id, service.is_exchange(p), 200, 0)
    titles = {x.listing_id: listings.visible_listing(db, p, x.listing_id).title for x in rows}
    parties = {x.provider_party_id for x in rows} | {x.consumer_party_id for x in rows}
    return render(
        request,
        "trading/negotiations.html",
        {"rows": rows, "titles": titles, "names": party_names(db, parties)},
    )


def _negotiation_view(
    request: Request,
    db: Session,
    p: Principal,
    negotiation_id: uuid.UUID,
    errors: list[str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    row = negotiation.visible_negotiation(db, p, negotiation_id)
    read = reads.negotiation_read(db, p, row)
    listing = listings.visible_listing(db, p, row.listing_id)
    names = party_names(db, {row.provider_party_id, row.consumer_party_id})
    context = {
        "n": read,
        "listing": listing,
        "names": names,
        "scenario": SCENARIOS.get(row.purpose),
        "allowed": [a.value for a in read.allowed_actions],
        "errors": errors or [],
        "done": done if done in TRADING_LABELS["action"] else None,
    }
    return render(request, "trading/negotiation.html", context, status_code=status_code)


@router.get("/trading/negotiations/{negotiation_id}")
def negotiation_page(
    request: Request, db: DbSession, user: PageUser, negotiation_id: uuid.UUID, done: Done = None
) -> HTMLResponse:
    return _negotiation_view(request, db, user.principal, negotiation_id, done=done)


@router.post("/trading/negotiations/{negotiation_id}/steps")
def step_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    negotiation_id: uuid.UUID,
    negotiation_action: Short = None,
    offer_price_yuan: Short = None,
    note: Text = None,
    data_content: Text = None,
    data_quality_terms: Text = None,
    trade_method: Text = None,
    security_duties: Text = None,
    confidentiality: Text = None,
) -> Response:
    """One step of the thread: a counter-offer, accepting, the contract's terms, a signature, ending it."""
    p = user.principal
    negotiation.visible_negotiation(db, p, negotiation_id)
    action = negotiation_action or ""

    def step() -> Any:
        body: dict[str, Any] = {"action": action, "note": (note or "").strip() or None}
        if action in (NegotiationAction.OFFER, NegotiationAction.REQUEST):
            body["price"] = (offer_price_yuan or "").strip()
        if action == NegotiationAction.AGREE:
            body["terms"] = {
                "data_content": data_content or "",
                "quality": data_quality_terms or "",
                "method": trade_method or "",
                "security_duties": security_duties or "",
                "confidentiality": confidentiality or "",
            }
        checked = NegotiationStep.model_validate(body)
        return settlement.step_negotiation(db, p, negotiation_id, checked, settings)

    where = Record("negotiation", negotiation_id, _negotiation_view)
    return _page_step(request, db, settings, p, where, action, step)


# -- contracts, settlement and vouchers (合同、结算与凭证) --------------------------------------------------


def _contract_view(
    request: Request,
    db: Session,
    p: Principal,
    contract_id: uuid.UUID,
    errors: list[str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    contract = settlement.visible_contract(db, p, contract_id)
    read = reads.contract_read(db, contract)
    obj = service.visible_object(db, p, contract.object_id)
    names = party_names(db, {contract.provider_party_id, contract.consumer_party_id})
    transfers = repository.transfers_of(db, [contract.id])
    state = contract.state
    provider, consumer = p.party_id == contract.provider_party_id, p.party_id == contract.consumer_party_id
    context = {
        "c": read,
        "o": obj,
        "names": names,
        "scenario": SCENARIOS.get(contract.purpose),
        "transfers": transfers,
        "state": state.value if state else "agreed",
        "may_deliver": provider and state is ContractState.SIGNED,
        "may_release": consumer and state is ContractState.DELIVERED,
        "may_refund": provider and state in (ContractState.SIGNED, ContractState.DELIVERED),
        "errors": errors or [],
        "done": done if done in ("delivered", "release", "refund") else None,
    }
    return render(request, "trading/contract.html", context, status_code=status_code)


@router.get("/trading/contracts/{contract_id}")
def contract_page(
    request: Request, db: DbSession, user: PageUser, contract_id: uuid.UUID, done: Done = None
) -> HTMLResponse:
    return _contract_view(request, db, user.principal, contract_id, done=done)


@router.post("/trading/contracts/{contract_id}/delivery")
def deliver_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, contract_id: uuid.UUID
) -> Response:
    """The provider delivers: a grant of the access domain bound to the contract's purpose."""
    p = user.principal
    settlement.visible_contract(db, p, contract_id)
    where = Record("contract", contract_id, _contract_view)

    def step() -> Any:
        return settlement.deliver(db, p, contract_id, [], settings)

    return _page_step(request, db, settings, p, where, "deliver", step)


def _settle(
    request: Request,
    db: Session,
    settings: Any,
    p: Principal,
    contract_id: uuid.UUID,
    outcome: str,
    amount: str | None,
) -> Response:
    settlement.visible_contract(db, p, contract_id)

    def step() -> Any:
        body = SettlementCreate.model_validate({"outcome": outcome, "amount": (amount or "").strip() or None})
        return settlement.settle(db, p, contract_id, body, settings)

    where = Record("contract", contract_id, _contract_view)
    return _page_step(request, db, settings, p, where, outcome, step)


@router.post("/trading/contracts/{contract_id}/release")
def release_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    contract_id: uuid.UUID,
    settle_amount_yuan: Short = None,
) -> Response:
    """The demander accepts delivery: the escrow is released to the provider (all of it by default)."""
    return _settle(request, db, settings, user.principal, contract_id, "release", settle_amount_yuan)


@router.post("/trading/contracts/{contract_id}/refund")
def refund_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    contract_id: uuid.UUID,
    settle_amount_yuan: Short = None,
) -> Response:
    """The provider refunds a failed delivery from the escrow."""
    return _settle(request, db, settings, user.principal, contract_id, "refund", settle_amount_yuan)


def _voucher(db: Session, p: Principal, settings: Any, contract_id: uuid.UUID) -> tuple[TradeContract, Any]:
    contract = settlement.visible_contract(db, p, contract_id)
    return contract, reads.voucher_read(db, contract, settings)


@router.get("/trading/contracts/{contract_id}/voucher")
def voucher_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, contract_id: uuid.UUID
) -> HTMLResponse:
    """交易凭证: the statement, its signature and ledger entry, and a QR code of this page."""
    contract, voucher = _voucher(db, user.principal, settings, contract_id)
    absolute = str(request.base_url).rstrip("/") + f"/trading/contracts/{contract_id}/voucher"
    qr = str(segno.make(absolute, error="m").svg_inline(scale=3, svgclass="qr", omitsize=False))
    statement = voucher.statement
    names = party_names(db, {contract.provider_party_id, contract.consumer_party_id})
    return render(
        request,
        "trading/voucher.html",
        {
            "c": contract,
            "v": voucher,
            "s": statement,
            "names": names,
            "scenario": SCENARIOS.get(contract.purpose),
            "digest": reads.statement_digest(statement),
            "qr": qr,
            "absolute_url": absolute,
        },
    )


@router.get("/trading/contracts/{contract_id}/voucher.json")
def voucher_download(
    db: DbSession, settings: AppSettings, user: PageUser, contract_id: uuid.UUID
) -> JSONResponse:
    """The voucher document (statement, signature, public key, ledger receipt) for offline verification."""
    contract, voucher = _voucher(db, user.principal, settings, contract_id)
    data: TradeVoucherRead = voucher
    return JSONResponse(
        data.model_dump(mode="json"),
        headers={"Content-Disposition": f'attachment; filename="{contract.voucher_code}.json"'},
    )


@router.get("/trading/account")
def account_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    """结算账户: the party's balance, the transfers of its contracts and the contracts themselves."""
    p = user.principal
    if p.party_id is None:
        raise NotFound("the system principal has no settlement account")
    statement = reads.account_read(db, p)
    contracts = list(repository.contracts_of(db, p.party_id))
    by_id = {c.id: c for c in contracts}
    objects = {c.id: service.visible_object(db, p, c.object_id).name for c in contracts}
    parties = {c.provider_party_id for c in contracts} | {c.consumer_party_id for c in contracts}
    return render(
        request,
        "trading/account.html",
        {
            "a": statement,
            "rows": _statement_rows(p.party_id, by_id, repository.transfers_of(db, list(by_id))),
            "contracts": contracts,
            "objects": objects,
            "names": party_names(db, parties),
            "me": p.party_id,
        },
    )


def _statement_rows(
    me: uuid.UUID, contracts: dict[uuid.UUID, TradeContract], transfers: Any
) -> list[dict[str, Any]]:
    """The transfers on the party's own account, signed as its balance sees them: the buyer pays into
    escrow (-) and gets refunds (+), the seller receives releases (+)."""
    rows = []
    for t in transfers:
        contract = contracts[t.contract_id]
        buyer = contract.consumer_party_id == me
        if t.kind is TransferKind.RELEASE and contract.provider_party_id == me:
            sign = 1
        elif buyer and t.kind in (TransferKind.ESCROW, TransferKind.REFUND):
            sign = -1 if t.kind is TransferKind.ESCROW else 1
        else:
            continue
        rows.append(
            {"at": t.at, "contract_id": t.contract_id, "kind": t.kind.value, "fen": sign * t.amount_fen}
        )
    return rows


# -- reports (运营数据报送) ----------------------------------------------------------------------------


def _report_query(kind: str, year: int | None, number: int) -> tuple[str, int, int]:
    from_now = reports.current_period()
    kind = kind if kind in reports.PERIODS else "month"
    return kind, year or from_now.year, number if 1 <= number <= reports.PERIODS[kind] else 1


@router.get("/trading/reports")
def reports_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    kind: Annotated[str, Query(max_length=10)] = "month",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    number: Annotated[int, Query(ge=1, le=12)] = 1,
) -> HTMLResponse:
    """运营数据报送: the exchange's monthly, quarterly and annual figures, with the CSV."""
    kind, year, number = _report_query(kind, year, number)
    rows = reports.report_rows(db, user.principal, kind, year, number)
    return render(
        request,
        "trading/reports.html",
        {"rows": rows, "kind": kind, "year": year, "number": number, "periods": reports.PERIODS},
    )


@router.get("/trading/reports.csv")
def reports_csv(
    db: DbSession,
    user: PageUser,
    kind: Annotated[str, Query(max_length=10)] = "month",
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    number: Annotated[int, Query(ge=1, le=12)] = 1,
) -> Response:
    kind, year, number = _report_query(kind, year, number)
    rows = reports.report_rows(db, user.principal, kind, year, number)
    chinese = [(TRADING_LABELS["indicator"].get(name, name), value) for name, value in rows]
    return Response(
        reports.report_csv(chinese, header=("指标", "数值")),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="trading-{kind}-{rows[0][1]}.csv"'},
    )
