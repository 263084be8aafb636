"""Schema migrations (Alembic), run with ``logispace db upgrade``.

File names are ``YYYY_MM_DD_HHMM-<slug>.py``; constraint names follow the naming convention of
:mod:`logispace.core.db`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from logispace.storage.search.models import UNMANAGED_NAMES

MIGRATIONS_DIR = Path(__file__).parent
FILE_TEMPLATE = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(slug)s"


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Autogenerate leaves alone what migrations create by hand (full-text tables and indexes)."""
    return name not in UNMANAGED_NAMES


def alembic_config(url: str) -> Config:
    """An Alembic configuration for the database at ``url``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


class SchemaOutdated(RuntimeError):
    """The database is not at the schema this code expects."""


@cache
def script_head() -> str | None:
    """The newest revision of the migration scripts (read once per process: they do not change)."""
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def check_at_head(engine: Engine) -> None:
    """Raise :class:`SchemaOutdated`, naming the command to run, unless the database is at head."""
    head = script_head()
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    if current != head:
        raise SchemaOutdated(
            f"the database schema is at revision {current or '(empty)'} but this LogiSpace needs {head}; "
            "run `logispace db upgrade` first"
        )
