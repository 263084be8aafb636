"""Series files (时间序列文件): long format ``unique_id, ds, y``, read and checked.

``ds`` is either an integer step in every row or a timestamp in every row. Each series must be
evenly spaced (one step between consecutive points, none repeated) and hold at least two seasons of
points, so that its seasonal pattern can be learnt. A file that breaks a rule is refused with an
error naming the column, the series and the row (the file's line, the header being line 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

COLUMNS = ("unique_id", "ds", "y")


class SeriesError(ValueError):
    """A series file breaks a rule; ``field`` names the column (or ``file``)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Series:
    """Checked series in long format, sorted by id and time.

    ``step`` is the spacing of ``ds``: ``1`` for integer steps, or a pandas offset (e.g. ``h``)
    for timestamps, shared by every series."""

    frame: pd.DataFrame
    step: int | str


def _line(index: int) -> int:
    return int(index) + 2  # the header is line 1


def read_series(path: Path, season_length: int) -> Series:
    """Read and check a CSV of ``unique_id, ds, y``; :class:`SeriesError` names what is wrong."""
    try:
        raw = pd.read_csv(path, dtype={"unique_id": str}, keep_default_na=False, na_values=[""])
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SeriesError("file", f"cannot be read as CSV ({exc.__class__.__name__}: {exc})") from None
    return check_series(raw, season_length)


def check_series(raw: pd.DataFrame, season_length: int) -> Series:
    """Check a frame of ``unique_id, ds, y`` (other columns are ignored)."""
    missing = [c for c in COLUMNS if c not in raw.columns]
    if missing:
        raise SeriesError(
            missing[0], f"column missing (the file has {', '.join(map(str, raw.columns)) or 'none'})"
        )
    frame = raw.loc[:, list(COLUMNS)].copy()
    if frame.empty:
        raise SeriesError("file", "no rows")
    blank = frame["unique_id"].isna() | (frame["unique_id"].astype(str).str.strip() == "")
    if blank.any():
        raise SeriesError("unique_id", f"empty at line {_line(blank.idxmax())}")
    y = pd.to_numeric(frame["y"], errors="coerce")
    bad = y.isna() | ~y.map(lambda v: pd.notna(v) and abs(v) != float("inf"))
    if bad.any():
        at = bad.idxmax()
        raise SeriesError("y", f"not a finite number at line {_line(at)}: {raw['y'].iloc[at]!r}")
    frame["y"] = y.astype(float)
    frame["ds"] = _times(frame["ds"])
    frame = frame.sort_values(["unique_id", "ds"], kind="stable").reset_index()
    gaps = frame.groupby("unique_id", sort=False)["ds"].diff()
    repeated = gaps == gaps.dtype.type(0)
    if repeated.any():
        row = frame.loc[repeated.idxmax()]
        raise SeriesError(
            "ds", f"repeated time {row['ds']} in series {row['unique_id']} at line {_line(row['index'])}"
        )
    spacing = gaps.dropna().mode()
    if spacing.empty:  # one point per series: the length check below refuses it
        spacing = pd.Series(
            [1 if gaps.dtype.kind == "i" or gaps.dtype.kind == "f" else pd.Timedelta(hours=1)]
        )
    one = spacing.iloc[0]
    uneven = gaps.notna() & (gaps != one)
    if uneven.any():
        row = frame.loc[uneven.idxmax()]
        raise SeriesError(
            "ds",
            f"series {row['unique_id']} is not evenly spaced at line {_line(row['index'])} ({row['ds']}); "
            f"the file's step is {one}",
        )
    sizes = frame.groupby("unique_id", sort=False).size()
    short = sizes[sizes < 2 * season_length]
    if not short.empty:
        raise SeriesError(
            "y",
            f"series {short.index[0]} has {short.iloc[0]} points, "
            f"fewer than two seasons ({2 * season_length})",
        )
    step: int | str = 1 if isinstance(one, (int, float)) or gaps.dtype.kind in "if" else _alias(one)
    if step == 1 and one != 1:
        raise SeriesError("ds", f"integer steps must be consecutive; the file's step is {one}")
    return Series(frame.drop(columns="index"), step)


def _alias(spacing: pd.Timedelta) -> str:
    return str(pd.tseries.frequencies.to_offset(spacing).freqstr)


def _times(ds: pd.Series) -> pd.Series:
    """Integer steps, or timestamps (naive, in UTC when a zone was given)."""
    as_int = pd.to_numeric(ds, errors="coerce")
    if as_int.notna().all() and (as_int == as_int.round()).all():
        return as_int.astype("int64")
    stamps = pd.to_datetime(ds, errors="coerce", utc=True, format="mixed")
    if stamps.isna().any():
        at = stamps.isna().idxmax()
        raise SeriesError(
            "ds", f"neither an integer step nor a timestamp at line {_line(at)}: {ds.iloc[at]!r}"
        )
    return stamps.dt.tz_localize(None)
