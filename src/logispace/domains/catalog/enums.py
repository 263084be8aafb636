"""Catalogue enumerations: lifecycle, sharing and open types, update frequency, right types."""

from __future__ import annotations

from enum import StrEnum


class ResourceStatus(StrEnum):
    """Lifecycle of a data resource (数据资源状态): draft -> published -> withdrawn, never deleted."""

    DRAFT = "draft"  # 草稿
    PUBLISHED = "published"  # 已发布 (catalogue code fixed, retained in the ledger)
    WITHDRAWN = "withdrawn"  # 已撤回 (kept for the record)


class SharingType(StrEnum):
    """Sharing type (共享类型) between government bodies (004:709; 000:25)."""

    UNCONDITIONAL = "unconditional"  # 无条件共享
    CONDITIONAL = "conditional"  # 有条件共享
    NOT_SHARED = "not_shared"  # 不予共享

    @property
    def openness(self) -> int:
        """2 unconditional, 1 conditional, 0 refused: comparable with a grade's ceiling."""
        return _OPENNESS[self.value]


class OpenType(StrEnum):
    """Open type (开放类型) towards society (004:158; 002:13; 000:25)."""

    UNCONDITIONAL = "unconditional"  # 无条件开放
    CONDITIONAL = "conditional"  # 有条件开放
    NOT_OPENED = "not_opened"  # 不予开放

    @property
    def openness(self) -> int:
        return _OPENNESS[self.value]


_OPENNESS = {"unconditional": 2, "conditional": 1, "not_shared": 0, "not_opened": 0}


class UpdateFrequency(StrEnum):
    """Update or generation frequency (更新频率 / 产生频率, 004:5360)."""

    REALTIME = "realtime"  # 实时
    HOURLY = "hourly"  # 每小时
    DAILY = "daily"  # 每日
    WEEKLY = "weekly"  # 每周
    MONTHLY = "monthly"  # 每月
    QUARTERLY = "quarterly"  # 每季度
    YEARLY = "yearly"  # 每年
    IRREGULAR = "irregular"  # 不定期
    STATIC = "static"  # 不更新


class RightType(StrEnum):
    """Right type (权利类型) held in a data resource (004:5305-5311)."""

    RESOURCE_HOLDING = "resource_holding"  # 数据资源持有权
    PROCESSING_USE = "processing_use"  # 数据加工使用权
    PRODUCT_OPERATION = "product_operation"  # 数据产品经营权


class ListChange(StrEnum):
    """How a list entry differs from the previous list version (清单变更)."""

    ADDED = "added"  # 新增
    CHANGED = "changed"  # 变更
    UNCHANGED = "unchanged"  # 未变
    REMOVED = "removed"  # 移出
