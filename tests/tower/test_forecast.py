"""Demand forecasts (需求预测): the series file's rules, and a forecaster that learns a season."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from logispace.cli import app
from logispace.domains.tower.forecast import ForecastSpec, SeriesError, check_series, forecast, read_series

SEASON = 24


def _wave(uid: str, n: int, level: float, start: int = 0, noise: float = 0.02, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    t = np.arange(start, start + n)
    y = level * (1 + 0.5 * np.sin(2 * np.pi * t / SEASON)) * (1 + 0.001 * t) + rng.normal(0, noise * level, n)
    return pd.DataFrame({"unique_id": uid, "ds": t, "y": y})


def _frame(n: int = 10 * SEASON) -> pd.DataFrame:
    return pd.concat([_wave("a", n, 100, seed=1), _wave("b", n + 7, 40, start=5, seed=2)], ignore_index=True)


BAD: list[tuple[str, pd.DataFrame, str, str]] = [
    ("no y column", _frame().drop(columns="y"), "y", "column missing"),
    ("no ds column", _frame().drop(columns="ds"), "ds", "column missing"),
    (
        "text in y",
        _frame().assign(y=lambda f: f["y"].astype(object).where(f.index != 5, "many")),
        "y",
        "line 7",
    ),
    (
        "infinite y",
        _frame().assign(y=lambda f: f["y"].where(f.index != 3, np.inf)),
        "y",
        "not a finite number",
    ),
    ("repeated time", pd.concat([_frame(), _frame().iloc[[4]]]), "ds", "repeated time 4 in series a"),
    ("a gap", _frame().drop(index=10), "ds", "not evenly spaced"),
    ("steps of two", _frame().assign(ds=lambda f: f["ds"] * 2), "ds", "consecutive"),
    ("too short", _frame(n=SEASON + 3), "y", "fewer than two seasons"),
    (
        "bad time",
        _frame().assign(ds=lambda f: f["ds"].astype(object).where(f.index != 2, "tomorrow")),
        "ds",
        "line 4",
    ),
    (
        "empty id",
        _frame().assign(unique_id=lambda f: f["unique_id"].where(f.index != 0, "")),
        "unique_id",
        "line 2",
    ),
]


@pytest.mark.parametrize(("case", "frame", "field", "says"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_series_file_is_refused_naming_the_field(
    case: str, frame: pd.DataFrame, field: str, says: str
) -> None:
    with pytest.raises(SeriesError) as caught:
        check_series(frame.reset_index(drop=True), SEASON)
    assert caught.value.field == field and says in caught.value.message, str(caught.value)


@pytest.mark.parametrize(
    ("horizon", "season", "threads", "says"),
    [(0, 24, 1, "horizon"), (10_001, 24, 1, "horizon"), (5, 0, 1, "season_length"), (5, 24, 0, "threads")],
)
def test_a_spec_checks_itself(horizon: int, season: int, threads: int, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        ForecastSpec(horizon=horizon, season_length=season, threads=threads)


def test_the_forecast_continues_each_series_and_learns_its_season() -> None:
    frame = _frame()
    train = frame[frame.groupby("unique_id").cumcount(ascending=False) >= SEASON]
    test = frame[frame.groupby("unique_id").cumcount(ascending=False) < SEASON]
    spec = ForecastSpec(horizon=SEASON, season_length=SEASON, threads=1, boosting_rounds=60)
    out = forecast(check_series(train.reset_index(drop=True), SEASON), spec)
    assert list(out.columns) == ["unique_id", "ds", "yhat"]
    for uid, group in out.groupby("unique_id"):
        truth = test[test["unique_id"] == uid]
        assert list(group["ds"]) == list(truth["ds"])  # the next steps, in order
        naive = train[train["unique_id"] == uid]["y"].iloc[-1]  # the last value held flat
        err = np.mean(np.abs(group["yhat"].to_numpy() - truth["y"].to_numpy()))
        flat = np.mean(np.abs(naive - truth["y"].to_numpy()))
        assert err < flat / 3, (uid, err, flat)


def test_timestamps_keep_their_spacing(tmp_path: Path) -> None:
    frame = _frame()
    frame["ds"] = pd.Timestamp("2026-11-01 00:00") + pd.to_timedelta(frame["ds"], unit="h")
    path = tmp_path / "hourly.csv"
    frame.to_csv(path, index=False)
    series = read_series(path, SEASON)
    assert series.step == "h"
    out = forecast(series, ForecastSpec(horizon=3, season_length=SEASON, threads=1, boosting_rounds=20))
    last_a = frame[frame["unique_id"] == "a"]["ds"].max()
    assert list(out[out["unique_id"] == "a"]["ds"]) == [last_a + pd.Timedelta(hours=k) for k in (1, 2, 3)]


def test_the_command_writes_the_forecast_and_names_a_bad_file(tmp_path: Path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out" / "forecast.csv"
    _frame().to_csv(source, index=False)
    runner = CliRunner()
    args = ["tower", "forecast", "--input", str(source), "--horizon", "6", "--season-length", "24"]
    done = runner.invoke(app, [*args, "--output", str(target), "--threads", "1"])
    assert done.exit_code == 0, done.output
    written = pd.read_csv(target)
    assert list(written.columns) == ["unique_id", "ds", "yhat"] and len(written) == 12
    _frame().drop(columns="y").to_csv(source, index=False)
    refused = runner.invoke(app, [*args, "--output", str(target)])
    assert refused.exit_code == 2 and "y: column missing" in refused.output
