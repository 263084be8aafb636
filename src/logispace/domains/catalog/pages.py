"""Catalogue pages (数据资源目录页面): the searchable catalogue home and each resource's page, with
the holder's publish and withdraw forms.

Anyone sees published resources; a logged-in party also sees the drafts the API shows it (its own;
the data authority every draft). The home page answers HTMX requests with its result region only,
and plain links and the search form work without JavaScript. Forms go through the same services
as the API; a refused step is rolled back and the page shown again with the reason.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BeforeValidator, StringConstraints, ValidationError
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import DomainError, NotFound
from logispace.core.pagination import PageParams
from logispace.domains.catalog import policies, service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.catalog.distributions.service import OpenDataRefused
from logispace.domains.catalog.enums import OpenType, ResourceStatus, SharingType, UpdateFrequency
from logispace.domains.catalog.i18n import CATALOG_LABELS
from logispace.domains.catalog.publish_pages import page_errors
from logispace.domains.catalog.schemas import NO_NUL, CatalogCode, ResourceRead, Withdrawal
from logispace.domains.catalog.search import service as search_service
from logispace.domains.identity import PageUser, SessionPrincipal, page_session, party_names
from logispace.storage import LocalObjectStore
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

PAGE_SIZE = 20
PREVIEW_ROWS = 10
DRAFTS_SHOWN = 20
MAX_OFFSET = 10_000
RESULTS_ID = "catalog-results"


def _none_if_blank(value: object) -> object:
    """A filter left at "all" arrives as an empty value: no filter, not a bad one."""
    return None if isinstance(value, str) and not value.strip() else value


BlankIsNone = BeforeValidator(_none_if_blank)
CodeParam = Annotated[
    Annotated[str, StringConstraints(max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")] | None,
    BlankIsNone,
    Query(),
]
QueryText = Annotated[
    Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)] | None,
    BlankIsNone,
    Query(description="free text, Chinese or English; synonyms and partial words"),
]


def is_fragment_request(request: Request, target: str) -> bool:
    """An HTMX request that swaps only ``target`` (a history restore wants the whole page)."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-target") == target
        and headers.get("hx-history-restore-request") != "true"
    )


# -- the catalogue home (目录首页) -------------------------------------------------------------


@dataclass(frozen=True)
class CatalogQuery:
    """The state of the home page's search, and the links that change one part of it."""

    q: str | None = None
    filters: dict[str, str] = field(default_factory=dict)
    sort: str | None = None
    offset: int = 0

    @property
    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q else "recency")

    def params(self, **changes: Any) -> dict[str, str]:
        """The query parameters with ``changes`` (None removes one); filters reset the page."""
        values: dict[str, Any] = {"q": self.q, **self.filters, "sort": self.sort, "offset": self.offset}
        if any(k not in ("offset",) for k in changes):
            values["offset"] = 0
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "", 0)}

    def url(self, **changes: Any) -> str:
        params = self.params(**changes)
        return "/catalog" + (f"?{urlencode(params)}" if params else "")

    def hidden(self) -> dict[str, str]:
        """What the search form carries besides ``q``: the filters and the order."""
        return {k: v for k, v in self.params().items() if k not in ("q", "offset")}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    url: str
    depth: int = 0


@dataclass(frozen=True)
class Facet:
    name: str
    values: list[FacetValue]
    active_url: str | None  # the link that removes this facet's filter, when one is set


def _toggle(
    query: CatalogQuery, facet: str, value: str, label: str, count: int, depth: int = 0
) -> FacetValue:
    """A facet value whose link sets its filter, or removes it when it is the one set."""
    on = query.filters.get(facet) == value
    return FacetValue(value, label, count, on, query.url(**{facet: None if on else value}), depth)


def _facets(
    session: Session, lang: str, query: CatalogQuery, counts: dict[str, list[tuple[str, int]]]
) -> list[Facet]:
    """Facet values with labels and toggle links; categories in tree order, indented."""
    en = lang == "en"
    holder_ids = set()
    for value, _ in counts.get("holder", []):
        try:
            holder_ids.add(uuid.UUID(value))
        except ValueError:
            continue
    holders = {str(k): v for k, v in party_names(session, holder_ids).items()}
    out = []
    for name in search_service.FACETS:
        found = dict(counts.get(name, []))
        values: list[FacetValue]
        if name == "category":
            values = [
                _toggle(query, name, c.code, c.name_en if en else c.name_zh, found[c.code], c.depth)
                for c in service.list_categories(session)
                if c.code in found
            ]
        elif name == "grade":
            values = [
                _toggle(query, name, g.code, g.name_en if en else g.name_zh, found[g.code])
                for g in service.list_grades(session)
                if g.code in found
            ]
        elif name == "holder":
            values = sorted(
                (_toggle(query, name, v, holders.get(v, v), n) for v, n in found.items()),
                key=lambda f: (-f.count, f.label),
            )
        else:
            enum = {"sharing_type": SharingType, "open_type": OpenType, "frequency": UpdateFrequency}[name]
            labels = CATALOG_LABELS[name]
            values = [
                _toggle(query, name, e.value, labels[e.value], found[e.value])
                for e in enum
                if e.value in found
            ]
        active = query.filters.get(name)
        if active is not None and active not in found:  # a filter that matched nothing stays removable
            values.insert(0, _toggle(query, name, active, holders.get(active, active), 0))
        out.append(Facet(name, values, query.url(**{name: None}) if active else None))
    return out


@router.get("/catalog")
def catalog_home(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    q: QueryText = None,
    category: CodeParam = None,
    grade: CodeParam = None,
    sharing_type: Annotated[SharingType | None, BlankIsNone] = None,
    open_type: Annotated[OpenType | None, BlankIsNone] = None,
    holder: Annotated[uuid.UUID | None, BlankIsNone] = None,
    frequency: Annotated[UpdateFrequency | None, BlankIsNone] = None,
    sort: Annotated[Literal["relevance", "recency"] | None, BlankIsNone] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> HTMLResponse:
    user = page_session(request, db, settings)
    p = user.principal if user is not None else None
    filters = service.search_filters(
        db,
        category=category,
        grade=grade,
        sharing_type=sharing_type,
        open_type=open_type,
        holder=holder,
        frequency=frequency,
    )
    query = CatalogQuery(
        q=q.strip() if q else None,
        filters=filters,
        sort=sort,
        offset=offset,
    )
    hits = search_service.search_resources(
        db,
        q=query.q or "",
        filters={k: [v] for k, v in query.filters.items()},
        sort=query.effective_sort,
        limit=PAGE_SIZE,
        offset=offset,
    )
    drafts: list[ResourceRead] = []
    if p is not None and offset == 0:
        found, _ = service.list_resources(db, p, PageParams(limit=DRAFTS_SHOWN), status=ResourceStatus.DRAFT)
        drafts = service.resource_reads(db, found)
    lang = language_of(request)
    context = {
        "query": query,
        "items": service.resource_reads(db, hits.resources),
        "total": hits.total,
        "total_exact": getattr(hits, "total_exact", True),
        "facets": _facets(db, lang, query, hits.facets),
        "drafts": drafts,
        "page_size": PAGE_SIZE,
        "max_offset": MAX_OFFSET,
        "results_id": RESULTS_ID,
        "can_create": policies.can_create_resource(p) and p is not None and not p.is_authority,
    }
    if is_fragment_request(request, RESULTS_ID):
        return render(request, "catalog/_results.html", {**context, "fragment": True})
    return render(request, "catalog/home.html", context)


# -- a resource's page (数据资源详情) ------------------------------------------------------------


@router.get("/catalog/resources/{code}")
def resource_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    code: CatalogCode,
    done: Annotated[Literal["published", "withdrawn", "saved", "uploaded"] | None, BlankIsNone] = None,
) -> HTMLResponse:
    user = page_session(request, db, settings)
    return _resource_page(request, db, settings, user, code, done=done)


def _resource_page(
    request: Request,
    db: Session,
    settings: Settings,
    user: SessionPrincipal | None,
    code: str,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    reason: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    p = user.principal if user is not None else None
    resource = service.get_resource(db, p, code)  # another party's draft: 404 like a missing one
    read = service.resource_reads(db, [resource])[0]
    _, dists = distribution_service.list_distributions(db, p, code)
    preview, refusal = None, None
    if dists:
        try:
            opened, newest = distribution_service.open_distribution(db, p, code)
            store = LocalObjectStore.from_settings(settings)
            preview = distribution_service.preview(store, opened, newest, PREVIEW_ROWS)
        except OpenDataRefused as exc:
            refusal = str(exc.extensions.get("must_request") or exc.detail)
        except NotFound:
            preview = None
    grades = {g.code: g for g in service.list_grades(db)}
    can_edit = policies.can_edit_resource(p, resource.holder_party_id)
    described = {f.name.lower() for f in read.fields}
    undescribed = [f for f in (dists[0].schema_fields if dists else []) if f["name"].lower() not in described]
    return render(
        request,
        "catalog/resource.html",
        {
            "r": read,
            "grade": grades[read.grade.code],
            "grades": grades,
            "distributions": distribution_service.distribution_reads(db, resource, dists),
            "preview": preview,
            "field_titles": {f.name: f.title for f in read.fields},
            "undescribed": undescribed,
            "refusal": refusal,
            "can_publish": can_edit and policies.next_status(resource.status, "publish") is not None,
            "can_withdraw": can_edit and policies.next_status(resource.status, "withdraw") is not None,
            "can_edit": can_edit and policies.editable(resource.status),
            "done": done,
            "errors": errors or [],
            "reason": reason,
        },
        status_code=status_code,
    )


@router.post("/catalog/resources/{code}/publish")
def publish_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, code: CatalogCode
) -> Response:
    try:
        service.publish_resource(db, user.principal, code)
    except DomainError as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return _resource_page(
            request,
            db,
            settings,
            user,
            code,
            errors=page_errors(exc, language_of(request)),
            status_code=exc.status,
        )
    return RedirectResponse(f"/catalog/resources/{code}?done=published", status_code=303)


@router.post("/catalog/resources/{code}/withdraw")
def withdraw_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    code: CatalogCode,
    reason: Annotated[str | None, Form(max_length=4000)] = None,
) -> Response:
    try:
        body = Withdrawal.model_validate({"reason": reason or ""})
        service.withdraw_resource(db, user.principal, code, body.reason)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        status = exc.status if isinstance(exc, DomainError) else 422
        return _resource_page(
            request,
            db,
            settings,
            user,
            code,
            errors=page_errors(exc, language_of(request)),
            reason=reason or "",
            status_code=status,
        )
    return RedirectResponse(f"/catalog/resources/{code}?done=withdrawn", status_code=303)
