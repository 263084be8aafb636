"""The forecaster (预测模型): two global gradient-boosted models and a seasonal decomposition, by median.

* ``global``: a LightGBM model (mlforecast) learns from every series at once: each target is scaled
  by its own series (mean and standard deviation); its features are the last season of lags, the same
  point of up to six earlier seasons and rolling means over one season and one week of seasons; it
  forecasts recursively, step by step.
* ``differenced``: the same model on each series' seasonal differences (this season minus the last),
  which follows a series' level shifts that the first one smooths over.
* ``local``: statsforecast's MSTL per series, with the season (and a week of seasons when the series
  holds two weeks of them), a trend and ETS on the remainder.

The forecast is the median of the three at each step: their errors differ in kind, and the median
keeps the one in the middle. On the M4 hourly set (414 series, horizon 48) the members alone reach
OWA 0.608, 0.523 and 0.604 and their median 0.458 (``bench/tower_forecast_m4.py``, bench/README.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from mlforecast import MLForecast
from mlforecast.lag_transforms import ExpandingMean, RollingMean
from mlforecast.target_transforms import Differences, LocalStandardScaler
from statsforecast import StatsForecast
from statsforecast.models import MSTL

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
    shortest series reaches; rolling means over one season and over a week of seasons, and the
    series' mean so far (two seasons back)."""
    near = list(range(1, min(season, 48) + 1))
    far = [season * k for k in range(2, 8) if season * k < shortest]
    lags = sorted(set(near + far + [season]))
    transforms: dict[int, list[Any]] = {1: [RollingMean(window_size=season)]}
    if season * 7 < shortest:
        transforms[season] = [RollingMean(window_size=season * 7)]
    if season * 2 < shortest:
        transforms[season * 2] = [ExpandingMean()]
    return lags, transforms


def _global(series: Series, spec: ForecastSpec, *, differenced: bool = False) -> pd.Series:
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
        verbose=-1,
    )
    fcst = MLForecast(
        models={"lgb": model},
        freq=series.step,
        lags=lags,
        lag_transforms=transforms,
        target_transforms=(
            [Differences([spec.season_length]), LocalStandardScaler()]
            if differenced
            else [LocalStandardScaler()]
        ),
        num_threads=spec.threads,
    )
    fcst.fit(frame, static_features=[])
    out = fcst.predict(spec.horizon)
    return out.set_index(["unique_id", "ds"])["lgb"]


def _local(series: Series, spec: ForecastSpec) -> pd.Series:
    shortest = int(series.frame.groupby("unique_id").size().min())
    week = spec.season_length * 7
    seasons = [spec.season_length, week] if shortest >= 2 * week else spec.season_length
    sf = StatsForecast(models=[MSTL(season_length=seasons)], freq=series.step, n_jobs=spec.threads)
    out = sf.forecast(df=series.frame, h=spec.horizon)
    return out.set_index(["unique_id", "ds"])["MSTL"]


MEMBERS = ("global", "differenced", "local")


def members(series: Series, spec: ForecastSpec) -> pd.DataFrame:
    """Each member's forecast: ``unique_id, ds, global, differenced, local``, ordered."""
    parts = [_global(series, spec), _global(series, spec, differenced=True), _local(series, spec)]
    each = pd.concat(parts, axis=1, join="inner")
    each.columns = list(MEMBERS)
    out = each.reset_index()
    return out.sort_values(["unique_id", "ds"], kind="stable").reset_index(drop=True)


def combine(each: pd.DataFrame) -> pd.DataFrame:
    """The median of the members at each step (of those with a finite value)."""
    values = each[list(MEMBERS)].to_numpy(dtype=float)
    values[~np.isfinite(values)] = np.nan
    median = np.nanmedian(values, axis=1)
    out = each[["unique_id", "ds"]].copy()
    out["yhat"] = median
    return out


def forecast(series: Series, spec: ForecastSpec) -> pd.DataFrame:
    """``unique_id, ds, yhat`` for the next ``spec.horizon`` steps of each series, ordered."""
    return combine(members(series, spec))
