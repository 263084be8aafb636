"""Read a State Council holiday notice (国务院办公厅关于部分节假日安排的通知) into a holiday table.

Each November the State Council publishes next year's arrangement as numbered items in one fixed style::

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

:func:`parse_notice` turns the text of such a notice into the document a ``<year>.toml`` holiday
table holds (see :mod:`logispace.core.calendar`), so an operator pastes the notice instead of typing
dates. It reads every clause that speaks of days off (放假, 补休, 与周末连休) or days worked
(上班) and checks what the notice says about itself: the weekday written beside a date (``周日``,
``星期日``) must be that date's weekday, and a range followed by ``共N天`` must hold N days. A
clause it cannot read, or a check that fails, is an error naming the item: the notice is never
half-read. Sentences of advice (鼓励...) are not part of the arrangement and are skipped.

A date without a month takes the month of the date before it in the same item (``2月15日至23日``); a date
with its own year (``2026年12月31日``) may lie outside the notice's year, and is then reported in
:attr:`ParsedNotice.other_years` rather than put in the table (that year's own table holds it).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from logispace.core.config import Settings
from logispace.core.errors import DomainError

_ITEM = re.compile(r"(?:^|\n|。)\s*([一二三四五六七八九十]+)、\s*([^：:]{1,20})[：:]")
_YEAR = re.compile(r"(\d{4})\s*年\s*(?:元旦|部分节假日|的?元旦)")
_DATE = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:[（(]([^）)]*)[）)])?")
_RANGE_JOIN = re.compile(r"^\s*(?:至|—|－|-|~|～)\s*$")
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_OFF_WORDS = ("放假", "补休", "连休")
_CLOSING = re.compile(r"^\s*(?:鼓励|节假日期间|国务院办公厅|各地区|来源)")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_NOTE = re.compile(r"(?:周|星期)([一二三四五六日天])")


class NoticeUnreadable(DomainError):
    """A holiday notice that cannot be read as written (节假日安排通知无法识别)."""

    status = 422
    code = "holiday-notice-unreadable"
    title = "The holiday notice cannot be read"

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the holiday notice cannot be read: " + "; ".join(problems), problems=problems)


@dataclass(frozen=True)
class _DateToken:
    day: date
    start: int
    end: int


@dataclass
class ParsedNotice:
    """What a notice says: its year, and for each item its days off and the weekend days worked."""

    year: int
    source: str
    holidays: list[tuple[str, list[date]]] = field(default_factory=list)
    workdays: list[tuple[str, list[date]]] = field(default_factory=list)
    other_years: list[tuple[str, date, str]] = field(default_factory=list)

    def table_document(self) -> dict[str, Any]:
        """The holiday table document (``year``, ``source``, ``holidays``, ``workdays``) of this notice."""

        def entries(groups: list[tuple[str, list[date]]], suffix: str) -> list[dict[str, Any]]:
            out: list[dict[str, Any]] = []
            for name, days in groups:
                for first, last in _runs(days):
                    entry: dict[str, Any] = {"name": name + suffix}
                    if first == last:
                        entry["date"] = first
                    else:
                        entry["start"], entry["end"] = first, last
                    out.append(entry)
            return out

        return {
            "year": self.year,
            "source": self.source,
            "holidays": entries(self.holidays, ""),
            "workdays": entries(self.workdays, "调休上班"),
        }

    def to_toml(self) -> str:
        """The table as TOML text, ready to save as ``<year>.toml``."""
        document = self.table_document()
        lines = [f"year = {document['year']}", f"source = {_toml_string(document['source'])}", ""]
        for key in ("holidays", "workdays"):
            for entry in document[key]:
                lines.append(f"[[{key}]]")
                if "date" in entry:
                    lines.append(f"date = {entry['date'].isoformat()}")
                else:
                    lines.append(f"start = {entry['start'].isoformat()}")
                    lines.append(f"end = {entry['end'].isoformat()}")
                lines.append(f"name = {_toml_string(entry['name'])}")
                lines.append("")
        return "\n".join(lines)


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _normalize(text: str) -> str:
    # full-width digits and punctuation in pasted notices become their plain forms, but keep the Chinese
    # colon and parentheses the patterns expect either way
    return unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\u3000", " ")


def notice_year(text: str) -> int | None:
    """The year a notice arranges (``关于2026年部分节假日安排`` / ``现将2026年元旦...``), if it says."""
    match = _YEAR.search(_normalize(text))
    return int(match.group(1)) if match else None


def _tokens(clause: str, year: int, month: int | None, problems: list[str], where: str) -> list[_DateToken]:
    tokens: list[_DateToken] = []
    for match in _DATE.finditer(clause):
        token_year = int(match.group(1)) if match.group(1) else year
        if match.group(2):
            month = int(match.group(2))
        elif tokens:
            month = tokens[-1].day.month
            if match.group(1) is None:
                token_year = tokens[-1].day.year
        if month is None:
            problems.append(f"{where}: {match.group(0)!r} has no month")
            continue
        try:
            day = date(token_year, month, int(match.group(3)))
        except ValueError:
            problems.append(f"{where}: {match.group(0)!r} is not a date")
            continue
        note = _WEEKDAY_NOTE.search(match.group(4) or "")
        if note and _WEEKDAYS[note.group(1)] != day.weekday():
            problems.append(f"{where}: {day} is not a {note.group(0)} (the notice says {match.group(0)!r})")
        tokens.append(_DateToken(day, match.start(), match.end()))
    return tokens


def _days_of(clause: str, tokens: list[_DateToken]) -> list[date]:
    """The days a clause names: single dates, and ranges ``A至B`` expanded."""
    days: list[date] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is not None and _RANGE_JOIN.match(clause[token.end : following.start]):
            span = (following.day - token.day).days
            days.extend(token.day + timedelta(days=i) for i in range(max(span, -1) + 1))
            index += 2
        else:
            days.append(token.day)
            index += 1
    return days


def parse_notice(text: str, *, year: int | None = None, source: str | None = None) -> ParsedNotice:
    """Read a holiday notice; ``year`` is needed only when the text does not say which year it arranges."""
    text = _normalize(text)
    found_year = notice_year(text)
    if year is None:
        year = found_year
    if year is None:
        raise NoticeUnreadable(["the notice does not say its year (关于YYYY年部分节假日安排); give it"])
    if found_year is not None and found_year != year:
        raise NoticeUnreadable([f"the notice is for {found_year}, not {year}"])
    items = list(_ITEM.finditer(text))
    if not items:
        raise NoticeUnreadable(["no numbered items (一、元旦：...) were found"])
    parsed = ParsedNotice(year, source or f"国务院办公厅关于{year}年部分节假日安排的通知")
    problems: list[str] = []
    for index, item in enumerate(items):
        name = item.group(2).strip()
        body_end = items[index + 1].start() if index + 1 < len(items) else len(text)
        body = _item_body(text[item.end() : body_end])
        _read_item(parsed, name, body, year, problems)
    if not parsed.holidays:
        problems.append("no days off (放假) were found")
    if problems:
        raise NoticeUnreadable(problems)
    return parsed


def _item_body(text: str) -> str:
    """An item's text, without the closing paragraphs that follow the last item (鼓励..., 国务院办公厅...)."""
    lines: list[str] = []
    for line in text.split("\n"):
        if _CLOSING.match(line):
            break
        lines.append(line)
    return " ".join(lines)


def _read_item(parsed: ParsedNotice, name: str, body: str, year: int, problems: list[str]) -> None:
    off: list[date] = []
    worked: list[date] = []
    month: int | None = None
    for sentence in re.split(r"[。；;]", body):
        if "鼓励" in sentence:  # advice (鼓励...安排职工在除夕休息), not part of the arrangement
            continue
        total = _TOTAL.search(sentence)
        sentence_off: list[date] = []
        for clause in re.split(r"[，,]", sentence):
            if not clause.strip():
                continue
            where = f"{name} {clause.strip()!r}"
            tokens = _tokens(clause, year, month, problems, where)
            if tokens:
                month = tokens[-1].day.month
            if "上班" in clause:
                worked.extend(_days_of(clause, tokens))
            elif any(word in clause for word in _OFF_WORDS):
                sentence_off.extend(_days_of(clause, tokens))
            elif tokens:
                problems.append(f"{where}: dates that are neither 放假/补休 nor 上班")
        if total and int(total.group(1)) != len(set(sentence_off)):
            problems.append(
                f"{name}: the notice says {total.group(0)} but its dates give {len(set(sentence_off))} days"
            )
        off.extend(sentence_off)
    if not off and not worked:
        problems.append(f"{name}: no dates were found")
        return
    for days, target in ((off, parsed.holidays), (worked, parsed.workdays)):
        kept = [day for day in days if day.year == year]
        for day in days:
            if day.year != year:
                parsed.other_years.append((name, day, "holiday" if target is parsed.holidays else "workday"))
        if kept:
            target.append((name, kept))


@dataclass(frozen=True)
class MovedDeadline:
    """A provisional deadline recomputed when its year's notice was imported (期限变动)."""

    subject: str
    rule: str
    before: date
    after: date
    still_provisional: bool


@dataclass
class HolidayNoticeImported:
    """Event (节假日安排已导入): the table of ``year`` was written by ``logispace calendar import-notice``.

    Domains that keep provisional deadlines (暂定期限) subscribe, recompute them in the publisher's unit of
    work, and report: ``recomputed`` counts them, ``moved`` lists those whose due date changed.
    """

    year: int
    settings: Settings
    recomputed: int = 0
    moved: list[MovedDeadline] = field(default_factory=list)
