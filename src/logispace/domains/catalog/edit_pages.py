"""Resource edit page (编辑数据资源): the holder changes a draft's or a published resource's
description, grading, frequency and sharing and open conditions through the same service as
``PATCH /api/v1/catalog/resources/{code}``; the catalogue code never changes.

A refused change (a broken grading rule 409, invalid input 422) is rolled back and the form shown
again with the reasons and what was typed.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, NotFound, PermissionDenied
from logispace.domains.catalog import policies, service
from logispace.domains.catalog.enums import OpenType, SharingType, UpdateFrequency
from logispace.domains.catalog.errors import InvalidTransition, messages_of
from logispace.domains.catalog.models import DataResource
from logispace.domains.catalog.schemas import CatalogCode, ResourceUpdate
from logispace.domains.identity import PageUser, SessionPrincipal
from logispace.web.dependencies import DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

TEXT_FIELDS = (
    "name",
    "description",
    "category",
    "grade",
    "update_frequency",
    "data_scale",
    "data_quality",
    "sharing_type",
    "sharing_conditions",
    "sharing_basis",
    "open_type",
    "open_conditions",
    "open_basis",
    "contact_name",
    "contact_phone",
    "contact_email",
)
"""The form's single-line and multi-line fields, by their name in :class:`ResourceUpdate`."""
LIST_FIELDS = ("keywords", "application_scenarios")
"""Lists typed as one line, separated by commas, 、 or semicolons."""
REQUIRED = {"name", "category", "grade", "update_frequency", "sharing_type", "open_type"}
_SEPARATORS = re.compile(r"[,，、;；\n]+")
Text = Annotated[str | None, Form(max_length=8000)]


def resource_form(
    name: Text = None,
    description: Text = None,
    category: Text = None,
    grade: Text = None,
    update_frequency: Text = None,
    data_scale: Text = None,
    data_quality: Text = None,
    keywords: Text = None,
    application_scenarios: Text = None,
    sharing_type: Text = None,
    sharing_conditions: Text = None,
    sharing_basis: Text = None,
    open_type: Text = None,
    open_conditions: Text = None,
    open_basis: Text = None,
    contact_name: Text = None,
    contact_phone: Text = None,
    contact_email: Text = None,
) -> dict[str, str]:
    """The new-resource and edit forms' fields as typed, a blank for each one left out (a dependency of
    both pages' POST routes)."""
    return {name: value or "" for name, value in locals().items()}


ResourceForm = Annotated[dict[str, str], Depends(resource_form)]


def refused_status(db: Session, exc: ValidationError | DomainError) -> int:
    """Roll back what a refused form did; the status its page is shown again with."""
    db.rollback()
    return exc.status if isinstance(exc, DomainError) else 422


def editable_resource(session: Session, user: SessionPrincipal, code: str) -> DataResource:
    """The resource if ``user`` may change it: others' drafts are 404, others' resources 403."""
    resource = service.get_resource(session, user.principal, code)
    if not policies.can_edit_resource(user.principal, resource.holder_party_id):
        raise PermissionDenied("only the holder party's administrators and data stewards may change it")
    if not policies.editable(resource.status):
        raise InvalidTransition(f"data resource {code} is {resource.status.value} and can no longer change")
    return resource


def form_of(session: Session, resource: DataResource) -> dict[str, str]:
    """The form's values for the resource as stored."""
    read = service.resource_reads(session, [resource])[0]
    values: dict[str, Any] = read.model_dump(mode="json")
    form = {name: values.get(name) or "" for name in TEXT_FIELDS if name not in ("category", "grade")}
    form["category"], form["grade"] = read.category.code, read.grade.code
    for name in LIST_FIELDS:
        form[name] = "、".join(values[name])
    return {k: str(v) for k, v in form.items()}


def update_of(form: dict[str, str]) -> ResourceUpdate:
    """The change the form asks for: blank optional fields clear their value, lists are split."""
    changes: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = form.get(name, "").strip()
        if name in REQUIRED:
            changes[name] = value  # blank required fields fail validation, naming them
        elif name == "description":
            changes[name] = value
        else:
            changes[name] = value or None
    for name in LIST_FIELDS:
        changes[name] = [part.strip() for part in _SEPARATORS.split(form.get(name, "")) if part.strip()]
    return ResourceUpdate.model_validate(changes)


def _edit_page(
    request: Request,
    db: Session,
    resource: DataResource,
    form: dict[str, str],
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "catalog/edit.html",
        {
            "code": resource.catalog_code,
            "name": resource.name,
            "form": form,
            "categories": service.list_categories(db),
            "grades": service.list_grades(db),
            "frequencies": list(UpdateFrequency),
            "sharing_types": list(SharingType),
            "open_types": list(OpenType),
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/catalog/resources/{code}/edit")
def edit_page(request: Request, db: DbSession, user: PageUser, code: CatalogCode) -> HTMLResponse:
    resource = editable_resource(db, user, code)
    return _edit_page(request, db, resource, form_of(db, resource))


@router.post("/catalog/resources/{code}/edit")
def save_page(
    request: Request, db: DbSession, user: PageUser, code: CatalogCode, form: ResourceForm
) -> Response:
    resource = editable_resource(db, user, code)  # 404 / 403 / 409 before anything is read
    try:
        service.update_resource(db, user.principal, code, update_of(form))
    except (ValidationError, DomainError) as exc:
        status = refused_status(db, exc)
        if isinstance(exc, NotFound):
            raise
        resource = service.get_resource(db, user.principal, code)
        return _edit_page(request, db, resource, form, errors=messages_of(exc), status_code=status)
    return RedirectResponse(f"/catalog/resources/{code}?done=saved", status_code=303)
