"""What the operation pages say about a refused form (授权运营页面表单): the rule's document and article, a
step out of order by its state, a wrong field by its Chinese name; never a code or a source line."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form
from pydantic import BaseModel, Field, ValidationError

from logispace.core.errors import DomainError
from logispace.domains.operation.actions import StepForm
from logispace.domains.operation.i18n import FIELD_LABELS, OPERATION_LABELS, RULE_TEXT

Short = Annotated[str | None, Form(max_length=200)]
"""A one-line field of an operation page form (names, dates, amounts, codes)."""
Long = Annotated[str | None, Form(max_length=4000)]
"""A text area of an operation page form (plan sections, clauses, notices, reasons)."""
Many = Annotated[list[str] | None, Form(max_length=200)]
"""Check boxes of an operation page form (resources, qualification checks)."""

_Line = Annotated[str | None, Field(max_length=200)]
_Area = Annotated[str | None, Field(max_length=4000)]
_Boxes = Annotated[list[str] | None, Field(max_length=200)]


class StepFields(BaseModel):
    """The fields the step forms post (:class:`.actions.StepForm`): one form model for every step route."""

    approving_body: _Line = None
    approved_on: _Line = None
    document: _Line = None
    filed_on: _Line = None
    selection_method: _Line = None
    notice: _Area = None
    uscc: _Line = None
    checks: _Boxes = None
    experts: _Area = None
    opinion: _Area = None
    reviewed_on: _Line = None
    candidate: _Line = None
    selected_on: _Line = None
    selection: _Line = None
    scope: _Boxes = None
    term_start: _Line = None
    term_end: _Line = None
    agreement_products: _Area = None
    security_duties: _Area = None
    exit_terms: _Area = None
    signed_on: _Line = None
    reason: _Area = None
    term_exception: _Area = None
    evaluation_year: _Line = None
    evaluation_opinion: _Area = None
    evaluator: _Line = None
    result: _Line = None
    excellent: _Line = None
    evaluated_on: _Line = None
    copy_resource: _Line = None
    excluded_resource: _Line = None
    cost: _Line = None
    subsidy: _Line = None
    bond_yield: _Line = None
    rate: _Line = None
    tax: _Line = None
    price_cap_yuan: _Line = None
    expected_volume: _Line = None
    staff_user: _Line = None
    real_name_verified_on: _Line = None
    confidentiality_signed_on: _Line = None
    confidentiality_sha256: _Line = None
    vetted_on: _Line = None
    ground: _Line = None
    note: _Area = None
    line_year: _Line = None
    line_product: _Line = None
    volume: _Line = None
    revenue: _Line = None
    max_allowed_revenue: _Line = None

    def step_form(self) -> StepForm:
        return StepForm.of(self.model_dump())


BODY_FIELDS = {
    "name": "plan_name",
    "method": "selection_method",
    "party_id": "uscc",
    "selection_id": "selection",
    "products": "agreement_products",
    "experts": "experts",
    "year": "report_year",
    "user_id": "staff_user",
    "price_cap_fen": "price_cap_yuan",
}
"""Body fields the pages post under another name (the form's name is the one labelled)."""

BODY_FIELDS_OF: dict[str, dict[str, str]] = {
    "EvaluationCreate": {"year": "evaluation_year", "opinion": "evaluation_opinion"},
    "CopyCreate": {"catalog_code": "copy_resource"},
    "ExclusionCreate": {"catalog_code": "excluded_resource"},
    "ReportLineCreate": {"year": "line_year", "product_id": "line_product"},
}
"""Body fields of one model posted under another name than :data:`BODY_FIELDS` says."""

BY_STATUS = {
    403: "您没有办理此事项的权限。",
    404: "所办理的记录不存在，或您无权查看。",
    409: "该事项当前的状态不允许此操作，请刷新页面后查看可以办理的操作。",
    422: "填写的内容不符合要求，请检查后重新提交。",
}

BY_CODE = {
    "registration-account-required": "请先开设登记账户，核发后再办理登记。",
    "registration-duplicate": "该数据资源已由本单位登记，不得重复登记。",
    "registration-subject-not-ready": "登记对象当前尚不能登记：请先上传数据或确认其状态。",
}
"""Refusals of the registration domain met on an operation page (filing a registration duty)."""

STATE_KINDS = ("plan_state", "agreement_state", "price_state", "product_state")


def _field(loc: object, model: str = "") -> str:
    renamed = {**BODY_FIELDS, **BODY_FIELDS_OF.get(model, {})}
    parts = [renamed.get(str(x), str(x)) for x in loc] if isinstance(loc, list | tuple) else []
    names = [x for x in parts if x in FIELD_LABELS]
    return FIELD_LABELS[names[-1]] if names else ""


def _state(code: str) -> str:
    for kind in STATE_KINDS:
        if code in OPERATION_LABELS[kind]:
            return OPERATION_LABELS[kind][code]
    return "当前状态"


def messages_of(exc: ValidationError | DomainError) -> list[str]:
    """The reasons to show above a refused form, one line each, in Chinese."""
    if isinstance(exc, DomainError):
        rule = str(exc.extensions.get("rule", ""))
        if rule in RULE_TEXT:
            return [RULE_TEXT[rule]]
        if exc.code in BY_CODE:
            return [BY_CODE[exc.code]]
        if exc.code == "operation-invalid-transition":
            return [f"事项当前处于“{_state(str(exc.extensions.get('state')))}”，不能办理此操作。"]
    errors = exc.errors() if isinstance(exc, ValidationError) else exc.extensions.get("errors")
    if isinstance(errors, list) and errors:
        out: list[str] = []
        for e in errors:
            label = _field(e.get("loc", ()), exc.title if isinstance(exc, ValidationError) else "")
            missing = e.get("type") in ("missing", "string_too_short", "too_short")
            text = "必须填写。" if missing else "填写的内容不符合要求。"
            line = f"{label}：{text}" if label else ("有必填项未填写。" if missing else text)
            if line not in out:
                out.append(line)
        return out
    status = exc.status if isinstance(exc, DomainError) else 422
    return [BY_STATUS.get(status, "操作未完成，请稍后重试。")]
