"""Access enumerations: request and grant states, reviewer roles, decisions, delivery modes."""

from __future__ import annotations

from enum import StrEnum


class RequestState(StrEnum):
    """State of a scenario data request (场景数据需求申请, state machine G, policy-spec §2.7)."""

    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交，待联合审核
    IN_REVIEW = "in_review"  # 联合审核中 (some reviewers have decided)
    APPROVED = "approved"  # 审核同意，已授权
    REFUSED = "refused"  # 审核不同意


class ReviewerRole(StrEnum):
    """Who reviews a request jointly (一场景一清单一审定, 004:5623-5629)."""

    HOLDER = "holder"  # 公共管理和服务机构 / 数据持有方
    AUTHORITY = "authority"  # 主管部门 (数据主管部门)


class Decision(StrEnum):
    """A reviewer's decision (审核意见)."""

    APPROVE = "approve"  # 同意
    REFUSE = "refuse"  # 不同意


class GrantState(StrEnum):
    """State of a grant (数据使用授权); ``expired`` is derived from its period, never stored."""

    ACTIVE = "active"  # 有效
    SUSPENDED = "suspended"  # 已暂停
    REVOKED = "revoked"  # 已撤销
    EXPIRED = "expired"  # 已到期


class OutputMode(StrEnum):
    """What may leave the sandbox under a grant (输出控制)."""

    AGGREGATE = "aggregate"  # 仅输出统计结果
    RECORD = "record"  # 可查询脱敏后的明细 (API mode), sandbox SQL still aggregate only


class DeliveryMode(StrEnum):
    """How data is used under a grant (使用方式)."""

    QUERY = "query"  # 接口查询 (field selection with row filters, desensitized)
    SQL = "sql"  # 沙箱计算 (可用不可见)
