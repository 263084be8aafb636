"""Public registry pages (登记公示与查询): search of published registrations and the publicity list with
the objection form.

The registry and the publicity list need no login; an objection is filed by a
logged-in user in real name with evidence (422 on the page otherwise, 409 once the publicity closed).
"""

from __future__ import annotations

import uuid
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import StringConstraints, ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, NotFound
from logispace.core.pagination import PageParams
from logispace.domains.identity import PageUser, SessionPrincipal, page_session
from logispace.domains.registration.enums import SubjectKind
from logispace.domains.registration.forms import BlankIsNone, messages_of, status_of
from logispace.domains.registration.registry import service as registry_service
from logispace.domains.registration.review import service as review_service
from logispace.domains.registration.schemas import ObjectionCreate
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

PAGE_SIZE = 20
SearchText = Annotated[
    Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")] | None, BlankIsNone, Query()
]


# -- published registrations (登记结果查询) --------------------------------------------------------


@router.get("/registry")
def registry_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    q: SearchText = None,
    holder: Annotated[uuid.UUID | None, BlankIsNone, Query()] = None,
    kind: Annotated[SubjectKind | None, BlankIsNone, Query()] = None,
    industry: SearchText = None,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> HTMLResponse:
    page_session(request, db, settings)  # the navigation of a logged-in visitor
    params = PageParams(limit=PAGE_SIZE, offset=offset)
    query = (q or "").strip() or None
    records, total = registry_service.search_records(
        db, params, name=query, holder=holder, subject_kind=kind, industry=industry
    )
    filters = {
        "q": query or "",
        "holder": str(holder or ""),
        "kind": kind.value if kind else "",
        "industry": industry or "",
    }
    return render(
        request,
        "registration/registry.html",
        {
            "records": records,
            "total": total,
            "params": params,
            "filters": filters,
            "base": "/registry?" + urlencode({k: v for k, v in filters.items() if v}) + "&",
            "facets": registry_service.facets(db),
            "kinds": list(SubjectKind),
        },
    )


# -- publicity and objections (公示与异议) ----------------------------------------------------------


def _publicity_page(
    request: Request,
    db: Session,
    settings: AppSettings,
    user: SessionPrincipal | None,
    *,
    target: uuid.UUID | None = None,
    form: dict[str, str] | None = None,
    errors: list[str] | None = None,
    done: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "registration/publicity.html",
        {
            "items": registry_service.publicity_list(db, Clock.now(settings).on),
            "today": Clock.now(settings).on,
            "logged_in": user is not None,
            "target": target,
            "form": form or {},
            "errors": errors or [],
            "done": done,
        },
        status_code=status_code,
    )


@router.get("/registry/publicity")
def publicity_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    objected: Annotated[uuid.UUID | None, BlankIsNone, Query()] = None,
) -> HTMLResponse:
    user = page_session(request, db, settings)
    return _publicity_page(request, db, settings, user, target=objected, done=objected is not None)


@router.post("/registry/publicity/{application_id}/objections")
def objection_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    objector_real_name: Annotated[str | None, Form(max_length=100)] = None,
    evidence: Annotated[str | None, Form(max_length=5000)] = None,
) -> Response:
    """An objection (异议) in real name with evidence, one item a line."""
    form = {"objector_real_name": objector_real_name or "", "evidence": evidence or ""}
    try:
        body = ObjectionCreate.model_validate(
            {
                "objector_real_name": (objector_real_name or "").strip(),
                "evidence": [line.strip() for line in (evidence or "").splitlines() if line.strip()],
            }
        )
        review_service.file_objection(db, user.principal, Clock.now(settings), application_id, body)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return _publicity_page(
            request,
            db,
            settings,
            user,
            target=application_id,
            form=form,
            errors=messages_of(exc, language_of(request)),
            status_code=status_of(exc),
        )
    return RedirectResponse(f"/registry/publicity?objected={application_id}", status_code=303)
