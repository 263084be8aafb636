"""Dispatch codes (车货匹配代码)."""

from __future__ import annotations

from enum import StrEnum


class VehicleType(StrEnum):
    """Vehicle type (车型)."""

    BOX = "box"  # 厢式货车
    REEFER = "reefer"  # 冷藏车
    TANK = "tank"  # 罐式车
    FLATBED = "flatbed"  # 平板车
    CONTAINER_CHASSIS = "container_chassis"  # 集装箱半挂车


class LoadStatus(StrEnum):
    """Load status (货源状态)."""

    OPEN = "open"  # 待匹配
    MATCHED = "matched"  # 已匹配


class ProposalState(StrEnum):
    """Proposal state (匹配建议状态)."""

    PROPOSED = "proposed"  # 待确认
    ACCEPTED = "accepted"  # 已接受
    REJECTED = "rejected"  # 已拒绝


class MatchMode(StrEnum):
    """Match mode (匹配方式): one load per vehicle, or a chain of loads over the day (backhaul)."""

    SINGLE = "single"  # 一车一货
    CHAIN = "chain"  # 多趟配载


class LoadSource(StrEnum):
    """Where a load came from (货源来源)."""

    POSTED = "posted"  # 发布货源
    WAYBILL_DRAFT = "waybill_draft"  # 运单草稿
