"""Delivery under a grant (授权交付): sandbox SQL (可用不可见) and API queries with desensitization.

The interface the access domain calls; it knows nothing of grants, parties or the ledger. Sandbox SQL
is checked (:mod:`.check`), run by a query engine over the granted Parquet (DuckDB, or Spark at
scale, :mod:`logispace.storage.engines`), and its output controlled (:mod:`.disclosure`) before
anything leaves. API mode selects granted fields with row filters and desensitizes each column by its
rule (:mod:`.masking`). Raw rows never leave the sandbox.
"""

from __future__ import annotations

from logispace.domains.access.delivery.check import check_sql
from logispace.domains.access.delivery.errors import (
    DeliveryRefused,
    QueryBadFilter,
    QueryColumnNotGranted,
    QueryLimitExceeded,
    SandboxBudgetExhausted,
    SandboxColumnNotGranted,
    SandboxForbiddenFunction,
    SandboxGroupTooSmall,
    SandboxLimitExceeded,
    SandboxMultipleStatements,
    SandboxNotAggregate,
    SandboxNotSelect,
    SandboxQueryFailed,
    SandboxSensitiveColumn,
    SandboxSyntax,
    SandboxTableNotGranted,
    SandboxUnsupported,
)
from logispace.domains.access.delivery.masking import MASKING_RULES, RULES, MaskingRule
from logispace.domains.access.delivery.query import run_query
from logispace.domains.access.delivery.sandbox import run_sql
from logispace.domains.access.delivery.schemas import (
    GrantedTable,
    Limits,
    OutputPolicy,
    QueryResult,
    RowFilter,
    SqlResult,
)

__all__ = [
    "MASKING_RULES",
    "RULES",
    "DeliveryRefused",
    "GrantedTable",
    "Limits",
    "MaskingRule",
    "OutputPolicy",
    "QueryBadFilter",
    "QueryColumnNotGranted",
    "QueryLimitExceeded",
    "QueryResult",
    "RowFilter",
    "SandboxBudgetExhausted",
    "SandboxColumnNotGranted",
    "SandboxForbiddenFunction",
    "SandboxGroupTooSmall",
    "SandboxLimitExceeded",
    "SandboxMultipleStatements",
    "SandboxNotAggregate",
    "SandboxNotSelect",
    "SandboxQueryFailed",
    "SandboxSensitiveColumn",
    "SandboxSyntax",
    "SandboxTableNotGranted",
    "SandboxUnsupported",
    "SqlResult",
    "check_sql",
    "run_query",
    "run_sql",
]
