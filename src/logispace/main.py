"""The web application: ``create_app()`` wires settings, database, middleware, routers and errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from logispace import __version__, apidocs, dashboard, migrations, wiring
from logispace.config import Settings, get_settings
from logispace.core.db import make_engine, make_sessionmaker
from logispace.domains import catalog, identity, ledger, logistics, registration
from logispace.web.errors import API_PREFIXES, install_error_handlers
from logispace.web.middleware import BodyLimitMiddleware, NulGuardMiddleware, TraceMiddleware
from logispace.web.templates import STATIC_DIR


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the LogiSpace application for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()
    wiring.wire()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.resolved_database_url, echo=settings.database_echo)
        try:
            migrations.check_at_head(engine)
        except migrations.SchemaOutdated:
            engine.dispose()
            raise
        app.state.engine = engine
        app.state.sessionmaker = make_sessionmaker(engine)
        try:
            yield
        finally:
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
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        larger=[("POST", catalog.UPLOAD_PATH, settings.max_upload_bytes)],
    )
    app.add_middleware(NulGuardMiddleware, prefixes=API_PREFIXES)
    app.add_middleware(TraceMiddleware)
    # CKAN's Action API keeps CKAN's error envelope (catalog.ckan_api); every other /api path RFC 9457.
    install_error_handlers(app, renderers=dict.fromkeys(catalog.CKAN_PREFIXES, catalog.ckan_error_response))

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(apidocs.router)
    app.include_router(identity.api_router)
    app.include_router(identity.keys_api_router)
    app.include_router(ledger.api_router)
    app.include_router(ledger.documents_api_router)
    app.include_router(catalog.dcat_api_router)
    app.include_router(catalog.ckan_api_router)
    app.include_router(catalog.ckan_alias_router)
    app.include_router(catalog.api_router)
    app.include_router(logistics.api_router)
    app.include_router(logistics.waybills_api_router)
    app.include_router(logistics.intake_api_router)
    app.include_router(logistics.trace_api_router)
    app.include_router(catalog.distributions_api_router)
    app.include_router(registration.api_router)
    app.include_router(registration.stats_api_router)
    app.include_router(registration.certificates_api_router)
    app.include_router(identity.pages_router)
    app.include_router(ledger.documents_pages_router)
    app.include_router(catalog.pages_router)
    app.include_router(logistics.trace_pages_router)
    app.include_router(registration.pages_router)
    app.include_router(dashboard.router)
    return app
