"""Publishing pages of a data holder (发布数据资源): the new-resource form, the structure taken from the
data with its Chinese names and descriptions, and the confirmation before publishing.

Every form goes through the same services as ``/api/v1/catalog``: a new resource is a draft of the
holder's party (:func:`.service.create_resource`), the structure is saved by
:func:`.service.update_resource` (a published resource's change is a ledger entry there), and the
confirmation posts to the resource page's publish route. A refused form is rolled back and shown again
with the reasons, in the page's language.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.citations import cite
from logispace.core.errors import DomainError, NotFound, PermissionDenied
from logispace.domains.catalog import policies, service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.catalog.edit_pages import (
    LIST_FIELDS,
    TEXT_FIELDS,
    ResourceForm,
    editable_resource,
    refused_status,
)
from logispace.domains.catalog.enums import OpenType, SharingType, UpdateFrequency
from logispace.domains.catalog.errors import InvalidTransition
from logispace.domains.catalog.i18n import CATALOG_LABELS
from logispace.domains.catalog.models import DataResource
from logispace.domains.catalog.schemas import CatalogCode, FieldSpec, ResourceCreate, ResourceUpdate
from logispace.domains.identity import PageUser, SessionPrincipal
from logispace.web.dependencies import DbSession
from logispace.web.i18n import translator
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

REQUIRED = ("name", "category", "grade", "update_frequency", "sharing_type", "open_type")
INDUSTRY = "交通运输"
"""The industry (所属行业) of the resources described here: logistics is transport's."""
_SEPARATORS = re.compile(r"[,，、;；\n]+")
Text = Annotated[str | None, Form(max_length=8000)]
MAX_FIELDS = 500


def page_errors(exc: ValidationError | DomainError, lang: str) -> list[str]:
    """The reasons a form was refused, one line each, in the page's language: invalid fields by their
    label, broken grading rules by what they require; English pages keep the service's own words."""
    labels = CATALOG_LABELS["field"]
    translate = translator(lang)
    if isinstance(exc, ValidationError):
        out = []
        for e in exc.errors():
            names = [str(part) for part in e["loc"] if isinstance(part, str) and part in labels]
            label = translate(labels[names[-1]]) if names else ""
            if lang == "en":
                out.append(f"{label or '.'.join(str(p) for p in e['loc'])}: {e['msg']}")
            elif e["type"] in ("missing", "string_too_short"):
                out.append(f"{label}：必须填写。" if label else "有必填项未填写。")
            else:
                out.append(f"{label}：填写的内容不符合要求。" if label else "填写的内容不符合要求。")
        return out
    violations = exc.extensions.get("violations")
    if isinstance(violations, list) and violations:
        if lang == "en":
            return [str(v["message"]) for v in violations]
        rules = CATALOG_LABELS["rule"]
        return [
            f"{labels.get(v['field'], '')}：{rules.get(v['rule'], '不符合分类分级规则。')}"
            + (f"（依据{cited}）" if (cited := cite(str(v.get("source", "")))) else "")
            for v in violations
        ]
    if lang == "en":
        return [str(exc)]
    named = exc.extensions.get("errors")
    if isinstance(named, list) and named:  # unknown codes, by the field that names them
        out = []
        for e in named:
            names = [str(part) for part in e.get("loc", []) if str(part) in labels]
            out.append(f"{translate(labels[names[-1]])}：所选的值不存在。" if names else "所选的值不存在。")
        return out
    return [REFUSALS.get(exc.status, "操作未完成。")]


REFUSALS = {
    403: "没有权限执行此操作。",
    409: "当前状态下不能执行此操作。",
    413: "文件超过大小限制。",
    415: "不支持的文件格式：请上传 CSV、XLSX、JSON Lines 或 Parquet 文件。",
    400: "文件内容无法读取：请检查编码、表头和每行的列数。",
    422: "填写的内容不符合要求。",
}
"""What a refusal without named fields says on a Chinese page, by its status (English pages show the
service's own words)."""


# -- a new resource (新建数据资源) ---------------------------------------------------------------------


def create_of(form: dict[str, str]) -> ResourceCreate:
    """The draft the form describes: blank optional fields are left out, lists are split."""
    body: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        value = form.get(name, "").strip()
        if value or name in REQUIRED:
            body[name] = value
    for name in LIST_FIELDS:
        body[name] = [part.strip() for part in _SEPARATORS.split(form.get(name, "")) if part.strip()]
    body["industry"] = INDUSTRY
    return ResourceCreate.model_validate(body)


def _new_page(
    request: Request,
    db: Session,
    form: dict[str, str],
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    categories = service.list_categories(db)
    return render(
        request,
        "catalog/new.html",
        {
            "form": form,
            "roots": [c for c in categories if c.parent_code is None],
            "children": {
                root.code: [c for c in categories if c.parent_code == root.code]
                for root in categories
                if root.parent_code is None
            },
            "grades": sorted(service.list_grades(db), key=lambda g: g.rank),
            "frequencies": list(UpdateFrequency),
            "sharing_types": list(SharingType),
            "open_types": list(OpenType),
            "errors": errors or [],
        },
        status_code=status_code,
    )


def _may_create(user: SessionPrincipal) -> None:
    if not policies.can_create_resource(user.principal):
        raise PermissionDenied("only a party administrator or data steward may describe data resources")


@router.get("/catalog/new")
def new_resource_page(request: Request, db: DbSession, user: PageUser) -> HTMLResponse:
    _may_create(user)
    form = {"update_frequency": UpdateFrequency.MONTHLY.value}
    return _new_page(request, db, form)


@router.post("/catalog/new")
def create_resource_page(request: Request, db: DbSession, user: PageUser, form: ResourceForm) -> Response:
    _may_create(user)
    try:
        resource = service.create_resource(db, user.principal, create_of(form))
    except (ValidationError, DomainError) as exc:
        status = refused_status(db, exc)
        return _new_page(request, db, form, errors=page_errors(exc, language_of(request)), status_code=status)
    return RedirectResponse(
        f"/catalog/resources/{resource.catalog_code}/upload?done=created", status_code=303
    )


# -- the structure (数据结构) ------------------------------------------------------------------------


def _schema_page(
    request: Request,
    db: Session,
    resource: DataResource,
    rows: list[dict[str, str]],
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "catalog/schema.html",
        {"code": resource.catalog_code, "name": resource.name, "rows": rows, "errors": errors or []},
        status_code=status_code,
    )


def _rows_of(resource: DataResource) -> list[dict[str, str]]:
    return [
        {
            "name": str(f["name"]),
            "type": str(f["type"]),
            "title": str(f.get("title") or ""),
            "description": str(f.get("description") or ""),
            "untitled": "1" if f.get("title") == f["name"] else "",
        }
        for f in resource.fields
    ]


@router.get("/catalog/resources/{code}/schema")
def schema_page(request: Request, db: DbSession, user: PageUser, code: CatalogCode) -> HTMLResponse:
    resource = editable_resource(db, user, code)
    return _schema_page(request, db, resource, _rows_of(resource))


@router.post("/catalog/resources/{code}/schema")
async def save_schema_page(request: Request, db: DbSession, user: PageUser, code: CatalogCode) -> Response:
    """Save the fields' Chinese names (中文名) and descriptions; names, types and grades stay."""
    form = await request.form()  # parsed already for the CSRF check; one title and description per field
    resource = editable_resource(db, user, code)
    rows = _rows_of(resource)[:MAX_FIELDS]
    for i, row in enumerate(rows):
        row["title"] = str(form.get(f"title_{i}") or "")
        row["description"] = str(form.get(f"description_{i}") or "")
    try:
        fields = []
        for i, stored in enumerate(resource.fields[:MAX_FIELDS]):
            spec = {
                **stored,
                "title": rows[i]["title"],
                "description": rows[i]["description"].strip() or None,
            }
            fields.append(FieldSpec.model_validate({k: v for k, v in spec.items() if v is not None}))
        service.update_resource(db, user.principal, code, ResourceUpdate(fields=fields))
    except (ValidationError, DomainError) as exc:
        status = refused_status(db, exc)
        if isinstance(exc, NotFound):
            raise
        resource = service.get_resource(db, user.principal, code)
        errors = page_errors(exc, language_of(request))
        return _schema_page(request, db, resource, rows, errors=errors, status_code=status)
    return RedirectResponse(f"/catalog/resources/{code}?done=saved", status_code=303)


# -- the confirmation before publishing (发布确认) ------------------------------------------------------


@router.get("/catalog/resources/{code}/publish")
def confirm_publish_page(request: Request, db: DbSession, user: PageUser, code: CatalogCode) -> HTMLResponse:
    resource = editable_resource(db, user, code)
    if policies.next_status(resource.status, "publish") is None:
        raise InvalidTransition(f"data resource {code} is {resource.status.value}; only a draft is published")
    read = service.resource_reads(db, [resource])[0]
    _, dists = distribution_service.list_distributions(db, user.principal, code)
    grades = {g.code: g for g in service.list_grades(db)}
    return render(
        request,
        "catalog/publish.html",
        {
            "r": read,
            "grade": grades[read.grade.code],
            "versions": distribution_service.distribution_reads(db, resource, dists),
            "untitled": [f.name for f in read.fields if f.title == f.name],
        },
    )
