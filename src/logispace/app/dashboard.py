"""Dashboard (工作台): the landing page after login; later domains add their tiles here."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from logispace.domains.identity import PageUser
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()


@router.get("/")
def home(request: Request, _: PageUser) -> Response:
    return RedirectResponse("/dashboard", status_code=303)


@router.get("/dashboard")
def dashboard(request: Request, user: PageUser) -> HTMLResponse:
    return render(request, "dashboard.html", {"user": user})
