"""Kinds of alert rules and the states of an alert (预警规则类型与预警状态)."""

from __future__ import annotations

from enum import StrEnum


class RuleKind(StrEnum):
    """Alert rule kind (预警规则类型); the threshold's unit is :data:`UNITS`."""

    DELAY = "delay"  # 延误：超过预计或承诺到达时间 N 小时
    DWELL = "dwell"  # 集装箱滞留超过 N 小时
    GPS_SILENCE = "gps_silence"  # 在途车辆 N 分钟无定位
    TEMPERATURE = "temperature"  # 温度超出冷链范围（容差 N 摄氏度）
    HANDOVER_UNVERIFIED = "handover_unverified"  # 交接 N 小时后仍无经核验的交接单证
    ROUTE_DEVIATION = "route_deviation"  # 偏离计划路线超过 N 公里


UNITS: dict[RuleKind, str] = {
    RuleKind.DELAY: "hours",
    RuleKind.DWELL: "hours",
    RuleKind.GPS_SILENCE: "minutes",
    RuleKind.TEMPERATURE: "celsius",
    RuleKind.HANDOVER_UNVERIFIED: "hours",
    RuleKind.ROUTE_DEVIATION: "km",
}
"""The unit of each kind's threshold."""

TIME_BASED = frozenset({RuleKind.DELAY, RuleKind.DWELL, RuleKind.GPS_SILENCE, RuleKind.HANDOVER_UNVERIFIED})
"""Kinds the periodic sweep evaluates (a condition that holds because nothing arrived)."""


class AlertStatus(StrEnum):
    """Alert state (预警状态): open -> acknowledged -> resolved."""

    OPEN = "open"  # 待处理
    ACKNOWLEDGED = "acknowledged"  # 已确认
    RESOLVED = "resolved"  # 已解决


class AlertAction(StrEnum):
    """What a person does to an alert (预警处置)."""

    ACKNOWLEDGE = "acknowledge"
    ASSIGN = "assign"
    RESOLVE = "resolve"
