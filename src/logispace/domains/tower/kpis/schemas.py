"""Bodies of the KPI routes (控制塔指标接口)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from logispace.domains.tower.kpis.definitions import KPIS


class KpiName(StrEnum):
    """A KPI's name (指标名称)."""

    OTIF = "otif"
    TRANSIT_TIME_LEG = "transit_time_leg"
    TRANSIT_TIME_CORRIDOR = "transit_time_corridor"
    DWELL_TIME = "dwell_time"
    HANDOVER_DELAY = "handover_delay"
    CONTAINER_TURN_TIME = "container_turn_time"
    ETA_ACCURACY = "eta_accuracy"
    EMPTY_RUNNING_RATE = "empty_running_rate"
    LOAD_FACTOR = "load_factor"
    COST_PER_TONNE_KM = "cost_per_tonne_km"
    CARBON = "carbon"


if {k.value for k in KpiName} != {k.name for k in KPIS}:  # pragma: no cover - a KPI added in one place only
    raise RuntimeError("KpiName and KPIS name different KPIs")


class Mode(StrEnum):
    """Transport mode (运输方式); ``multimodal`` for a shipment-level measure of several modes."""

    ROAD = "road"
    RAIL = "rail"
    WATER = "water"
    AIR = "air"
    MULTIMODAL = "multimodal"


class Dimension(StrEnum):
    """What KPIs may be grouped by (分组维度)."""

    CORRIDOR = "corridor"
    MODE = "mode"
    DAY = "day"
    NODE = "node"


CORRIDOR_PATTERN = r"^[A-Z0-9]{5,6}-[A-Z0-9]{5,6}$"
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"


class KpiQuery(BaseModel):
    """The filters of a KPI query (指标筛选)."""

    model_config = ConfigDict(extra="forbid")

    kpi: list[KpiName] = Field(default_factory=list, description="KPIs to compute; all when none is named")
    party: str | None = Field(
        default=None,
        pattern=USCC_PATTERN,
        description="USCC of the party (the authority only; a party: its own)",
    )
    corridor: str | None = Field(
        default=None, pattern=CORRIDOR_PATTERN, description="origin-destination, e.g. CNQZH-500112"
    )
    mode: Mode | None = None
    period_from: date | None = Field(default=None, description="first Beijing day of the period")
    period_to: date | None = Field(default=None, description="last Beijing day of the period")
    group_by: list[Dimension] = Field(default_factory=list, max_length=4)

    @field_validator("group_by")
    @classmethod
    def _each_dimension_once(cls, value: list[Dimension]) -> list[Dimension]:
        """A dimension named twice groups once (the query would select the column twice)."""
        return list(dict.fromkeys(value))

    @model_validator(mode="after")
    def _period(self) -> KpiQuery:
        if self.period_from and self.period_to and self.period_to < self.period_from:
            raise ValueError("period_to must not be before period_from")
        return self


class FileFormat(StrEnum):
    """A table's file format (导出格式)."""

    CSV = "csv"
    XLSX = "xlsx"


class HeaderLanguage(StrEnum):
    """The language of a table's column names (表头语言)."""

    EN = "en"
    ZH = "zh"


class KpiExportQuery(KpiQuery):
    """The filters of a KPI query and the file to write (指标导出)."""

    format: FileFormat = FileFormat.CSV
    header: HeaderLanguage = Field(default=HeaderLanguage.EN, description="column names: en, or zh")


class KpiValue(BaseModel):
    name: KpiName
    label: str
    unit: str
    values: dict[str, float | int | None]


class KpiGroup(BaseModel):
    group: dict[str, str | None]
    kpis: list[KpiValue]


class KpiReport(BaseModel):
    """KPIs (控制塔指标) per group, with the filters applied and when the measures were computed."""

    party: str | None
    corridor: str | None
    mode: Mode | None
    period_from: date | None
    period_to: date | None
    group_by: list[Dimension]
    generated_at: datetime
    groups: list[KpiGroup]


class RefreshRead(BaseModel):
    """A refresh of the measures (度量重算): how many of each were written."""

    shipments: int
    measures: int
    refreshed_at: datetime
