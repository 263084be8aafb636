"""The steps of a plan, an operator selection and an agreement (实施方案、运营机构选择、授权运营协议的办理
步骤), written once for the API and the pages.

Each row of :data:`ACTIONS` is one step on one record: the record it acts on (``plan``, ``selection``,
``agreement``), the API path under ``/api/v1/operation/<record>s/{id}`` with its route name and summary,
the request body (and how a page form becomes that body), the service call, and what the step leaves
(the record the API answers). :mod:`.api` makes one route per row and the pages post to
``/operation/<record>s/{id}/<name>`` through the same rows, so a new step is one more row. The services
check the actor and the state either way (403, 404, 409).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import Principal, party_ids_by_uscc
from logispace.domains.operation import lifecycle, service
from logispace.domains.operation.errors import OperationNotFound
from logispace.domains.operation.models import Agreement, OperationPlan, OperatorSelection
from logispace.domains.operation.schemas import (
    AgreementCreate,
    ApprovalCreate,
    CandidateCreate,
    ExpertReviewCreate,
    FilingCreate,
    SelectCreate,
    SelectionCreate,
    StepCreate,
)

Kind = Literal["plan", "selection", "agreement"]
Record = OperationPlan | OperatorSelection | Agreement

_LINES = re.compile(r"[\n;；、,，]+")


def lines(text: str | None) -> list[str]:
    """The entries of a one-item-a-line text area (also split at 、 and ；), blank ones left out."""
    return [x.strip() for x in _LINES.split(text or "") if x.strip()]


@dataclass(frozen=True)
class StepForm:
    """The fields a step's page form posts (blank ones are ``None``)."""

    approving_body: str | None = None
    approved_on: str | None = None
    document: str | None = None
    filed_on: str | None = None
    selection_method: str | None = None
    notice: str | None = None
    uscc: str | None = None
    checks: list[str] = field(default_factory=list)
    experts: str | None = None
    opinion: str | None = None
    reviewed_on: str | None = None
    candidate: str | None = None
    selected_on: str | None = None
    selection: str | None = None
    scope: list[str] = field(default_factory=list)
    term_start: str | None = None
    term_end: str | None = None
    agreement_products: str | None = None
    security_duties: str | None = None
    exit_terms: str | None = None
    signed_on: str | None = None
    reason: str | None = None
    term_exception: str | None = None


@dataclass(frozen=True)
class Action:
    """One step, for the API route and the page form alike."""

    name: str
    """The page's action name, the API route's name and the key of its success message."""
    kind: Kind
    """The record the step acts on: its id is in the path."""
    path: str
    """The API path after ``/<kind>s/{<kind>_id}``."""
    summary: str
    body: type[BaseModel]
    from_form: Callable[[Session, StepForm], BaseModel]
    run: Callable[[Session, Principal, uuid.UUID, Any, Settings], Record]
    """The service call; answers the record the API reads back (the kind of :attr:`result`)."""
    result: Kind
    status_code: int = 200
    done: str = "办理成功。"
    """What the page says when the step is taken."""
    form_on: Kind | None = None
    """Where the page's form is when not on the record's own page: the agreement is signed on the
    selection's page (the form names it in ``selection``), so a refusal is shown there."""


def _validate(model: type[BaseModel], data: dict[str, Any]) -> BaseModel:
    return model.model_validate({k: v for k, v in data.items() if v not in (None, "")})


def _approval(s: Session, f: StepForm) -> BaseModel:
    data = {"approving_body": f.approving_body, "approved_on": f.approved_on, "document": f.document}
    return _validate(ApprovalCreate, data)


def _filing(s: Session, f: StepForm) -> BaseModel:
    return _validate(FilingCreate, {"filed_on": f.filed_on})


def _opening(s: Session, f: StepForm) -> BaseModel:
    return _validate(SelectionCreate, {"method": f.selection_method, "notice": f.notice})


def _candidate(s: Session, f: StepForm) -> BaseModel:
    code = (f.uscc or "").strip().upper()
    party = party_ids_by_uscc(s, [code]).get(code) if code else None
    data = {"party_id": str(party) if party else None, "checks": dict.fromkeys(f.checks, True)}
    return _validate(CandidateCreate, data)


def _review(s: Session, f: StepForm) -> BaseModel:
    data = {"experts": lines(f.experts) or None, "opinion": f.opinion, "reviewed_on": f.reviewed_on}
    return _validate(ExpertReviewCreate, data)


def _pick(s: Session, f: StepForm) -> BaseModel:
    return _validate(SelectCreate, {"party_id": f.candidate, "selected_on": f.selected_on})


def _signing(s: Session, f: StepForm) -> BaseModel:
    data = {
        "selection_id": f.selection,
        "scope": list(f.scope) or None,
        "term_start": f.term_start,
        "term_end": f.term_end,
        "products": lines(f.agreement_products) or None,
        "security_duties": f.security_duties,
        "exit_terms": f.exit_terms,
        "signed_on": f.signed_on,
        "term_exception": (f.term_exception or "").strip() or None,
    }
    return _validate(AgreementCreate, data)


def _reason(s: Session, f: StepForm) -> BaseModel:
    return _validate(StepCreate, {"reason": f.reason})


def _added_candidate(
    s: Session, p: Principal, selection_id: uuid.UUID, body: CandidateCreate, settings: Settings
) -> Record:
    service.add_candidate(s, p, selection_id, body, settings)
    return service.visible_selection(s, p, selection_id)


def _agreement_step(step: str) -> Callable[[Session, Principal, uuid.UUID, Any, Settings], Record]:
    def run(
        s: Session, p: Principal, agreement_id: uuid.UUID, body: StepCreate, settings: Settings
    ) -> Record:
        return lifecycle.step_agreement(s, p, agreement_id, step, body.reason, settings)

    return run


ACTIONS: tuple[Action, ...] = (
    Action(
        name="approve_internal",
        kind="plan",
        path="/internal-approval",
        summary="Record the 三重一大 approval (implementing body)",
        body=ApprovalCreate,
        from_form=_approval,
        run=lambda s, p, i, b, st: service.approve_plan(s, p, i, "approve_internal", b, st),
        result="plan",
        done="集体审议结果已记录。",
    ),
    Action(
        name="approve_government",
        kind="plan",
        path="/government-approval",
        summary="Record the government's approval (implementing body)",
        body=ApprovalCreate,
        from_form=_approval,
        run=lambda s, p, i, b, st: service.approve_plan(s, p, i, "approve_government", b, st),
        result="plan",
        done="本级人民政府审定结果已记录。",
    ),
    Action(
        name="file_plan",
        kind="plan",
        path="/filing",
        summary="File an approved plan (备案) (data authority)",
        body=FilingCreate,
        from_form=_filing,
        run=service.file_plan,
        result="plan",
        done="实施方案已备案。",
    ),
    Action(
        name="create_selection",
        kind="plan",
        path="/selections",
        summary="Open an operator selection (implementing body)",
        body=SelectionCreate,
        from_form=_opening,
        run=service.create_selection,
        result="selection",
        status_code=201,
        done="运营机构选择已启动。",
    ),
    Action(
        name="create_agreement",
        kind="plan",
        path="/agreements",
        summary="Sign the agreement (授权运营协议) (implementing body)",
        body=AgreementCreate,
        from_form=_signing,
        run=service.create_agreement,
        result="agreement",
        status_code=201,
        done="授权运营协议已签订，待数据主管部门备案。",
        form_on="selection",
    ),
    Action(
        name="add_candidate",
        kind="selection",
        path="/candidates",
        summary="Add a candidate with its qualification checks",
        body=CandidateCreate,
        from_form=_candidate,
        run=_added_candidate,
        result="selection",
        status_code=201,
        done="申请单位及资格审查结果已记录。",
    ),
    Action(
        name="expert_review",
        kind="selection",
        path="/expert-review",
        summary="Record the expert group's review",
        body=ExpertReviewCreate,
        from_form=_review,
        run=service.record_expert_review,
        result="selection",
        done="专家组综合评审意见已记录。",
    ),
    Action(
        name="select_operator",
        kind="selection",
        path="/selection",
        summary="Select the operator (implementing body)",
        body=SelectCreate,
        from_form=_pick,
        run=service.select_operator,
        result="selection",
        done="运营机构已选定。",
    ),
    Action(
        name="file_agreement",
        kind="agreement",
        path="/filing",
        summary="File the agreement; it is in force (data authority)",
        body=FilingCreate,
        from_form=_filing,
        run=lifecycle.file_agreement,
        result="agreement",
        done="授权运营协议已备案，开始履行。",
    ),
    Action(
        name="suspend_agreement",
        kind="agreement",
        path="/suspend",
        summary="Suspend the agreement and the operator's rights (暂停) (authority or implementing body)",
        body=StepCreate,
        from_form=_reason,
        run=_agreement_step("suspend"),
        result="agreement",
        done="授权运营协议已暂停。",
    ),
    Action(
        name="resume_agreement",
        kind="agreement",
        path="/resume",
        summary="Resume a suspended agreement (恢复) (authority or implementing body)",
        body=StepCreate,
        from_form=_reason,
        run=_agreement_step("resume"),
        result="agreement",
        done="授权运营协议已恢复履行。",
    ),
    Action(
        name="terminate_agreement",
        kind="agreement",
        path="/terminate",
        summary="Terminate (终止): grants revoked, platform copies deleted, registrations flagged",
        body=StepCreate,
        from_form=_reason,
        run=_agreement_step("terminate"),
        result="agreement",
        done="授权运营协议已终止，相关权限已撤销、平台留存数据已删除。",
    ),
)

BY_NAME: dict[str, Action] = {a.name: a for a in ACTIONS}

DONE: dict[str, str] = {
    **{a.name: a.done for a in ACTIONS},
    "create_plan": "实施方案已编制。",
    "create_product": "产品和服务已创建。",
    "deliver": "产品和服务已交付。",
    "price": "收费标准已更新。",
    "report": "年度经营情况报告已记录为已报送。",
    "register": "登记申请已创建，请在登记业务中补充材料后提交。",
}
"""The success message of each step, by name (the pages' ``?done=``)."""


def take(
    session: Session,
    p: Principal,
    kind: Kind,
    record_id: uuid.UUID,
    name: str,
    form: StepForm,
    settings: Settings,
) -> Record:
    """A page's step: the row named ``name`` on a record of ``kind`` (404 for a name of another kind),
    its body built from the form (a :class:`pydantic.ValidationError` when a field is wrong)."""
    action = BY_NAME.get(name)
    if action is None or action.kind != kind:
        raise OperationNotFound(f"no step {name} on a {kind}")
    return action.run(session, p, record_id, action.from_form(session, form), settings)
