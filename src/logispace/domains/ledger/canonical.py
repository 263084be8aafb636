"""Canonical JSON (规范化 JSON) of ledger entries: RFC 8785 (JCS), through the ``rfc8785`` package."""

from __future__ import annotations

from typing import Any

import rfc8785


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 canonical UTF-8 bytes of ``value`` (dicts, lists, str, int, float, bool, None).

    Raises ``rfc8785.CanonicalizationError`` for values JSON cannot carry exactly (NaN, infinities,
    integers beyond IEEE 754 double precision).
    """
    return rfc8785.dumps(value)
