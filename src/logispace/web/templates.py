"""Page rendering: one Jinja2 environment with the language, labels and static URLs.

The web layer holds only the page shell (``base.html``, ``macros.html``, the error pages). Each domain
keeps its templates in its own folder; the application adds every folder with :func:`add_folder` and
the labels its templates use with :func:`add_globals` when it is built, so template names stay
``<domain>/<page>.html`` and the web layer names no domain.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, FileSystemLoader

from logispace.core.citations import cite
from logispace.web import i18n

TEMPLATE_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
_folders: list[Path] = [TEMPLATE_DIR]
templates.env.globals["STATUS_LABELS"] = {}

BEIJING = ZoneInfo("Asia/Shanghai")


def beijing_time(value: datetime | date | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """``value`` as people in China read it: Beijing time, no zone suffix.

    Stored moments are UTC; a naive one (SQLite drops the zone) is read as UTC. A plain date is shown
    as it is.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(BEIJING)
    return value.strftime(fmt)


templates.env.filters["beijing"] = beijing_time

_ENGLISH_GLOSS = re.compile(r"\s*[(（][ -~]*[)）]\s*$")


def chinese_part(value: str | None) -> str:
    """A bilingual label as a Chinese page shows it: ``主体信息 (subject information)`` -> ``主体信息``
    (a trailing parenthesised ASCII gloss is dropped; other text is kept as it is)."""
    if not value:
        return ""
    head, _, tail = value.partition("; ")
    if tail and tail.isascii() and not head.isascii():  # "中文依据; the English of it"
        value = head
    return _ENGLISH_GLOSS.sub("", value) or value


templates.env.filters["zh"] = chinese_part


def last_day(end: date | None) -> date | None:
    """The last day of a period stored with an exclusive end (``valid_to`` is the first day no longer
    valid): what every page shows as the end of a validity, as the certificate itself states it."""
    return end - timedelta(days=1) if end is not None else None


templates.env.filters["last_day"] = last_day
templates.env.filters["cite"] = cite


def add_folder(folder: Path) -> None:
    """Let pages render templates found under ``folder`` (added once; the shell's folder comes first)."""
    if folder not in _folders:
        _folders.append(folder)
        templates.env.loader = ChoiceLoader([FileSystemLoader(str(f)) for f in _folders])


def template_folders() -> tuple[Path, ...]:
    """The folders searched for templates, the shell's first."""
    return tuple(_folders)


def add_globals(values: Mapping[str, Any]) -> None:
    """Names every template can use (label tables of a domain)."""
    templates.env.globals.update(values)


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
