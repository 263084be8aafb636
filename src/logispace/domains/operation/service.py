"""Implementation plans, operator selection and agreements (实施方案、运营机构选择、授权运营协议),
state machines C and D and the signing of E (policy-spec §2.3-2.5).

The implementing body drafts a plan with every section the rules require (004:897-919); its approvals
are recorded with the approving body and the date (三重一大 004:921, the government 004:923); the data
authority files it (004:927). On a filed plan the implementing body selects an operator by tender,
invitation or negotiation (004:931); under ``inner_mongolia`` each candidate passes the qualification
checks and the expert group's review is recorded before one is selected (004:5597-5613). The agreement
names its scope (catalogue resources of the plan, none that must not be operated), a term of at most
5 years (004:941; 004:5601), the products, the security duties and the exit (004:937-963). Every step is
an operation log row and a ledger entry of the same transaction; services never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import RuleProfile, Settings
from logispace.core.errors import InvalidInput, NotFound
from logispace.domains.catalog import get_resource
from logispace.domains.identity import SYSTEM, Principal, party_type_of
from logispace.domains.operation.actors import (
    acts_for,
    is_authority,
    keep,
    record,
    require,
    require_implementing,
)
from logispace.domains.operation.enums import AgreementState, PlanState, SelectionState
from logispace.domains.operation.errors import (
    OperationNotFound,
    OperationStateConflict,
    RuleRefused,
    TermTooLong,
)
from logispace.domains.operation.models import (
    Agreement,
    OperationExclusion,
    OperationPlan,
    OperatorSelection,
    PlanApproval,
    SelectionCandidate,
)
from logispace.domains.operation.policies import (
    PLAN_STEPS,
    missing_checks,
    operable_refusal,
    outside_scope,
    retain_until,
    term_exceeds_cap,
    term_refusal,
)
from logispace.domains.operation.schemas import (
    AgreementCreate,
    ApprovalCreate,
    CandidateCreate,
    ExpertReviewCreate,
    FilingCreate,
    PlanCreate,
    SelectCreate,
    SelectionCreate,
)


def plan_subject(plan_id: uuid.UUID) -> str:
    return f"operation-plan:{plan_id}"


def agreement_subject(agreement_id: uuid.UUID) -> str:
    return f"operation-agreement:{agreement_id}"


def _profile(settings: Settings | None) -> RuleProfile:
    return settings.rule_profile if settings is not None else RuleProfile.NATIONAL


# -- what may be operated (OPS-R20) ---------------------------------------------------------------


def check_within(
    session: Session, wanted: Sequence[str], scope: Sequence[str], where: str, source: str
) -> None:
    """Every resource of ``wanted`` is within ``scope`` (409 ``OPS-R7`` naming those outside ``where``)
    and may be operated (404 for an unknown one, 409 ``OPS-R20``)."""
    beyond = outside_scope(list(wanted), list(scope))
    if beyond:
        raise RuleRefused(
            f"resources outside {where}: {', '.join(beyond)}", rule="OPS-R7", source=source, resources=beyond
        )
    check_operable(session, wanted)


def check_operable(session: Session, codes: Sequence[str]) -> None:
    """Each resource exists (404 naming it) and may be put into authorized operation (409, OPS-R20)."""
    for code in codes:
        try:
            resource = get_resource(session, SYSTEM, code)
        except NotFound:
            raise OperationNotFound(f"data resource {code} not found") from None
        exclusion = session.scalar(select(OperationExclusion).where(OperationExclusion.catalog_code == code))
        refusal = operable_refusal(code, resource.grade_code, exclusion.ground if exclusion else None)
        if refusal is not None:
            raise RuleRefused(refusal.detail, rule=refusal.rule, source=refusal.source, resource=code)


# -- plans (实施方案) ------------------------------------------------------------------------------


def visible_plan(session: Session, p: Principal, plan_id: uuid.UUID) -> OperationPlan:
    """The plan, for its implementing body and the authority; 404 for anyone else."""
    plan = session.get(OperationPlan, plan_id)
    if plan is None or not (is_authority(p) or p.party_id == plan.implementing_party_id):
        raise OperationNotFound(f"implementation plan {plan_id} not found")
    return plan


def approvals_of(session: Session, plan_id: uuid.UUID) -> list[PlanApproval]:
    return list(
        session.scalars(
            select(PlanApproval).where(PlanApproval.plan_id == plan_id).order_by(PlanApproval.recorded_at)
        )
    )


def list_plans(session: Session, p: Principal) -> list[OperationPlan]:
    query = select(OperationPlan).order_by(OperationPlan.created_at.desc())
    if not is_authority(p):
        query = query.where(OperationPlan.implementing_party_id == p.party_id)
    return list(session.scalars(query.limit(200)))


def create_plan(
    session: Session, p: Principal, data: PlanCreate, settings: Settings | None = None
) -> OperationPlan:
    """Draft a plan with every required section (C1, 004:897-919); its data scope must be operable."""
    party_id = require_implementing(p)
    check_operable(session, data.data_scope)
    now = utcnow()
    plan = OperationPlan(
        id=uuid.uuid4(),
        implementing_party_id=party_id,
        name=data.name,
        authorization_mode=data.authorization_mode,
        data_scope=list(dict.fromkeys(data.data_scope)),
        term_years=data.term_years,
        sections=data.sections.model_dump(),
        products=[x.model_dump(mode="json") for x in data.products],
        state=PlanState.DRAFTED,
        created_at=now,
        updated_at=now,
    )
    payload = {
        "plan_id": str(plan.id),
        "name": plan.name,
        "data_scope": plan.data_scope,
        "source": "004:895-919",
    }
    return keep(session, settings, p, plan, "plan_drafted", plan_subject(plan.id), payload, "drafted")


def _plan_step(plan: OperationPlan, step: str) -> tuple[PlanState, str]:
    before, after, source = PLAN_STEPS[step]
    if plan.state is not before:
        raise OperationStateConflict(
            f"a plan in state {plan.state.value} cannot take the step {step}",
            state=plan.state.value,
            allowed=[before.value],
            source=source,
        )
    return after, source


def approve_plan(
    session: Session,
    p: Principal,
    plan_id: uuid.UUID,
    step: str,
    data: ApprovalCreate,
    settings: Settings | None = None,
) -> OperationPlan:
    """Record an approval (三重一大 or the government's) with the approving body and date (C2, C3)."""
    plan = visible_plan(session, p, plan_id)
    require(acts_for(p, plan.implementing_party_id), "the implementing body records the plan's approvals")
    after, source = _plan_step(plan, step)
    payload = {
        "plan_id": str(plan.id),
        "stage": after.value,
        "approving_body": data.approving_body,
        "approved_on": data.approved_on.isoformat(),
        "document": data.document,
        "source": source,
    }
    index = record(session, settings, p, "plan_approved", plan_subject(plan.id), payload, after.value)
    session.add(
        PlanApproval(
            plan_id=plan.id,
            stage=after,
            approving_body=data.approving_body,
            approved_on=data.approved_on,
            document=data.document,
            recorded_by=p.user_id,
            recorded_at=utcnow(),
            ledger_index=index,
        )
    )
    plan.state, plan.updated_at, plan.ledger_index = after, utcnow(), index
    session.flush()
    return plan


def file_plan(
    session: Session, p: Principal, plan_id: uuid.UUID, data: FilingCreate, settings: Settings | None = None
) -> OperationPlan:
    """The data authority files an approved plan (备案, C4, 004:927)."""
    plan = visible_plan(session, p, plan_id)
    require(is_authority(p), "the data authority files implementation plans (004:927)")
    after, source = _plan_step(plan, "file")
    payload = {"plan_id": str(plan.id), "filed_on": data.filed_on.isoformat(), "source": source}
    plan.ledger_index = record(
        session, settings, p, "plan_filed", plan_subject(plan.id), payload, after.value
    )
    plan.state, plan.filed_on, plan.updated_at = after, data.filed_on, utcnow()
    session.flush()
    return plan


# -- operator selection (运营机构选择) --------------------------------------------------------------


def visible_selection(session: Session, p: Principal, selection_id: uuid.UUID) -> OperatorSelection:
    selection = session.get(OperatorSelection, selection_id)
    if selection is None:
        raise OperationNotFound(f"operator selection {selection_id} not found")
    plan = session.get(OperationPlan, selection.plan_id)
    if plan is None or not (
        is_authority(p) or p.party_id in (plan.implementing_party_id, selection.selected_party_id)
    ):
        raise OperationNotFound(f"operator selection {selection_id} not found")
    return selection


def selections_of(session: Session, plan_id: uuid.UUID) -> list[OperatorSelection]:
    return list(
        session.scalars(
            select(OperatorSelection)
            .where(OperatorSelection.plan_id == plan_id)
            .order_by(OperatorSelection.created_at)
        )
    )


def candidates_of(session: Session, selection_id: uuid.UUID) -> list[SelectionCandidate]:
    return list(
        session.scalars(select(SelectionCandidate).where(SelectionCandidate.selection_id == selection_id))
    )


def _open_selection(
    session: Session, p: Principal, selection_id: uuid.UUID
) -> tuple[OperatorSelection, OperationPlan]:
    selection = visible_selection(session, p, selection_id)
    plan = session.get(OperationPlan, selection.plan_id)
    if plan is None:  # the foreign key forbids it
        raise OperationNotFound(f"operator selection {selection_id} not found")
    require(
        acts_for(p, plan.implementing_party_id), "the implementing body runs the operator selection (004:931)"
    )
    if selection.state is not SelectionState.OPEN:
        raise OperationStateConflict("the operator has been selected already", state=selection.state.value)
    return selection, plan


def create_selection(
    session: Session,
    p: Principal,
    plan_id: uuid.UUID,
    data: SelectionCreate,
    settings: Settings | None = None,
) -> OperatorSelection:
    """Open a selection on a filed plan by tender, invitation or negotiation (004:931)."""
    plan = visible_plan(session, p, plan_id)
    require(
        acts_for(p, plan.implementing_party_id), "the implementing body runs the operator selection (004:931)"
    )
    if plan.state is not PlanState.FILED:
        raise OperationStateConflict(
            "an operator is selected under an approved and filed plan",
            state=plan.state.value,
            allowed=[PlanState.FILED.value],
            source="004:931",
        )
    selection = OperatorSelection(
        id=uuid.uuid4(),
        plan_id=plan.id,
        method=data.method,
        notice=data.notice,
        state=SelectionState.OPEN,
        created_at=utcnow(),
    )
    payload = {
        "selection_id": str(selection.id),
        "plan_id": str(plan.id),
        "method": data.method.value,
        "source": "004:931",
    }
    return keep(
        session, settings, p, selection, "selection_opened", plan_subject(plan.id), payload, data.method.value
    )


def add_candidate(
    session: Session,
    p: Principal,
    selection_id: uuid.UUID,
    data: CandidateCreate,
    settings: Settings | None = None,
) -> SelectionCandidate:
    """A candidate and its qualification checks (资格审查, 004:5597; 004:5603-5613)."""
    selection, plan = _open_selection(session, p, selection_id)
    if party_type_of(session, data.party_id) is None:
        raise OperationNotFound(f"party {data.party_id} not found")
    unknown = sorted(set(data.checks) - {"credit", "team", "experience", "security"})
    if unknown:
        raise InvalidInput(
            f"unknown qualification checks: {', '.join(unknown)}",
            errors=[
                {"loc": ["body", "checks", k], "msg": "unknown check", "type": "value_error"} for k in unknown
            ],
        )
    if any(c.party_id == data.party_id for c in candidates_of(session, selection.id)):
        raise OperationStateConflict("this party is a candidate already", state=selection.state.value)
    candidate = SelectionCandidate(
        selection_id=selection.id,
        party_id=data.party_id,
        checks=dict(data.checks),
        qualified=not missing_checks(data.checks),
    )
    payload = {
        "selection_id": str(selection.id),
        "party_id": str(data.party_id),
        "checks": data.checks,
        "qualified": candidate.qualified,
        "source": "004:5603-5613",
    }
    subject, qualified = plan_subject(plan.id), str(candidate.qualified)
    return keep(session, settings, p, candidate, "candidate_checked", subject, payload, qualified)


def record_expert_review(
    session: Session,
    p: Principal,
    selection_id: uuid.UUID,
    data: ExpertReviewCreate,
    settings: Settings | None = None,
) -> OperatorSelection:
    """The expert group's comprehensive review (综合评审, 004:5597)."""
    selection, plan = _open_selection(session, p, selection_id)
    selection.expert_group = list(data.experts)
    selection.expert_opinion = data.opinion
    selection.expert_reviewed_on = data.reviewed_on
    payload = {"selection_id": str(selection.id), "experts": len(data.experts), "source": "004:5597"}
    selection.ledger_index = record(
        session, settings, p, "expert_reviewed", plan_subject(plan.id), payload, "reviewed"
    )
    session.flush()
    return selection


def select_operator(
    session: Session,
    p: Principal,
    selection_id: uuid.UUID,
    data: SelectCreate,
    settings: Settings | None = None,
) -> OperatorSelection:
    """Select the operator; under inner_mongolia only a qualified candidate after the expert review."""
    selection, plan = _open_selection(session, p, selection_id)
    candidate = next((c for c in candidates_of(session, selection.id) if c.party_id == data.party_id), None)
    if _profile(settings) is RuleProfile.INNER_MONGOLIA:
        if candidate is None or not candidate.qualified:
            failed = missing_checks(candidate.checks) if candidate else ["candidate"]
            raise RuleRefused(
                f"the party has not passed the qualification checks: {', '.join(failed)}",
                rule="OPS-NM-QUALIFICATION",
                source="004:5597; 004:5603-5613",
                failed=failed,
            )
        if selection.expert_reviewed_on is None:
            raise RuleRefused(
                "the expert group has not reviewed the candidates",
                rule="OPS-NM-EXPERT-REVIEW",
                source="004:5597",
            )
    elif party_type_of(session, data.party_id) is None:
        raise OperationNotFound(f"party {data.party_id} not found")
    selection.state = SelectionState.SELECTED
    selection.selected_party_id = data.party_id
    selection.selected_on = data.selected_on
    payload = {
        "selection_id": str(selection.id),
        "operator": str(data.party_id),
        "source": "004:931; 004:5597",
    }
    selection.ledger_index = record(
        session, settings, p, "operator_selected", plan_subject(plan.id), payload, "selected"
    )
    session.flush()
    return selection


# -- agreements (授权运营协议) ---------------------------------------------------------------------


def visible_agreement(session: Session, p: Principal, agreement_id: uuid.UUID) -> Agreement:
    """The agreement, for its implementing body, its operator and the authority; 404 for anyone else."""
    agreement = session.get(Agreement, agreement_id)
    if agreement is None or not (
        is_authority(p) or p.party_id in (agreement.implementing_party_id, agreement.operator_party_id)
    ):
        raise OperationNotFound(f"authorization agreement {agreement_id} not found")
    return agreement


def list_agreements(session: Session, p: Principal) -> list[Agreement]:
    query = select(Agreement).order_by(Agreement.created_at.desc())
    if not is_authority(p):
        query = query.where(
            (Agreement.implementing_party_id == p.party_id) | (Agreement.operator_party_id == p.party_id)
        )
    return list(session.scalars(query.limit(200)))


def create_agreement(
    session: Session,
    p: Principal,
    plan_id: uuid.UUID,
    data: AgreementCreate,
    settings: Settings | None = None,
) -> Agreement:
    """Sign the agreement with the selected operator: scope within the plan and operable, term ≤ 5 years."""
    plan = visible_plan(session, p, plan_id)
    require(acts_for(p, plan.implementing_party_id), "the implementing body signs the agreement (004:935)")
    selection = session.get(OperatorSelection, data.selection_id)
    if selection is None or selection.plan_id != plan.id:
        raise OperationNotFound(f"operator selection {data.selection_id} not found")
    if selection.state is not SelectionState.SELECTED or selection.selected_party_id is None:
        raise OperationStateConflict(
            "no operator has been selected yet", state=selection.state.value, source="004:935"
        )
    refusal = term_refusal(data.term_start, data.term_end, _profile(settings), data.term_exception)
    if refusal is not None:
        raise TermTooLong(refusal.detail, rule=refusal.rule, source=refusal.source)
    check_within(session, data.scope, plan.data_scope, "the plan's data scope", "004:983; 004:939")
    now = utcnow()
    agreement = Agreement(
        id=uuid.uuid4(),
        plan_id=plan.id,
        selection_id=selection.id,
        implementing_party_id=plan.implementing_party_id,
        operator_party_id=selection.selected_party_id,
        scope=list(dict.fromkeys(data.scope)),
        term_start=data.term_start,
        term_end=data.term_end,
        products=list(data.products),
        security_duties=data.security_duties,
        exit_terms=data.exit_terms,
        signed_on=data.signed_on,
        term_exception=data.term_exception if term_exceeds_cap(data.term_start, data.term_end) else None,
        state=AgreementState.SIGNED,
        rectify_count=0,
        created_at=now,
        updated_at=now,
        retain_until=retain_until(data.term_end),
    )
    payload: dict[str, Any] = {
        "agreement_id": str(agreement.id),
        "operator": str(agreement.operator_party_id),
        "scope": agreement.scope,
        "term": [data.term_start.isoformat(), data.term_end.isoformat()],
        "source": "004:935-963; 004:5601",
    }
    if agreement.term_exception is not None:  # national: accepted with its reason, a warning
        payload["warning"] = {"rule": "OPS-TERM", "source": "004:941", "reason": agreement.term_exception}
    subject = agreement_subject(agreement.id)
    return keep(session, settings, p, agreement, "agreement_signed", subject, payload, "signed")
