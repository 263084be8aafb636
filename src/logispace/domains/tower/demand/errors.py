"""Forecast errors (需求预测错误), each with its HTTP status."""

from __future__ import annotations

from logispace.core.errors import NotFound


class CommodityNotFound(NotFound):
    """No booking of this commodity on the corridor among those the caller may see (品名不存在)."""

    code = "tower-commodity-not-found"
    title = "Commodity not found"
