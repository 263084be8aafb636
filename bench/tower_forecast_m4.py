"""Forecast accuracy and time on the M4 hourly set (414 series, horizon 48, season 24).

Runs ``logispace.domains.tower.forecast`` on the training part and scores the 48 test values with the
competition's measures: sMAPE, MASE (scaled by the in-sample seasonal naive error, m = 24) and OWA
against the official Naive2 figures (sMAPE 18.383, MASE 2.395). Baselines in the same run: seasonal
naive (the last season repeated) and each member of the ensemble alone.

    .venv/bin/python bench/tower_forecast_m4.py [--data ../shared/standards/m4-hourly] [--threads 2]

The data is not part of the repository (it is public M4 material; see its README). Results go to
``bench/results/tower_forecast_m4.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from logispace.domains.tower.forecast import MEMBERS, ForecastSpec, check_series, combine, members

HORIZON, SEASON = 48, 24
NAIVE2_SMAPE, NAIVE2_MASE = 18.383, 2.395
RESULTS = Path(__file__).parent / "results"
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "standards" / "m4-hourly"


def load(folder: Path) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """The training series in long format and the test values by id."""
    train = pd.read_csv(folder / "Hourly-train.csv")
    test = pd.read_csv(folder / "Hourly-test.csv")
    frames = []
    for row in train.itertuples(index=False):
        values = np.asarray(row[1:], dtype=float)
        values = values[~np.isnan(values)]
        frames.append(pd.DataFrame({"unique_id": row[0], "ds": np.arange(len(values)), "y": values}))
    actual = {str(row[0]): np.asarray(row[1:], dtype=float) for row in test.itertuples(index=False)}
    return pd.concat(frames, ignore_index=True), actual


def scores(
    train: pd.DataFrame, actual: dict[str, np.ndarray], forecasts: dict[str, np.ndarray]
) -> dict[str, float]:
    smapes, mases = [], []
    history = {uid: g["y"].to_numpy() for uid, g in train.groupby("unique_id")}
    for uid, truth in actual.items():
        f = forecasts[uid]
        smapes.append(np.mean(200 * np.abs(truth - f) / (np.abs(truth) + np.abs(f))))
        insample = history[uid]
        scale = np.mean(np.abs(insample[SEASON:] - insample[:-SEASON]))
        mases.append(np.mean(np.abs(truth - f)) / scale)
    smape, mase = float(np.mean(smapes)), float(np.mean(mases))
    owa = (smape / NAIVE2_SMAPE + mase / NAIVE2_MASE) / 2
    return {"smape": round(smape, 3), "mase": round(mase, 3), "owa": round(owa, 4)}


def by_id(frame: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
    return {str(uid): g[column].to_numpy(dtype=float) for uid, g in frame.groupby("unique_id")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    train, actual = load(args.data)
    started_load = os.getloadavg()

    naive = {
        uid: np.tile(g["y"].to_numpy()[-SEASON:], HORIZON // SEASON) for uid, g in train.groupby("unique_id")
    }

    spec = ForecastSpec(horizon=HORIZON, season_length=SEASON, threads=args.threads)
    t0, c0 = time.perf_counter(), time.process_time()
    series = check_series(train, SEASON)
    each = members(series, spec)
    result = combine(each)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0

    results: dict[str, Any] = {
        "series": len(actual),
        "horizon": HORIZON,
        "season_length": SEASON,
        "ensemble": {
            **scores(train, actual, by_id(result, "yhat")),
            "wall_s": round(wall, 1),
            "cpu_s": round(cpu, 1),
        },
        "members": {name: scores(train, actual, by_id(each, name)) for name in MEMBERS},
        "baseline_seasonal_naive": scores(train, actual, naive),
        "naive2_official": {"smape": NAIVE2_SMAPE, "mase": NAIVE2_MASE, "owa": 1.0},
        "reference_owa": {"m4_best_hourly": 0.410, "m4_winner_hourly": 0.440},
        "target": {"owa_at_most": 0.50, "wall_s_at_most": 600},
        "machine": {
            "python": platform.python_version(),
            "cpu_count": os.cpu_count(),
            "threads": args.threads,
            "load_average_1_5_15_at_start": [round(x, 2) for x in started_load],
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        },
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "tower_forecast_m4.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
