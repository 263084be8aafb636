"""Periodic alert tasks (预警定时任务): the sweep of time-based rules and the webhook delivery run, each
in its own units of work (the command line runs them, e.g. every minute from cron or a timer)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from logispace.core.config import Settings
from logispace.domains.tower.alerts import evaluate
from logispace.domains.tower.alerts.service import Raise
from logispace.domains.tower.kpis import incremental
from logispace.domains.tower.webhooks import delivery


def sweep(maker: sessionmaker[Session], now: datetime | None = None) -> list[Raise]:
    """One sweep in one transaction; the measures of waybills whose promise passed with no event are
    settled in it too (OTIF 0, :func:`~logispace.domains.tower.kpis.incremental.settle_due`)."""
    with maker() as session, session.begin():
        incremental.settle_due(session, now)
        return evaluate.sweep(session, now)


def deliver(
    maker: sessionmaker[Session], settings: Settings, now: datetime | None = None
) -> delivery.Outcome:
    """One delivery run over everything due."""
    return delivery.run(maker, settings, delivery.post, now=now)
