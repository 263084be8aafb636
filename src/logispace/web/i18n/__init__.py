"""Page language (界面语言): Chinese first, English on request.

Templates write Chinese and wrap it in ``_()``; :data:`ENGLISH` maps each such string to English.
Each part of the platform keeps its strings in its own module here (``core``, ``documents``,
``catalog``, ``trace``, ``registration``); :data:`ENGLISH` joins them and refuses, at import, a Chinese
string that two modules translate differently. A test checks that every ``_()`` string in the
templates has an English entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from logispace.web.i18n import catalog, core, documents, registration, trace
from logispace.web.i18n.catalog import CATALOG_LABELS
from logispace.web.i18n.core import PARTY_TYPE_LABELS, ROLE_LABELS, STATUS_LABELS
from logispace.web.i18n.registration import REGISTRATION_LABELS
from logispace.web.i18n.trace import TRACE_LABELS

__all__ = [
    "CATALOG_LABELS",
    "DEFAULT_LANGUAGE",
    "ENGLISH",
    "LANGUAGES",
    "LANGUAGE_COOKIE",
    "PARTY_TYPE_LABELS",
    "REGISTRATION_LABELS",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "TRACE_LABELS",
    "join_english",
    "pick_language",
    "translator",
]

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
LANGUAGE_COOKIE = "logispace_lang"


def join_english(*parts: Mapping[str, str]) -> dict[str, str]:
    """One table from the modules' tables; a string translated two different ways is an error."""
    joined: dict[str, str] = {}
    for part in parts:
        for chinese, english in part.items():
            if joined.setdefault(chinese, english) != english:
                raise ValueError(f"{chinese!r} is translated both {joined[chinese]!r} and {english!r}")
    return joined


ENGLISH: dict[str, str] = join_english(
    core.ENGLISH, documents.ENGLISH, catalog.ENGLISH, trace.ENGLISH, registration.ENGLISH
)


def translator(language: str) -> Callable[..., str]:
    """The ``_()`` of a page: Chinese as written, or its English entry; ``{name}`` fields filled."""

    def translate(text: str, **fields: object) -> str:
        out = ENGLISH.get(text, text) if language == "en" else text
        return out.format(**fields) if fields else out

    return translate


def pick_language(cookie_value: str | None) -> str:
    """The page language from the cookie; Chinese when it is missing or unknown."""
    return cookie_value if cookie_value in LANGUAGES else DEFAULT_LANGUAGE
