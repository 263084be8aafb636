"""The OpenAPI description as served: FastAPI's generated schema plus what it cannot derive itself.

:func:`describe` is installed as ``app.openapi`` and adds, in this one place:

* the bearer-token security scheme, required by every operation except the public ones (a route
  without the ``CurrentPrincipal`` dependency answers without a login: CKAN's public actions, the
  certificate check, the document verification);
* OpenAPI links from each operation that creates a record to the operations that read or act on
  it (:data:`LINKS`), so that clients and stateful testing can follow a new record by its key;
* the rules that hold for every request body and no single field states (:data:`TEXT_RULE`).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

BEARER = "bearerToken"
_CONVERTOR = re.compile(r":\w+}")

TEXT_RULE = (
    "\n\nEvery text value, in a body, a query or a path, is refused (422) when it holds a NUL"
    " character or a lone UTF-16 surrogate. Query parameters an operation does not list are ignored;"
    " body members it does not list are refused. Requests need a bearer API token"
    " (`Authorization: Bearer <token>`) unless the operation says otherwise."
)

Link = tuple[str, str, str, str, str, dict[str, str]]
"""(source method, source path, status, target method, target path, {parameter: runtime expression})."""

LINKS: tuple[Link, ...] = (
    *(
        ("post", "/api/v1/parties", "201", method, target, {"party_id": "$response.body#/id"})
        for method, target in (
            ("get", "/api/v1/parties/{party_id}"),
            ("patch", "/api/v1/parties/{party_id}"),
            ("get", "/api/v1/parties/{party_id}/real-name-verifications"),
            ("post", "/api/v1/parties/{party_id}/real-name-verifications"),
            ("get", "/api/v1/parties/{party_id}/keys"),
        )
    ),
    *(
        ("post", "/api/v1/users", "201", method, "/api/v1/users/{user_id}", {"user_id": "$response.body#/id"})
        for method in ("get", "patch")
    ),
    (
        "post",
        "/api/v1/tokens",
        "201",
        "delete",
        "/api/v1/tokens/{token_id}",
        {"token_id": "$response.body#/id"},
    ),
    (
        "post",
        "/api/v1/documents",
        "201",
        "get",
        "/api/v1/documents/{document_id}",
        {"document_id": "$response.body#/document/id"},
    ),
    *(
        ("post", "/api/v1/catalog/resources", "201", method, target, {"code": "$response.body#/catalog_code"})
        for method, target in (
            ("get", "/api/v1/catalog/resources/{code}"),
            ("patch", "/api/v1/catalog/resources/{code}"),
            ("post", "/api/v1/catalog/resources/{code}/publish"),
            ("get", "/api/v1/catalog/resources/{code}/distributions"),
            ("get", "/api/v1/catalog/resources/{code}/dcat.jsonld"),
        )
    ),
    (
        "post",
        "/api/v1/catalog/lists",
        "201",
        "get",
        "/api/v1/catalog/lists/{version}",
        {"version": "$response.body#/version"},
    ),
    *(
        ("post", "/api/v1/waybills", "201", method, target, {"number": "$response.body#/number"})
        for method, target in (
            ("get", "/api/v1/waybills/{number}"),
            ("post", "/api/v1/waybills/{number}/actions"),
            ("get", "/api/v1/waybills/{number}/custody"),
            ("get", "/api/v1/trace/waybills/{number}"),
        )
    ),
    *(
        ("post", "/api/v1/containers", "201", "get", target, {"number": "$response.body#/number"})
        for target in ("/api/v1/containers/{number}", "/api/v1/trace/containers/{number}")
    ),
    (
        "post",
        "/epcis/capture",
        "202",
        "get",
        "/epcis/capture/{capture_id}",
        {"capture_id": "$response.body#/captureID"},
    ),
    *(
        (
            "post",
            "/api/v1/registration/applications",
            "201",
            method,
            target,
            {"application_id": "$response.body#/id"},
        )
        for method, target in (
            ("get", "/api/v1/registration/applications/{application_id}"),
            ("patch", "/api/v1/registration/applications/{application_id}"),
            ("post", "/api/v1/registration/applications/{application_id}/submit"),
        )
    ),
    (
        "post",
        "/api/v1/registration/records/{record_id}/renewal-requests",
        "201",
        "get",
        "/api/v1/registration/renewal-requests/{request_id}",
        {"request_id": "$response.body#/id"},
    ),
)


TOKEN_REQUIRED = frozenset({"require_principal", "require_connector"})
"""Dependencies that refuse a call without a valid token: identity's, and the Dataspace Protocol's, which also
records the refusal (trading's ``dsp_api``)."""


def _security_of_public_operations(app: FastAPI) -> dict[tuple[str, str], list[dict[str, list[str]]]]:
    """(method, path) -> security of the API operations that need no login: none, or an optional token
    for those that show a logged-in caller more (``optional_principal``)."""
    public: dict[tuple[str, str], list[dict[str, list[str]]]] = {}
    for context in iter_route_contexts(app.routes):
        route = context.route
        if not isinstance(route, APIRoute) or not route.include_in_schema or context.path is None:
            continue
        used = _dependencies(route.dependant)
        if used & TOKEN_REQUIRED:
            continue
        security: list[dict[str, list[str]]] = [{}, {BEARER: []}] if "optional_principal" in used else []
        path = _CONVERTOR.sub(
            "}", context.path
        )  # as OpenAPI writes it: {document_id}, not {document_id:uuid}
        for method in context.methods or ():
            public[(method.lower(), path)] = security
    return public


def _dependencies(dependant: Any) -> set[str]:
    """The names of every function ``dependant`` depends on, directly or not."""
    names: set[str] = set()
    for dependency in dependant.dependencies:
        names.add(getattr(dependency.call, "__name__", ""))
        names |= _dependencies(dependency)
    return names


def _add_links(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    for source_method, source, status, target_method, target, parameters in LINKS:
        operation = paths.get(source, {}).get(source_method)
        target_operation = paths.get(target, {}).get(target_method)
        if operation is None or target_operation is None:
            raise LookupError(
                f"OpenAPI link {source_method} {source} -> {target_method} {target}: no such operation"
            )
        response = operation["responses"].setdefault(status, {"description": "Created"})
        name = target_operation["operationId"]
        response.setdefault("links", {})[name] = {"operationId": name, "parameters": dict(parameters)}


def describe(app: FastAPI) -> dict[str, Any]:
    """The application's OpenAPI description, built once per app."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        openapi_version=app.openapi_version,
        description=(app.description or "") + TEXT_RULE,
        routes=app.routes,
    )
    schema.setdefault("components", {})["securitySchemes"] = {
        BEARER: {"type": "http", "scheme": "bearer", "description": "a personal API token (访问令牌)"}
    }
    schema["security"] = [{BEARER: []}]
    public = _security_of_public_operations(app)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if (method, path) in public:
                operation["security"] = public[(method, path)]
    _add_links(schema)
    app.openapi_schema = schema
    return schema
