"""What every registration page does with a form (登记页面表单): blank fields are absent, and a refused
step is shown above the form as its reasons, with the status the API would answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form
from pydantic import BeforeValidator, ValidationError

from logispace.core.errors import DomainError


def _none_if_blank(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


BlankIsNone = BeforeValidator(_none_if_blank)

Text = Annotated[str | None, Form(max_length=4000)]
"""A text field of a registration page form (notes, reasons, the information sheet)."""
RenewalText = Annotated[str | None, Form(max_length=2000)]
"""A text field of a renewal form (the holder's request, the authority's decision)."""


def messages_of(exc: ValidationError | DomainError) -> list[str]:
    """The reasons to show above a refused form, one line each."""
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
    return [str(exc)]


def status_of(exc: ValidationError | DomainError) -> int:
    return exc.status if isinstance(exc, DomainError) else 422
