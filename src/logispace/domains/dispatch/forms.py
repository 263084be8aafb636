"""What the dispatch pages do with a form (调度页面表单): blank fields are absent, times are Beijing
time, and a refused form is shown again with its reasons in Chinese, with the status the API answers.

The forms go through the API's bodies (:class:`~.schemas.LoadCreate`, :class:`~.schemas.VehicleCreate`,
:class:`~.schemas.LoadFromWaybill`) and the same services, so a page refuses what the API refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from pydantic import ValidationError

from logispace.core.errors import DomainError
from logispace.domains.dispatch.i18n import FIELD_LABELS

BEIJING = timezone(timedelta(hours=8))

FORM_NAMES = {"reference": "load_reference"}
"""Body fields that the forms name otherwise (a load's reference is 货源编号, not a document's 单证编号)."""

CONFLICTS = {
    "plate_taken": "本单位已登记该车牌号的车辆。",
    "reference_taken": "本单位已有该编号的货源，请换一个货源编号。",
    "waybill_used": "该运单草稿已生成过货源。",
    "not_draft": "该运单已签发或已结束，只有运单草稿可以生成货源。",
    "no_road_leg": "该运单没有公路运输区段，无需车辆承运。",
    "decided": "该匹配建议已处理过。",
    "load_matched": "该货源已匹配其他车辆。",
}
"""What a dispatch conflict (409) says on a Chinese page, by its ``reason``."""

REFUSALS_BY_CODE = {
    "dispatch-conflict": "该事项当前的状态不允许此操作，请刷新页面后重试。",
    "dispatch-not-allowed": "您没有办理此事项的权限：由本单位管理员或数据管理员办理。",
    "dispatch-input-invalid": "填写的内容不符合要求，请检查后重新提交。",
    "waybill-not-found": "未找到该运单，或本单位不是该运单的当事方。",
}
REFUSALS_BY_STATUS = {
    403: "您没有办理此事项的权限。",
    404: "所办理的记录不存在，或您无权查看。",
    409: "该事项当前的状态不允许此操作，请刷新页面后重试。",
    422: "填写的内容不符合要求，请检查后重新提交。",
}
MESSAGES_BY_TYPE = {
    "missing": "必须填写。",
    "string_too_short": "内容过短。",
    "string_too_long": "内容过长。",
    "greater_than_equal": "不能小于允许的最小值。",
    "less_than_equal": "超出了允许的最大值。",
    "float_parsing": "请填写数字。",
    "datetime_from_date_parsing": "请填写正确的日期和时间。",
    "date_from_datetime_parsing": "请填写正确的日期。",
    "string_pattern_mismatch": "格式不正确。",
    "enum": "请从列表中选择。",
}


def blank_is_absent(form: Mapping[str, Any]) -> dict[str, Any]:
    """The form's filled fields: a field left blank is as if not sent."""
    return {k: v for k, v in form.items() if not (v is None or (isinstance(v, str) and not v.strip()))}


def beijing_time(value: str) -> datetime | str:
    """A ``datetime-local`` value (no offset) read as Beijing time; anything else is left for the body
    to refuse."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def as_date(value: str) -> date | str:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return value


def field_name(loc: object) -> str:
    """The form field a body error names: its last named part, as the form calls it."""
    parts = [str(p) for p in loc if isinstance(p, str)] if isinstance(loc, list | tuple) else []
    names = [FORM_NAMES.get(p, p) for p in parts]
    return next((n for n in reversed(names) if n in FIELD_LABELS), "")


def messages_of(exc: ValidationError | DomainError, lang: str = "zh") -> list[str]:
    """The reasons to show above a refused form, one line each: in Chinese by field and error type or
    by the refusal's code; on English pages the service's own words."""
    if lang != "zh":
        if isinstance(exc, ValidationError):
            return [f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()]
        return [str(exc)]
    errors = exc.errors() if isinstance(exc, ValidationError) else exc.extensions.get("errors")
    field = "" if isinstance(exc, ValidationError) else str(exc.extensions.get("field") or "")
    if isinstance(errors, list) and errors:
        out = []
        for e in errors:
            name = field_name(e.get("loc", ()))
            text = MESSAGES_BY_TYPE.get(str(e.get("type")), "填写的内容不符合要求。")
            out.append(f"{FIELD_LABELS[name]}：{text}" if name else text)
        return out
    if field in FIELD_LABELS or FORM_NAMES.get(field) in FIELD_LABELS:
        name = FORM_NAMES.get(field, field)
        wording = "装货时限的结束时间早于开始时间。" if name == "latest_pickup" else "填写的内容不符合要求。"
        if name in ("pickup_place", "drop_place"):
            wording = "运单的交接地点没有登记坐标，暂不能生成货源。"
        return [f"{FIELD_LABELS[name]}：{wording}"]
    reason = str(exc.extensions.get("reason")) if isinstance(exc, DomainError) else ""
    if reason in CONFLICTS:
        return [CONFLICTS[reason]]
    if isinstance(exc, DomainError) and exc.code in REFUSALS_BY_CODE:
        return [REFUSALS_BY_CODE[exc.code]]
    status = exc.status if isinstance(exc, DomainError) else 422
    return [REFUSALS_BY_STATUS.get(status, "操作未完成，请稍后重试。")]


def status_of(exc: ValidationError | DomainError) -> int:
    return exc.status if isinstance(exc, DomainError) else 422
