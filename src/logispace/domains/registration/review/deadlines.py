"""Provisional deadlines (暂定期限): recomputed when a year's holiday notice is imported, and the
authority's task to have it imported.

A deadline counted into a year without a State Council holiday notice is provisional
(:mod:`logispace.core.statutory_holidays`): the step is taken, never refused. When ``logispace calendar
import-notice`` writes the year's table it publishes :class:`HolidayNoticeImported`;
:func:`on_notice_imported` counts every provisional running deadline again from its anchor, updates the
application (and the step that started it, the publicity end or the objection's review date it stands
for), appends a ``registration.deadline_recomputed`` ledger entry for each, and reports the moves to the
command.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.calendar import WorkingCalendar
from logispace.core.clock import utcnow
from logispace.core.deadlines import Deadline, start_deadline
from logispace.core.events import EventBus
from logispace.core.holiday_notice import HolidayNoticeImported, MovedDeadline
from logispace.domains.ledger import append as ledger_append
from logispace.domains.registration import repository
from logispace.domains.registration.models import RegistrationApplication
from logispace.domains.registration.workflow import Clock, running_deadline, subject_ref

RECOMPUTED_EVENT = "registration.deadline_recomputed"


@dataclass(frozen=True)
class CalendarTask:
    """The authority's task (待办): have the holiday notices of ``years`` imported.

    ``provisional`` counts the running deadlines now provisional; ``next_year`` is set from December on
    when the coming year has no notice yet, even with no provisional deadline.
    """

    years: tuple[int, ...]
    provisional: int
    next_year: int | None


def provisional_years(calendar: WorkingCalendar, first: date, last: date) -> list[int]:
    """The years between ``first`` and ``last`` that ``calendar`` counts provisionally."""
    return [year for year in range(first.year, last.year + 1) if calendar.is_provisional_year(year)]


def calendar_task(session: Session, clock: Clock) -> CalendarTask | None:
    """What the review queue asks of the authority about holiday notices, or ``None``."""
    spans = repository.provisional_spans(session)
    years = {year for first, last in spans for year in provisional_years(clock.calendar, first, last)}
    next_year = clock.on.year + 1 if clock.on.month == 12 else None
    if next_year is not None and clock.calendar.is_provisional_year(next_year):
        years.add(next_year)
    else:
        next_year = None
    if not spans and not years:
        return None
    return CalendarTask(tuple(sorted(years)), len(spans), next_year)


def recompute_provisional(session: Session, clock: Clock) -> tuple[int, list[MovedDeadline]]:
    """Count every provisional running deadline again on ``clock.calendar``; ``(recomputed, moved)``."""
    moved: list[MovedDeadline] = []
    applications = repository.provisional_applications(session)
    for application in applications:
        before = running_deadline(application, clock.settings)
        if before is None:  # a provisional flag without a deadline: nothing to count
            application.running_provisional = False
            continue
        after = start_deadline(before.rule, before.anchor_date, clock.calendar)
        _apply(session, application, before, after)
        _record(session, clock, application, before, after)
        if after.due != before.due:
            moved.append(
                MovedDeadline(
                    subject_ref(application.id), before.rule.name, before.due, after.due, after.provisional
                )
            )
    session.flush()
    return len(applications), moved


def _apply(session: Session, application: RegistrationApplication, before: Deadline, after: Deadline) -> None:
    application.running_due, application.running_provisional = after.due, after.provisional
    application.updated_at = utcnow()
    if before.rule.name == "publicity" and application.publicity_end == before.due:
        application.publicity_end = after.due
    if before.rule.name == "objection_review":
        for objection in repository.pending_objections(session, application.id):
            if objection.filed_on == before.anchor_date and objection.review_due == before.due:
                objection.review_due = after.due
    for step in reversed(repository.steps_of(session, application.id)):
        if step.deadline_rule == before.rule.name and step.due_on == before.due and step.due_provisional:
            step.due_on, step.due_provisional = after.due, after.provisional
            break


def _record(
    session: Session, clock: Clock, application: RegistrationApplication, before: Deadline, after: Deadline
) -> None:
    payload: dict[str, Any] = {
        "application_id": str(application.id),
        "rule": before.rule.name,
        "source": before.rule.source,
        "anchor_date": before.anchor_date.isoformat(),
        "due_before": before.due.isoformat(),
        "due": after.due.isoformat(),
        "provisional": after.provisional,
        "on": clock.on.isoformat(),
    }
    ledger_append(
        session,
        kind=RECOMPUTED_EVENT,
        subject=subject_ref(application.id),
        payload=payload,
        actor=None,
        settings=clock.settings,
    )


def on_notice_imported(session: Session, event: HolidayNoticeImported) -> None:
    """Handler of :class:`HolidayNoticeImported`: recompute, and report into the event."""
    recomputed, moved = recompute_provisional(session, Clock.now(event.settings))
    event.recomputed += recomputed
    event.moved.extend(moved)


def subscribe(bus: EventBus) -> None:
    """Register the registration domain's calendar handler on ``bus`` (idempotent)."""
    bus.subscribe(HolidayNoticeImported, on_notice_imported)
