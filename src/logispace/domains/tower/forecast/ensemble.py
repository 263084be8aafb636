"""The forecaster (预测模型): a global gradient-boosted model and a seasonal statistical model, averaged.

* A global LightGBM model (mlforecast) learns from every series at once: each target is scaled by
  its own series (mean and standard deviation), its features are the last season of lags, the same
  hour of earlier seasons, and rolling means over one season and one week of seasons; it forecasts
  recursively, step by step.
* A statistical model per series (statsforecast's Dynamic Optimized Theta with the season length)
  follows each series' own level and seasonal pattern.

The forecast is the mean of the two: their errors differ in kind (the global model misses a series'
own level shifts, the local one the shared shape), so the mean is more accurate than either; the
figures on the M4 hourly set are in ``bench/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from mlforecast import MLForecast
from mlforecast.lag_transforms import RollingMean
from mlforecast.target_transforms import LocalStandardScaler
from statsforecast import StatsForecast
from statsforecast.models import DynamicOptimizedTheta

from logispace.domains.tower.forecast.series import Series

MAX_HORIZON = 10_000
MAX_SEASON = 10_000


@dataclass(frozen=True)
class ForecastSpec:
    """What to forecast: ``horizon`` steps of each series whose season is ``season_length`` steps."""

    horizon: int
    season_length: int
    threads: int = 2
    boosting_rounds: int = 400

    def __post_init__(self) -> None:
        if not 1 <= self.horizon <= MAX_HORIZON:
            raise ValueError(f"horizon: must be from 1 to {MAX_HORIZON}, not {self.horizon}")
        if not 1 <= self.season_length <= MAX_SEASON:
            raise ValueError(f"season_length: must be from 1 to {MAX_SEASON}, not {self.season_length}")
        if self.threads < 1:
            raise ValueError(f"threads: must be at least 1, not {self.threads}")
        if self.boosting_rounds < 1:
            raise ValueError(f"boosting_rounds: must be at least 1, not {self.boosting_rounds}")


def _lags(season: int, shortest: int) -> tuple[list[int], dict[int, list[Any]]]:
    """The lags: the last season, then the same point of up to six earlier seasons, as far as the
    shortest series reaches; rolling means over one season and over a week of seasons."""
    near = list(range(1, min(season, 48) + 1))
    far = [season * k for k in range(2, 8) if season * k < shortest]
    lags = sorted(set(near + far + [season]))
    transforms: dict[int, list[Any]] = {1: [RollingMean(window_size=season)]}
    if season * 7 < shortest:
        transforms[season] = [RollingMean(window_size=season * 7)]
    return lags, transforms


def _global(series: Series, spec: ForecastSpec) -> pd.Series:
    frame = series.frame
    shortest = int(frame.groupby("unique_id").size().min())
    lags, transforms = _lags(spec.season_length, shortest)
    model = lgb.LGBMRegressor(
        n_estimators=spec.boosting_rounds,
        learning_rate=0.05,
        num_leaves=63,
        min_child_samples=20,
        subsample=0.8,
        subsample_freq=1,
        colsample_bytree=0.8,
        n_jobs=spec.threads,
        random_state=0,
        verbose=-1,
    )
    fcst = MLForecast(
        models={"lgb": model},
        freq=series.step,
        lags=lags,
        lag_transforms=transforms,
        target_transforms=[LocalStandardScaler()],
        num_threads=spec.threads,
    )
    fcst.fit(frame, static_features=[])
    out = fcst.predict(spec.horizon)
    return out.set_index(["unique_id", "ds"])["lgb"]


def _local(series: Series, spec: ForecastSpec) -> pd.Series:
    model = DynamicOptimizedTheta(season_length=spec.season_length)
    sf = StatsForecast(models=[model], freq=series.step, n_jobs=spec.threads)
    out = sf.forecast(df=series.frame, h=spec.horizon)
    return out.set_index(["unique_id", "ds"])["DynamicOptimizedTheta"]


MEMBERS = ("global", "local")


def members(series: Series, spec: ForecastSpec) -> pd.DataFrame:
    """Each member's forecast: ``unique_id, ds, global, local``, ordered."""
    both = pd.concat([_global(series, spec), _local(series, spec)], axis=1, join="inner")
    both.columns = list(MEMBERS)
    out = both.reset_index()
    return out.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)


def combine(each: pd.DataFrame) -> pd.DataFrame:
    """The mean of the members (the local model alone where the global one gave no finite value)."""
    mean = each[list(MEMBERS)].mean(axis=1).to_numpy(dtype=float)
    out = each[["unique_id", "ds"]].copy()
    out["yhat"] = np.where(np.isfinite(mean), mean, each["local"].to_numpy(dtype=float))
    return out


def forecast(series: Series, spec: ForecastSpec) -> pd.DataFrame:
    """``unique_id, ds, yhat`` for the next ``spec.horizon`` steps of each series, ordered."""
    return combine(members(series, spec))
