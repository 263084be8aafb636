"""What a domain brings to the web application (its routers, templates, page strings and labels), and
how the application takes it in."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI

from logispace.web import i18n, templates
from logispace.web.routing import unguarded


@dataclass(frozen=True)
class WebParts:
    """The web side of one domain (or of the application's own composed pages).

    ``routers`` are mounted in their order; ``templates`` is a folder whose sub-folder names the
    domain (``<templates>/<domain>/<page>.html``); ``english`` maps each Chinese string of its pages
    to English; ``template_globals`` are the label tables its templates read; ``field_labels`` names
    each field of its page forms in Chinese (``name`` -> ``名称``), for the error page that refuses one.
    """

    routers: Sequence[APIRouter]
    templates: Path | None = None
    english: Mapping[str, str] = field(default_factory=dict)
    template_globals: Mapping[str, Any] = field(default_factory=dict)
    api_prefixes: tuple[str, ...] = ()
    field_labels: Mapping[str, str] = field(default_factory=dict)


def mount(app: FastAPI, parts: WebParts) -> None:
    """Include the routers of ``parts`` in ``app`` and register its templates, strings and labels.

    A route that takes a request body must check its text (``web.routing.GUARDED_ROUTES``: routers
    made by ``api_router`` or ``page_router``); one that does not is refused here, when the app is built.
    """
    loose = [found for router in parts.routers for found in unguarded(router.routes)]
    if loose:
        raise TypeError(f"routes that take a body must use api_router() or page_router(): {', '.join(loose)}")
    if parts.templates is not None:
        templates.add_folder(parts.templates)
    templates.add_globals(parts.template_globals)
    i18n.register(parts.english)
    i18n.register_field_labels(parts.field_labels)
    for router in parts.routers:
        app.include_router(router)
