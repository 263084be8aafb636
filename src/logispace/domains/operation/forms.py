"""What the operation pages say about a refused form (授权运营页面表单): the rule's document and article, a
step out of order by its state, a wrong field by its Chinese name; never a code or a source line."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form
from pydantic import ValidationError

from logispace.core.errors import DomainError
from logispace.domains.operation.i18n import FIELD_LABELS, OPERATION_LABELS, RULE_TEXT

Short = Annotated[str | None, Form(max_length=200)]
"""A one-line field of an operation page form (names, dates, amounts, codes)."""
Long = Annotated[str | None, Form(max_length=4000)]
"""A text area of an operation page form (plan sections, clauses, notices, reasons)."""
Many = Annotated[list[str] | None, Form(max_length=200)]
"""Check boxes of an operation page form (resources, qualification checks)."""

BODY_FIELDS = {
    "name": "plan_name",
    "method": "selection_method",
    "party_id": "uscc",
    "selection_id": "selection",
    "products": "agreement_products",
    "experts": "experts",
    "year": "report_year",
}
"""Body fields the pages post under another name (the form's name is the one labelled)."""

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


def _field(loc: object) -> str:
    parts = [BODY_FIELDS.get(str(x), str(x)) for x in loc] if isinstance(loc, list | tuple) else []
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
            label = _field(e.get("loc", ()))
            missing = e.get("type") in ("missing", "string_too_short", "too_short")
            text = "必须填写。" if missing else "填写的内容不符合要求。"
            line = f"{label}：{text}" if label else ("有必填项未填写。" if missing else text)
            if line not in out:
                out.append(line)
        return out
    status = exc.status if isinstance(exc, DomainError) else 422
    return [BY_STATUS.get(status, "操作未完成，请稍后重试。")]


def status_of(exc: ValidationError | DomainError) -> int:
    return exc.status if isinstance(exc, DomainError) else 422
