"""The data shapes of delivery (交付接口的数据结构): what the access domain passes in and gets back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class GrantedTable:
    """A resource as the grant exposes it: its table name in sandbox SQL, its Parquet files, the granted
    columns and the desensitization rule code of each column that has one (API mode)."""

    name: str  # e.g. "waybills" (lowercase identifier, unique within the grant)
    parquet_paths: tuple[Path, ...]  # the resource's current distribution, Parquet in the object store
    columns: tuple[str, ...]  # the granted columns (exact names in the Parquet)
    masking: Mapping[str, str]  # column -> rule code, e.g. {"driver_id_number": "mask_resident_id"}


@dataclass(frozen=True)
class OutputPolicy:
    """What may leave the sandbox (输出控制): aggregates only, at least k rows a group, an ε budget."""

    aggregate_only: bool  # True: no row-level output (sandbox SQL is always aggregate-only)
    min_group_size: int  # k; every output group must aggregate at least k input rows
    epsilon_total: float | None  # differential-privacy budget of the grant; None: no DP, k-threshold only
    epsilon_spent: float  # spent before this query


@dataclass(frozen=True)
class Limits:
    """Resource limits of one query (资源限制)."""

    memory_mb: int = 512
    threads: int = 2
    timeout_s: float = 10.0
    max_output_rows: int = 10_000


@dataclass(frozen=True)
class SqlResult:
    """The controlled result of a sandbox query (沙箱查询结果)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    rows_read: int  # input rows the query scanned (sum over granted tables touched)
    rows_returned: int
    cells_returned: int
    bytes_returned: int  # size of the canonical JSON of the result
    epsilon_spent: float  # spent by this query (0.0 when no noise)
    noised: bool
    query_hash: str  # sha256 hex of the normalized SQL (sqlglot's normalized text)
    result_hash: str  # sha256 hex of the canonical JSON (RFC 8785) of {"columns", "rows"}
    engine: str  # "duckdb" or "spark"


@dataclass(frozen=True)
class RowFilter:
    """A row filter of an API query (过滤条件)."""

    column: str
    op: str  # one of "=", "!=", "<", "<=", ">", ">=", "in", "like"
    value: object


@dataclass(frozen=True)
class QueryResult:
    """API mode: field selection + row filters, desensitized per column (接口查询结果)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[object, ...], ...]
    rows_read: int
    rows_returned: int
    cells_returned: int
    bytes_returned: int
    query_hash: str
    result_hash: str
