"""What a domain brings to the web application (its routers, templates, page strings and labels), and
how the application takes it in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from logispace.web import i18n, templates


@dataclass(frozen=True)
class WebParts:
    """The web side of one domain (or of the application's own composed pages).

    ``routers`` are mounted in their order; ``templates`` is a folder whose sub-folder names the
    domain (``<templates>/<domain>/<page>.html``); ``english`` maps each Chinese string of its pages
    to English; ``template_globals`` are the label tables its templates read.
    """

    routers: Sequence[APIRouter]
    templates: Path | None = None
    english: Mapping[str, str] = field(default_factory=dict)
    template_globals: Mapping[str, Any] = field(default_factory=dict)
    api_prefixes: tuple[str, ...] = ()


def mount(app: FastAPI, parts: WebParts) -> None:
    """Include the routers of ``parts`` in ``app`` and register its templates, strings and labels."""
    if parts.templates is not None:
        templates.add_folder(parts.templates)
    templates.add_globals(parts.template_globals)
    i18n.register(parts.english)
    for router in parts.routers:
        app.include_router(router)
