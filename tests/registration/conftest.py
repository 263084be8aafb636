"""Registration API fixtures: settings with a temporary object store and the rule profile, a movable
clock (the registration days are PRC days, so the tests travel across holidays)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from logispace.config import RuleProfile, Settings
from logispace.core.clock import set_clock


@pytest.fixture(params=[RuleProfile.NATIONAL], ids=str)
def profile(request: pytest.FixtureRequest) -> RuleProfile:
    """The rule profile of the deployment under test; parametrize indirectly for both."""
    value: RuleProfile = request.param
    return value


@pytest.fixture
def settings(database_url: str, tmp_path: Path, profile: RuleProfile) -> Settings:
    return Settings(
        database_url=database_url,
        max_body_bytes=256 * 1024,
        objects_dir=tmp_path / "objects",
        rule_profile=profile,
    )


class TravelClock:
    """The injectable clock (core.clock) set to 10:00 China time (02:00 UTC) of a chosen day."""

    def __init__(self) -> None:
        self.now = datetime(2026, 2, 12, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def to(self, day: str | date) -> None:
        when = date.fromisoformat(day) if isinstance(day, str) else day
        self.now = datetime.combine(when, time(2, 0), tzinfo=UTC)

    def forward(self, days: int) -> None:
        self.now += timedelta(days=days)


@pytest.fixture
def clock() -> Iterator[TravelClock]:
    fixed = TravelClock()
    set_clock(fixed)
    yield fixed
    set_clock(None)
