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

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from logispace.core.errors import NotFound
from logispace.domains.catalog import get_resource
from logispace.domains.identity import SYSTEM, PageUser, party_names
from logispace.domains.operation import (
    disclosure,
    duties,
    lifecycle,
    products,
    report_lines,
    reports,
    service,
)
from logispace.domains.operation.actions import DONE
from logispace.domains.operation.actors import IMPLEMENTING_TYPES, acts_for, is_authority, today
from logispace.domains.operation.enums import AgreementState
from logispace.domains.operation.forms import Long, Many, Short, messages_of
from logispace.domains.operation.schemas import (
    CapCreate,
    DeliverCreate,
    PriceCreate,
    ProductCreate,
    ReportCreate,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.downloads import HeaderNames, Headers
from logispace.web.refusals import attempt
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()


@router.get("/operation/disclosure")
def disclosure_page(request: Request, db: DbSession) -> HTMLResponse:
    """授权运营信息公开: authorized parties, content, scope, term; each operator's products and prices."""
    return render(request, "operation/disclosure.html", {"entries": disclosure.disclosed(db)})


def _latest(states: list[reports.ReportState]) -> reports.ReportState | None:
    """The report to show in a list: the first overdue one, else the first due, else the last filed."""
    for wanted in (reports.OVERDUE, reports.DUE):
        first = next((s for s in states if s.state == wanted), None)
        if first is not None:
            return first
    return states[-1] if states else None


@router.get("/operation")
def overview(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    p = user.principal
    plans = service.list_plans(db, p)
    agreements = service.list_agreements(db, p)
    names = party_names(db, {x for a in agreements for x in (a.implementing_party_id, a.operator_party_id)})
    report_state = {a.id: _latest(reports.report_states(db, a)) for a in agreements}
    drafts = p.party_type in IMPLEMENTING_TYPES and p.party_id is not None and acts_for(p, p.party_id)
    context = {
        "plans": plans,
        "agreements": agreements,
        "names": names,
        "drafts": drafts,
        "report_state": report_state,
    }
    return render(request, "operation/overview.html", context)


def resource_names(session: Session, codes: list[str]) -> dict[str, str]:
    """The names of catalogue resources by code (a code no longer found is left out)."""
    names = {}
    for code in codes:
        try:
            names[code] = get_resource(session, SYSTEM, code).name
        except NotFound:
            continue
    return names


def agreement_offers(p: Any, agreement: Any) -> list[str]:
    """The agreement steps (rows of :data:`.actions.ACTIONS`) the page offers the user in its state."""
    overseer = is_authority(p) or acts_for(p, agreement.implementing_party_id)
    state = agreement.state
    offers = []
    if state is AgreementState.SIGNED and is_authority(p):
        offers.append("file_agreement")
    if state is AgreementState.ACTIVE and overseer:
        offers.append("suspend_agreement")
    if state is AgreementState.SUSPENDED and overseer:
        offers.append("resume_agreement")
    if state is not AgreementState.TERMINATED and (overseer or acts_for(p, agreement.operator_party_id)):
        offers.append("terminate_agreement")
    return offers


IN_FORCE = (AgreementState.ACTIVE, AgreementState.SUSPENDED)
TERMINATED = AgreementState.TERMINATED


def agreement_view(
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
    operator = acts_for(p, agreement.operator_party_id)
    sets_cap = acts_for(p, agreement.implementing_party_id)
    context = {
        "a": agreement,
        "names": names,
        "products": products.list_products(db, p, agreement.id),
        "duties": products.duties_of(db, agreement.id),
        "evaluations": lifecycle.evaluations_of(db, agreement.id),
        "evaluates": is_authority(p) and agreement.state in IN_FORCE,
        "exit": lifecycle.exit_record(db, agreement)
        if agreement.state is AgreementState.TERMINATED
        else None,
        "copies": lifecycle.copies_of(db, agreement.id),
        "provisions": acts_for(p, agreement.implementing_party_id)
        and agreement.state is AgreementState.ACTIVE,
        "reports": reports.report_states(db, agreement),
        "report_lines": report_lines.lines_of(db, agreement),
        "sets_cap": sets_cap,
        "sets_price": operator,
        "files_duty": {d.id for d in products.duties_of(db, agreement.id) if acts_for(p, d.duty_party_id)},
        "builds": operator and agreement.state is AgreementState.ACTIVE,
        "offers": agreement_offers(p, agreement),
        "scope_names": resource_names(db, agreement.scope),
        "today": today(),
        "errors": errors or [],
        "done": DONE.get(done or ""),
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
    return agreement_view(request, db, user, agreement_id, done=done)


@router.get("/operation/agreements/{agreement_id}/annual-reports/{year}.csv")
def report_lines_csv(
    db: DbSession,
    user: PageUser,
    agreement_id: uuid.UUID,
    year: Annotated[int, Path(ge=2024, le=2100)],
    headers: Headers = HeaderNames.NAME,
) -> Response:
    """年度经营情况报告的产品记录 as CSV: Chinese headers (``headers=zh``) or field names."""
    agreement = service.visible_agreement(db, user.principal, agreement_id)
    text = report_lines.to_csv(report_lines.lines_of(db, agreement, year), chinese=headers is HeaderNames.ZH)
    return Response(
        ("\ufeff" + text).encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="operation-report-{year}.csv"'},
    )


def _fen(yuan: str | None) -> int | None:
    try:
        value = Decimal((yuan or "").strip())
    except InvalidOperation:
        return None
    return int((value * 100).to_integral_value()) if value.is_finite() else None


def _price_step(
    request: Request,
    db: Session,
    user: Any,
    settings: Any,
    product_id: uuid.UUID,
    build: Any,
    step: Any,
    done: str = "price",
) -> Response:
    p = user.principal
    product = products.visible_product(db, p, product_id)
    _, errors, status = attempt(db, lambda: step(db, p, product_id, build(), settings), messages_of)
    if errors:
        return agreement_view(request, db, user, product.agreement_id, errors, status)
    return RedirectResponse(f"/operation/agreements/{product.agreement_id}?done={done}", status_code=303)


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


@router.post("/operation/agreements/{agreement_id}/products")
def create_product_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    agreement_id: uuid.UUID,
    product_name: Short = None,
    product_form: Short = None,
    use_class: Short = None,
    scenario: Long = None,
    resources: Many = None,
    billing_unit: Short = None,
) -> Response:
    """The operator's new product under the agreement (开发公共数据产品和服务)."""

    def step() -> object:
        body = ProductCreate.model_validate(
            {
                "agreement_id": str(agreement_id),
                "name": (product_name or "").strip(),
                "form": product_form or "",
                "use_class": use_class or "",
                "scenario": (scenario or "").strip(),
                "resources": resources or [],
                "billing_unit": billing_unit if use_class == "industry" and billing_unit else None,
            }
        )
        return products.create_product(db, user.principal, body, settings)

    return _landing(request, db, user, agreement_id, attempt(db, step, messages_of), "create_product")


@router.post("/operation/products/{product_id}/delivery")
def deliver_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    product_id: uuid.UUID,
    delivered_on: Short = None,
) -> Response:
    """The operator delivers a product (交付); the first delivery starts authorized operation."""

    def build() -> DeliverCreate:
        return DeliverCreate.model_validate({"delivered_on": (delivered_on or "").strip()})

    return _price_step(request, db, user, settings, product_id, build, products.deliver, "deliver")


@router.post("/operation/registration-duties/{duty_id}/application")
def file_duty_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, duty_id: uuid.UUID
) -> Response:
    """办理首次登记: the duty becomes a draft initial registration application of the registration domain."""
    _, agreement = duties.visible_duty(db, user.principal, duty_id)
    tried = attempt(db, lambda: duties.file_duty(db, user.principal, duty_id, settings), messages_of)
    return _landing(request, db, user, agreement.id, tried, "register")


@router.post("/operation/agreements/{agreement_id}/annual-reports")
def file_report_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    agreement_id: uuid.UUID,
    report_year: Short = None,
    submitted_on: Short = None,
    summary: Long = None,
) -> Response:
    """报送年度经营情况报告: the authorizing subject records the report on a year as sent (004:1035)."""
    year = (report_year or "").strip()

    def step() -> object:
        body = ReportCreate.model_validate(
            {
                "year": int(year) if year.isdigit() else year,
                "submitted_on": (submitted_on or "").strip(),
                "summary": (summary or "").strip(),
            }
        )
        return reports.file_report(db, user.principal, agreement_id, body, settings)

    return _landing(request, db, user, agreement_id, attempt(db, step, messages_of), "report")


def _landing(
    request: Request,
    db: Session,
    user: Any,
    agreement_id: uuid.UUID,
    tried: tuple[object, list[str], int],
    done: str,
) -> Response:
    """Back on the agreement's page: with the reasons of a refused step, else with its success message."""
    _, errors, status = tried
    if errors:
        return agreement_view(request, db, user, agreement_id, errors, status)
    return RedirectResponse(f"/operation/agreements/{agreement_id}?done={done}", status_code=303)
