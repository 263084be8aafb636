"""Demand forecasts (需求预测): series files in long format and a forecaster for any frequency.

:func:`read_series` checks a ``unique_id, ds, y`` file; :func:`forecast` returns the next steps of
each series (``unique_id, ds, yhat``) for a :class:`ForecastSpec` (horizon, season length).
"""

from logispace.domains.tower.forecast.ensemble import MEMBERS, ForecastSpec, combine, forecast, members
from logispace.domains.tower.forecast.series import Series, SeriesError, check_series, read_series

__all__ = [
    "MEMBERS",
    "ForecastSpec",
    "Series",
    "SeriesError",
    "check_series",
    "combine",
    "forecast",
    "members",
    "read_series",
]
