"""Bodies of the forecast route (需求预测接口)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from logispace.domains.tower.kpis.schemas import CORRIDOR_PATTERN, FileFormat, HeaderLanguage

MAX_HORIZON = 168
"""A week of hours: the furthest a forecast reaches."""


class VolumeMeasure(StrEnum):
    """What a volume series counts (运量口径): shipments booked, or their cargo's tonnes."""

    SHIPMENTS = "shipments"
    TONNES = "tonnes"


class ForecastQuery(BaseModel):
    """Which series to forecast (预测筛选); without a corridor, every series is listed (no fits)."""

    model_config = ConfigDict(extra="forbid")

    corridor: str | None = Field(
        default=None, pattern=CORRIDOR_PATTERN, description="origin-destination, e.g. CNQZH-500112"
    )
    commodity: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="a cargo description (品名); all commodities of the corridor when none",
    )
    horizon: int = Field(default=24, ge=1, le=MAX_HORIZON, description="hours to forecast (1 to 168)")
    measure: VolumeMeasure = VolumeMeasure.SHIPMENTS


class ForecastExportQuery(ForecastQuery):
    """The forecast's filters and the file to write (预测导出)."""

    format: FileFormat = FileFormat.CSV
    header: HeaderLanguage = Field(default=HeaderLanguage.EN, description="column names: en, or zh")


class VolumePoint(BaseModel):
    ds: datetime = Field(description="start of the hour (UTC)")
    y: float


class AccuracyRead(BaseModel):
    """The model's error on the series' last ``holdout`` hours, fitted without them (预测精度)."""

    holdout: int
    smape: float = Field(description="symmetric mean absolute percentage error, percent (0 to 200)")
    mase: float | None = Field(description="mean absolute scaled error; none for a constant series")


class SeriesRead(BaseModel):
    """A volume series (运量序列): hourly, from its first booking to the caller's latest."""

    corridor: str
    commodity: str | None = Field(description="none: every commodity of the corridor")
    points: int
    total: float
    first: datetime
    last: datetime
    model: str | None = Field(description="the model that answers, or none (see reason)")
    reason: str | None = Field(description="why there is no forecast, e.g. too_few_points")
    accuracy: AccuracyRead | None = None
    history: list[VolumePoint] = Field(default_factory=list)
    forecast: list[VolumePoint] = Field(default_factory=list)


class ForecastReport(BaseModel):
    """Volume forecasts (运量预测) of the series the caller may see."""

    party: str | None
    measure: VolumeMeasure
    horizon: int
    step: str = "1h"
    season_length: int
    generated_at: datetime
    series: list[SeriesRead]
