"""Error rendering: RFC 9457 problems for the API, error pages for people.

Every exception ends here. Expected ones are :class:`DomainError`; request validation becomes a
422 problem naming each field; anything else is a 500 with a trace id and no internals.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from logispace.core.errors import (
    PROBLEM_MEDIA_TYPE,
    BadRequest,
    Conflict,
    DomainError,
    InternalError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PayloadTooLarge,
    PermissionDenied,
)
from logispace.web.i18n import field_label
from logispace.web.i18n.shell import STATUS_TITLES
from logispace.web.middleware import trace_id_of
from logispace.web.templates import render
from logispace.web.text_guard import NUL_MESSAGE, BadText

log = logging.getLogger("logispace.errors")

API_PREFIXES = ("/api/", "/openapi.json")
"""Paths that answer RFC 9457 problems instead of error pages; a domain serving a standard's API under
another prefix adds it (``WebParts.api_prefixes``, e.g. EPCIS under ``/epcis/``)."""

ErrorRenderer = Callable[[Request, DomainError], Response]
"""Renders an error in the envelope of a foreign API served under a path prefix (e.g. CKAN's)."""


class MethodNotAllowed(DomainError):
    status = 405
    code = "method-not-allowed"
    title = "Method not allowed"


def is_api_path(path: str, prefixes: tuple[str, ...] = API_PREFIXES) -> bool:
    """Whether ``path`` (with or without its trailing slash) is under one of the API ``prefixes``."""
    return (path.rstrip("/") + "/").startswith(prefixes)


def is_api_request(request: Request) -> bool:
    prefixes: tuple[str, ...] = getattr(request.app.state, "api_prefixes", API_PREFIXES)
    return is_api_path(request.url.path, prefixes)


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """Every method some route of ``app`` answers at ``path``: the ``Allow`` header of a 405.

    The router names only the methods of the first route whose path matched; a path served by several
    routes (``GET`` and ``POST`` written apart) allows the union. The table of compiled route paths is
    made on the first 405 and kept on the app.
    """
    table: list[tuple[re.Pattern[str], frozenset[str]]] | None = getattr(app.state, "method_table", None)
    if table is None:
        table = [
            (compile_path(context.path)[0], frozenset(context.methods))
            for context in iter_route_contexts(app.routes)
            if context.path is not None and context.methods
        ]
        app.state.method_table = table
    return sorted({method for pattern, methods in table if pattern.match(path) for method in methods})


def problem_response(request: Request, error: DomainError, headers: dict[str, str] | None = None) -> Response:
    body = error.problem(instance=request.url.path)
    if error.status >= 500:
        # A 500 is sent from outside TraceMiddleware, so it carries the trace id header itself.
        body["trace_id"] = trace_id_of(request.scope)
        headers = {**(headers or {}), "X-Trace-Id": body["trace_id"]}
    return Response(
        json.dumps(body, ensure_ascii=False, default=str),
        status_code=error.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def error_page(request: Request, error: DomainError) -> Response:
    if isinstance(error, NotAuthenticated) and request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", status_code=303)
    return render(
        request,
        "error.html",
        {
            "error": error,
            "title": STATUS_TITLES.get(error.status),
            "bad_text": _bad_text_of(error),
            "trace_id": trace_id_of(request.scope) if error.status >= 500 else None,
        },
        status_code=error.status,
    )


def _bad_text_of(error: DomainError) -> dict[str, str] | None:
    """For a form field refused for a NUL or a lone surrogate: the field's Chinese name (as the
    domain that owns the form names it) and which flaw, for the error page to say in Chinese."""
    if not isinstance(error, BadText):
        return None
    name = str(error.loc[1]) if len(error.loc) > 1 else ""
    errors = error.extensions.get("errors") or [{}]
    message = str(errors[0].get("msg", ""))
    return {"label": field_label(name) or "", "flaw": "nul" if NUL_MESSAGE in message else "surrogate"}


def render_error(request: Request, error: DomainError) -> Response:
    path = request.url.path
    renderers: tuple[tuple[str, ErrorRenderer], ...] = getattr(request.app.state, "error_renderers", ())
    for prefix, renderer in renderers:
        if path.startswith(prefix):
            return renderer(request, error)
    if is_api_request(request):
        headers = {"WWW-Authenticate": 'Bearer realm="logispace"'} if error.status == 401 else {}
        return problem_response(request, error, {**headers, **retry_after_header(error)})
    response = error_page(request, error)
    response.headers.update(retry_after_header(error))
    return response


def retry_after_header(error: DomainError) -> dict[str, str]:
    """``Retry-After`` (RFC 9110) for an error that says how long to wait, else nothing."""
    seconds = error.extensions.get("retry_after")
    return {"Retry-After": str(int(seconds))} if isinstance(seconds, int | float) else {}


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [part if isinstance(part, int) else str(part) for part in err.get("loc", ())]
        msg = str(err.get("msg", "invalid"))
        msg = msg.removeprefix("Value error, ")
        out.append({"loc": loc, "msg": msg, "type": err.get("type")})
    return out


def install_error_handlers(
    app: FastAPI,
    renderers: Mapping[str, ErrorRenderer] | None = None,
    api_prefixes: tuple[str, ...] = API_PREFIXES,
) -> None:
    """Route every exception of ``app`` through :func:`render_error`.

    Paths under ``api_prefixes`` answer problems, all others error pages. ``renderers`` maps path
    prefixes to the renderer of an API that must keep its own error envelope (CKAN's Action API);
    every other API path answers RFC 9457 problems. Errors answered by middleware before routing (body
    limit, NUL in the URL) stay RFC 9457 problems everywhere.
    """
    app.state.error_renderers = tuple((renderers or {}).items())
    app.state.api_prefixes = api_prefixes

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return render_error(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = _field_errors(exc)
        named = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[:5])
        return render_error(request, InvalidInput(f"invalid request: {named}", errors=errors))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        cause = exc.__cause__
        if isinstance(cause, DomainError):  # e.g. the body limit tripped while FastAPI read the body
            return render_error(request, cause)
        error: DomainError
        if exc.status_code == 404:
            error = NotFound(f"no such page or resource: {request.url.path}")
        elif exc.status_code == 405:
            error = MethodNotAllowed(f"{request.method} is not allowed on {request.url.path}")
        elif exc.status_code == 413:
            error = PayloadTooLarge(str(exc.detail))
        elif exc.status_code == 401:
            error = NotAuthenticated(str(exc.detail))
        elif exc.status_code == 403:
            error = PermissionDenied(str(exc.detail))
        else:
            error = BadRequest(str(exc.detail))
        response = render_error(request, error)
        if exc.status_code == 405:
            response.headers["Allow"] = ", ".join(allowed_methods(request.app, request.url.path))
        return response

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        # Services check rules first; this catches the race two concurrent requests can still lose.
        log.info("integrity error mapped to 409: %s", exc.orig)
        return render_error(
            request, Conflict("the change conflicts with a record written at the same time; reload and retry")
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        if isinstance(exc, DomainError):
            return render_error(request, exc)
        log.exception("unexpected error, trace id %s", trace_id_of(request.scope))
        return render_error(
            request, InternalError("an unexpected error occurred; quote the trace id when reporting it")
        )
