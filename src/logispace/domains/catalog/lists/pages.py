"""Sharing/open list pages (共享开放清单页面): the published versions, each version's entries and its
differences from the previous one, and the sharing report (共享情况通报) with its CSV.

The versions are public; the sharing report, like its API, is shown to logged-in users. The data
authority publishes the next version from the versions page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError
from logispace.core.pagination import PageParams
from logispace.domains.catalog import policies
from logispace.domains.catalog.enums import ListChange
from logispace.domains.catalog.errors import messages_of
from logispace.domains.catalog.lists import service as list_service
from logispace.domains.catalog.schemas import ListEntryRead, ListVersionCreate
from logispace.domains.identity import PageUser, SessionPrincipal, page_session
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

VERSIONS_PAGE_SIZE = 20
Version = Annotated[int, Path(ge=1, le=1_000_000, description="list version number")]


@router.get("/catalog/lists")
def lists_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    user = page_session(request, db, settings)
    return _lists_page(request, db, user, offset=offset)


def _lists_page(
    request: Request,
    db: Session,
    user: SessionPrincipal | None,
    *,
    offset: int = 0,
    errors: list[str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    params = PageParams(limit=VERSIONS_PAGE_SIZE, offset=offset)
    versions, total = list_service.list_versions(db, params)
    return render(
        request,
        "catalog/lists.html",
        {
            "versions": list_service.version_reads(db, versions),
            "total": total,
            "params": params,
            "can_publish": policies.can_publish_list(user.principal if user else None),
            "errors": errors or [],
            "form": form or {},
        },
        status_code=status_code,
    )


@router.post("/catalog/lists")
def publish_list_page(
    request: Request,
    db: DbSession,
    user: PageUser,
    title: Annotated[str | None, Form(max_length=4000)] = None,
    note: Annotated[str | None, Form(max_length=8000)] = None,
) -> Response:
    form = {"title": title or "", "note": note or ""}
    try:
        given = {"title": title.strip() if title and title.strip() else None, "note": (note or "").strip()}
        body = ListVersionCreate.model_validate({k: v for k, v in given.items() if v})
        version = list_service.publish_list_version(db, user.principal, body)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        status = exc.status if isinstance(exc, DomainError) else 422
        return _lists_page(request, db, user, errors=messages_of(exc), form=form, status_code=status)
    return RedirectResponse(f"/catalog/lists/{version.version}", status_code=303)


@router.get("/catalog/lists/{version}")
def list_version_page(
    request: Request, db: DbSession, settings: AppSettings, version: Version
) -> HTMLResponse:
    user = page_session(request, db, settings)
    detail = list_service.version_detail(db, version)  # 404 for a version never published
    removed: list[ListEntryRead] = []
    if detail.diff.removed and detail.diff.previous_version is not None:
        before = list_service.version_detail(db, detail.diff.previous_version)
        gone = set(detail.diff.removed)
        removed = [e for e in before.entries if e.catalog_code in gone]
    changed: dict[ListChange, list[ListEntryRead]] = {ListChange.ADDED: [], ListChange.CHANGED: []}
    for entry in detail.entries:
        if entry.change in changed:
            changed[entry.change].append(entry)
    return render(
        request,
        "catalog/list_version.html",
        {
            "v": detail,
            "added": changed[ListChange.ADDED],
            "changed": changed[ListChange.CHANGED],
            "removed": removed,
            "report": list_service.report_rows(db, version) if user is not None else None,
        },
    )
