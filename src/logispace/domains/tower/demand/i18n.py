"""Chinese labels of the volume forecast (运量预测) on the tower pages, with their English."""

from __future__ import annotations

from typing import Any

ENGLISH: dict[str, str] = {
    "需求预测": "Demand forecast",
    "运量预测图：本通道每小时新增运单数的历史与未来预测": (
        "Forecast chart: waybills booked per hour on this corridor, history and forecast"
    ),
    "选择通道后显示该通道未来24小时每小时新增运单数的预测。": (
        "Choose a corridor to see the forecast of waybills booked per hour over the next 24 hours."
    ),
    "历史运单数": "Waybills booked",
    "预测运单数": "Forecast",
    "时间（北京时间）": "Time (Beijing)",
    "每小时运单数": "Waybills per hour",
    "预测模型": "Model",
    "对称平均绝对百分比误差": "sMAPE",
    "平均绝对标度误差": "MASE",
    "检验时段（小时）": "Holdout (hours)",
    "季节性指数平滑（以24小时为周期）": "Seasonal exponential smoothing (season 24 hours)",
    "简单指数平滑（无周期）": "Simple exponential smoothing (no season)",
    "历史数据点不足，暂不预测": "Too few points to forecast",
    "常数序列，无法计算": "Constant series: not defined",
    "品名": "Commodity",
    "预测时长": "Horizon",
    "运量口径": "Volume measure",
}

DEMAND_LABELS: dict[str, Any] = {
    "model": {
        "seasonal_exponential_smoothing": "季节性指数平滑（以24小时为周期）",
        "simple_exponential_smoothing": "简单指数平滑（无周期）",
    },
    "reason": {"too_few_points": "历史数据点不足，暂不预测"},
}
"""Chinese labels of the forecast's codes, each translated through ENGLISH."""

FIELD_LABELS: dict[str, str] = {"commodity": "品名", "horizon": "预测时长", "measure": "运量口径"}
"""Chinese names of the forecast query's fields."""
