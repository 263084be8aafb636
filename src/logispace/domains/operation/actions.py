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
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, cast

from pydantic import BaseModel
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import Principal, party_ids_by_uscc
from logispace.domains.operation import (
    disclosure,
    lifecycle,
    products,
    report_lines,
    service,
    staff,
)
from logispace.domains.operation.errors import OperationNotFound
from logispace.domains.operation.schemas import (
    AgreementCreate,
    ApprovalCreate,
    CandidateCreate,
    CopyCreate,
    EvaluationCreate,
    ExclusionCreate,
    ExpertReviewCreate,
    FilingCreate,
    FormalPriceCreate,
    ReportLineCreate,
    SelectCreate,
    SelectionCreate,
    StaffCreate,
    StepCreate,
)

Kind = Literal["plan", "selection", "agreement", "product", "staff"]
"""The record a step acts on (its id in the path)."""
Result = Literal[
    "plan",
    "selection",
    "agreement",
    "product",
    "staff",
    "evaluation",
    "revenue",
    "copy",
    "exclusion",
    "report_line",
]
"""What a step leaves, the record or figures the API answers."""
Page = Literal["plan", "selection", "agreement", "staff", "exclusions"]
"""The page a step's form is on (where a refusal is shown)."""
Record = Any
PLURAL: dict[str, str] = {
    "plan": "plans",
    "selection": "selections",
    "agreement": "agreements",
    "product": "products",
    "staff": "staff",
}
"""The path segment of each record kind: ``/operation/<plural>/{id}`` and the API's alike."""

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
    evaluation_year: str | None = None
    evaluation_opinion: str | None = None
    evaluator: str | None = None
    result: str | None = None
    excellent: str | None = None
    evaluated_on: str | None = None
    copy_resource: str | None = None
    excluded_resource: str | None = None
    cost: str | None = None
    subsidy: str | None = None
    bond_yield: str | None = None
    rate: str | None = None
    tax: str | None = None
    price_cap_yuan: str | None = None
    expected_volume: str | None = None
    staff_user: str | None = None
    real_name_verified_on: str | None = None
    confidentiality_signed_on: str | None = None
    confidentiality_sha256: str | None = None
    vetted_on: str | None = None
    ground: str | None = None
    note: str | None = None
    line_year: str | None = None
    line_product: str | None = None
    volume: str | None = None
    revenue: str | None = None
    max_allowed_revenue: str | None = None

    @classmethod
    def of(cls, fields: dict[str, Any]) -> StepForm:
        """The form from the page route's fields (check boxes left empty become empty lists)."""
        many = {"checks", "scope"}
        values: dict[str, Any] = {k: (v or []) if k in many else v for k, v in fields.items() if k in _FIELDS}
        return cls(**values)


_FIELDS = set(StepForm.__dataclass_fields__)


@dataclass(frozen=True)
class Action:
    """One step, for the API route and the page form alike."""

    name: str
    """The page's action name, the API route's name and the key of its success message."""
    kind: Kind | None
    """The record the step acts on: its id is in the path (``None``: a step on no record, such as
    marking data that must not be operated)."""
    path: str
    """The API path after ``/<plural>/{<kind>_id}`` (the whole path under the prefix without a kind)."""
    summary: str
    body: type[BaseModel]
    from_form: Callable[[Session, StepForm], BaseModel]
    run: Callable[[Session, Principal, uuid.UUID, Any, Settings], Record]
    """The service call; answers the record the API reads back (the kind of :attr:`result`)."""
    result: Result
    status_code: int = 200
    done: str = "办理成功。"
    """What the page says when the step is taken."""
    form_on: Page | None = None
    """Where the page's form is when not on the record's own page: the agreement is signed on the
    selection's page (the form names it in ``selection``), so a refusal is shown there; a product's
    steps are on its agreement's page, a kindless step on its own page (``staff``, ``exclusions``)."""


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


def _whole(text: str | None) -> int | str | None:
    """A whole number typed in a form (anything else passed on for the body to refuse by its name)."""
    value = (text or "").strip()
    return int(value) if value.isdigit() else value or None


def _evaluation(s: Session, f: StepForm) -> BaseModel:
    data = {
        "year": _whole(f.evaluation_year),
        "evaluator": f.evaluator,
        "result": f.result,
        "excellent": f.excellent == "1",
        "opinion": f.evaluation_opinion,
        "evaluated_on": f.evaluated_on,
    }
    return _validate(EvaluationCreate, data)


def _copy(s: Session, f: StepForm) -> BaseModel:
    return _validate(CopyCreate, {"catalog_code": f.copy_resource})


def _fen(yuan: str | None) -> int | str | None:
    """An amount in yuan as fen (an invalid one is passed on for the body to refuse by its name)."""
    text = (yuan or "").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        return text or None
    return int((value * 100).to_integral_value()) if value.is_finite() and value >= 0 else text


def _formal(s: Session, f: StepForm) -> BaseModel:
    data = {
        "cost": f.cost,
        "subsidy": f.subsidy,
        "bond_yield": f.bond_yield,
        "rate": f.rate,
        "tax": f.tax,
        "price_cap_fen": _fen(f.price_cap_yuan),
        "expected_volume": _whole(f.expected_volume),
    }
    return _validate(FormalPriceCreate, {k: v.strip() if isinstance(v, str) else v for k, v in data.items()})


def _staff(s: Session, f: StepForm) -> BaseModel:
    data = {
        "user_id": f.staff_user,
        "real_name_verified_on": f.real_name_verified_on,
        "confidentiality_signed_on": f.confidentiality_signed_on,
        "confidentiality_sha256": (f.confidentiality_sha256 or "").strip().lower() or None,
        "filed_on": f.filed_on,
        "vetted_on": f.vetted_on,
    }
    return _validate(StaffCreate, data)


def _exclusion(s: Session, f: StepForm) -> BaseModel:
    data = {"catalog_code": (f.excluded_resource or "").strip(), "ground": f.ground, "note": f.note}
    return _validate(ExclusionCreate, data)


def _report_line(s: Session, f: StepForm) -> BaseModel:
    data = {
        "year": _whole(f.line_year),
        "product_id": f.line_product,
        "volume": _whole(f.volume),
        "revenue": (f.revenue or "").strip(),
        "max_allowed_revenue": (f.max_allowed_revenue or "").strip(),
    }
    return _validate(ReportLineCreate, data)


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


AGREEMENT_STEPS = (
    (
        "suspend",
        "Suspend the agreement and the operator's rights (暂停) (authority or implementing body)",
        "授权运营协议已暂停。",
    ),
    (
        "resume",
        "Resume a suspended agreement (恢复) (authority or implementing body)",
        "授权运营协议已恢复履行。",
    ),
    (
        "terminate",
        "Terminate (终止): grants revoked, platform copies deleted, registrations flagged",
        "授权运营协议已终止，相关权限已撤销、平台留存数据已删除。",
    ),
)
"""Suspend, resume, terminate: (step, API summary, the page's success message)."""

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
    *(
        Action(
            name=f"{step}_agreement",
            kind="agreement",
            path=f"/{step}",
            summary=summary,
            body=StepCreate,
            from_form=_reason,
            run=_agreement_step(step),
            result="agreement",
            done=done,
        )
        for step, summary, done in AGREEMENT_STEPS
    ),
    Action(
        name="evaluate",
        kind="agreement",
        path="/evaluations",
        summary="Annual evaluation (data authority): a fail terminates with the exit effects",
        body=EvaluationCreate,
        from_form=_evaluation,
        run=lambda s, p, i, b, st: lifecycle.evaluate(s, p, i, b, st)[0],
        result="evaluation",
        status_code=201,
        done="年度考核评估结果已记录。",
    ),
    Action(
        name="provision_copy",
        kind="agreement",
        path="/copies",
        summary="Keep a copy of a resource on the platform (implementing body)",
        body=CopyCreate,
        from_form=_copy,
        run=lifecycle.provision_copy,
        result="copy",
        status_code=201,
        done="平台留存数据已存放。",
    ),
    Action(
        name="record_report_line",
        kind="agreement",
        path="/annual-report-lines",
        summary="Record a product's price, volume and revenue in the annual report (authorizing subject)",
        body=ReportLineCreate,
        from_form=_report_line,
        run=report_lines.record_line,
        result="report_line",
        status_code=201,
        done="年度经营情况报告的产品记录已保存。",
    ),
    Action(
        name="set_formal_price",
        kind="product",
        path="/formal-price",
        summary="From trial to formal price within the MAR (implementing body)",
        body=FormalPriceCreate,
        from_form=_formal,
        run=lambda s, p, i, b, st: products.set_formal_price(s, p, i, b, st)[1],
        result="revenue",
        done="已核定正式收费标准。",
        form_on="agreement",
    ),
    Action(
        name="register_staff",
        kind=None,
        path="/staff",
        summary="Register a processing staff member (operator)",
        body=StaffCreate,
        from_form=_staff,
        run=lambda s, p, i, b, st: staff.register_staff(s, p, b, st),
        result="staff",
        status_code=201,
        done="数据加工人员已登记。",
        form_on="staff",
    ),
    Action(
        name="update_staff",
        kind="staff",
        path="/records",
        summary="Add records: real name, confidentiality (operator); filing, vetting (overseers)",
        body=StaffCreate,
        from_form=_staff,
        run=staff.update_staff,
        result="staff",
        done="数据加工人员记录已更新。",
        form_on="staff",
    ),
    Action(
        name="mark_exclusion",
        kind=None,
        path="/exclusions",
        summary="Mark a resource as not to be operated (OPS-R20) (authority)",
        body=ExclusionCreate,
        from_form=_exclusion,
        run=lambda s, p, i, b, st: disclosure.mark_exclusion(s, p, b, st),
        result="exclusion",
        status_code=201,
        done="已标记为不得授权运营的数据。",
        form_on="exclusions",
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
    kind: Kind | None,
    record_id: uuid.UUID | None,
    name: str,
    form: StepForm,
    settings: Settings,
) -> Record:
    """A page's step: the row named ``name`` on a record of ``kind`` (404 for a name of another kind),
    its body built from the form (a :class:`pydantic.ValidationError` when a field is wrong)."""
    action = BY_NAME.get(name)
    if action is None or action.kind != kind:
        raise OperationNotFound(f"no step {name} on a {kind}")
    # a kindless row's service takes no record id: it is never read
    record = cast(uuid.UUID, record_id)
    return action.run(session, p, record, action.from_form(session, form), settings)
