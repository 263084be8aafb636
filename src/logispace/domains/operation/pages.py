"""Operation pages (公共数据授权运营): the public disclosure page (no login), the overview of the plans,
agreements and products the user's organization is part of, and an agreement's page with its products,
prices (the implementing body sets a cap, the operator its price), registration deadlines and evaluations.

A refused step is shown in Chinese, naming the document and article of the rule (:data:`.i18n.RULE_TEXT`),
never its code or source line.
"""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, NotFound
from logispace.domains.identity import PageUser, party_names
from logispace.domains.operation import disclosure, lifecycle, products, service
from logispace.domains.operation.actors import acts_for
from logispace.domains.operation.i18n import RULE_TEXT
from logispace.domains.operation.schemas import CapCreate, PriceCreate
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

Short = Annotated[str | None, Form(max_length=40)]


def reasons_of(exc: ValidationError | DomainError) -> list[str]:
    """The Chinese reason of a refusal: the rule's document and article, else a general sentence."""
    if isinstance(exc, DomainError) and str(exc.extensions.get("rule", "")) in RULE_TEXT:
        return [RULE_TEXT[str(exc.extensions["rule"])]]
    return ["操作未被接受"]


@router.get("/operation/disclosure")
def disclosure_page(request: Request, db: DbSession) -> HTMLResponse:
    """授权运营信息公开: authorized parties, content, scope, term; each operator's products and prices."""
    return render(request, "operation/disclosure.html", {"entries": disclosure.disclosed(db)})


@router.get("/operation")
def overview(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    p = user.principal
    plans = service.list_plans(db, p)
    agreements = service.list_agreements(db, p)
    names = party_names(db, {x for a in agreements for x in (a.implementing_party_id, a.operator_party_id)})
    return render(
        request, "operation/overview.html", {"plans": plans, "agreements": agreements, "names": names}
    )


def _agreement_view(
    request: Request,
    db: Session,
    user: Any,
    agreement_id: uuid.UUID,
    errors: list[str] | None = None,
    status_code: int = 200,
    done: str | None = None,
) -> HTMLResponse:
    p = user.principal
    agreement = service.visible_agreement(db, p, agreement_id)
    names = party_names(db, {agreement.implementing_party_id, agreement.operator_party_id})
    context = {
        "a": agreement,
        "names": names,
        "products": products.list_products(db, p, agreement.id),
        "duties": products.duties_of(db, agreement.id),
        "evaluations": lifecycle.evaluations_of(db, agreement.id),
        "sets_cap": acts_for(p, agreement.implementing_party_id),
        "sets_price": acts_for(p, agreement.operator_party_id),
        "errors": errors or [],
        "done": done,
    }
    return render(request, "operation/agreement.html", context, status_code=status_code)


@router.get("/operation/agreements/{agreement_id}")
def agreement_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    agreement_id: uuid.UUID,
    done: Annotated[str | None, Query(max_length=40)] = None,
) -> HTMLResponse:
    return _agreement_view(request, db, user, agreement_id, done="price" if done == "price" else None)


def _fen(yuan: str | None) -> int | None:
    try:
        value = Decimal((yuan or "").strip())
    except InvalidOperation:
        return None
    return int((value * 100).to_integral_value()) if value.is_finite() else None


def _price_step(
    request: Request, db: Session, user: Any, settings: Any, product_id: uuid.UUID, build: Any, step: Any
) -> Response:
    p = user.principal
    product = products.visible_product(db, p, product_id)
    try:
        step(db, p, product_id, build(), settings)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        status = exc.status if isinstance(exc, DomainError) else 422
        return _agreement_view(request, db, user, product.agreement_id, reasons_of(exc), status)
    return RedirectResponse(f"/operation/agreements/{product.agreement_id}?done=price", status_code=303)


@router.post("/operation/products/{product_id}/cap")
def cap_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    product_id: uuid.UUID,
    price_cap_yuan: Short = None,
    billing_unit: Short = None,
) -> Response:
    def build() -> CapCreate:
        return CapCreate.model_validate({"price_cap_fen": _fen(price_cap_yuan), "billing_unit": billing_unit})

    return _price_step(request, db, user, settings, product_id, build, products.set_cap)


@router.post("/operation/products/{product_id}/price")
def price_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    product_id: uuid.UUID,
    price_yuan: Short = None,
) -> Response:
    def build() -> PriceCreate:
        return PriceCreate.model_validate({"price_fen": _fen(price_yuan)})

    return _price_step(request, db, user, settings, product_id, build, products.set_price)
