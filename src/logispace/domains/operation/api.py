"""Operation API (``/api/v1/operation``): plans, operator selection, agreements, staff, products and
prices, evaluations and exit, disclosure.

Every route needs a principal. A record is visible only to the parties that are part of it (the
implementing body, the operator, the data authority): 404 to anyone else. A refusal is a problem naming
the rule and its source line, and changes nothing.
"""

from __future__ import annotations

import inspect
import uuid
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from logispace.domains.identity import CurrentPrincipal
from logispace.domains.operation import (
    disclosure,
    duties,
    lifecycle,
    products,
    reads,
    report_lines,
    reports,
    service,
    staff,
)
from logispace.domains.operation.actions import ACTIONS, PLURAL, Action
from logispace.domains.operation.schemas import (
    AgreementRead,
    CapCreate,
    CopyRead,
    DeliverCreate,
    DutyRead,
    EvaluationRead,
    ExclusionRead,
    LogRead,
    PlanCreate,
    PlanRead,
    PriceCreate,
    ProductCreate,
    ProductRead,
    ReportCreate,
    ReportLineRead,
    ReportRead,
    RevenueRead,
    SelectionRead,
    StaffRead,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/operation", tags=["operation"])


# -- plans --------------------------------------------------------------------------------------------


@router.post("/plans", status_code=201, summary="Draft an implementation plan (实施方案) (implementing body)")
def create_plan(db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: PlanCreate) -> PlanRead:
    return reads.plan_read(db, service.create_plan(db, p, body, settings))


@router.get("/plans", summary="The plans of the caller's party (the authority: all)")
def list_plans(db: DbSession, p: CurrentPrincipal) -> list[PlanRead]:
    return [reads.plan_read(db, plan) for plan in service.list_plans(db, p)]


@router.get("/plans/{plan_id}", summary="One plan with its approvals")
def get_plan(db: DbSession, p: CurrentPrincipal, plan_id: uuid.UUID) -> PlanRead:
    return reads.plan_read(db, service.visible_plan(db, p, plan_id))


# -- selection ----------------------------------------------------------------------------------------


@router.get("/selections/{selection_id}", summary="One selection with its candidates")
def get_selection(db: DbSession, p: CurrentPrincipal, selection_id: uuid.UUID) -> SelectionRead:
    return reads.selection_read(db, service.visible_selection(db, p, selection_id))


# -- agreements ---------------------------------------------------------------------------------------


@router.get("/agreements", summary="The agreements the caller's party is part of (the authority: all)")
def list_agreements(db: DbSession, p: CurrentPrincipal) -> list[AgreementRead]:
    return [AgreementRead.model_validate(a) for a in service.list_agreements(db, p)]


@router.get("/agreements/{agreement_id}", summary="One agreement")
def get_agreement(db: DbSession, p: CurrentPrincipal, agreement_id: uuid.UUID) -> AgreementRead:
    return AgreementRead.model_validate(service.visible_agreement(db, p, agreement_id))


def _read(db: Session, result: str, record: Any) -> BaseModel:
    if result == "plan":
        return reads.plan_read(db, record)
    if result == "selection":
        return reads.selection_read(db, record)
    if result == "staff":
        return reads.staff_read(record)
    if result == "report_line":
        return ReportLineRead.model_validate(record, from_attributes=True)
    if result == "revenue":
        return RevenueRead(**record.__dict__)
    return _RESULTS[result].model_validate(record)


_RESULTS: dict[str, type[BaseModel]] = {
    "plan": PlanRead,
    "selection": SelectionRead,
    "agreement": AgreementRead,
    "product": ProductRead,
    "staff": StaffRead,
    "evaluation": EvaluationRead,
    "revenue": RevenueRead,
    "copy": CopyRead,
    "exclusion": ExclusionRead,
    "report_line": ReportLineRead,
}


def _endpoint(action: Action) -> Any:
    """The route function of one step of :mod:`.actions`: take it, answer the record it leaves."""

    def endpoint(**kwargs: Any) -> BaseModel:
        db = kwargs["db"]
        record_id = kwargs.get(f"{action.kind}_id", uuid.UUID(int=0))  # kindless: never read
        record = action.run(db, kwargs["p"], record_id, kwargs["body"], kwargs["settings"])
        return _read(db, action.result, record)

    def param(name: str, annotation: Any) -> inspect.Parameter:
        return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation)

    endpoint.__name__ = endpoint.__qualname__ = action.name
    endpoint.__doc__ = None
    # FastAPI reads the route's parameters and their types from the signature.
    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            param("db", DbSession),
            param("p", CurrentPrincipal),
            param("settings", AppSettings),
            *([param(f"{action.kind}_id", uuid.UUID)] if action.kind else []),
            param("body", action.body),
        ],
        return_annotation=_RESULTS[action.result],
    )
    return endpoint


def _path(action: Action) -> str:
    if action.kind is None:
        return action.path
    return f"/{PLURAL[action.kind]}/{{{action.kind}_id}}{action.path}"


for _action in ACTIONS:
    router.add_api_route(
        _path(_action),
        _endpoint(_action),
        methods=["POST"],
        name=_action.name,
        summary=_action.summary,
        status_code=_action.status_code,
        response_model=_RESULTS[_action.result],
    )


@router.get("/agreements/{agreement_id}/registration-duties", summary="Initial registrations due (I-1, I-2)")
def list_duties(db: DbSession, p: CurrentPrincipal, agreement_id: uuid.UUID) -> list[DutyRead]:
    agreement = service.visible_agreement(db, p, agreement_id)
    return [DutyRead.model_validate(d) for d in products.duties_of(db, agreement.id)]


@router.get(
    "/agreements/{agreement_id}/annual-reports",
    summary="Each operating year's price and operation report: due by 31 March, overdue or filed",
)
def list_reports(db: DbSession, p: CurrentPrincipal, agreement_id: uuid.UUID) -> list[ReportRead]:
    agreement = service.visible_agreement(db, p, agreement_id)
    return [ReportRead.model_validate(s, from_attributes=True) for s in reports.report_states(db, agreement)]


@router.post(
    "/agreements/{agreement_id}/annual-reports",
    status_code=201,
    summary="Record the annual report on a year as sent (authorizing subject)",
)
def file_report(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, agreement_id: uuid.UUID, body: ReportCreate
) -> ReportRead:
    report = reports.file_report(db, p, agreement_id, body, settings)
    agreement = service.visible_agreement(db, p, agreement_id)
    state = next(s for s in reports.report_states(db, agreement) if s.year == report.year)
    return ReportRead.model_validate(state, from_attributes=True)


@router.get(
    "/agreements/{agreement_id}/annual-reports/{year}/lines",
    summary="The annual report's records: per product price, volume, revenue, deviation and who adjusts",
)
def list_report_lines(
    db: DbSession, p: CurrentPrincipal, agreement_id: uuid.UUID, year: int
) -> list[ReportLineRead]:
    agreement = service.visible_agreement(db, p, agreement_id)
    return [
        ReportLineRead.model_validate(x, from_attributes=True)
        for x in report_lines.lines_of(db, agreement, year)
    ]


@router.post(
    "/registration-duties/{duty_id}/application",
    summary="File the duty as an initial registration application (a draft) (the party that owes it)",
)
def file_duty(db: DbSession, p: CurrentPrincipal, settings: AppSettings, duty_id: uuid.UUID) -> DutyRead:
    return DutyRead.model_validate(duties.file_duty(db, p, duty_id, settings))


@router.get("/agreements/{agreement_id}/copies", summary="The data kept on the platform for the agreement")
def list_copies(db: DbSession, p: CurrentPrincipal, agreement_id: uuid.UUID) -> list[CopyRead]:
    agreement = service.visible_agreement(db, p, agreement_id)
    return [CopyRead.model_validate(c) for c in lifecycle.copies_of(db, agreement.id)]


@router.get("/agreements/{agreement_id}/evaluations", summary="The agreement's evaluations")
def list_evaluations(db: DbSession, p: CurrentPrincipal, agreement_id: uuid.UUID) -> list[EvaluationRead]:
    agreement = service.visible_agreement(db, p, agreement_id)
    return [EvaluationRead.model_validate(e) for e in lifecycle.evaluations_of(db, agreement.id)]


@router.get("/agreements/{agreement_id}/logs", summary="The operation log of the agreement (kept 20 years)")
def list_logs(db: DbSession, p: CurrentPrincipal, agreement_id: uuid.UUID) -> list[LogRead]:
    agreement = service.visible_agreement(db, p, agreement_id)
    return [LogRead.model_validate(row) for row in disclosure.logs_of(db, agreement)]


# -- staff --------------------------------------------------------------------------------------------


@router.get("/staff", summary="The staff of the caller's party (or of an operator it oversees)")
def list_staff(db: DbSession, p: CurrentPrincipal, operator: uuid.UUID | None = None) -> list[StaffRead]:
    return [reads.staff_read(s) for s in staff.list_staff(db, p, operator)]


# -- products and prices ------------------------------------------------------------------------------


@router.post("/products", status_code=201, summary="Create a product under an agreement in force (operator)")
def create_product(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: ProductCreate
) -> ProductRead:
    return ProductRead.model_validate(products.create_product(db, p, body, settings))


@router.get("/products", summary="The products the caller's party is part of")
def list_products(
    db: DbSession, p: CurrentPrincipal, agreement: uuid.UUID | None = None
) -> list[ProductRead]:
    return [ProductRead.model_validate(x) for x in products.list_products(db, p, agreement)]


@router.get("/products/{product_id}", summary="One product")
def get_product(db: DbSession, p: CurrentPrincipal, product_id: uuid.UUID) -> ProductRead:
    return ProductRead.model_validate(products.visible_product(db, p, product_id))


@router.post("/products/{product_id}/cap", summary="Set the cap (上限收费标准) (authorizing subject)")
def set_cap(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, product_id: uuid.UUID, body: CapCreate
) -> ProductRead:
    return ProductRead.model_validate(products.set_cap(db, p, product_id, body, settings))


@router.post("/products/{product_id}/price", summary="Set the specific price at or below the cap (operator)")
def set_price(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, product_id: uuid.UUID, body: PriceCreate
) -> ProductRead:
    return ProductRead.model_validate(products.set_price(db, p, product_id, body, settings))


@router.post("/products/{product_id}/delivery", summary="Deliver a product; the first starts operation (I-1)")
def deliver(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, product_id: uuid.UUID, body: DeliverCreate
) -> ProductRead:
    return ProductRead.model_validate(products.deliver(db, p, product_id, body, settings))


# -- exclusions and disclosure ------------------------------------------------------------------------


@router.get("/disclosure", summary="What is disclosed to the public: agreements, products and prices (§2.10)")
def get_disclosure(db: DbSession, p: CurrentPrincipal) -> list[dict[str, Any]]:
    del p
    return [entry.as_json() for entry in disclosure.disclosed(db)]
