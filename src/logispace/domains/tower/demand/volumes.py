"""Volume series and their forecasts (运量序列与预测), pure functions.

A series counts the shipments (or sums the tonnes) booked in each hour of a window, zeros included. The
model follows the series' length: at least two seasons of 24 hours -> seasonal exponential smoothing
with season 24; at least :data:`MIN_POINTS` -> simple exponential smoothing (no season); fewer -> no
forecast, and the reason. Accuracy is measured on the series' own history: the model is fitted without
the last season (24 points; a quarter of the series for the non-seasonal model) and scored on it with
sMAPE (M4's definition, a step where both are zero counts 0) and MASE (scaled by the in-sample error of
the seasonal naive forecast, lag 24, or of the naive forecast, lag 1).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

HOUR = timedelta(hours=1)
SEASON = 24
MIN_POINTS = 12
"""Fewest points the non-seasonal model is fitted on (and a quarter of them held out)."""
SEASONAL = "seasonal_exponential_smoothing"
SIMPLE = "simple_exponential_smoothing"
TOO_SHORT = "too_few_points"


def floor_hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def hourly(points: Iterable[tuple[datetime, float]], start: datetime, end: datetime) -> list[float]:
    """The sum of the values in each hour from ``start`` to ``end`` (both floored, both included);
    points outside are left out."""
    first, last = floor_hour(start), floor_hour(end)
    size = int((last - first) / HOUR) + 1 if last >= first else 0
    out = [0.0] * size
    for at, value in points:
        i = int((floor_hour(at) - first) / HOUR)
        if 0 <= i < size:
            out[i] += value
    return out


def model_for(length: int) -> str:
    """The model a series of ``length`` points gets, or :data:`TOO_SHORT`."""
    if length >= 2 * SEASON:
        return SEASONAL
    if length >= MIN_POINTS:
        return SIMPLE
    return TOO_SHORT


def predict(y: Sequence[float], horizon: int, model: str) -> list[float]:
    """The next ``horizon`` values of ``y`` by ``model`` (never below zero: volumes)."""
    # Imported here: statsforecast takes seconds to import, which every server process would pay.
    from statsforecast.models import (
        SeasonalExponentialSmoothingOptimized,
        SimpleExponentialSmoothingOptimized,
    )

    values = np.asarray(y, dtype=float)
    if model == SEASONAL:
        mean = SeasonalExponentialSmoothingOptimized(season_length=SEASON).forecast(y=values, h=horizon)[
            "mean"
        ]
    elif model == SIMPLE:
        mean = SimpleExponentialSmoothingOptimized().forecast(y=values, h=horizon)["mean"]
    else:
        raise ValueError(f"model: no forecast for {model}")
    return [max(0.0, float(v)) for v in mean]


def smape(actual: Sequence[float], forecast: Sequence[float]) -> float:
    """Symmetric mean absolute percentage error, in percent (0 to 200)."""
    a, f = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    denominator = np.abs(a) + np.abs(f)
    terms = np.divide(2 * np.abs(a - f), denominator, out=np.zeros_like(a), where=denominator > 0)
    return float(100 * terms.mean())


def mase(
    train: Sequence[float], actual: Sequence[float], forecast: Sequence[float], lag: int
) -> float | None:
    """Mean absolute error scaled by the in-sample error of the naive forecast at ``lag``; ``None`` when
    that error is zero (a constant series)."""
    t = np.asarray(train, dtype=float)
    if len(t) <= lag:
        return None
    scale = float(np.abs(t[lag:] - t[:-lag]).mean())
    if scale == 0:
        return None
    return float(np.abs(np.asarray(actual, dtype=float) - np.asarray(forecast, dtype=float)).mean() / scale)


@dataclass(frozen=True)
class Accuracy:
    """A model's error on the last ``holdout`` points of a series, fitted on the points before them."""

    holdout: int
    smape: float
    mase: float | None


def accuracy(y: Sequence[float], model: str) -> Accuracy | None:
    """Hold out the last season (seasonal model) or the last quarter (simple one, at most a season);
    ``None`` when what remains is too short for the model."""
    if model == SEASONAL:
        holdout, lag = SEASON, SEASON
        fit_model = SEASONAL if len(y) - holdout >= 2 * SEASON else model_for(len(y) - holdout)
    elif model == SIMPLE:
        holdout, lag = min(SEASON, len(y) // 4), 1
        fit_model = model_for(len(y) - holdout)
    else:
        return None
    if holdout < 1 or fit_model == TOO_SHORT:
        return None
    train, test = list(y[:-holdout]), list(y[-holdout:])
    guess = predict(train, holdout, fit_model)
    return Accuracy(holdout, round(smape(test, guess), 3), _round(mase(train, test, guess, lag)))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
