"""Pages show moments in Beijing time, the way people in China read them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from logispace.web.templates import beijing_time


@pytest.mark.parametrize(
    ("value", "fmt", "shown"),
    [
        (datetime(2026, 12, 7, 13, 17, tzinfo=UTC), "%Y-%m-%d %H:%M", "2026-12-07 21:17"),
        (datetime(2026, 12, 31, 16, 0, tzinfo=UTC), "%Y-%m-%d", "2027-01-01"),  # the next day in Beijing
        (datetime(2026, 12, 7, 13, 17), "%Y-%m-%d %H:%M", "2026-12-07 21:17"),  # noqa: DTZ001  naive = UTC
        (datetime(2026, 12, 7, 9, 0, tzinfo=timezone(timedelta(hours=-5))), "%H:%M", "22:00"),
        (date(2026, 12, 7), "%Y-%m-%d", "2026-12-07"),
        (None, "%Y-%m-%d", ""),
    ],
)
def test_beijing_time(value: datetime | date | None, fmt: str, shown: str) -> None:
    assert beijing_time(value, fmt) == shown
