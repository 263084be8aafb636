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

from pydantic import BeforeValidator, StrictBool, StrictFloat, StrictInt

__all__ = ["NOT_BLANK", "JsonDate", "JsonInt", "StrictBool", "StrictFloat", "not_null_in_schema"]

NOT_BLANK = r"^\s*[^\s\x00][^\x00]*$"
"""The pattern of a required text whose surrounding spaces are trimmed: a character besides spaces, and
no NUL (which PostgreSQL cannot store). Without it a schema's ``minLength: 1`` admits ``"\\t"``, which
the API refuses once trimmed."""


def _integral_number(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[StrictInt, BeforeValidator(_integral_number)]
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
