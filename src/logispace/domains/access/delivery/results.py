"""Result form (结果形式): values made JSON-safe, the canonical JSON (RFC 8785) and the hashes of a result.

Both engines' values come out the same way: dates and moments as ISO 8601 text, decimals as numbers
(integers when whole), integers beyond what JSON numbers carry exactly (2^53) as text, NaN and
infinities as null, bytes as hex. The result hash is SHA-256 of the canonical JSON of
``{"columns": [...], "rows": [[...], ...]}``; its byte length is what the meter counts.
"""

from __future__ import annotations

import hashlib
import json
import math
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import rfc8785

_EXACT = 2**53 - 1


def json_value(value: object) -> object:
    """``value`` as a JSON value that RFC 8785 canonicalizes the same on every engine."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value if abs(value) <= _EXACT else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value.is_integer() and abs(value) <= _EXACT:
            return int(value)
        return value
    if isinstance(value, Decimal):
        if not value.is_finite():
            return None
        if value == value.to_integral_value():
            return json_value(int(value))
        return float(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return value.total_seconds()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    return str(value)


def json_rows(rows: Sequence[Sequence[object]]) -> tuple[tuple[object, ...], ...]:
    return tuple(tuple(json_value(v) for v in row) for row in rows)


def canonical(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """The canonical JSON (RFC 8785) of a result whose values are already :func:`json_value`.

    Results are text, integers, floats, booleans and nulls in lists, so the standard library's compact
    JSON writes the same bytes as RFC 8785 as long as every float prints the same in Python and in
    ECMAScript (shortest round-trip digits, plain notation from 1e-4 up to 1e16, not whole); results
    with another float, or anything else, go through the ``rfc8785`` package (many times slower on
    thousands of rows).
    """
    document: Any = {"columns": list(columns), "rows": [list(r) for r in rows]}
    if all(_plain(v) for row in rows for v in row) and all(isinstance(c, str) for c in columns):
        try:
            text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
            return text.encode("utf-8")
        except (UnicodeEncodeError, ValueError):
            pass
    return rfc8785.dumps(document)


def _plain(value: object) -> bool:
    if value is None or isinstance(value, bool | str):
        return True
    if isinstance(value, int):
        return abs(value) <= _EXACT
    if isinstance(value, float):
        # Python writes a whole float with ".0" (ECMAScript does not) and switches to exponents elsewhere
        return not value.is_integer() and 1e-4 <= abs(value) < 1e16
    return False


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()
