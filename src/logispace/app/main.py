"""The web application: ``create_app()`` wires settings, database, middleware, routers and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from logispace import __version__, migrations
from logispace.app import apidocs, dashboard, i18n, jurisdiction, openapi, portal, wiring
from logispace.core.config import Settings, get_settings
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains import (
    access,
    catalog,
    dispatch,
    identity,
    ledger,
    logistics,
    operation,
    registration,
    tower,
    trading,
)
from logispace.web.errors import API_PREFIXES, install_error_handlers
from logispace.web.middleware import BodyLimitMiddleware, NulGuardMiddleware, TraceMiddleware
from logispace.web.parts import WebParts, mount
from logispace.web.templates import STATIC_DIR

COMPOSED = WebParts(
    routers=(apidocs.router, portal.router, dashboard.router, jurisdiction.router),
    templates=Path(__file__).parent / "templates",
    english=i18n.ENGLISH,
)
"""The application's own pages: the API description, the dashboard and the navigation of every page."""

PARTS: tuple[WebParts, ...] = (
    identity.WEB,
    ledger.WEB,
    catalog.WEB,
    access.WEB,
    logistics.WEB,
    registration.WEB,
    operation.WEB,
    trading.WEB,
    tower.WEB,
    dispatch.WEB,
    COMPOSED,
)
"""What each domain brings to the web application, mounted in this order (lower domains first)."""


def body_limit(scope: Scope) -> int:
    """The body limit of a request, from the running app's settings: data uploads may be larger."""
    settings: Settings = scope["app"].state.settings
    if scope.get("method") == "POST" and catalog.UPLOAD_PATH.fullmatch(scope.get("path", "")):
        return settings.max_upload_bytes
    return settings.max_body_bytes


def secure_cookies(scope: Scope) -> bool:
    """Whether the running app's cookies are secure (and its responses announce HSTS)."""
    settings: Settings = scope["app"].state.settings
    return settings.secure_cookies


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the LogiSpace application for ``settings`` (default: from the environment).

    Request handlers and middleware read the settings from ``app.state.settings``, so a test may
    replace them on a built app.
    """
    settings = settings or get_settings()
    wiring.wire()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(app.state.settings.resolved_database_url, echo=app.state.settings.database_echo)
        try:
            migrations.check_at_head(engine)
        except migrations.SchemaOutdated:
            engine.dispose()
            raise
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        sequencer = None
        if app.state.settings.ledger_sequencer == "thread":
            sequencer = ledger.Sequencer(app.state.sessionmaker, app.state.settings, holder="server")
            sequencer.start()
        try:
            yield
        finally:
            if sequencer is not None:
                sequencer.stop()
            engine.dispose()

    app = FastAPI(
        title="LogiSpace 物流可信数据空间",
        version=__version__,
        description="Catalogue, share, open, register, operate, trade and verify logistics data.",
        lifespan=lifespan,
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.add_middleware(BodyLimitMiddleware, limit_for=body_limit)
    api_prefixes = API_PREFIXES + tuple(prefix for parts in PARTS for prefix in parts.api_prefixes)
    app.add_middleware(NulGuardMiddleware, prefixes=api_prefixes)
    app.add_middleware(TraceMiddleware, hsts=secure_cookies)
    # CKAN's Action API keeps CKAN's error envelope (catalog.ckan_api); every other API path RFC 9457.
    install_error_handlers(
        app,
        renderers=dict.fromkeys(catalog.CKAN_PREFIXES, catalog.ckan_error_response),
        api_prefixes=api_prefixes,
    )

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for parts in PARTS:
        mount(app, parts)
    app.openapi = lambda: openapi.describe(app)  # type: ignore[method-assign]
    return app
