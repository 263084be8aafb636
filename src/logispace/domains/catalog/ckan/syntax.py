"""Solr query syntax (Solr 查询语法), the subset CKAN clients send in ``q`` and ``fq``, parsed into a
small tree (pure).

Understood: words and ``"quoted phrases"`` (free text), ``field:value``, ``field:"a b"``,
``field:(a OR b)`` (a group of values of one field, nested), ``field:[a TO b]`` / ``{a TO b}`` ranges
with ``*`` for an open end (the date fields only), ``*:*`` (everything), ``AND`` / ``&&``, ``OR`` /
``||``, ``NOT`` / ``!``, a leading ``-`` (not) or ``+`` (required), and parentheses, nested.

Precedence, tightest first: ``NOT``/``-``/``+``, then ``AND``, then ``OR``, then juxtaposition, which
is ``AND`` (CKAN's default ``q.op``, ``ckan.search.default_package_search_operator``). So the filter a
harvester builds, ``organization:a OR organization:b -groups:x metadata_modified:[... TO *]``, reads
``(a OR b) AND NOT x AND range``, as it means. A ``NOT`` anywhere excludes from everything (Solr
matches nothing for a nested purely negative clause; here ``(-a)`` is every dataset but ``a``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from logispace.core.errors import InvalidInput

FILTER_FIELDS = frozenset(
    {
        "organization",
        "owner_org",
        "groups",
        "tags",
        "res_format",
        "license_id",
        "dataset_type",
        "type",
        "state",
        "capacity",
        "private",
    }
)
RANGE_FIELDS = frozenset({"metadata_modified", "metadata_created"})
TEXT_FIELDS = frozenset({"text"})
MAX_DEPTH = 20
MAX_LEAVES = 64


# -- the tree --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Free text: every word must match (a phrase: its words)."""

    words: str


@dataclass(frozen=True)
class FieldValue:
    field: str
    value: str


@dataclass(frozen=True)
class DateRange:
    """``since``/``until`` ``None``: open; the ends are included unless marked exclusive."""

    field: str
    since: datetime | None = None
    until: datetime | None = None
    since_exclusive: bool = False
    until_exclusive: bool = False

    def holds(self, moment: datetime | None) -> bool:
        if moment is None:
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if self.since is not None and (
            moment < self.since or (self.since_exclusive and moment == self.since)
        ):
            return False
        return self.until is None or not (
            moment > self.until or (self.until_exclusive and moment == self.until)
        )


@dataclass(frozen=True)
class MatchAll:
    pass


@dataclass(frozen=True)
class Not:
    part: Node


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


Node = Text | FieldValue | DateRange | MatchAll | Not | And | Or


def invalid(param: str, message: str) -> InvalidInput:
    return InvalidInput(f"{param}: {message}", errors=[{"loc": [param], "msg": message}])


# -- tokens ----------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<phrase>"(?:[^"\\]|\\.)*")
  | (?P<open>\()
  | (?P<close>\))
  | (?P<range>[\[{][^\]}]*[\]}])
  | (?P<and>&&)
  | (?P<or>\|\|)
  | (?P<prefix>[-+!](?=[^\s)]))
  | (?P<field>(?:[A-Za-z_][A-Za-z0-9_.]*|\*):)
  | (?P<word>(?:[^\s"()\[\]{}:\\]|\\.)+)
  | (?P<stray>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE = re.compile(r"\\(.)")
_KEYWORDS = {"AND": "and", "OR": "or", "NOT": "not"}


@dataclass(frozen=True)
class _Token:
    kind: str  # word phrase open close range and or not plus minus field
    text: str
    pos: int


def _tokens(source: str, param: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None or match.lastgroup is None:  # pragma: no cover - the stray group matches anything
            raise invalid(param, f"cannot read position {pos + 1}")
        kind, text = match.lastgroup, match.group()
        if kind == "stray":
            if text == '"':
                raise invalid(param, f"unclosed quote at position {pos + 1}")
            if text in "[{":
                raise invalid(param, f"unclosed range at position {pos + 1}")
            raise invalid(param, f"unexpected {text!r} at position {pos + 1}")
        if kind == "prefix":
            kind = {"-": "minus", "+": "plus", "!": "not"}[text]
        elif kind == "word":
            kind = _KEYWORDS.get(text, "word")
        if kind != "space":
            tokens.append(_Token(kind, text, pos))
        pos = match.end()
    return tokens


def _unquote(text: str) -> str:
    inner = text[1:-1] if text.startswith('"') else text
    return _ESCAPE.sub(r"\1", inner)


def _moment(text: str, param: str) -> datetime | None:
    if text == "*":
        return None
    cleaned = text.strip().upper()
    if cleaned == "NOW":
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        raise invalid(param, f"{text!r} is not a date and time like 2024-01-31T00:00:00Z") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# -- the parser ------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str, param: str) -> None:
        self.param = param
        self.tokens = _tokens(source, param)
        self.at = 0
        self.leaves = 0

    def _peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _fail(self, message: str) -> InvalidInput:
        return invalid(self.param, message)

    def _where(self) -> str:
        token = self._peek()
        return f"at position {token.pos + 1}" if token else "at the end"

    def _leaf(self, node: Node) -> Node:
        self.leaves += 1
        if self.leaves > MAX_LEAVES:
            raise self._fail(f"too many terms: at most {MAX_LEAVES}")
        return node

    def parse(self) -> Node:
        node = self._clauses(None, 0)
        token = self._peek()
        if token is not None:
            raise self._fail(f"unexpected {token.text!r} at position {token.pos + 1}")
        return node

    def _clauses(self, field: str | None, depth: int) -> Node:
        """Juxtaposed clauses up to a closing parenthesis or the end: all must match."""
        if depth > MAX_DEPTH:
            raise self._fail(f"parentheses nested deeper than {MAX_DEPTH}")
        parts: list[Node] = []
        while (token := self._peek()) is not None and token.kind != "close":
            parts.append(self._or(field, depth))
        if not parts:
            if depth:
                raise self._fail(f"empty parentheses {self._where()}")
            return MatchAll()
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _or(self, field: str | None, depth: int) -> Node:
        parts = [self._and(field, depth)]
        while (token := self._peek()) is not None and token.kind == "or":
            self.at += 1
            parts.append(self._and(field, depth))
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def _and(self, field: str | None, depth: int) -> Node:
        parts = [self._unary(field, depth)]
        while (token := self._peek()) is not None and token.kind == "and":
            self.at += 1
            parts.append(self._unary(field, depth))
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def _unary(self, field: str | None, depth: int) -> Node:
        token = self._peek()
        if token is None:
            raise self._fail("a term is missing at the end")
        if token.kind in ("not", "minus"):
            self.at += 1
            return Not(self._unary(field, depth + 1))
        if token.kind == "plus":
            self.at += 1
            return self._unary(field, depth + 1)
        return self._primary(field, depth)

    def _primary(self, field: str | None, depth: int) -> Node:
        token = self._peek()
        if token is None:  # pragma: no cover - _unary checked
            raise self._fail("a term is missing at the end")
        self.at += 1
        if token.kind == "open":
            node = self._clauses(field, depth + 1)
            closing = self._peek()
            if closing is None or closing.kind != "close":
                raise self._fail(f"unclosed parenthesis at position {token.pos + 1}")
            self.at += 1
            return node
        if token.kind == "field":
            if field is not None:
                raise self._fail(f"a field inside {field}:( ) at position {token.pos + 1}")
            return self._field_value(token)
        if token.kind in ("word", "phrase"):
            if token.kind == "word" and any(c in token.text for c in "*?~^") and token.text != "*":
                raise self._fail(f"wildcards, fuzzy terms and boosts are not supported: {token.text!r}")
            value = _unquote(token.text)
            if field is None:
                return self._leaf(MatchAll() if token.text == "*" else self._text(value, token))
            return self._leaf(self._value(field, value, token))
        if token.kind == "range":
            if field is None:
                raise self._fail(f"a range needs a field, at position {token.pos + 1}")
            return self._leaf(self._range(field, token))
        raise self._fail(f"unexpected {token.text!r} at position {token.pos + 1}")

    def _field_value(self, token: _Token) -> Node:
        name = token.text[:-1]
        value = self._peek()
        if value is None or value.kind not in ("word", "phrase", "open", "range"):
            raise self._fail(f"{name}: needs a value, at position {token.pos + 1}")
        if name == "*":
            if value.kind == "word" and value.text == "*":
                self.at += 1
                return self._leaf(MatchAll())
            raise self._fail("*: takes only * (*:* is everything)")
        known = FILTER_FIELDS | RANGE_FIELDS | TEXT_FIELDS
        if name not in known:
            raise self._fail(f"unknown field {name!r}; use {', '.join(sorted(known))}")
        if value.kind == "open":
            return self._primary(name, 0)
        self.at += 1
        if value.kind == "range":
            return self._leaf(self._range(name, value))
        if value.kind == "word" and value.text == "*":
            raise self._fail(f"{name}:* is not supported; use *:* for everything")
        if value.kind == "word" and any(c in value.text for c in "*?~^"):
            raise self._fail(f"wildcards, fuzzy terms and boosts are not supported: {value.text!r}")
        return self._leaf(self._value(name, _unquote(value.text), value))

    def _value(self, field: str, value: str, token: _Token) -> Node:
        if field in RANGE_FIELDS:
            raise self._fail(f"{field} takes a range [start TO end], at position {token.pos + 1}")
        if field in TEXT_FIELDS:
            return self._text(value, token)
        return FieldValue(field, value)

    def _text(self, value: str, token: _Token) -> Text:
        if self.param == "fq":
            raise self._fail(f"free text {token.text!r} belongs in q; fq takes field:value terms")
        return Text(value)

    def _range(self, field: str, token: _Token) -> DateRange:
        if field not in RANGE_FIELDS:
            raise self._fail(f"{field} takes a value, not a range; ranges: {', '.join(sorted(RANGE_FIELDS))}")
        parts = token.text[1:-1].split(" TO ")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise self._fail(f"a range is [start TO end], not {token.text}")
        return DateRange(
            field,
            since=_moment(parts[0].strip(), self.param),
            until=_moment(parts[1].strip(), self.param),
            since_exclusive=token.text[0] == "{",
            until_exclusive=token.text[-1] == "}",
        )


def parse(source: str, param: str = "q") -> Node:
    """The tree of a ``q`` or ``fq`` string; empty, ``*`` or ``*:*`` is :class:`MatchAll`. A syntax
    error, unknown field or unsupported construct is an :class:`InvalidInput` naming ``param``."""
    return _Parser(source, param).parse()
