"""A page form's step and its refusal (页面表单的办理与退回), the same on every domain's pages.

:func:`attempt` runs the step; a refusal (a :class:`pydantic.ValidationError` of the form's body or a
:class:`~logispace.core.errors.DomainError` of the service) rolls the transaction back, so a failed request
changes nothing, and answers the domain's Chinese reasons with the status the API would give. "Not found"
is not a refusal shown on the form: it is raised on, answered by the 404 page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, NotFound

T = TypeVar("T")

Refusal = ValidationError | DomainError
Reasons = Callable[[Refusal], list[str]]
"""A domain's reasons for a refusal, in Chinese, one line each (never a code or a source line)."""


def status_of(exc: Refusal) -> int:
    """The status of a refused step: the domain error's own, 422 for a form that is not valid."""
    return exc.status if isinstance(exc, DomainError) else 422


def attempt(db: Session, step: Callable[[], T], reasons: Reasons) -> tuple[T | None, list[str], int]:
    """Run a page step: ``(result, [], 200)``, or ``(None, reasons, status)`` of its refusal, rolled back."""
    try:
        return step(), [], 200
    except (ValidationError, DomainError) as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        return None, reasons(exc), status_of(exc)
