"""Operation enumerations: plan, agreement, product and evaluation states, selection methods, use classes."""

from __future__ import annotations

from enum import StrEnum


class PlanState(StrEnum):
    """State of an implementation plan (实施方案, state machine C, policy-spec §2.3)."""

    DRAFTED = "drafted"  # 已编制 (C1: every section present)
    INTERNAL_APPROVED = "internal_approved"  # “三重一大”审议通过 (C2, 004:921)
    GOV_APPROVED = "gov_approved"  # 本级人民政府审定 (C3, 004:923)
    FILED = "filed"  # 已备案 (C4, 004:927)


class AuthorizationMode(StrEnum):
    """Authorization mode (授权模式, 004:903; 004:160)."""

    WHOLE = "whole"  # 整体授权
    BY_DOMAIN = "by_domain"  # 分领域授权
    BY_SCENARIO = "by_scenario"  # 依场景授权


class SelectionMethod(StrEnum):
    """How the operator is selected (选择方式, 004:931)."""

    TENDER = "tender"  # 公开招标
    INVITATION = "invitation"  # 邀请招标
    NEGOTIATION = "negotiation"  # 谈判


class SelectionState(StrEnum):
    """State of an operator selection (运营机构选择, state machine D)."""

    OPEN = "open"  # 选择中
    SELECTED = "selected"  # 已选定


class AgreementState(StrEnum):
    """State of an authorization agreement (授权运营协议, state machine E, policy-spec §2.5)."""

    SIGNED = "signed"  # 已签订，待备案
    ACTIVE = "active"  # 履行中
    SUSPENDED = "suspended"  # 已暂停 (004:5681)
    TERMINATED = "terminated"  # 已终止 (004:5601; 004:5704; 004:5708)


class UseClass(StrEnum):
    """Use class of a product (产品用途分类, 004:907; 004:1015; I-4)."""

    GOVERNANCE_WELFARE = "governance_welfare"  # 公共治理、公益事业: 免费提供
    INDUSTRY = "industry"  # 产业发展、行业发展: 收取公共数据运营服务费


class ProductForm(StrEnum):
    """Form of a public data product (产品形态, 004:5567)."""

    DATASET = "dataset"  # 数据集
    API = "api"  # 数据接口
    INDICATOR = "indicator"  # 数据指标
    REPORT = "report"  # 数据报告
    MODEL = "model"  # 数据模型
    SERVICE = "service"  # 加工服务


class ProductState(StrEnum):
    """State of a product (产品状态)."""

    DRAFT = "draft"  # 开发中
    DELIVERED = "delivered"  # 已交付


class PriceState(StrEnum):
    """Price regime of a product (收费标准, state machine I, 004:1017-1019)."""

    FREE = "free"  # 免费
    TRIAL = "trial"  # 试行收费标准
    FORMAL = "formal"  # 正式收费标准


class BillingUnit(StrEnum):
    """What a price is charged per (计费方式, 004:1027)."""

    PRODUCT = "product"  # 按产品数量
    CALL = "call"  # 按服务次数 / 调用量
    PERIOD = "period"  # 按服务时长
    VOLUME = "volume"  # 按数据量


class EvaluationResult(StrEnum):
    """Annual evaluation result (年度考核评估结果, state machine F, 004:5700-5706)."""

    PASS = "pass"  # noqa: S105 - 通过评估, not a password
    FAIL = "fail"  # 未通过评估
    RECTIFY = "rectify"  # 限期整改


class DutySubject(StrEnum):
    """What an initial registration duty is for (首次登记对象, I-1)."""

    RESOURCE = "resource"  # 公共数据资源 (实施机构登记)
    PRODUCT = "product"  # 公共数据产品和服务 (运营机构登记)


class ExclusionGround(StrEnum):
    """Why data must not be put into authorized operation (不得授权运营的情形, OPS-R20, 004:5687-5692)."""

    NATIONAL_SECURITY = "national_security"  # 危及或者可能危及国家安全
    PUBLIC_INTEREST = "public_interest"  # 可能损害公共利益
    ACQUISITION_AGREEMENT = "acquisition_agreement"  # 数据获取协议约定不能运营
    LAW = "law"  # 法律、法规规定不能运营
