"""What a person reads on a Chinese page, and the ASCII words in it that no person should see.

:func:`visible_text` keeps the text nodes of an HTML page (no tags, attributes, scripts or styles);
:func:`foreign_words` lists the ASCII words of that text that are neither codes people need
(waybill, container and resource numbers, USCC, URLs, e-mail addresses, numbers and units) nor on the
short explicit allow list; :func:`crawl` walks the same-site links of a logged-in (or anonymous)
session, page by page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

ALLOWED_WORDS = frozenset(
    {
        # the platform's name, the language switch and file formats people download
        "LogiSpace",
        "English",
        "CSV",
        "JSON",
        "JSON-LD",
        "Parquet",
        "Turtle",
        "PDF",
        "ZIP",
        "API",
        "QR",
        "DCAT-AP",
        "CKAN",
        "EPCIS",
        "GPS",
        "SQL",
        "SHA-256",
        "SM2",
        "SM3",
        "Ed25519",
        "UTC",  # "UTC+8" next to Beijing time
        "ICP",
        # units
        "kg",
        "km",
        "t",
        "m",
        "h",
        "TEU",
        "KB",
        "MB",
        "GB",
    }
)
"""ASCII words a Chinese page may show as they are."""

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.:/@+\-]*[A-Za-z0-9]|[A-Za-z]")
_CODE = re.compile(
    r"""(?x)
    [A-Z0-9]{18}                          # USCC
  | [A-Z]{4}\d{7}                         # ISO 6346 container number
  | [A-Z]{2,5}[0-9A-Z]*[-0-9]*\d[-0-9A-Z]* # numbers with a prefix: WL0000000001, LHX-2026-000128, DJR-...
  | https?://\S+ | [\w.+-]+@[\w-]+\.[\w.]+ # URLs, e-mail
  | [A-Z]{1,3}\d[A-Z0-9]*                 # plates and versions: 桂A12345 is split, A12345 stays
  | \d.*
    """
)


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "template", "noscript"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def parse(html: str) -> tuple[str, list[str]]:
    """The visible text of ``html`` (text nodes joined by spaces) and the targets of its links."""
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts), parser.links


def visible_text(html: str) -> str:
    return parse(html)[0]


def foreign_words(text: str) -> list[str]:
    """The ASCII words of ``text`` that are neither codes nor allowed words."""
    found = []
    for word in _WORD.findall(text):
        if word in ALLOWED_WORDS or _CODE.fullmatch(word):
            continue
        found.append(word)
    return found


SKIPPED_PATHS = re.compile(
    r"""(?x)^/(
      logout | lang/ | static/ | api/ | openapi | epcis | problems/
    | .*\.(csv|parquet|json|jsonld|ttl|zip|png|svg|txt)$
    | .*/download
    )"""
)
"""Links that lead to no Chinese page: files, the API, the language switch and logging out."""


def crawl(
    get: Callable[[str], tuple[int, str, str]], start: list[str], limit: int = 400, per_pattern: int = 3
) -> Iterator[tuple[str, str]]:
    """``(path, html)`` of every HTML page reached from ``start`` by same-site links.

    ``get(path)`` answers ``(status, content type, body)``. Paths that differ only in their ids or
    query (``/trace/waybills/X``) are visited ``per_pattern`` times at most, so the walk stays short.
    """
    seen: set[str] = set()
    patterns: dict[str, int] = {}
    queue = list(start)
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or SKIPPED_PATHS.match(path):
            continue
        pattern = re.sub(r"[^/]*\d[^/]*", "#", urlsplit(path).path)
        if patterns.get(pattern, 0) >= per_pattern:
            continue
        patterns[pattern] = patterns.get(pattern, 0) + 1
        seen.add(path)
        status, content_type, body = get(path)
        if status != 200 or not content_type.startswith("text/html"):
            continue
        yield path, body
        for href in parse(body)[1]:
            target = urlsplit(urljoin(path, href))
            if target.scheme or target.netloc or not target.path.startswith("/"):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
