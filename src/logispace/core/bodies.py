"""What API request bodies share: JSON's own types, as their schema says, and partial updates.

Pydantic's lax mode turns ``"true"``, ``1`` and ``"1"`` into ``True``, ``"5"`` and ``true`` into ``5``
and a number into a date (seconds since 1970), so a body the OpenAPI description calls invalid was
accepted. FastAPI validates bodies from Python objects, where a model-wide ``strict=True`` would also
refuse the text of enums, UUIDs and dates; so the fields whose JSON type differs from text take the
types below instead (``StrictBool``, ``StrictFloat``, :data:`JsonInt` and :data:`JsonDate`).
Query parameters stay lax: their values arrive as text; so do HTML forms, whose pages validate the same
models with ``model_validate(form, strict=False)``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, StrictBool, StrictFloat

__all__ = [
    "EMAIL",
    "INTEGRAL",
    "NOT_BLANK",
    "PHONE",
    "SPACE",
    "JsonDate",
    "JsonInt",
    "StrictBool",
    "StrictFloat",
    "not_null_in_schema",
]

SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
"""What ``str.strip()`` trims, as the inside of a regular expression's character class. Patterns spell it
out instead of ``\\s``, which means other characters in JSON Schema (ECMA-262), Python and Rust regexes."""

NOT_BLANK = f"^[{SPACE}]*[^{SPACE}\\x00][^\\x00]*$"
"""The pattern of a required text whose surrounding spaces are trimmed: a character besides spaces, and
no NUL (which PostgreSQL cannot store). Without it a schema's ``minLength: 1`` admits ``"\\t"``, which
the API refuses once trimmed."""

EMAIL = f"^[{SPACE}]*[^@{SPACE}\\x00]+@[^@{SPACE}\\x00]+\\.[^@{SPACE}\\x00]+[{SPACE}]*$"
"""An e-mail address, spaces around it allowed (they are trimmed)."""

PHONE = f"^[{SPACE}]*\\+?[0-9][0-9 -]{{3,37}}[0-9-][{SPACE}]*$"
"""A phone number: digits, spaces and dashes after an optional +, spaces around it allowed (trimmed)."""


def _integral_number(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


INTEGRAL = BeforeValidator(_integral_number)
"""Takes ``5.0`` as ``5``. It comes last in an ``Annotated`` integer, after the integer's constraints, so
that they stay in its JSON schema: ``Annotated[int, Field(ge=1, strict=True), INTEGRAL]``."""

JsonInt = Annotated[int, Field(strict=True), INTEGRAL]
"""A JSON integer: ``5`` or ``5.0`` (JSON Schema counts both as integers), never ``"5"`` or ``true``."""


def _date_text(value: object) -> object:
    if isinstance(value, date | str):
        return value
    raise ValueError("a date is written as text, YYYY-MM-DD")


JsonDate = Annotated[date, BeforeValidator(_date_text)]
"""A calendar date given as ``YYYY-MM-DD`` text (or a ``date`` from Python), never a number."""


def not_null_in_schema(schema: dict[str, Any], model: type[Any]) -> None:
    """``json_schema_extra`` of partial updates: describe the fields named in the model's ``NOT_NULL``
    without their ``null`` alternative, since they may be left out but not set to null."""
    properties = schema.get("properties", {})
    for name in getattr(model, "NOT_NULL", ()):
        prop = properties.get(name)
        if not isinstance(prop, dict) or "anyOf" not in prop:
            continue
        alternatives = [alt for alt in prop["anyOf"] if alt != {"type": "null"}]
        if len(alternatives) == 1 and isinstance(alternatives[0], dict):
            del prop["anyOf"]
            prop.pop("default", None)
            prop.update(alternatives[0])
