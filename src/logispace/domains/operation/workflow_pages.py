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

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, NotFound
from logispace.core.pagination import PageParams
from logispace.domains.catalog import ResourceStatus, catalog_resources
from logispace.domains.identity import SYSTEM, PageUser, party_names
from logispace.domains.operation import actions, service
from logispace.domains.operation.actions import DONE, StepForm
from logispace.domains.operation.actors import acts_for, is_authority, today
from logispace.domains.operation.enums import PlanState, SelectionState, UseClass
from logispace.domains.operation.forms import Long, Many, Short, messages_of, status_of
from logispace.domains.operation.pages import agreement_view, resource_names
from logispace.domains.operation.policies import QUALIFICATION_CHECKS
from logispace.domains.operation.schemas import PlanCreate, PlanSections
from logispace.web.dependencies import AppSettings, DbSession
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
    try:
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
        plan = service.create_plan(db, user.principal, body, settings)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        return _new_plan_view(request, db, user, messages_of(exc), status_of(exc))
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


def _where(kind: str, record: Any) -> str:
    return f"/operation/{kind}s/{record.id}"


@router.post("/operation/{kind}s/{record_id}/{action}")
def step_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    kind: Literal["plan", "selection", "agreement"],
    record_id: uuid.UUID,
    action: Annotated[str, Path(max_length=40)],
    approving_body: Short = None,
    approved_on: Short = None,
    document: Short = None,
    filed_on: Short = None,
    selection_method: Short = None,
    notice: Long = None,
    uscc: Short = None,
    checks: Many = None,
    experts: Long = None,
    opinion: Long = None,
    reviewed_on: Short = None,
    candidate: Short = None,
    selected_on: Short = None,
    selection: Short = None,
    scope: Many = None,
    term_start: Short = None,
    term_end: Short = None,
    agreement_products: Long = None,
    security_duties: Long = None,
    exit_terms: Long = None,
    signed_on: Short = None,
    reason: Long = None,
    term_exception: Long = None,
) -> Response:
    """One step of a plan, a selection or an agreement, through the row of :data:`.actions.ACTIONS`
    the API route is made from."""
    form = StepForm(
        approving_body, approved_on, document, filed_on, selection_method, notice, uscc, checks or [],
        experts, opinion, reviewed_on, candidate, selected_on, selection, scope or [], term_start,
        term_end, agreement_products, security_duties, exit_terms, signed_on, reason, term_exception,
    )  # fmt: skip
    try:
        record = actions.take(db, user.principal, kind, record_id, action, form, settings)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        where = actions.BY_NAME[action].form_on
        if where == "selection" and form.selection:
            try:
                return _refused(request, db, user, where, uuid.UUID(form.selection), exc)
            except (ValueError, NotFound):
                pass
        return _refused(request, db, user, kind, record_id, exc)
    result = actions.BY_NAME[action].result
    return RedirectResponse(f"{_where(result, record)}?done={action}", status_code=303)


def _refused(
    request: Request,
    db: Session,
    user: Any,
    kind: str,
    record_id: uuid.UUID,
    exc: ValidationError | DomainError,
) -> HTMLResponse:
    errors, status = messages_of(exc), status_of(exc)
    if kind == "plan":
        return plan_view(request, db, user, record_id, errors=errors, status_code=status)
    if kind == "selection":
        return selection_view(request, db, user, record_id, errors=errors, status_code=status)
    return agreement_view(request, db, user, record_id, errors, status)
