"""Page language (界面语言): Chinese first, English on request.

Templates write Chinese and wrap it in ``_()``; the English of each string comes from a table. The web
layer owns only the table of its page shell (:mod:`.shell`); every domain brings its own table with its
templates, and the application registers them all with :func:`register` when it is built. A Chinese
string that two tables translate differently is refused when the second table is registered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from logispace.web.i18n import shell

__all__ = [
    "DEFAULT_LANGUAGE",
    "ENGLISH",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "field_label",
    "join_english",
    "pick_language",
    "register",
    "register_field_labels",
    "translator",
]

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_COOKIE = "logispace_lang"

_english: dict[str, str] = {}
ENGLISH: Mapping[str, str] = MappingProxyType(_english)
"""Every registered Chinese string and its English (read-only; :func:`register` adds to it)."""


def join_english(*parts: Mapping[str, str]) -> dict[str, str]:
    """One table from several; a string translated two different ways is an error."""
    joined: dict[str, str] = {}
    for part in parts:
        for chinese, english in part.items():
            if joined.setdefault(chinese, english) != english:
                raise ValueError(f"{chinese!r} is translated both {joined[chinese]!r} and {english!r}")
    return joined


def register(table: Mapping[str, str]) -> None:
    """Add a part's English table; registering the same table again changes nothing."""
    _english.update(join_english(_english, table))


_field_labels: dict[str, str] = {}


def register_field_labels(table: Mapping[str, str]) -> None:
    """Add a part's Chinese names of its form fields (``content_summary`` -> ``内容摘要``); a field
    that two parts name differently is refused, like a string translated two ways."""
    _field_labels.update(join_english(_field_labels, table))


def field_label(name: str) -> str | None:
    """The Chinese name of the form field ``name``, or None when no part names it."""
    return _field_labels.get(name)


def translator(language: str) -> Callable[..., str]:
    """The ``_()`` of a page: Chinese as written, or its English entry; ``{name}`` fields filled."""

    def translate(text: str, **fields: object) -> str:
        out = _english.get(text, text) if language == "en" else text
        return out.format(**fields) if fields else out

    return translate


def pick_language(cookie_value: str | None) -> str:
    """The page language from the cookie; Chinese when it is missing or unknown."""
    return cookie_value if cookie_value in LANGUAGES else DEFAULT_LANGUAGE


register(shell.ENGLISH)
