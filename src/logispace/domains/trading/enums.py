"""Trading enumerations (流通交易枚举), policy-spec §4. Values are stable identifiers in the API and the
ledger; the Chinese terms are in the comments and in ``docs/glossary.md``."""

from __future__ import annotations

from enum import StrEnum


class PartyKind(StrEnum):
    """Kind of trading party (交易主体类型, 004:5125)."""

    NATURAL_PERSON = "natural_person"  # 自然人
    LEGAL_PERSON = "legal_person"  # 法人
    UNINCORPORATED = "unincorporated"  # 非法人组织


class TradingRole(StrEnum):
    """Trading role (交易角色, 004:5125-5131)."""

    PROVIDER = "provider"  # 数据提供方
    DEMANDER = "demander"  # 数据需求方
    DATA_MERCHANT = "data_merchant"  # 数据商
    THIRD_PARTY_SERVICE = "third_party_service"  # 第三方专业服务机构


class ObjectCategory(StrEnum):
    """Category of a trading object (交易标的类别, 004:5058-5064)."""

    DATA_PRODUCT_SERVICE = "data_product_service"  # 数据产品和服务
    COMPUTE_RESOURCE = "compute_resource"  # 算力资源
    DATA_TOOL = "data_tool"  # 数据工具


class ObjectSubtype(StrEnum):
    """Subtype of a trading object (标的细类, 004:5060-5064)."""

    DATASET = "dataset"  # 数据集
    API = "api"  # 数据接口
    INDICATOR = "indicator"  # 数据指标
    REPORT = "report"  # 数据报告
    MODEL = "model"  # 模型
    PROCESSING_SERVICE = "processing_service"  # 数据处理服务（清洗、标注、建模）
    CLOUD_STORAGE = "cloud_storage"  # 云存储
    CLOUD_SECURITY = "cloud_security"  # 云安全及衍生服务
    VISUALIZATION = "visualization"  # 可视化工具
    PREDICTION = "prediction"  # 预测工具
    AI_TOOL = "ai_tool"  # 人工智能工具


class TradeDeliveryMode(StrEnum):
    """Delivery mode (交付方式, 004:5066)."""

    API = "api"
    DATASET = "dataset"
    REPORT = "report"
    ALGORITHM_MODEL = "algorithm_model"
    COMPUTE_DEPLOYMENT = "compute_deployment"
    SYSTEM_DEPLOYMENT = "system_deployment"
    OTHER_SERVICE = "other_service"


class ObjectState(StrEnum):
    """State of an object's registration (标的登记状态, J2)."""

    SUBMITTED = "submitted"  # 已提交，待形式审查
    REGISTERED = "registered"  # 已登记，出具登记凭证
    REFUSED = "refused"  # 不予登记


class ListingState(StrEnum):
    """State of a listing (挂牌状态, J3)."""

    LISTED = "listed"  # 挂牌中
    WITHDRAWN = "withdrawn"  # 已摘牌


class PricingMethod(StrEnum):
    """Pricing method (定价方式, 004:5181)."""

    NEGOTIATED = "negotiated"  # 协商定价
    APPRAISED = "appraised"  # 评估定价
    PRICING_TOOL = "pricing_tool"  # 交易场所定价工具


class NegotiationState(StrEnum):
    """Contract negotiation state (交易磋商状态): the Dataspace Protocol's names (J4-J6)."""

    REQUESTED = "REQUESTED"
    OFFERED = "OFFERED"
    ACCEPTED = "ACCEPTED"
    AGREED = "AGREED"
    VERIFIED = "VERIFIED"
    FINALIZED = "FINALIZED"
    TERMINATED = "TERMINATED"


class NegotiationAction(StrEnum):
    """A step of a negotiation (磋商动作), each a Dataspace Protocol message."""

    REQUEST = "request"  # 需求方报价（ContractRequestMessage）
    OFFER = "offer"  # 提供方报价或还价（ContractOfferMessage）
    ACCEPT = "accept"  # 需求方接受报价（ContractNegotiationEventMessage: accepted）
    AGREE = "agree"  # 提供方拟定合同（ContractAgreementMessage）
    VERIFY = "verify"  # 需求方核验并签署合同（ContractAgreementVerificationMessage）
    FINALIZE = "finalize"  # 提供方签署，合同生效（ContractNegotiationEventMessage: finalized）
    TERMINATE = "terminate"  # 任一方终止（ContractNegotiationTerminationMessage）


class ContractState(StrEnum):
    """State of a trade contract (交易合同状态, J6-J8)."""

    SIGNED = "signed"  # 已签订，价款已托管
    DELIVERED = "delivered"  # 已交付
    SETTLED = "settled"  # 已结算，出具交易凭证
    REFUNDED = "refunded"  # 交付失败，价款已退回


class AccountKind(StrEnum):
    """Settlement account (结算账户) of the exchange's clearing (资金清分结算, 004:5185)."""

    PARTY = "party"  # 主体结算账户
    ESCROW = "escrow"  # 合同托管账户


class TransferKind(StrEnum):
    """A settlement transfer (结算划转)."""

    ESCROW = "escrow"  # 签约托管
    RELEASE = "release"  # 验收后放款
    REFUND = "refund"  # 交付失败退款


class Ground(StrEnum):
    """Prohibited ground (禁止交易情形, 004:5068-5076) and the prohibited list (禁止交易清单, 004:5050)."""

    STATE_SECRETS = "state_secrets"
    NATIONAL_SECURITY = "national_security"
    PERSONAL_DATA_WITHOUT_CONSENT = "personal_data_without_consent"
    PERSONALITY_RIGHTS = "personality_rights"
    TRADE_SECRET_WITHOUT_CONSENT = "trade_secret_without_consent"  # noqa: S105 (a ground, not a password)
    ILLEGAL_SOURCE = "illegal_source"
    OTHER_LEGAL_PROHIBITION = "other_legal_prohibition"
    PROHIBITED_LIST = "prohibited_list"


class DisputeMode(StrEnum):
    """Mode of dispute resolution (争议解决方式, 004:5099)."""

    NEGOTIATION = "negotiation"  # 协商
    MEDIATION = "mediation"  # 调解
    ARBITRATION = "arbitration"  # 仲裁
    LITIGATION = "litigation"  # 诉讼
