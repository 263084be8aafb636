"""What a person reads on a Chinese page, and the ASCII words in it that no person should see.

:func:`visible_text` keeps the text nodes of an HTML page (no tags, attributes, scripts or styles, and
nothing inside an element marked ``translate="no"``: the HTML way for a page to say "this is a code,
not words", used for the column names of a dataset);
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
        "XLSX",
        "JSONL",
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
        # industry acronyms that Chinese logistics documents use as they are
        "AIS",  # 船舶自动识别系统
        "ETC",  # 电子不停车收费
        "EIR",  # 设备交接单
        "AEO",  # 经认证的经营者
        "EPC",  # 货物电子编码
        "DCAT",  # 数据目录词汇表
        # file name extensions
        "pdf",
        "csv",
        "xlsx",
        "zip",
        "json",
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
        "KiB",
        "MiB",
        "GiB",
    }
)
"""ASCII words a Chinese page may show as they are."""

_WORD = re.compile(r"(?<![A-Za-z0-9_.:/@+\-])(?:[A-Za-z][A-Za-z0-9_.:/@+\-]*[A-Za-z0-9]|[A-Za-z])")
_CODE = re.compile(
    r"""(?x)
    [A-Z0-9]{18}                          # USCC
  | [A-Z]{4}\d{7}                         # ISO 6346 container number
  | [A-Z]{2,5}[0-9A-Z]*[-0-9]*\d[-0-9A-Z]* # numbers with a prefix: WL0000000001, LHX-2026-000128, DJR-...
  | https?://\S+ | [\w.+-]+@[\w-]+\.[\w.]+ # URLs, e-mail
  | [A-Z]{1,3}\d[A-Z0-9]*                 # plates and versions: 桂A12345 is split, A12345 stays
  | [0-9a-f]{6,}                          # digests (摘要) people compare, shown in part or whole
  | /[\w/.-]*                             # paths of the platform's addresses
  | v\d+                                  # versions (v1, v2)
  | \d.*
    """
)


class _Text(HTMLParser):
    SKIP = frozenset({"script", "style", "template", "noscript"})
    VOID = frozenset({"br", "hr", "img", "input", "link", "meta", "source", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []
        self._skipping = 0
        self._skipped: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP or (tag not in self.VOID and dict(attrs).get("translate") == "no"):
            self._skipped.append(tag)
            self._skipping += 1
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if self._skipped and self._skipped[-1] == tag:
            self._skipped.pop()
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


_URL = re.compile(r"https?://\S+")
_NAMED_CODE = re.compile(r"(?<=[\u4e00-\u9fff])（[A-Z0-9]{2,18}）")
"""A code in full-width parentheses right after the Chinese name it stands for: 钦州港（CNQZH）."""
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def foreign_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The ASCII words of ``text`` that are neither codes nor allowed words (``allowed`` adds some,
    such as the login names on a users list); a UUID is never allowed."""
    found = [f"UUID {m}" for m in _UUID.findall(_URL.sub(" ", text))]
    for word in _WORD.findall(_NAMED_CODE.sub(" ", _UUID.sub(" ", text))):
        if word in ALLOWED_WORDS or word in allowed or _CODE.fullmatch(word):
            continue
        found.append(word)
    return found


_RAW_CITATION = re.compile(r"(?<![\d:])\d{3}:\d{1,5}(?:-\d{1,5})?(?![\d:])")
"""A source-line citation such as ``004:781`` (docs/sources.md): for developers, never for people."""
_TITLE = re.compile(r'\b(?:title|aria-label)="([^"]*)"')


def raw_citations(html: str) -> list[str]:
    """The ``NNN:LINE`` citations a person can read on the page: in its text or in a tooltip
    (``title``), where the document and article belong (core/citations.py)."""
    return _RAW_CITATION.findall(" ".join([parse(html)[0], *_TITLE.findall(html)]))


SKIPPED_PATHS = re.compile(
    r"""(?x)^/(
      logout | lang/ | static/ | api/ | openapi | epcis | problems/
    | .*\.(csv|parquet|json|jsonld|ttl|zip|png|svg|txt)$
    | .*/download.*
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
        if path in seen or SKIPPED_PATHS.match(urlsplit(path).path):
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
