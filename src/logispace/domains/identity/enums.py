"""Identity enumerations: party types, roles, real-name verification states."""

from __future__ import annotations

from enum import StrEnum


class PartyType(StrEnum):
    """Party type (主体类型)."""

    DATA_AUTHORITY = "data_authority"  # 数据主管部门
    REGISTRATION_AUTHORITY = "registration_authority"  # 登记机构
    PUBLIC_AGENCY = "public_agency"  # 党政机关
    PUBLIC_INSTITUTION = "public_institution"  # 事业单位
    PUBLIC_UTILITY = "public_utility"  # 公用企事业单位
    ENTERPRISE = "enterprise"  # 企业
    FINANCIAL_INSTITUTION = "financial_institution"  # 金融机构
    OTHER_ORGANIZATION = "other_organization"  # 其他组织 (非法人组织)

    @property
    def is_authority(self) -> bool:
        """True for the parties whose staff may hold authority roles."""
        return self in AUTHORITY_PARTY_TYPES


AUTHORITY_PARTY_TYPES = frozenset({PartyType.DATA_AUTHORITY, PartyType.REGISTRATION_AUTHORITY})


class Role(StrEnum):
    """Role (角色) a user holds within their party."""

    AUTHORITY_ADMIN = "authority_admin"  # 主管部门管理员
    REVIEWER = "reviewer"  # 审核员
    PARTY_ADMIN = "party_admin"  # 主体管理员
    DATA_STEWARD = "data_steward"  # 数据管理员
    ANALYST = "analyst"  # 数据分析员

    @property
    def is_authority_role(self) -> bool:
        """True for roles that only staff of an authority may hold."""
        return self in AUTHORITY_ROLES


AUTHORITY_ROLES = frozenset({Role.AUTHORITY_ADMIN, Role.REVIEWER})


class VerificationStatus(StrEnum):
    """Real-name verification status (实名认证状态) of a party."""

    UNVERIFIED = "unverified"  # 未认证
    VERIFIED = "verified"  # 已认证
    REJECTED = "rejected"  # 未通过


class TokenStatus(StrEnum):
    """State of a personal API token (访问令牌)."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
