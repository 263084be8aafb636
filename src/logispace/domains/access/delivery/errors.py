"""Delivery refusals (交付拒绝): why a sandbox query or an API query under a grant was not answered.

Every refusal is a :class:`DeliveryRefused` with a stable code; its ``detail`` names what was refused
and why, in English for the API (pages translate the code). Rule refusals are 403; a body that is
not valid SQL, or a filter that cannot be understood, is 422 (request validation).
"""

from __future__ import annotations

from logispace.core.errors import PermissionDenied


class DeliveryRefused(PermissionDenied):
    """The query breaks a delivery rule of the grant (交付被拒绝)."""

    status = 403
    code = "delivery-refused"
    title = "The query is refused under this grant"


class SandboxSyntax(DeliveryRefused):
    """The text is not valid SQL (SQL 语法错误)."""

    status = 422
    code = "sandbox-syntax"
    title = "The SQL does not parse"


class SandboxNotSelect(DeliveryRefused):
    """A statement other than SELECT: COPY, ATTACH, INSTALL, LOAD, PRAGMA, SET, EXPORT (非查询语句)."""

    code = "sandbox-not-select"
    title = "Only a SELECT statement may run in the sandbox"


class SandboxMultipleStatements(DeliveryRefused):
    """More than one statement, or a comment that hides one (多条语句)."""

    code = "sandbox-multiple-statements"
    title = "Only one statement may run in the sandbox"


class SandboxTableNotGranted(DeliveryRefused):
    """A table the grant does not cover, a qualified name or a system catalog (未授权的表)."""

    code = "sandbox-table-not-granted"
    title = "The query reads a table outside the grant"


class SandboxColumnNotGranted(DeliveryRefused):
    """A column the grant does not cover (未授权的字段)."""

    code = "sandbox-column-not-granted"
    title = "The query reads a column outside the grant"


class SandboxSensitiveColumn(DeliveryRefused):
    """A desensitized column used as an output or a group key (敏感字段不得输出)."""

    code = "sandbox-sensitive-column"
    title = "A desensitized column may only be counted or filtered on"


class SandboxForbiddenFunction(DeliveryRefused):
    """A function outside the allow list: table functions, file and URL readers (禁用函数)."""

    code = "sandbox-forbidden-function"
    title = "The query calls a function the sandbox does not allow"


class SandboxUnsupported(DeliveryRefused):
    """A construct the sandbox does not run: subqueries, WITH, UNION, windows (不支持的语法)."""

    code = "sandbox-unsupported"
    title = "The query uses a construct the sandbox does not allow"


class SandboxNotAggregate(DeliveryRefused):
    """Row-level output: SELECT *, or an output that is neither an aggregate nor a key (非聚合输出)."""

    code = "sandbox-not-aggregate"
    title = "Only aggregate results may leave the sandbox"


class SandboxGroupTooSmall(DeliveryRefused):
    """A result group aggregates fewer rows than the grant's minimum group size k (分组过小)."""

    code = "sandbox-group-too-small"
    title = "A result group is smaller than the minimum group size"


class SandboxBudgetExhausted(DeliveryRefused):
    """The grant's differential-privacy budget ε cannot pay for the query (隐私预算耗尽)."""

    code = "sandbox-budget-exhausted"
    title = "The privacy budget of the grant is exhausted"


class SandboxLimitExceeded(DeliveryRefused):
    """The query ran past its time, memory or output-row limit and was stopped (超出资源限制)."""

    code = "sandbox-limit-exceeded"
    title = "The query ran past its limits"


class SandboxQueryFailed(DeliveryRefused):
    """The checked query could not be run: a type error, an unknown function argument (查询执行失败)."""

    status = 422
    code = "sandbox-query-failed"
    title = "The query could not be run"


class QueryColumnNotGranted(DeliveryRefused):
    """API mode: a field or filter column the grant does not cover (未授权的字段)."""

    code = "query-column-not-granted"
    title = "The query names a column outside the grant"


class QueryBadFilter(DeliveryRefused):
    """API mode: an unknown operator, a value of the wrong shape, a bad page (过滤条件错误)."""

    status = 422
    code = "query-bad-filter"
    title = "A filter or page parameter cannot be used"


class QueryLimitExceeded(DeliveryRefused):
    """API mode: the query ran past its time or memory limit (超出资源限制)."""

    code = "query-limit-exceeded"
    title = "The query ran past its limits"
