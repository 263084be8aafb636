"""Search text (检索分词): tokens for the index and match expressions for queries.

Chinese runs are cut by jieba in search mode (whole words plus their dictionary sub-words) *and*
split into overlapping character bigrams, plus the last character of each run as a unigram. The
bigrams make matching independent of jieba's dictionary: a query run matches every indexed run it
is a substring of (all of its bigrams are there), so 集装 and 装箱 both find 集装箱. jieba's words
add whole-word tokens that raise the rank of exact word matches. Other text is lowercased and split
on everything that is not a letter or digit. Tokens are plain letters/digits/ideographs, so they
pass unchanged through FTS5's unicode61 tokenizer and into a PostgreSQL ``tsvector`` literal.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jieba

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_RUN = re.compile(rf"[{_CJK}]+|[^\W_{_CJK}]+")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
MAX_QUERY_TERMS = 16
MAX_QUERY_CHARS = 200

_lock = threading.Lock()
_tokenizer: Any = None


def _jieba() -> Any:
    """jieba's tokenizer, built once on first use (loading its dictionary takes about a second)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                logging.getLogger("jieba").setLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for group in BUILTIN_SYNONYMS:
                    for word in group:
                        if _CJK_RUN.fullmatch(word):
                            tokenizer.add_word(word)
                _tokenizer = tokenizer
    return _tokenizer


def is_cjk(run: str) -> bool:
    return _CJK_RUN.fullmatch(run) is not None


def runs(text: str) -> list[str]:
    """Lowercased runs: each either all CJK ideographs or all other letters/digits."""
    return _RUN.findall(text.lower())


def bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def index_tokens(text: str) -> list[str]:
    """The tokens indexed for ``text``, in order (positions matter for ranking only)."""
    tokens: list[str] = []
    for run in runs(text):
        if not is_cjk(run):
            tokens.append(run)
            continue
        tokens.extend(bigrams(run))
        tokens.append(run[-1])
        tokens.extend(w for w in _jieba().cut_for_search(run, HMM=False) if len(w) > 2)
    return tokens


# --- query side -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One token to match; ``prefix`` matches every token that starts with it."""

    token: str
    prefix: bool = False


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Expr, ...]


Expr = Term | AllOf | AnyOf


def _word_expr(word: str, *, last: bool) -> Expr:
    """What a single query word must match in the index."""
    if not is_cjk(word):
        return Term(word, prefix=last)
    if len(word) == 1:
        # Every indexed character starts a bigram or is the indexed last character of its run.
        return Term(word, prefix=True)
    grams = tuple(Term(g) for g in dict.fromkeys(bigrams(word)))
    return grams[0] if len(grams) == 1 else AllOf(grams)


def _phrase_expr(words: Sequence[str], *, last: bool) -> Expr:
    parts = [_word_expr(w, last=last and i == len(words) - 1) for i, w in enumerate(words)]
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def _terms(expr: Expr) -> frozenset[Term] | None:
    """The terms a conjunction of plain terms requires, else ``None``."""
    if isinstance(expr, Term):
        return frozenset([expr])
    if isinstance(expr, AllOf) and all(isinstance(p, Term) for p in expr.parts):
        return frozenset(p for p in expr.parts if isinstance(p, Term))
    return None


def _absorbed(options: list[Expr]) -> list[Expr]:
    """Alternatives without those another alternative implies (A OR (A AND B) is A): 运单 makes
    托运单 (托运 AND 运单) and 运单号 (运单 AND 单号) redundant. Same matches, fewer terms to score."""
    kept: list[Expr] = []
    for option in options:
        mine = _terms(option)
        implied = mine is not None and any(
            (other := _terms(o)) is not None and other < mine for o in options if o is not option
        )
        if not implied:
            kept.append(option)
    return kept


def query_words(q: str) -> list[str]:
    """The words of a query: other-script runs as they are, CJK runs cut by jieba (accurate mode)."""
    words: list[str] = []
    for run in runs(q[:MAX_QUERY_CHARS]):
        if is_cjk(run):
            words.extend(w for w in _jieba().cut(run, HMM=False) if w.strip())
        else:
            words.append(run)
    return words[:MAX_QUERY_TERMS]


def parse_query(q: str, synonyms: Synonyms) -> Expr | None:
    """Free text to a match expression: every word must match (AND), a word or phrase that has
    synonyms matches any of them (OR). ``None`` when the text has no words."""
    words = query_words(q)
    if not words:
        return None
    groups: list[Expr] = []
    i = 0
    while i < len(words):
        length, alternatives = synonyms.longest_match(words, i)
        if length == 0:
            length = 1
        chunk = words[i : i + length]
        is_last = i + length == len(words)
        if not alternatives:
            groups.append(_phrase_expr(chunk, last=is_last))
        else:
            options = [_phrase_expr(chunk, last=is_last)]
            options.extend(_phrase_expr(list(alt), last=False) for alt in alternatives if list(alt) != chunk)
            options = _absorbed(list(dict.fromkeys(options)))
            groups.append(options[0] if len(options) == 1 else AnyOf(tuple(options)))
        i += length
    return groups[0] if len(groups) == 1 else AllOf(tuple(groups))


# --- synonyms ----------------------------------------------------------------------------------

BUILTIN_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("货车", "载货汽车", "卡车"),
    ("集装箱", "货柜"),
    ("运单", "托运单", "运单号"),
    ("挂车", "半挂车"),
    ("港口", "码头"),
    ("铁路", "铁运"),
    ("冷链", "冷藏"),
    ("危险品", "危险货物", "危货"),
    ("车辆", "车"),
    ("船舶", "船"),
    ("报关", "通关"),
    ("仓库", "仓储"),
    ("轨迹", "定位", "gps"),
    ("truck", "lorry"),
    ("container", "box"),
    ("waybill", "consignment note"),
    ("port", "harbour", "harbor"),
    ("railway", "railroad", "rail"),
    ("vessel", "ship"),
    ("warehouse", "depot"),
    ("customs clearance", "customs declaration"),
    ("cold chain", "refrigerated", "reefer"),
    ("dangerous goods", "hazardous materials", "hazmat"),
    ("trajectory", "track", "gps"),
)


class Synonyms:
    """Groups of interchangeable words or phrases (同义词), applied at query time."""

    def __init__(self, groups: Iterable[Iterable[str]]) -> None:
        self._alternatives: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for group in groups:
            keys = {tuple(query_words(entry)) for entry in group} - {()}
            for key in keys:
                self._alternatives.setdefault(key, set()).update(keys)
        self.longest = max((len(k) for k in self._alternatives), default=0)

    def longest_match(self, words: Sequence[str], start: int) -> tuple[int, list[tuple[str, ...]]]:
        """The longest entry that starts at ``words[start]`` and its alternatives, sorted."""
        for length in range(min(self.longest, len(words) - start), 0, -1):
            found = self._alternatives.get(tuple(words[start : start + length]))
            if found:
                return length, sorted(found)
        return 0, []


def parse_synonyms_file(text: str) -> list[list[str]]:
    """One group per line, entries separated by ``,`` ``，`` ``/`` ``、`` ``|`` or ``;``; ``#``
    starts a comment; blank lines and groups of fewer than two entries are ignored."""
    groups: list[list[str]] = []
    for raw in text.splitlines():
        line = raw.split("#", 1)[0]
        entries = [e.strip() for e in re.split(r"[,，/、|;；]", line) if e.strip()]
        if len(entries) >= 2:
            groups.append(entries)
    return groups


@lru_cache(maxsize=8)
def load_synonyms(path: Path | None = None) -> Synonyms:
    """The built-in logistics synonyms plus the groups of the file at ``path`` (UTF-8)."""
    groups: list[list[str] | tuple[str, ...]] = list(BUILTIN_SYNONYMS)
    if path is not None:
        groups.extend(parse_synonyms_file(path.read_text(encoding="utf-8")))
    return Synonyms(groups)
