"""Required registration materials (登记材料) per application type and subject kind (policy-spec §1.3).

:func:`missing_items` lists every required field or attachment that a submission lacks, so the authority
sends one notice naming all of them (一次性告知, 004:794; 004:5412). National materials for the initial
registration are the list of 004:781; REG-N lists none for change/correction/cancellation, so the
REG-NM lists (004:5370-5410) are used in both profiles [INFERRED]. Inner Mongolia adds the attachments
of 004:5353-5364 and the basic information sheet of 004:5360.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from logispace.core.config import RuleProfile
from logispace.domains.registration.enums import ApplicationType, JointMode, SubjectKind

FIELD = "field"
ATTACHMENT = "attachment"


@dataclass(frozen=True, slots=True)
class Requirement:
    """Required material (必备材料): a field or attachment, satisfied by any one of ``names``."""

    names: tuple[str, ...]
    kind: str  # FIELD or ATTACHMENT
    title: str
    source: str

    @property
    def key(self) -> str:
        return " | ".join(self.names)

    def met_by(self, fields: frozenset[str], attachments: frozenset[str]) -> bool:
        pool = fields if self.kind == FIELD else attachments
        return any(name in pool for name in self.names)


def _f(names: str, title: str, source: str) -> Requirement:
    return Requirement(tuple(names.split("|")), FIELD, title, source)


def _a(names: str, title: str, source: str) -> Requirement:
    return Requirement(tuple(names.split("|")), ATTACHMENT, title, source)


_PRECONDITIONS = (
    _f("internal_business_review_done", "业务审核 (internal business review done)", "004:771; 004:5319"),
    _f("evidence_record_id", "存证 (evidence preservation record)", "004:773; 004:5323"),
)

_NATIONAL_INITIAL = (
    _a("subject_info", "主体信息 (subject information)", "004:781"),
    _a("data_source_legality", "数据合法合规性来源 (legal and compliant data source)", "004:781"),
    _a("data_resource_status", "数据资源情况 (data resource status)", "004:781"),
    _a("evidence_status", "存证情况 (evidence-preservation status)", "004:781"),
    _a("application_scenarios_info", "应用场景信息 (application scenarios)", "004:781"),
    _a("security_risk_assessment", "数据安全风险评估 (data security risk assessment)", "004:781"),
)
_NATIONAL_PRODUCT = (_a("product_service_info", "产品和服务信息 (products and services)", "004:781"),)

_NM_INITIAL = (
    _a("initial_application_form", "首次登记申请表 (initial application form)", "004:5355"),
    _a("legality_undertaking", "合法性、合规性、真实性承诺书 (undertaking)", "004:5356"),
    _a("identity_docs", "登记主体身份相关材料 (subject identity documents)", "004:5357"),
    _a("authorized_operation_docs", "授权运营相关材料 (authorized-operation documents)", "004:5358"),
    _a("basic_info_sheet", "公共数据资源基本信息表 (basic information sheet)", "004:5360"),
    _a("source_legality_evidence", "合法合规性来源佐证资料 (evidence of a legal source)", "004:5362"),
    _a(
        "evidence_and_risk_assessment",
        "存证、数据安全风险评估佐证材料 (evidence, risk assessment)",
        "004:5363",
    ),
    _a("source_review_report", "合法合规真实性审查报告 (source review report)", "004:5321"),
    _a("security_assessment_report", "安全评估报告 (security assessment report)", "004:5321"),
    # basic information sheet (004:5360): natural, legal and value attributes
    _f("name", "名称 (name)", "004:5360"),
    _f("data_structure", "数据结构 (data structure)", "004:5360"),
    _f("data_scale", "数据规模 (data scale)", "004:5360"),
    _f("generation_frequency", "产生频率 (generation frequency)", "004:5360"),
    _f("holder_info|authorizing_subject_info", "持有人信息或授权主体信息 (holder or authorizer)", "004:5360"),
    _f("right_type", "权利类型 (right type)", "004:5360"),
    _f("right_term", "权利期限 (right term)", "004:5360"),
    _f("data_quality", "数据质量 (data quality)", "004:5360"),
    _f("industry", "数据所属行业 (industry)", "004:5360"),
    _f("application_scenarios", "数据应用场景 (application scenarios)", "004:5360"),
    _f("interested_parties_consensus", "与利害关系人协商一致 (interested parties agreed)", "004:5351"),
)

_CHANGE = (
    _a("change_application_form", "变更登记申请表 (change application form)", "004:5372"),
    _a(
        "identity_evidence|restructuring_evidence",
        "主体身份或机构重组佐证 (identity or restructuring)",
        "004:5373; 004:5380",
    ),
    _a(
        "change_evidence|restructuring_evidence",
        "变更内容的佐证材料 (evidence of the change)",
        "004:5374; 004:5380",
    ),
)
_CORRECTION = (
    _a("correction_application_form", "更正登记申请表 (correction application form)", "004:5389"),
    _a("identity_evidence", "登记主体身份佐证材料 (identity evidence)", "004:5390"),
    # A13: the record is corrected on the subject's written consent OR evidence that it is wrong (004:785)
    _a(
        "subject_written_consent|correction_evidence",
        "登记主体同意书或更正内容佐证 (subject's consent or evidence of the error)",
        "004:785; 004:5385; 004:5391-5392",
    ),
)
_CANCELLATION = (
    _a("cancellation_application_form", "注销登记申请表 (cancellation application form)", "004:5407"),
    _a("identity_evidence", "登记主体身份佐证材料 (identity evidence)", "004:5408"),
    _a("right_lapse_evidence", "权利灭失的佐证材料 (evidence that the right lapsed)", "004:5409"),
)


CO_SUBJECT_AGREEMENT = "co_subject_agreement"  # 协商一致证明 (sole applicant after agreement)
CO_SUBJECT_CONFIRMED = "co_subject_confirmed:"  # field prefix: + the co-subject's party id
_JOINT_SOURCE = "004:771; 004:5319"


def co_subject_requirements(
    mode: JointMode | None, co_subjects: Iterable[tuple[str, str]]
) -> tuple[Requirement, ...]:
    """What several subjects add (共同申请, V-REG-10), ``co_subjects`` as ``(party id, name)``.

    Filed jointly, each co-subject's own confirmation (共同提出) is a required field
    ``co_subject_confirmed:<party id>``; filed by one subject after agreement, the evidence of the
    agreement (协商一致证明) is a required attachment. Either way a missing one is an item of the one-time
    supplement notice and blocks acceptance like any other missing material.
    """
    listed = list(co_subjects)
    if not listed or mode is None:
        return ()
    if mode is JointMode.SOLE_WITH_AGREEMENT:
        title = "共同主体协商一致证明 (evidence that the co-subjects agreed)"
        return (_a(CO_SUBJECT_AGREEMENT, title, _JOINT_SOURCE),)
    return tuple(
        Requirement(
            (f"{CO_SUBJECT_CONFIRMED}{party_id}",),
            FIELD,
            f"共同申请主体确认 (co-subject confirmation): {name or party_id}",
            _JOINT_SOURCE,
        )
        for party_id, name in listed
    )


def required_materials(
    application_type: ApplicationType, subject_kind: SubjectKind, profile: RuleProfile
) -> tuple[Requirement, ...]:
    """Every requirement for this application type, subject kind and profile, in notice order."""
    match application_type:
        case ApplicationType.INITIAL:
            national = _NATIONAL_INITIAL + (_NATIONAL_PRODUCT if subject_kind is SubjectKind.PRODUCT else ())
            regional = _NM_INITIAL if profile is RuleProfile.INNER_MONGOLIA else ()
            return _PRECONDITIONS + national + regional
        case ApplicationType.CHANGE:
            return _PRECONDITIONS[:1] + _CHANGE
        case ApplicationType.CORRECTION:
            return _CORRECTION
        case ApplicationType.CANCELLATION:
            return _PRECONDITIONS[:1] + _CANCELLATION


@dataclass(frozen=True, slots=True)
class SupplementNotice:
    """One-time supplement notice (一次性告知补正): every missing item at once (004:794; 004:5412)."""

    missing: tuple[Requirement, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.missing)

    def text(self) -> str:
        lines = [f"{item.kind} {item.key}: {item.title} [{item.source}]" for item in self.missing]
        return "; ".join(lines)


def missing_items(
    application_type: ApplicationType,
    subject_kind: SubjectKind,
    profile: RuleProfile,
    fields: Iterable[str],
    attachments: Iterable[str],
    extra: Iterable[Requirement] = (),
) -> SupplementNotice:
    """The notice listing every required field/attachment not in ``fields``/``attachments`` (may be empty);
    ``extra`` are the requirements of this file beyond its type (the co-subjects', V-REG-10)."""
    have_fields, have_attachments = frozenset(fields), frozenset(attachments)
    requirements = required_materials(application_type, subject_kind, profile) + tuple(extra)
    return SupplementNotice(tuple(r for r in requirements if not r.met_by(have_fields, have_attachments)))
