"""Page rendering: one Jinja2 environment with the language, labels and static URLs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from logispace.web import i18n

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
templates.env.globals.update(
    PARTY_TYPE_LABELS=i18n.PARTY_TYPE_LABELS,
    ROLE_LABELS=i18n.ROLE_LABELS,
    STATUS_LABELS=i18n.STATUS_LABELS,
    CATALOG_LABELS=i18n.CATALOG_LABELS,
    REGISTRATION_LABELS=i18n.REGISTRATION_LABELS,
)


def language_of(request: Request) -> str:
    return i18n.pick_language(request.cookies.get(i18n.LANGUAGE_COOKIE))


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render template ``name`` in the request's language; ``request.state.page_user`` (if any)
    fills the navigation."""
    language = language_of(request)
    ctx: dict[str, Any] = {
        "lang": language,
        "_": i18n.translator(language),
        "page_user": getattr(request.state, "page_user", None),
        "csrf_token": getattr(request.state, "csrf_token", ""),
    }
    ctx.update(context or {})
    return templates.TemplateResponse(request, name, ctx, status_code=status_code)
