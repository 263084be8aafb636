"""Plan and selection pages (实施方案与运营机构选择页面), and the step forms of plans, selections and
agreements.

The implementing body drafts a plan with every section the rules require, records its collective and
its government approval; the data authority files it; the implementing body opens the operator
selection (tender, invitation or negotiation), records each candidate's qualification checks and the
expert group's review, selects the operator and signs the agreement; the authority files the agreement,
and it is suspended, resumed or terminated on its page. Every step goes through the same row of
:data:`.actions.ACTIONS` as the API; a refused one is shown on the record's page in Chinese
(:func:`.forms.messages_of`), nothing changed.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from logispace.core.errors import NotFound
from logispace.core.pagination import PageParams
from logispace.domains.catalog import ResourceStatus, catalog_resources
from logispace.domains.identity import SYSTEM, PageUser, party_names
from logispace.domains.operation import actions, products, service, staff
from logispace.domains.operation.actions import DONE, PLURAL, Kind, StepForm
from logispace.domains.operation.actors import acts_for, is_authority, today
from logispace.domains.operation.enums import PlanState, SelectionState, UseClass
from logispace.domains.operation.errors import OperationNotFound
from logispace.domains.operation.forms import Long, Many, Short, StepFields, messages_of
from logispace.domains.operation.oversight_pages import exclusions_view, staff_view
from logispace.domains.operation.pages import agreement_view, resource_names
from logispace.domains.operation.policies import QUALIFICATION_CHECKS
from logispace.domains.operation.schemas import PlanCreate, PlanSections
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.refusals import attempt
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

SECTIONS = tuple(PlanSections.model_fields)
"""The plan's required sections, in the order of 004:897-919 (each a text area named as its field)."""

Done = Annotated[str | None, Query(max_length=40)]


def _own_resources(session: Session, user: Any) -> dict[str, str]:
    p = user.principal
    if p.party_id is None:
        return {}
    rows, _ = catalog_resources(
        session, p, PageParams(limit=200), holder=p.party_id, status=ResourceStatus.PUBLISHED
    )
    return {r.catalog_code: r.name for r in rows}


# -- a new plan (编制实施方案) -----------------------------------------------------------------------


def _new_plan_view(
    request: Request, db: Session, user: Any, errors: list[str] | None = None, status_code: int = 200
) -> HTMLResponse:
    context = {"resources": _own_resources(db, user), "sections": SECTIONS, "errors": errors or []}
    return render(request, "operation/plan_new.html", context, status_code=status_code)


@router.get("/operation/plans/new")
def new_plan_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    return _new_plan_view(request, db, user)


@router.post("/operation/plans")
def create_plan_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    plan_name: Short = None,
    authorization_mode: Short = None,
    data_scope: Many = None,
    term_years: Short = None,
    governance_products: Long = None,
    industry_products: Long = None,
    necessity_feasibility: Long = None,
    operator_selection_criteria: Long = None,
    build_content: Long = None,
    tech_assurance: Long = None,
    schedule: Long = None,
    evaluation_criteria: Long = None,
    exit_mechanism: Long = None,
    asset_management: Long = None,
    cost_revenue: Long = None,
    security_measures: Long = None,
    rights_obligations: Long = None,
    supervision: Long = None,
) -> Response:
    """编制实施方案: the plan with its required sections and its product list in the two use classes."""
    texts = dict(zip(SECTIONS, (
        necessity_feasibility, operator_selection_criteria, build_content, tech_assurance, schedule,
        evaluation_criteria, exit_mechanism, asset_management, cost_revenue, security_measures,
        rights_obligations, supervision,
    ), strict=True))  # fmt: skip
    planned = [
        {"name": name, "use_class": use_class.value}
        for use_class, text in (
            (UseClass.GOVERNANCE_WELFARE, governance_products),
            (UseClass.INDUSTRY, industry_products),
        )
        for name in actions.lines(text)
    ]
    years = (term_years or "").strip()

    def step() -> Any:
        body = PlanCreate.model_validate(
            {
                "name": (plan_name or "").strip(),
                "authorization_mode": authorization_mode or "",
                "data_scope": data_scope or [],
                "term_years": int(years) if years.isdigit() else years,
                "sections": {k: (v or "").strip() for k, v in texts.items()},
                "products": planned,
            }
        )
        return service.create_plan(db, user.principal, body, settings)

    plan, errors, status = attempt(db, step, messages_of)
    if plan is None:
        return _new_plan_view(request, db, user, errors, status)
    return RedirectResponse(f"/operation/plans/{plan.id}?done=create_plan", status_code=303)


# -- a plan and its selections (实施方案) ------------------------------------------------------------


def plan_view(
    request: Request,
    db: Session,
    user: Any,
    plan_id: uuid.UUID,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    p = user.principal
    plan = service.visible_plan(db, p, plan_id)
    body = acts_for(p, plan.implementing_party_id)
    offers = {
        PlanState.DRAFTED: ["approve_internal"] if body else [],
        PlanState.INTERNAL_APPROVED: ["approve_government"] if body else [],
        PlanState.GOV_APPROVED: ["file_plan"] if is_authority(p) else [],
        PlanState.FILED: ["create_selection"] if body else [],
    }[plan.state]
    context = {
        "plan": plan,
        "names": party_names(db, {plan.implementing_party_id}),
        "resources": resource_names(db, plan.data_scope),
        "approvals": service.approvals_of(db, plan.id),
        "selections": service.selections_of(db, plan.id),
        "agreements": [a for a in service.list_agreements(db, p) if a.plan_id == plan.id],
        "offers": offers,
        "today": today(),
        "done": DONE.get(done or ""),
        "errors": errors or [],
    }
    return render(request, "operation/plan.html", context, status_code=status_code)


@router.get("/operation/plans/{plan_id}")
def plan_page(
    request: Request, db: DbSession, user: PageUser, plan_id: uuid.UUID, done: Done = None
) -> HTMLResponse:
    return plan_view(request, db, user, plan_id, done=done)


def selection_view(
    request: Request,
    db: Session,
    user: Any,
    selection_id: uuid.UUID,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    p = user.principal
    selection = service.visible_selection(db, p, selection_id)
    plan = service.visible_plan(db, SYSTEM, selection.plan_id)
    candidates = service.candidates_of(db, selection.id)
    body = acts_for(p, plan.implementing_party_id)
    signed = any(a.selection_id == selection.id for a in service.list_agreements(db, p))
    parties = {c.party_id for c in candidates}
    if selection.selected_party_id is not None:
        parties.add(selection.selected_party_id)
    names = party_names(db, parties)
    context = {
        "s": selection,
        "plan": plan,
        "candidates": candidates,
        "names": names,
        "checks": list(QUALIFICATION_CHECKS),
        "resources": resource_names(db, plan.data_scope),
        "runs": body and selection.state is SelectionState.OPEN,
        "signs": body and selection.state is SelectionState.SELECTED and not signed,
        "today": today(),
        "done": DONE.get(done or ""),
        "errors": errors or [],
    }
    return render(request, "operation/selection.html", context, status_code=status_code)


@router.get("/operation/selections/{selection_id}")
def selection_page(
    request: Request, db: DbSession, user: PageUser, selection_id: uuid.UUID, done: Done = None
) -> HTMLResponse:
    return selection_view(request, db, user, selection_id, done=done)


# -- the steps (办理) ------------------------------------------------------------------------------

Plural = Literal["plans", "selections", "agreements", "products", "staff"]
KIND_OF: dict[str, Kind] = {plural: kind for kind, plural in PLURAL.items()}  # type: ignore[misc]


def _landing(db: Session, action: actions.Action, record_id: uuid.UUID | None, record: Any) -> str:
    """The page a taken step goes back to (its success message appended by the caller)."""
    if action.result in ("plan", "selection", "agreement"):
        return f"/operation/{action.result}s/{record.id}"
    if action.form_on == "staff":
        return f"/operation/staff?operator={record.operator_party_id}&"
    if action.form_on == "exclusions":
        return "/operation/exclusions"
    return f"/operation/agreements/{_agreement_of(db, action, record_id)}"


def _agreement_of(db: Session, action: actions.Action, record_id: uuid.UUID | None) -> uuid.UUID | None:
    if action.kind == "product" and record_id is not None:
        return products.visible_product(db, SYSTEM, record_id).agreement_id
    return record_id


def _take(
    request: Request,
    db: Session,
    settings: Any,
    user: Any,
    kind: Kind | None,
    record_id: uuid.UUID | None,
    name: str,
    form: StepForm,
) -> Response:
    """One step through its row of :data:`.actions.ACTIONS` (404 for a name the row table lacks)."""
    action = actions.BY_NAME.get(name)
    if action is None or action.kind != kind:
        raise OperationNotFound(f"no step {name}")

    def step() -> Any:
        return actions.take(db, user.principal, kind, record_id, name, form, settings)

    record, errors, status = attempt(db, step, messages_of)
    if errors:
        return _refused(request, db, user, action, record_id, form, errors, status)
    where = _landing(db, action, record_id, record)
    joiner = "" if where.endswith("&") else "?"
    return RedirectResponse(f"{where}{joiner}done={name}", status_code=303)


@router.post("/operation/{plural}/{record_id}/{action}")
def step_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    plural: Plural,
    record_id: uuid.UUID,
    action: Annotated[str, Path(max_length=40)],
    form: Annotated[StepFields, Form()],
) -> Response:
    """One step of a plan, a selection, an agreement, a product or a staff record, through the row of
    :data:`.actions.ACTIONS` the API route is made from."""
    return _take(request, db, settings, user, KIND_OF[plural], record_id, action, form.step_form())


@router.post("/operation/staff")
def register_staff_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    form: Annotated[StepFields, Form()],
) -> Response:
    """The operator registers a processing staff member with its records (登记数据加工人员)."""
    return _take(request, db, settings, user, None, None, "register_staff", form.step_form())


@router.post("/operation/exclusions")
def mark_exclusion_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    form: Annotated[StepFields, Form()],
) -> Response:
    """The data authority marks data that must not be operated (标记不得授权运营的数据)."""
    return _take(request, db, settings, user, None, None, "mark_exclusion", form.step_form())


def _refused(
    request: Request,
    db: Session,
    user: Any,
    action: actions.Action,
    record_id: uuid.UUID | None,
    form: StepForm,
    errors: list[str],
    status: int,
) -> HTMLResponse:
    page = action.form_on or action.kind
    if page == "selection" and action.kind == "plan" and form.selection:
        try:
            return selection_view(
                request, db, user, uuid.UUID(form.selection), errors=errors, status_code=status
            )
        except (ValueError, NotFound):
            page = "plan"
    if page == "plan" and record_id is not None:
        return plan_view(request, db, user, record_id, errors=errors, status_code=status)
    if page == "selection" and record_id is not None:
        return selection_view(request, db, user, record_id, errors=errors, status_code=status)
    if page == "staff":
        operator = staff.visible_staff(db, user.principal, record_id).operator_party_id if record_id else None
        return staff_view(request, db, user, operator, errors=errors, status_code=status)
    if page == "exclusions":
        return exclusions_view(request, db, user, errors=errors, status_code=status)
    agreement_id = _agreement_of(db, action, record_id)
    if agreement_id is None:
        raise OperationNotFound("no page for this step")
    return agreement_view(request, db, user, agreement_id, errors, status)
