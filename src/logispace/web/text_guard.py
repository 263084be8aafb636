"""Text that no field accepts: NUL and lone surrogates, found anywhere in a request, refused with a 422.

PostgreSQL cannot store NUL (U+0000) in text, and SQLite would store it where no other layer expects it;
a lone surrogate (U+D800-U+DFFF, which JSON can spell ``"\\ud800"``) cannot be encoded as UTF-8 by any
database driver or response. One check on every API body (:class:`web.routing.ApiRoute`) and on every
query (:class:`web.middleware.NulGuardMiddleware`) keeps them out, so no route answers 500 for them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from logispace.core.errors import InvalidInput

_BAD = re.compile("[\x00\ud800-\udfff]")
NUL_MESSAGE = "must not contain a NUL character (U+0000)"
SURROGATE_MESSAGE = "must not contain a lone surrogate (U+D800-U+DFFF)"

Loc = list[str | int]


class BadText(InvalidInput):
    """A NUL or a lone surrogate in request text (422); ``loc`` is where, for routes that answer in
    another error format (EPCIS names a JSON pointer)."""

    def __init__(self, detail: str, loc: Loc, message: str) -> None:
        super().__init__(detail, errors=[{"loc": loc, "msg": message, "type": "bad_text"}])
        self.loc = loc


def flaw(text: str) -> str | None:
    """What is wrong with ``text`` (the first bad character), or None."""
    found = _BAD.search(text)
    if found is None:
        return None
    return NUL_MESSAGE if found.group() == "\x00" else SURROGATE_MESSAGE


def printable(text: str) -> str:
    """``text`` without its bad characters, to name a field in a message."""
    return _BAD.sub("", text)


def bad_text(value: object, loc: Loc) -> BadText | None:
    """The problem for the first string in ``value`` (a parsed JSON document or form, keys included)
    with a bad character, its ``loc`` starting with ``loc``; or None. Iterative: a deeply nested
    document cannot exhaust the stack."""
    stack: list[tuple[Loc, object]] = [(loc, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            message = flaw(item)
            if message is not None:
                return _problem(where, message)
        elif isinstance(item, dict):
            problem = bad_pairs(item.items(), where, stack)
            if problem is not None:
                return problem
        elif isinstance(item, list):
            stack.extend(reversed([([*where, n], x) for n, x in enumerate(item)]))
    return None


def bad_pairs(
    items: Iterable[tuple[object, object]], loc: Loc, pending: list[tuple[Loc, object]] | None = None
) -> BadText | None:
    """:func:`bad_text` for (name, value) pairs: an object's items or a form's fields. The names are
    checked here; the values are checked, or left on ``pending`` for :func:`bad_text` to walk."""
    values: list[tuple[Loc, object]] = []
    for key, item in items:
        name = str(key)
        message = flaw(name)
        if message is not None:
            return _problem([*loc, printable(name)], f"name {message}")
        values.append(([*loc, name], item))
    if pending is not None:
        pending.extend(reversed(values))
        return None
    for where, item in values:
        problem = bad_text(item, where)
        if problem is not None:
            return problem
    return None


def _problem(loc: Loc, message: str) -> BadText:
    field = ".".join(str(part) for part in loc[1:]) or loc[0]
    kind = "a NUL character" if "NUL" in message else "a lone surrogate"
    return BadText(f"the field {field!r} contains {kind}", loc, message)
