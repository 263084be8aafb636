"""Dashboard (工作台): the landing page after login, with the user's to-do list (待办事项) and the
entries to their work.

``/`` is the public portal for everyone (:mod:`logispace.app.portal`); a logged-in user finds a
进入工作台 link there, and logging in still leads here.
"""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse

from logispace.app.todo import todos_of
from logispace.domains import catalog
from logispace.domains.identity import PageUser
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()


@router.get("/dashboard")
def dashboard(request: Request, db: DbSession, settings: AppSettings, user: PageUser) -> HTMLResponse:
    p = user.principal
    return render(
        request,
        "dashboard.html",
        {
            "user": user,
            "todos": todos_of(db, p, settings),
            "grading_decisions": catalog.grading_service.decisions_received(db, p, limit=5),
            "grade_names": catalog.grading_service.grade_names(db),
        },
    )
