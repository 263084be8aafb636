"""Alert feed page (异常预警): the caller's alerts with acknowledge, assign-to-me and resolve.

Login required. The feed itself is the partial ``tower/alerts_feed.html``, which the corridor
dashboard can include with the same context (:func:`feed_context`). A refused action re-renders the
page with its reason in Chinese and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import unquote

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from logispace.core.divisions import place_name
from logispace.core.errors import DomainError, NotFound
from logispace.core.pagination import PageParams
from logispace.domains.identity import PageUser, Principal
from logispace.domains.tower.alerts import service
from logispace.domains.tower.alerts.enums import AlertStatus
from logispace.domains.tower.alerts.i18n import KIND_LABELS, STATUS_LABELS
from logispace.domains.tower.alerts.schemas import AlertFilter, AlertRead
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

CONTAINER_URN = "urn:logispace:container:"
VEHICLE_URN = "urn:logispace:vehicle:"
REASONS = {
    "alert-resolved": "该预警已解决。",
    "permission-denied": "只有单位管理员、数据专员或数据分析员可以处置预警。",
}
FEED_SIZE = 100
AlertId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def subject_label(a: AlertRead) -> tuple[str, str | None]:
    """(what, code) of an alert's subject as people read it: a container's number, a truck's plate,
    a handover's leg; the code is shown as ``<code translate="no">``."""
    subject = a.subject or ""
    if subject.startswith(CONTAINER_URN):
        return "集装箱", unquote(subject[len(CONTAINER_URN) :])
    if subject.startswith(VEHICLE_URN):
        return "车辆", unquote(subject[len(VEHICLE_URN) :])
    if subject.startswith("leg:"):
        return "第 {n} 段交接", subject[4:]
    if subject and not subject.startswith("urn:"):
        return "集装箱", subject
    return "运单", a.waybill_number


def describe(a: AlertRead) -> tuple[str, dict[str, Any]]:
    """The Chinese sentence (to translate) and its values for an alert's facts."""
    f = a.facts
    match a.kind:
        case "delay":
            return "预计晚于承诺到达时间 {n} 小时", {"n": f.get("hours_late")}
        case "dwell":
            return "在{place}滞留 {n} 小时", {
                "place": place_name(str(f.get("place") or "")),
                "n": f.get("hours"),
            }
        case "gps_silence":
            return "已 {n} 分钟无定位", {"n": f.get("minutes_silent")}
        case "temperature":
            values = {"t": f.get("reading_c"), "low": f.get("min_c"), "high": f.get("max_c")}
            return "温度 {t}℃，超出冷链范围 {low}～{high}℃", values
        case "handover_unverified":
            return "交接 {n} 小时后仍无经核验的交接单证", {"n": f.get("hours")}
        case _:
            return "偏离计划路线 {n} 公里", {"n": f.get("off_route_km")}


def feed_context(db: Session, p: Principal, status: str | None) -> dict[str, Any]:
    """What ``tower/alerts_feed.html`` needs: the caller's latest alerts, filtered by status."""
    chosen = AlertStatus(status) if status in STATUS_LABELS else None
    unresolved = chosen is None and status != "all"
    f = AlertFilter(status=chosen, unresolved=unresolved)
    items, total = service.alerts(db, p, PageParams(limit=FEED_SIZE), f)
    return {
        "alerts": items,
        "alerts_total": total,
        "alert_status": chosen.value if chosen else ("unresolved" if unresolved else "all"),
        "KIND_LABELS": KIND_LABELS,
        "ALERT_STATUS_LABELS": STATUS_LABELS,
        "subject_label": subject_label,
        "describe": describe,
        "can_handle": not p.is_authority,
    }


def _page(
    request: Request, db: Session, p: Principal, status: str | None, errors: list[str], code: int = 200
) -> HTMLResponse:
    context = {**feed_context(db, p, status), "alert_errors": errors}
    return render(request, "tower/alerts.html", context, status_code=code)


@router.get("/tower/alerts")
def alerts_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    status: Annotated[str | None, Query(max_length=20)] = "unresolved",
) -> HTMLResponse:
    """The alert feed (异常预警)."""
    return _page(request, db, user.principal, status, [])


def _handle(request: Request, db: Session, user: PageUser, act: Any) -> Response:
    try:
        act()
    except DomainError as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        reason = REASONS.get(exc.code, "预警处置未成功：")
        return _page(request, db, user.principal, "unresolved", [reason], exc.status)
    return RedirectResponse("/tower/alerts", status_code=303)


@router.post("/tower/alerts/{alert_id}/ack")
def ack_page(request: Request, db: DbSession, user: PageUser, alert_id: AlertId) -> Response:
    """确认."""
    return _handle(request, db, user, lambda: service.acknowledge(db, user.principal, alert_id, None))


@router.post("/tower/alerts/{alert_id}/assign")
def assign_page(request: Request, db: DbSession, user: PageUser, alert_id: AlertId) -> Response:
    """由我处理: assign the alert to the caller."""
    me = user.principal.acting_user_id
    return _handle(request, db, user, lambda: service.assign(db, user.principal, alert_id, me, None))


@router.post("/tower/alerts/{alert_id}/resolve")
def resolve_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    alert_id: AlertId,
    resolution_note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """解决, with a note."""
    if not resolution_note.strip():
        return _page(request, db, user.principal, "unresolved", ["请填写处理说明。"], 422)
    return _handle(request, db, user, lambda: service.resolve(db, user.principal, alert_id, resolution_note))
