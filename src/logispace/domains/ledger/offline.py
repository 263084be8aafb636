"""Offline verification (离线核验): what receipts and bundles share when read without the ledger.

:class:`Verdict` is the common outcome (``valid``, ``invalid`` or ``unreadable``, with reasons,
notes and the exit code ``logispace verify`` ends with). :func:`read_format` and
:func:`read_field` read a JSON document into typed values, raising :class:`Unreadable` with the
place that is missing or ill-typed; :func:`read_base64` does the same for base64 bytes.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field, fields
from typing import Any

VALID, INVALID, UNREADABLE = "valid", "invalid", "unreadable"


class Unreadable(ValueError):
    """A document that is not what its format says: the message names the place."""


@dataclass
class Verdict:
    """The outcome of an offline check: ``valid``, ``invalid`` or ``unreadable``."""

    status: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        """0 valid, 1 invalid, 2 unreadable."""
        return {VALID: 0, INVALID: 1}.get(self.status, 2)

    def as_dict(self) -> dict[str, Any]:
        """Every field, in the order declared (the base's first), for ``--json``."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def read_format(document: Any, expected: str, what: str) -> dict[str, Any]:
    """``document`` as a JSON object whose ``format`` is ``expected``; else :class:`Unreadable`."""
    if not isinstance(document, dict) or document.get("format") != expected:
        found = document.get("format") if isinstance(document, dict) else None
        raise Unreadable(f"unknown {what} format {found!r} (expected {expected!r})")
    return document


def read_field(obj: Any, name: str, kind: type | tuple[type, ...], where: str) -> Any:
    """``obj[name]`` of type ``kind`` (a bool is never an int); else :class:`Unreadable`."""
    if not isinstance(obj, dict) or name not in obj:
        raise Unreadable(f"{where}.{name} is missing")
    value = obj[name]
    if not isinstance(value, kind) or isinstance(value, bool):
        raise Unreadable(f"{where}.{name} has the wrong type")
    return value


def read_base64(obj: Any, name: str, where: str) -> bytes:
    """The bytes of the base64 text ``obj[name]``; else :class:`Unreadable`."""
    text = read_field(obj, name, str, where)
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise Unreadable(f"{where}.{name} is not base64") from None
