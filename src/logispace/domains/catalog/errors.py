"""Catalogue errors, each with its HTTP status. Rule refusals carry ``violations`` with source lines."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from logispace.core.errors import Conflict, DomainError, InvalidInput
from logispace.domains.catalog.policies import Violation


class UnknownReference(InvalidInput):
    """A category or grade code that the configured tables do not have (422, naming it)."""

    code = "validation-failed"
    title = "The request is not valid"

    def __init__(self, problems: list[tuple[list[str | int], str, str]]) -> None:
        errors = [{"loc": loc, "msg": msg, "type": kind} for loc, msg, kind in problems]
        named = "; ".join(f"{'.'.join(str(p) for p in loc)}: {msg}" for loc, msg, _ in problems)
        super().__init__(f"invalid request: {named}", errors=errors)


class RuleViolated(Conflict):
    """The resource breaks a grading or sharing/opening rule (409); ``violations`` says which and why."""

    code = "catalog-rule-violated"
    title = "Catalogue rule violated"

    def __init__(self, violations: list[Violation], **extensions: Any) -> None:
        detail = "; ".join(f"{v.message} [{v.rule}, {v.source}]" for v in violations)
        super().__init__(detail, violations=[v.as_dict() for v in violations], **extensions)


class CoreDataNotShareable(RuleViolated):
    """Core data (核心数据) can never be shared or opened (409)."""

    code = "core-data-not-shareable"
    title = "Core data can never be shared or opened"


class InvalidTransition(Conflict):
    """The lifecycle does not allow this step from the current status (409)."""

    code = "invalid-transition"
    title = "Not allowed in the current status"


class SourceAlreadyDeclared(Conflict):
    """一数一源: the data item has its authoritative source already (409, naming it)."""

    code = "source-already-declared"
    title = "Data item already has an authoritative source"


def messages_of(exc: ValidationError | DomainError) -> list[str]:
    """The reasons to show above a refused form."""
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
    violations = exc.extensions.get("violations")
    if isinstance(violations, list) and violations:  # a broken rule: one line each, with its source
        return [f"{v['message']} [{v['rule']}, {v['source']}]" for v in violations]
    return [str(exc)]
