"""Registration vocabularies (登记枚举), policy-spec §1.2-1.5."""

from __future__ import annotations

from enum import StrEnum


class ApplicationType(StrEnum):
    """Registration application type (登记申请类型), 004:779; 004:5347."""

    INITIAL = "initial"  # 首次登记
    CHANGE = "change"  # 变更登记
    CORRECTION = "correction"  # 更正登记
    CANCELLATION = "cancellation"  # 注销登记


class SubjectKind(StrEnum):
    """What is registered (登记对象): a data resource or a data product/service (004:763; 004:810)."""

    RESOURCE = "resource"  # 公共数据资源
    PRODUCT = "product"  # 公共数据产品和服务


class ApplicationState(StrEnum):
    """Registration application state (登记申请状态), state machine A (policy-spec §1.4)."""

    DRAFT = "draft"  # 草稿
    SUBMITTED = "submitted"  # 已提交 (受理时限计时中)
    PENDING_SUPPLEMENT = "pending_supplement"  # 待补正 (一次性告知)
    NOT_ACCEPTED = "not_accepted"  # 不予受理 / 不予办理
    UNDER_REVIEW = "under_review"  # 形式审核中 (受理后)
    REVIEW_FAILED = "review_failed"  # 审查未通过 [NM]
    IN_PUBLICITY = "in_publicity"  # 公示中
    OBJECTION_REVIEW = "objection_review"  # 异议复核 / 调查审核
    ISSUED = "issued"  # 已赋码 / 已发证
    TERMINATED = "terminated"  # 终止登记
    CANCELLED = "cancelled"  # 已注销 (注销登记办结)


class RecordState(StrEnum):
    """Registration record / certificate state (登记结果状态), state machine B (policy-spec §1.5)."""

    VALID = "valid"  # 有效
    RENEWAL_WINDOW = "renewal_window"  # 续展期 (期满前 60 日内)
    CANCELLED = "cancelled"  # 已注销 (申请注销或期满未续展)
    REVOKED = "revoked"  # 已撤销


class ActorRole(StrEnum):
    """Who acts on a registration (登记参与方), policy-spec §1.2."""

    SUBJECT = "subject"  # 登记主体
    INTERESTED_PARTY = "interested_party"  # 利害关系人 / 相关当事人
    AUTHORITY = "authority"  # 登记机构 (its reviewers)
    SUPERVISOR = "supervisor"  # 数据主管部门 and other authority staff: read and supervise, take no step
    SYSTEM = "system"  # 平台定时任务 (时限届满)


class ApplicationAction(StrEnum):
    """An action on a registration application (登记申请操作), state machine A."""

    SUBMIT = "submit"  # 提交申请
    REQUEST_SUPPLEMENT = "request_supplement"  # 一次性告知补正
    RESUBMIT = "resubmit"  # 补正后重新提交
    ACCEPT = "accept"  # 受理
    REFUSE = "refuse"  # 不予受理 / 不予办理
    PASS_REVIEW = "pass_review"  # noqa: S105 (not a password) 形式审核通过, 进入公示
    FAIL_REVIEW = "fail_review"  # 审查未通过 [NM]
    EXPLAIN_DELAY = "explain_delay"  # 审核未完成, 说明原因 [N]
    CLOSE_PUBLICITY = "close_publicity"  # 公示期满无异议, 赋码 / 发证
    FILE_OBJECTION = "file_objection"  # 提出异议
    UPHOLD_OBJECTION = "uphold_objection"  # 异议成立, 终止登记
    DISMISS_OBJECTION = "dismiss_objection"  # 异议不成立: 其余待复核 / 继续公示 / 赋码发证
    COMPLETE_CANCELLATION = "complete_cancellation"  # 完成注销


class RecordAction(StrEnum):
    """An action on a registration record / certificate (登记结果操作), state machine B."""

    OPEN_RENEWAL_WINDOW = "open_renewal_window"  # 进入续展期
    RENEW = "renew"  # 续展
    AMEND = "amend"  # 变更 / 更正登记生效 (新版本)
    CANCEL = "cancel"  # 注销登记生效
    EXPIRE = "expire"  # 期满未续展, 注销
    REVOKE = "revoke"  # 撤销登记


class RefusalGround(StrEnum):
    """Ground for refusing a registration (不予办理情形), 004:5422-5427; national: reasons (004:794)."""

    DUPLICATE = "duplicate"  # 重复登记
    FRAUD = "fraud"  # 隐瞒事实或弄虚作假
    OWNERSHIP_DISPUTE = "ownership_dispute"  # 存在数据权属争议
    OTHER_STATUTORY = "other_statutory"  # 法律法规规定的其他情形
    NOT_COMPLIANT = "not_compliant"  # 不予受理 (national: reasons stated, 004:794)


class CancellationGround(StrEnum):
    """Ground for cancellation (注销情形) C1-C4, 004:787-792; 004:5397-5403."""

    LOST = "lost"  # 不可复原或灭失
    RIGHTS_ENDED = "rights_ended"  # 放弃权利或权利期限届满
    SUBJECT_CEASED = "subject_ceased"  # 主体解散、被依法撤销、宣告破产或终止
    OTHER_STATUTORY = "other_statutory"  # 其他法定情形


class RevocationGround(StrEnum):
    """Ground for revoking a registration (撤销登记情形), 004:830-835; [NM] 004:5429-5438, 5486-5491."""

    FALSE_MATERIALS = "false_materials"  # R1 隐瞒事实、弄虚作假、提供虚假材料
    TAMPERED_RESULTS = "tampered_results"  # R2 擅自篡改、伪造登记结果
    ILLEGAL_USE = "illegal_use"  # R3 非法使用登记结果或不正当牟利
    OTHER_VIOLATION = "other_violation"  # R4 其他违法违规行为
    COPIED_OR_DESTROYED = "copied_or_destroyed"  # [NM 27] 擅自复制、损毁登记信息或证书
    REFUSAL_GROUND_FOUND = "refusal_ground_found"  # [NM 16(1)] 登记后发现不予办理情形
    OBSTRUCTS_CIRCULATION = "obstructs_circulation"  # [NM 16(2)] 严重妨碍或损害数据流通等
    SECURITY_DUTY_FAILED = "security_duty_failed"  # [NM 16(3)] 未履行数据安全、网络安全义务


class ObjectionOutcome(StrEnum):
    """Outcome of an objection review (异议复核结果), 004:800; 004:5418; Q-5."""

    UPHELD = "upheld"  # 异议成立, 终止登记
    DISMISSED = "dismissed"  # 异议不成立 (others pending / publicity resumes / 赋码发证)
    CLOSED = "closed"  # 另一异议成立, 登记已终止: closed undecided with a note (not by a decision)


class ObjectionDecision(StrEnum):
    """What the authority decides on an objection (异议复核结论); ``closed`` is never decided."""

    UPHELD = "upheld"  # 异议成立, 终止登记
    DISMISSED = "dismissed"  # 异议不成立


class CertificateStatus(StrEnum):
    """Certificate status (登记证书状态) as the public verification page shows it (policy-spec §1.5)."""

    VALID = "valid"  # 有效
    EXPIRED = "expired"  # 期满未续展, 已注销 (004:812; 004:5456)
    CANCELLED = "cancelled"  # 已注销 (注销登记)
    REVOKED = "revoked"  # 已撤销 (004:830-835; 004:5429-5438)


class NoticeKind(StrEnum):
    """Public notice kind (公告类型): what ended a certificate in public (注销并公告 / 撤销并公告)."""

    EXPIRY = "expiry"  # 期满未续展注销公告 (004:5456)
    REVOCATION = "revocation"  # 撤销公告 (004:5429)


class RenewalRequestState(StrEnum):
    """Renewal request state (续展申请状态): filed by the holder, decided by the authority."""

    PENDING = "pending"  # 待审核
    APPROVED = "approved"  # 准予续展
    REFUSED = "refused"  # 不予续展


class AccountState(StrEnum):
    """Registration account state (登记账户状态), 004:5444: requested by a subject, then issued."""

    REQUESTED = "requested"  # 已申请 (待核发)
    ISSUED = "issued"  # 已核发


class JointMode(StrEnum):
    """How an application with several subjects is filed (共同申请 / 单独申请), 004:771; 004:5319."""

    JOINT = "joint"  # 共同提出登记申请: every co-subject confirms (co-signs) the application
    SOLE_WITH_AGREEMENT = (
        "sole_with_agreement"  # 协商一致后由单独主体提出: evidence of the agreement attached
    )
