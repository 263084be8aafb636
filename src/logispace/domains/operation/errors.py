"""Operation errors: each refusal is an RFC 9457 problem naming the rule (``rule``) and its source line
(``source``); the request changes nothing."""

from __future__ import annotations

from typing import Any

from logispace.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from logispace.domains.access.errors import AccessRefused


class OperationNotFound(NotFound):
    """No such plan, selection, agreement, product or staff record, or the caller may not see it (404)."""

    code = "operation-not-found"
    title = "Not found"


class OperationNotAllowed(PermissionDenied):
    """The caller's party or roles may not take this step (403)."""

    code = "operation-not-allowed"
    title = "Not allowed"


class OperationStateConflict(Conflict):
    """The record does not allow this step in its current state (409)."""

    code = "operation-invalid-transition"
    title = "Not allowed in the current state"

    def __init__(self, detail: str, *, state: str, allowed: list[str] | None = None, **extra: Any) -> None:
        super().__init__(detail, state=state, allowed=allowed or [], **extra)


class RuleRefused(Conflict):
    """A rule of authorized operation refuses the step (409): ``rule`` and ``source`` name it."""

    code = "operation-rule-refused"
    title = "Refused by a rule of authorized operation"

    def __init__(self, detail: str, *, rule: str, source: str, **extra: Any) -> None:
        super().__init__(f"{detail} [{rule}, {source}]", rule=rule, source=source, **extra)


class TermTooLong(InvalidInput):
    """An agreement term above 5 years (运营期限, 004:941; 004:5601): 422 naming the rule and the field."""

    code = "operation-term-too-long"
    title = "The operating term exceeds 5 years"

    def __init__(self, detail: str, *, rule: str, source: str) -> None:
        errors = [{"loc": ["body", "term_end"], "msg": detail, "type": "value_error"}]
        super().__init__(f"{detail} [{rule}, {source}]", errors=errors, rule=rule, source=source)


class StaffNotCleared(AccessRefused):
    """Sandbox use by an operator's staff member without the records OPS-R13 requires, or outside the
    sandbox (OPS-R14), or outside the agreement (OPS-R7) (403; an access audit record is kept)."""

    code = "operation-staff-not-cleared"
    title = "The operator's staff member may not use the data"

    def __init__(self, detail: str, *, rule: str, source: str, **extra: Any) -> None:
        super().__init__(f"{detail} [{rule}, {source}]", rule=rule, source=source, **extra)
