"""My waybills and my containers (我的运单 · 我的集装箱): the lists a shipper's or carrier's clerk
works from, with filters, each row leading to its full-chain trace (一单制 · 一箱制).

Login required; each list shows only what the caller's party is on (or owns), like the API.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from logispace.core.pagination import PageParams
from logispace.domains.identity import PageUser, party_ids_by_uscc, party_names
from logispace.domains.logistics.containers.listing import my_containers
from logispace.domains.logistics.i18n import TRACE_LABELS
from logispace.domains.logistics.trace.pages import place
from logispace.domains.logistics.waybills import service as waybill_service
from logispace.domains.logistics.waybills.policies import Status, TransportMode
from logispace.domains.logistics.waybills.schemas import WaybillFilter
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

PER_PAGE = 25


class WaybillQuery(BaseModel):
    """The filter form of 我的运单 as submitted: empty fields mean no filter."""

    model_config = ConfigDict(extra="ignore")

    status: str = ""
    mode: str = ""
    origin: str = ""
    destination: str = ""
    created_from: str = ""
    created_to: str = ""
    offset: int = Field(default=0, ge=0)


def _filter(q: WaybillQuery) -> WaybillFilter:
    return WaybillFilter.model_validate({k: v for k, v in q.model_dump(exclude={"offset"}).items() if v})


@router.get("/logistics/waybills")
def my_waybills(
    request: Request, db: DbSession, user: PageUser, q: Annotated[WaybillQuery, Query()]
) -> HTMLResponse:
    """我的运单: the waybills the caller's party is on, newest change first, with filters."""
    errors: list[str] = []
    try:
        filters = _filter(q)
    except ValidationError as exc:
        errors = [f"{_FIELD_NAMES.get(str(e['loc'][0]), '筛选条件')}格式不正确" for e in exc.errors()]
        filters = WaybillFilter()
    paging = PageParams(limit=PER_PAGE, offset=q.offset)
    rows, total = waybill_service.list_waybills(db, user.principal, paging, filters)
    ids = party_ids_by_uscc(db, {r.consignor_uscc for r in rows} | {r.consignee_uscc for r in rows})
    names = party_names(db, set(ids.values()))
    context: dict[str, Any] = {
        "L": TRACE_LABELS,
        "place": place,
        "rows": rows,
        "total": total,
        "q": q,
        "errors": errors,
        "statuses": [s.value for s in Status],
        "modes": [m.value for m in TransportMode],
        "name_of": lambda uscc: names.get(ids[uscc]) if uscc in ids else None,
        "paging": paging,
        "base": "/logistics/waybills?" + _keep(q),
    }
    return render(request, "logistics/waybills.html", context, status_code=422 if errors else 200)


_FIELD_NAMES = {
    "status": "运单状态",
    "mode": "运输方式",
    "origin": "起运地",
    "destination": "目的地",
    "created_from": "起始日期",
    "created_to": "截止日期",
}


def _keep(q: BaseModel) -> str:
    """The query string of the current filters, for the pager links (ends with ``&``)."""
    kept = {k: v for k, v in q.model_dump(exclude={"offset"}).items() if v not in ("", None)}
    return urlencode(kept) + ("&" if kept else "")


class ContainerQuery(BaseModel):
    """The filter form of 我的集装箱."""

    model_config = ConfigDict(extra="ignore")

    number: str = Field(default="", max_length=11, pattern=r"^[A-Za-z0-9]*$")
    in_use: str = Field(default="", pattern=r"^(|yes|no)$")
    offset: int = Field(default=0, ge=0)


@router.get("/logistics/containers")
def my_containers_page(
    request: Request, db: DbSession, user: PageUser, q: Annotated[ContainerQuery, Query()]
) -> HTMLResponse:
    """我的集装箱: the boxes the caller's party owns or that travelled on its waybills."""
    paging = PageParams(limit=PER_PAGE, offset=q.offset)
    in_use = {"yes": True, "no": False}.get(q.in_use)
    rows, total = my_containers(db, user.principal, paging, in_use=in_use, number=q.number or None)
    context = {
        "rows": rows,
        "total": total,
        "q": q,
        "paging": paging,
        "base": "/logistics/containers?" + _keep(q),
    }
    return render(request, "logistics/containers.html", context)
