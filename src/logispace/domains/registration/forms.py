"""What every registration page does with a form (登记页面表单): blank fields are absent, and a refused
step is shown above the form as its reasons, with the status the API would answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form
from pydantic import BeforeValidator, ValidationError

from logispace.core.citations import cite
from logispace.core.errors import DomainError
from logispace.domains.registration.i18n import FIELD_LABELS, REGISTRATION_LABELS


def _none_if_blank(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


BlankIsNone = BeforeValidator(_none_if_blank)

Text = Annotated[str | None, Form(max_length=4000)]
"""A text field of a registration page form (notes, reasons, the information sheet)."""
RenewalText = Annotated[str | None, Form(max_length=2000)]
"""A text field of a renewal form (the holder's request, the authority's decision)."""


REFUSALS_BY_CODE = {
    "registration-initial-required": "须先办理首次登记，才能办理变更、更正或注销登记。",
    "registration-materials-incomplete": "登记材料不齐全，请补齐后再提交。",
    "registration-duplicate": "该数据资源已由本单位登记，不得重复登记。",
    "registration-evidence-mismatch": "所引用的存证与数据内容不一致。",
    "registration-subject-not-ready": "登记对象当前尚不能登记：请先上传数据或确认其状态。",
    "registration-account-required": "请先开设登记账户，核发后再办理登记。",
    "registration-renewal-pending": "本登记已有续展申请在审核中，请等待审核结果。",
    "registration-account-exists": "本单位已申请或开设登记账户：一个登记主体仅可开设一个登记账户。",
}
"""What a refusal says on a Chinese page, by its code (the API's words stay in English)."""

REFUSALS_BY_STATUS = {
    403: "您没有办理此事项的权限。",
    404: "所办理的记录不存在，或您无权查看。",
    409: "该事项当前的状态不允许此操作，请刷新页面后查看可以办理的操作。",
    413: "上传的内容超过了允许的大小。",
    415: "上传的内容格式不受支持。",
    422: "填写的内容不符合要求，请检查后重新提交。",
}


FIELD_ALIASES = {"co_subject_party_ids": "co_subjects"}
"""Body fields checked by the service under another name than the form's field."""


def _zh_action_refusal(exc: DomainError) -> str:
    """A step out of order, in words: the step, the state it met, the steps open in that state."""
    opens, closes = exc.extensions.get("window_opens"), exc.extensions.get("window_closes")
    if opens and closes:  # a renewal outside its window
        return f"续展申请须在登记有效期届满前60日内提出，本登记可申请续展的期间为{opens}至{closes}。"
    labels = REGISTRATION_LABELS
    action = labels["action"].get(str(exc.extensions.get("action")), "此操作")
    state = labels["state"].get(str(exc.extensions.get("state")), "当前状态")
    allowed = [labels["action"].get(str(a), "") for a in exc.extensions.get("allowed_actions") or []]
    open_steps = "、".join(a for a in allowed if a) or "无"
    return f"事项处于“{state}”，不能办理“{action}”；当前可以办理：{open_steps}。"


def _zh_field(loc: object) -> str:
    parts = [FIELD_ALIASES.get(str(p), str(p)) for p in loc] if isinstance(loc, list | tuple) else []
    names = [part for part in parts if part in FIELD_LABELS]
    return FIELD_LABELS[names[-1]] if names else ""


def _zh_messages(exc: ValidationError | DomainError) -> list[str]:
    errors = exc.errors() if isinstance(exc, ValidationError) else exc.extensions.get("errors")
    if isinstance(errors, list) and errors:
        out = []
        for e in errors:
            label = _zh_field(e.get("loc", ()))
            missing = e.get("type") in ("missing", "string_too_short")
            text = "必须填写。" if missing else "填写的内容不符合要求。"
            out.append(f"{label}：{text}" if label else ("有必填项未填写。" if missing else text))
        return out
    if isinstance(exc, ValidationError):  # a validation error always names its fields
        return ["填写的内容不符合要求。"]
    if exc.code in REFUSALS_BY_CODE:
        basis = cite(str(exc.extensions.get("source") or ""))
        return [REFUSALS_BY_CODE[exc.code] + (f"（依据{basis}）" if basis else "")]
    if exc.status == 409 and "allowed_actions" in exc.extensions:
        return [_zh_action_refusal(exc)]
    return [REFUSALS_BY_STATUS.get(exc.status, "操作未完成，请稍后重试。")]


def messages_of(exc: ValidationError | DomainError, lang: str = "zh") -> list[str]:
    """The reasons to show above a refused form, one line each: in Chinese by the refusal's code, its
    state and its fields; on English pages the service's own words."""
    if lang == "zh":
        return _zh_messages(exc)
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
    return [str(exc)]


def status_of(exc: ValidationError | DomainError) -> int:
    return exc.status if isinstance(exc, DomainError) else 422
