"""Jurisdiction views (辖区监管): the authority's read-only lists of the waybills and notarized documents
of the parties registered in its division, with filters. Authority staff only (403 for others)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BeforeValidator, StringConstraints

from logispace.core.pagination import PageParams
from logispace.domains import identity, ledger, logistics
from logispace.domains.identity import PageUser
from logispace.domains.logistics.i18n import TRACE_LABELS
from logispace.domains.logistics.waybills.policies import Status
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

PAGE_SIZE = 50


def _none_if_blank(value: object) -> object:
    """A filter left empty arrives as an empty value: no filter, not a bad one."""
    return None if isinstance(value, str) and not value.strip() else value


BlankIsNone = BeforeValidator(_none_if_blank)
Search = Annotated[
    Annotated[str, StringConstraints(max_length=60, pattern=r"^[^\x00]*$")] | None, BlankIsNone, Query()
]
Offset = Annotated[int, Query(ge=0, le=1_000_000)]


@router.get("/authority/waybills")
def jurisdiction_waybills(
    request: Request,
    db: DbSession,
    user: PageUser,
    q: Search = None,
    status: Annotated[Status | None, BlankIsNone, Query()] = None,
    offset: Offset = 0,
) -> HTMLResponse:
    """The waybills of the jurisdiction, by number and status."""
    params = PageParams(limit=PAGE_SIZE, offset=offset)
    where = identity.jurisdiction(db, user.principal)
    rows, total = logistics.jurisdiction_waybills(db, user.principal, params, status=status, q=q)
    return render(
        request,
        "jurisdiction_waybills.html",
        {
            "where": where,
            "rows": rows,
            "total": total,
            "params": params,
            "names": identity.party_names_by_uscc(
                db, {u for w in rows for u in (w.consignor_uscc, w.consignee_uscc)}
            ),
            "statuses": list(Status),
            "status_labels": TRACE_LABELS["status"],
            "filters": {"q": q or "", "status": status.value if status else ""},
        },
    )


@router.get("/authority/documents")
def jurisdiction_documents(
    request: Request, db: DbSession, user: PageUser, q: Search = None, offset: Offset = 0
) -> HTMLResponse:
    """The notarized documents of the jurisdiction's parties, by title or reference."""
    params = PageParams(limit=PAGE_SIZE, offset=offset)
    where = identity.jurisdiction(db, user.principal)
    rows, total, issuers = ledger.document_service.jurisdiction_documents(db, user.principal, params, q=q)
    return render(
        request,
        "jurisdiction_documents.html",
        {
            "where": where,
            "rows": rows,
            "total": total,
            "params": params,
            "issuers": issuers,
            "filters": {"q": q or ""},
        },
    )
