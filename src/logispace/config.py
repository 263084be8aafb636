"""Settings (配置): the one place configuration is read, from ``LOGISPACE_*`` variables.

Nothing reads the environment at import time; call :func:`get_settings`.
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class RuleProfile(StrEnum):
    """Rule profile (规则配置): which jurisdiction's rules apply (policy-spec §0.3)."""

    NATIONAL = "national"
    INNER_MONGOLIA = "inner_mongolia"


class Settings(BaseSettings):
    """Every setting of a LogiSpace deployment."""

    model_config = SettingsConfigDict(env_prefix="LOGISPACE_", env_file=None, extra="ignore")

    var_dir: Path = Field(default=Path("var"), description="Folder for the embedded database and objects.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; PostgreSQL as postgresql+psycopg://... Default: SQLite in var_dir.",
    )
    database_echo: bool = False
    rule_profile: RuleProfile = RuleProfile.NATIONAL

    max_body_bytes: Annotated[int, Field(gt=0)] = 10 * 1024 * 1024
    session_cookie_name: str = "logispace_session"
    session_ttl_hours: Annotated[int, Field(gt=0, le=24 * 30)] = 12
    cookie_secure: bool = False
    token_default_ttl_days: Annotated[int, Field(gt=0)] = 90
    token_max_ttl_days: Annotated[int, Field(gt=0)] = 366
    login_max_failures: Annotated[int, Field(gt=0)] = 5
    login_lock_minutes: Annotated[int, Field(gt=0)] = 15
    ledger_master_key: SecretStr | None = Field(
        default=None,
        description="64 hex characters sealing the ledger's private keys; "
        "default: var_dir/ledger-master.key, created on first use",
    )
    search_synonyms_file: Path | None = Field(
        default=None,
        description="UTF-8 text file of extra search synonyms, one group per line (see docs/search.md)",
    )
    demo_password: SecretStr = SecretStr("LogiSpace-demo-2026")

    @field_validator("database_url")
    @classmethod
    def _normalise_postgres_driver(cls, value: str | None) -> str | None:
        """Accept ``postgres://`` and ``postgresql://`` and use psycopg 3 for them."""
        if value is None or value == "":
            return None
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def resolved_database_url(self) -> str:
        """The database URL in force: the configured one, else SQLite under ``var_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'logispace.sqlite3').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
