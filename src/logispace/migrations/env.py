"""Alembic environment: migrates the database named by the configuration's URL."""

from __future__ import annotations

from alembic import context

import logispace.domains.access.models
import logispace.domains.catalog.models
import logispace.domains.dispatch.models
import logispace.domains.identity.models
import logispace.domains.ledger.models
import logispace.domains.logistics.epcis.models
import logispace.domains.logistics.shares.models
import logispace.domains.logistics.waybills.models
import logispace.domains.operation.models
import logispace.domains.registration.models
import logispace.domains.tower.alerts.models
import logispace.domains.tower.eta.models
import logispace.domains.tower.kpis.models
import logispace.domains.tower.webhooks.models
import logispace.domains.trading.models
import logispace.storage.search.models  # noqa: F401
from logispace.core.config import get_settings
from logispace.core.db import Base, make_engine
from logispace.migrations import include_name

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    """The URL given by :func:`logispace.migrations.alembic_config`, or (run from alembic.ini by a
    developer) the URL of the settings."""
    if config.config_file_name is None:
        url = config.get_main_option("sqlalchemy.url")
        if url is None:
            raise RuntimeError("alembic_config() sets sqlalchemy.url; it is missing")
        return url
    return get_settings().resolved_database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(_url(), pool=False)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
