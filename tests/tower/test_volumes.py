"""Volume series and their forecasts (运量序列与预测), pure: hourly buckets, the model a series gets by
its length, sMAPE and MASE by hand, accuracy on a holdout of the last season (small series, cheap fits)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from logispace.domains.tower.demand.volumes import (
    SEASONAL,
    SIMPLE,
    TOO_SHORT,
    accuracy,
    hourly,
    mase,
    model_for,
    predict,
    smape,
)

T0 = datetime(2026, 11, 14, 8, 0, tzinfo=UTC)


def h(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("points", "start", "end", "expected"),
    [
        ([], h(0), h(2), [0.0, 0.0, 0.0]),
        ([(h(0.1), 1.0), (h(0.9), 1.0), (h(2.5), 3.0)], h(0), h(2.99), [2.0, 0.0, 3.0]),
        ([(h(-1), 5.0), (h(4), 5.0)], h(0), h(1), [0.0, 0.0]),  # outside the window: left out
        ([(h(0.5), 2.0)], h(0.7), h(0.7), [2.0]),  # start and end are floored to the hour
        ([(h(0), 1.0)], h(2), h(0), []),  # end before start: no hours
    ],
)
def test_hourly_buckets(
    points: list[tuple[datetime, float]], start: datetime, end: datetime, expected: list[float]
) -> None:
    assert hourly(points, start, end) == expected


@pytest.mark.parametrize(
    ("length", "model"), [(0, TOO_SHORT), (11, TOO_SHORT), (12, SIMPLE), (47, SIMPLE), (48, SEASONAL)]
)
def test_the_model_follows_the_length(length: int, model: str) -> None:
    assert model_for(length) == model


@pytest.mark.parametrize(
    ("actual", "forecast", "expected"),
    [
        ([1, 2], [1, 2], 0.0),
        ([0, 0], [0, 0], 0.0),  # both zero: no error, not a division by zero
        ([0, 2], [1, 2], 100.0),  # 200 * |0-1| / (0+1) / 2 steps
        ([4], [2], 200 * 2 / 6),
    ],
)
def test_smape(actual: list[float], forecast: list[float], expected: float) -> None:
    assert smape(actual, forecast) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("train", "lag", "expected"),
    [
        ([0, 2, 0, 2], 1, 1.0 / 2.0),  # scale: mean |diff| at lag 1 = 2; error 1
        ([0, 2, 0, 2], 2, None),  # the seasonal naive forecast is exact: no scale
        ([1], 1, None),  # too short for the lag
    ],
)
def test_mase(train: list[float], lag: int, expected: float | None) -> None:
    got = mase(train, [3.0, 3.0], [2.0, 4.0], lag)
    assert got == (None if expected is None else pytest.approx(expected))


def test_a_daily_pattern_is_forecast_by_the_seasonal_model_and_scored_on_its_last_day() -> None:
    day = [0.0] * 8 + [3.0, 5.0, 4.0, 2.0] + [1.0] * 12
    y = day * 3
    assert model_for(len(y)) == SEASONAL
    ahead = predict(y, 30, SEASONAL)
    assert len(ahead) == 30 and ahead[:24] == pytest.approx(day, abs=0.05) and min(ahead) >= 0
    exact = accuracy(y, SEASONAL)
    assert exact is not None and exact.holdout == 24 and exact.smape == 0.0
    assert exact.mase is None  # the seasonal naive forecast is exact in sample: MASE is not defined
    busier = list(day)
    busier[9] = 6.0  # one hour of the second day busier: the in-sample error is 1/24 per hour
    scored = accuracy(day + busier + day, SEASONAL)
    assert scored is not None and 0 < scored.smape < 2.0
    assert scored.mase is not None and 0 < scored.mase <= 1.0


def test_a_short_series_gets_the_simple_model_a_shorter_none() -> None:
    y = [2.0, 0.0, 1.0, 3.0, 0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 1.0, 1.0, 0.0, 2.0, 1.0, 1.0]
    ahead = predict(y, 3, SIMPLE)
    assert len(ahead) == 3 and len(set(ahead)) == 1  # a level, no season
    scored = accuracy(y, SIMPLE)  # a quarter held out: 12 points left, enough to fit
    assert scored is not None and scored.holdout == 4 and scored.mase is not None
    assert accuracy(y[:14], SIMPLE) is None  # 3 held out leaves 11: too few to fit
    assert accuracy(y[:5], TOO_SHORT) is None
    with pytest.raises(ValueError, match="model"):
        predict(y, 3, TOO_SHORT)
