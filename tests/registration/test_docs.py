"""docs/registration.md carries every row of both transition tables, as generated from the code."""

from __future__ import annotations

from pathlib import Path

from logispace.domains.registration.rules.actors import STEP_ACTORS
from logispace.domains.registration.rules.application_table import APPLICATION_RULES, ApplicationRule
from logispace.domains.registration.rules.records import RECORD_RULES, RecordRule

DOC = (Path(__file__).resolve().parents[2] / "docs" / "registration.md").read_text(encoding="utf-8")


def _set(values: frozenset[str], size: int, every: str) -> str:
    return every if len(values) == size else ", ".join(sorted(values))


def _row_a(r: ApplicationRule) -> str:
    return (
        f"| {r.state} | {r.action} | {r.role} | {_set(frozenset(r.types), 4, 'all')} | "
        f"{_set(frozenset(r.profiles), 2, 'both')} | {r.next_state} | {r.deadline or '—'} | "
        f"{r.ledger_event} | {r.source} | {r.note} |"
    )


def _row_b(r: RecordRule) -> str:
    notice = ", ".join(sorted(r.public_notice)) or "—"
    return (
        f"| {r.state} | {r.action} | {r.role} | {r.next_state} | {r.deadline or '—'} | {r.ledger_event} | "
        f"{notice} | {r.source} | {r.note} |"
    )


def test_every_transition_of_a_and_b_is_documented() -> None:
    lines = set(DOC.splitlines())
    missing = [row for row in map(_row_a, APPLICATION_RULES) if row not in lines]
    missing += [row for row in map(_row_b, RECORD_RULES) if row not in lines]
    assert missing == []
    table_rows = [
        line for line in lines if line.startswith(("| draft", "| submitted", "| valid", "| renewal"))
    ]
    assert len(table_rows) >= 10


def test_every_source_of_the_step_actors_table_is_in_the_doc() -> None:
    """The doc's table of who takes each step cites what ``rules.actors.STEP_ACTORS`` cites."""
    cited = {line.strip() for who in STEP_ACTORS.values() for line in who.source.split(";")}
    assert sorted(c for c in cited if c not in DOC) == []
