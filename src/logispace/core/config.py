"""Settings (配置): the one place configuration is read, from ``LOGISPACE_*`` variables.

Nothing reads the environment at import time; call :func:`get_settings`.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

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
    holiday_tables_dir: Path | None = Field(
        default=None,
        description="Folder of operator-supplied PRC holiday tables, one <year>.toml per year "
        "(docs/calendar.md). Default: var_dir/holidays.",
    )
    objection_review_working_days: Annotated[int, Field(gt=0, le=250)] = Field(
        default=10,
        description="SLA for reviewing a registration objection, in working days (DESIGN.md Q-5).",
    )

    max_body_bytes: Annotated[int, Field(gt=0)] = 10 * 1024 * 1024
    session_cookie_name: str = "logispace_session"
    session_ttl_hours: Annotated[int, Field(gt=0, le=24 * 30)] = 12
    cookie_secure: bool | None = Field(
        default=None,
        description="Send cookies only over HTTPS (the Secure flag) and announce HSTS. Default: secure, "
        "unless the server listens on a loopback address (local development over http, see listen_host).",
    )
    listen_host: str | None = Field(
        default=None,
        description="The address the server listens on; set by `logispace serve` from its --host.",
    )
    token_default_ttl_days: Annotated[int, Field(gt=0)] = 90
    token_max_ttl_days: Annotated[int, Field(gt=0)] = 366
    forwarded_allow_ips: str | None = Field(
        default=None,
        description="Addresses of reverse proxies whose X-Forwarded-For names the client (comma separated, "
        "as uvicorn's --forwarded-allow-ips). Default: none; the client is the connection's peer, which "
        "login throttling counts per address.",
    )
    ledger_master_key: SecretStr | None = Field(
        default=None,
        description="64 hex characters sealing the ledger's private keys; "
        "default: var_dir/ledger-master.key, created on first use",
    )
    ledger_signature_algorithm: Literal["ed25519", "sm2"] = Field(
        default="ed25519",
        description="Algorithm of new signing keys, the ledger's and the parties': ed25519 (RFC 8032) or sm2 "
        "(the 国密 profile, SM2 over SM3 with the default user id). The ledger switches its key at the next "
        "append; a party's key changes at its next rotation. Old keys keep verifying.",
    )
    ledger_sequencer: Literal["thread", "inline", "off"] = Field(
        default="thread",
        description="Who integrates admitted ledger entries into the tree: 'thread' (a background thread of "
        "the server), 'off' (a separate `logispace ledger sequencer` process), or 'inline' (every append "
        "integrates in its own transaction, serializing writers: for tests and one-off tools).",
    )
    ledger_batch_size: Annotated[int, Field(gt=0, le=100_000)] = Field(
        default=10_000,
        description="Most admitted entries the sequencer integrates under one signed tree head.",
    )
    ledger_max_merge_delay: Annotated[float, Field(gt=0, le=86_400)] = Field(
        default=1.0,
        description="Maximum merge delay in seconds: the longest an admitted entry may wait for integration; "
        "a signed entry timestamp promises it, and `ledger audit` reports an entry integrated later.",
    )
    objects_dir: Path | None = Field(
        default=None,
        description="Content-addressed object store for dataset files; default: var_dir/objects.",
    )
    max_upload_bytes: Annotated[int, Field(gt=0)] = Field(
        default=2 * 1024**3, description="Largest dataset upload accepted for ingestion (2 GiB)."
    )
    epcis_capture_limit: Annotated[int, Field(gt=0)] = Field(
        default=10_000, description="Most events one EPCIS capture accepts (GS1-EPCIS-Capture-Limit)."
    )
    epcis_future_tolerance_seconds: Annotated[int, Field(ge=0)] = Field(
        default=300, description="How far in the future an EPCIS eventTime may lie (clock skew)."
    )
    tower_webhook_allowed_hosts: str | None = Field(
        default=None,
        description="Host names a webhook may point at although they resolve to a private, loopback or "
        "link-local address (comma separated; e.g. an in-house receiver). Default: none.",
    )
    tower_webhook_timeout_seconds: Annotated[float, Field(gt=0, le=60)] = Field(
        default=5.0, description="How long one webhook delivery waits for the receiver's answer."
    )
    tower_webhook_max_attempts: Annotated[int, Field(gt=0, le=20)] = Field(
        default=8,
        description="Attempts to deliver an alert to a webhook before giving up (1 min, doubling, max 1 h).",
    )
    tower_alert_stream_max_seconds: Annotated[float, Field(ge=0, le=3600)] = Field(
        default=300.0,
        description="Longest an alert stream (Server-Sent Events) stays open before the client reconnects "
        "with Last-Event-ID; 0 sends what is there and ends.",
    )
    sandbox_engine: Literal["duckdb", "spark"] = Field(
        default="duckdb",
        description="Query engine of sandbox SQL under a grant: DuckDB embedded, or Spark for data that "
        "outgrows one machine (the same checked query, transpiled by sqlglot).",
    )
    sandbox_timeout_seconds: Annotated[float, Field(gt=0, le=3600)] = Field(
        default=10.0,
        description="Longest a sandbox query may run before it is stopped (Spark: allow its start).",
    )
    search_synonyms_file: Path | None = Field(
        default=None,
        description="UTF-8 text file of extra search synonyms, one group per line (see docs/search.md)",
    )
    portal_operator: str = Field(
        default="物流可信数据空间运营中心", description="The operator named in the portal footer (运营单位)."
    )
    portal_contact: str = Field(
        default="service@logispace.example", description="The contact shown in the portal footer (联系方式)."
    )
    portal_icp: str = Field(default="待备案", description="The ICP filing number in the footer (ICP备案号).")
    demo_password: SecretStr = SecretStr("LogiSpace-demo-2026")
    demo_waybills: Annotated[int, Field(ge=0)] = Field(
        default=560,
        description="Waybills in the demo's generated week of corridor traffic (about 380 EPCIS events "
        "each, mostly truck GPS points, and 5 signed steps each, stored through the waybill service); "
        "0 loads none.",
    )

    tower_emission_factors: dict[str, Annotated[float, Field(ge=0)]] = Field(
        default_factory=dict,
        description="Control tower: emission factors by transport mode in kg CO2e per tonne-km that replace "
        'the GLEC defaults, e.g. {"road": 0.062} (LOGISPACE_TOWER_EMISSION_FACTORS as JSON).',
    )

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

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies carry the Secure flag and responses HSTS: the setting when given, else
        secure unless the server listens on a loopback address (local development over http)."""
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.listen_host is None or not _is_loopback(self.listen_host)

    @property
    def resolved_objects_dir(self) -> Path:
        """The object store folder in force: the configured one, else ``var_dir/objects``."""
        return self.objects_dir if self.objects_dir is not None else self.var_dir / "objects"

    @property
    def resolved_holiday_tables_dir(self) -> Path:
        """The holiday-table folder in force: the configured one, else ``var_dir/holidays``."""
        return self.holiday_tables_dir if self.holiday_tables_dir is not None else self.var_dir / "holidays"


def _is_loopback(host: str) -> bool:
    """``localhost`` or an address of the loopback network (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once from the environment."""
    return Settings()
