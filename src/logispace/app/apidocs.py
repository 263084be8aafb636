"""API description, the Chinese API guide, help and problem-type pages.

``/openapi.json`` and ``/api/docs`` need a login like every other route; ``/problems/<code>``,
which problem documents link to as their ``type``, the API guide (``/api/guide``) and the help page
(``/help``) are public documentation.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse

from logispace.core.errors import ALL_ERRORS, DomainError, NotFound
from logispace.domains.identity import CurrentPrincipal, PageUser, page_session
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()


def _all_error_classes() -> list[type[DomainError]]:
    seen: dict[str, type[DomainError]] = {}
    stack: list[type[DomainError]] = list(ALL_ERRORS)
    while stack:
        cls = stack.pop()
        seen.setdefault(cls.code, cls)
        stack.extend(cls.__subclasses__())
    return sorted(seen.values(), key=lambda c: (c.status, c.code))


@router.get("/openapi.json")
def openapi(request: Request, _: CurrentPrincipal) -> JSONResponse:
    schema: dict[str, Any] = request.app.openapi()
    return JSONResponse(schema)


@router.get("/api/docs")
def swagger_ui(request: Request, _: PageUser) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``, started by a static script (the pages' CSP allows no inline
    script)."""
    return render(request, "api_docs.html", {"openapi_url": "/openapi.json"})


@router.get("/api/guide")
def api_guide(request: Request, db: DbSession, settings: AppSettings) -> HTMLResponse:
    """The Chinese guide to the API (接口指南), public: how to authenticate, page, read errors, and
    which groups of endpoints serve which work; the full description is in Swagger (login)."""
    page_session(request, db, settings)
    return render(request, "api_guide.html", {})


@router.get("/help")
def help_page(request: Request, db: DbSession, settings: AppSettings) -> HTMLResponse:
    """Help (使用帮助), public: what each kind of user does on the platform and where."""
    page_session(request, db, settings)
    return render(request, "help.html", {})


@router.get("/problems/{code}")
def problem_type(request: Request, code: str) -> HTMLResponse:
    classes = {cls.code: cls for cls in _all_error_classes()}
    cls = classes.get(code)
    if cls is None:
        raise NotFound(f"no problem type {code}")
    return render(request, "problem_type.html", {"cls": cls, "doc": (cls.__doc__ or "").strip()})
