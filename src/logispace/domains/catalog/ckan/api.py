"""CKAN Action API, read subset (CKAN 兼容接口) at ``/api/3/action/`` and ``/api/action/`` (public).

package_list, package_show, package_search, organization_list and organization_show, and the actions
of the table in :mod:`.actions` (status, tags, groups, licenses, resources, help, autocomplete,
activity) over the published catalogue, by GET (query string) or POST (JSON body), answered in CKAN's envelope
``{"help", "success", "result"}``. Errors keep CKAN's envelope too (``{"success": false, "error":
{"__type": ..., "message": ...}}``) with CKAN's status codes: 404 Not Found Error, 409 Validation
Error (also for what the rest of the API answers 422), 400 for an unknown action or bad JSON, 403
Authorization Error; :func:`ckan_error_response` is registered for these prefixes in ``main.py``.

The routes read public metadata only, so they take no login and ignore credentials (harvesters send
their own CKAN API keys).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import PROBLEM_MEDIA_TYPE, DomainError, InvalidInput
from logispace.domains.catalog.ckan import actions
from logispace.domains.catalog.ckan import service as ckan_service
from logispace.domains.catalog.ckan.schemas import (
    CkanErrorResponse,
    CkanOrganizationDetail,
    CkanOrganizationShow,
    CkanPackage,
    CkanResponse,
    CkanSearchResult,
    OrganizationListBody,
    OrganizationListParams,
    OrganizationShowParams,
    PackageListParams,
    PackageSearchBody,
    PackageSearchQuery,
    PackageShowParams,
    strict_body,
)
from logispace.web.dependencies import DbSession
from logispace.web.middleware import trace_id_of
from logispace.web.routing import ApiRoute, Problem

log = logging.getLogger("logispace.ckan")

PREFIX = "/api/3/action"
ALIAS_PREFIX = "/api/action"  # CKAN serves both; the ckanapi client calls /api/action/
PREFIXES = (PREFIX + "/", ALIAS_PREFIX + "/")


class UnknownAction(DomainError):
    status = 400
    code = "ckan-unknown-action"
    title = "Bad request"


def _ckan_error(description: str) -> dict[str, Any]:
    return {"description": description, "model": CkanErrorResponse}


_PROBLEM = {"$ref": "#/components/schemas/Problem"}
RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _ckan_error("Bad request (unknown action, malformed JSON)"),
    403: _ckan_error("Authorization Error"),
    404: _ckan_error("Not Found Error"),
    405: _ckan_error("Method not allowed"),
    409: _ckan_error("Validation Error: the fields and their messages"),
    413: {
        "description": "Request body too large",
        "model": CkanErrorResponse,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM}},
    },
    415: _ckan_error("Unsupported request media type"),
    422: {
        "description": "A NUL character in the URL (refused before routing, RFC 9457)",
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM}},
    },
    500: _ckan_error("Unexpected error (with a trace id)"),
}


def _help(request: Request, action: str) -> str:
    return f"{request.base_url}api/3/action/help_show?name={action}"


def _action_of(request: Request) -> str:
    return request.url.path.rstrip("/").rsplit("/", 1)[-1]


def _field(loc: list[Any]) -> str:
    names = [str(part) for part in loc if isinstance(part, str) and part not in ("query", "body", "path")]
    return names[-1] if names else "__all__"


def ckan_error_response(request: Request, error: DomainError) -> Response:
    """``error`` in CKAN's error envelope and with CKAN's status code."""
    status = error.status
    errors = error.extensions.get("errors") or []
    detail: dict[str, Any]
    if any(e.get("type") == "json_invalid" for e in errors):
        status, detail = (
            400,
            {"__type": "Bad request", "message": "Bad request - JSON Error: invalid JSON body"},
        )
    elif status in (409, 422):
        status, detail = 409, {"__type": "Validation Error"}
        for e in errors:
            detail.setdefault(_field(list(e.get("loc", []))), []).append(str(e.get("msg", "invalid")))
        if len(detail) == 1:
            detail["message"] = error.detail
    elif status == 404:
        detail = {"__type": "Not Found Error", "message": f"Not found: {error.detail}"}
    elif status in (401, 403):
        status, detail = 403, {"__type": "Authorization Error", "message": f"Access denied: {error.detail}"}
    elif status >= 500:
        detail = {
            "__type": "Internal Server Error",
            "message": f"{error.detail} (trace id {trace_id_of(request.scope)})",
        }
    else:
        detail = {"__type": error.title, "message": f"{error.title} - {error.detail}"}
    body = {"help": _help(request, _action_of(request)), "success": False, "error": detail}
    return JSONResponse(body, status_code=status)


def _endpoints(name: str, action: actions.Action) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The GET (query string) and POST (JSON body) routes of a table action."""

    body_model = strict_body(action.params)

    def run(request: Request, db: DbSession, params: BaseModel) -> CkanResponse[Any]:
        result = action.run(db, str(request.base_url), params)
        return CkanResponse[Any](help=_help(request, name), result=result)

    def get_endpoint(request: Request, db: DbSession, params: BaseModel) -> CkanResponse[Any]:
        return run(request, db, params)

    def post_endpoint(request: Request, db: DbSession, body: BaseModel | None = None) -> CkanResponse[Any]:
        if body is None:  # no body: the parameters' defaults, or CKAN's error for a missing one
            try:
                body = body_model.model_validate({})
            except ValidationError as e:
                raise InvalidInput(
                    "the parameters are not valid",
                    errors=[{"loc": list(err["loc"]), "msg": err["msg"]} for err in e.errors()],
                ) from e
        return run(request, db, body)

    # The parameter models are known only here: FastAPI reads them from the annotations.
    get_endpoint.__annotations__["params"] = Annotated[action.params, Query()]
    post_endpoint.__annotations__["body"] = Annotated[body_model | None, Body()]
    for endpoint in (get_endpoint, post_endpoint):
        endpoint.__annotations__["request"] = Request
        endpoint.__annotations__["db"] = DbSession
        endpoint.__annotations__["return"] = CkanResponse[Any]
    return get_endpoint, post_endpoint


@dataclass(frozen=True)
class Read:
    """One of the five dataset and organization reads: GET takes ``query`` from the query string, POST
    takes ``body`` as JSON (left out: ``body()``'s defaults, unless ``body_required``); ``run`` gives the
    result (or a whole response) for ``(request, session, params)``."""

    query: type[BaseModel]
    body: type[BaseModel]
    body_required: bool
    response: Any
    run: Callable[[Request, Session, Any], Any]
    summary: str


def _organizations(request: Request, db: Session, params: Any) -> list[str] | list[CkanOrganizationDetail]:
    found = ckan_service.organization_list(
        db,
        sort=params.sort,
        limit=params.limit,
        offset=params.offset,
        only=getattr(params, "organizations", None),  # a POST body may name them; a query does not
    )
    return found if params.all_fields else [o.name for o in found]


def _shown(request: Request, db: Session, params: OrganizationShowParams) -> Response:
    shown = ckan_service.organization_show(
        db, str(request.base_url), params.id, include_datasets=params.include_datasets
    )
    envelope = CkanResponse[CkanOrganizationShow](help=_help(request, "organization_show"), result=shown)
    # As in CKAN, "packages" is there only when the datasets were asked for.
    body = envelope.model_dump(
        mode="json", exclude={"result": {"packages"}} if shown.packages is None else None
    )
    return JSONResponse(body)


READS: dict[str, Read] = {
    "package_list": Read(
        PackageListParams,
        strict_body(PackageListParams),
        False,
        CkanResponse[list[str]],
        lambda request, db, p: ckan_service.package_list(db, limit=p.limit, offset=p.offset),
        "Names of the published datasets (CKAN, public)",
    ),
    "package_show": Read(
        PackageShowParams,
        strict_body(PackageShowParams),
        True,
        CkanResponse[CkanPackage],
        lambda request, db, p: ckan_service.package_show(db, str(request.base_url), p.id),
        "A published dataset by catalogue code, name or id (CKAN, public)",
    ),
    "package_search": Read(
        PackageSearchQuery,
        PackageSearchBody,
        False,
        CkanResponse[CkanSearchResult],
        lambda request, db, p: ckan_service.package_search(db, str(request.base_url), p, p.facet_field),
        "Search the published datasets (CKAN, public)",
    ),
    "organization_list": Read(
        OrganizationListParams,
        strict_body(OrganizationListBody),
        False,
        CkanResponse[list[str] | list[CkanOrganizationDetail]],
        _organizations,
        "Organizations holding published datasets (CKAN, public)",
    ),
    "organization_show": Read(
        OrganizationShowParams,
        strict_body(OrganizationShowParams),
        True,
        CkanResponse[CkanOrganizationShow],
        _shown,
        "An organization holding published datasets (CKAN, public)",
    ),
}
"""The five reads written before the actions table, each routed by GET and POST like its actions."""


def _read_endpoints(name: str, read: Read) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The GET (query string) and POST (JSON body) routes of one of the five reads."""

    def answer(request: Request, db: Session, params: BaseModel) -> Any:
        result = read.run(request, db, params)
        if isinstance(result, Response):
            return result
        return CkanResponse[Any](help=_help(request, name), result=result)

    def get_endpoint(request: Request, db: DbSession, params: BaseModel) -> Any:
        return answer(request, db, params)

    def post_optional(request: Request, db: DbSession, body: BaseModel | None = None) -> Any:
        return answer(request, db, body or read.body())

    def post_required(request: Request, db: DbSession, body: BaseModel) -> Any:
        return answer(request, db, body)

    post_endpoint = post_required if read.body_required else post_optional
    # The parameter models are known only here: FastAPI reads them from the annotations.
    get_endpoint.__annotations__["params"] = Annotated[read.query, Query()]
    post_endpoint.__annotations__["body"] = (
        Annotated[read.body, Body()] if read.body_required else Annotated[read.body | None, Body()]
    )
    for endpoint in (get_endpoint, post_endpoint):
        endpoint.__annotations__["request"] = Request
        endpoint.__annotations__["db"] = DbSession
    return get_endpoint, post_endpoint


def _router(prefix: str, *, in_schema: bool) -> APIRouter:
    router = APIRouter(
        prefix=prefix,
        tags=["ckan"],
        route_class=ApiRoute,
        responses=RESPONSES,
        include_in_schema=in_schema,
    )

    for name, read in READS.items():
        get_endpoint, post_endpoint = _read_endpoints(name, read)
        for method, endpoint in (("GET", get_endpoint), ("POST", post_endpoint)):
            router.add_api_route(
                f"/{name}",
                endpoint,
                methods=[method],
                response_model=read.response,
                summary=read.summary,
                name=f"{name}_{method.lower()}",
            )

    for name, action in actions.ACTIONS.items():
        get_endpoint, post_endpoint = _endpoints(name, action)
        router.add_api_route(
            f"/{name}", get_endpoint, methods=["GET"], summary=action.summary, name=f"{name}_get"
        )
        router.add_api_route(
            f"/{name}", post_endpoint, methods=["POST"], summary=action.summary, name=f"{name}_post"
        )

    @router.api_route("/{action}", methods=["GET", "POST"], include_in_schema=False)
    def unknown_action(action: str, body: Annotated[dict[str, Any] | None, Body()] = None) -> None:
        raise UnknownAction(f"Action name not known: {action}")

    return router


router = _router(PREFIX, in_schema=True)
alias_router = _router(ALIAS_PREFIX, in_schema=False)
