"""Registration request and response bodies (登记接口数据)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from logispace.core.bodies import INTEGRAL, NOT_BLANK, JsonDate, StrictBool
from logispace.core.config import RuleProfile
from logispace.domains.registration.enums import (
    AccountState,
    ActorRole,
    ApplicationAction,
    ApplicationState,
    ApplicationType,
    CancellationGround,
    JointMode,
    ObjectionDecision,
    ObjectionOutcome,
    RecordState,
    RefusalGround,
    SubjectKind,
)

Text100 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=NOT_BLANK)
]
Text200 = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=NOT_BLANK)
]
LongText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000, pattern=NOT_BLANK)
]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
LedgerIndex = Annotated[int, Field(ge=0, le=2**62, strict=True), INTEGRAL]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


_TEXT = {"type": "string"}
_NULL = {"type": "null"}
_WHICH_SUBJECT: dict[str, Any] = {
    # What names the subject, by application type and subject kind (checked in the service as well).
    "if": {"properties": {"application_type": {"const": "initial"}}, "required": ["application_type"]},
    "then": {
        "properties": {"registration_id": _NULL},
        "if": {"properties": {"subject_kind": {"const": "product"}}, "required": ["subject_kind"]},
        "then": {
            "properties": {"product_name": _TEXT, "content_sha256": _TEXT},
            "required": ["product_name", "content_sha256"],
        },
        "else": {
            "properties": {"catalog_code": _TEXT, "product_name": _NULL, "content_sha256": _NULL},
            "required": ["catalog_code"],
        },
    },
    "else": {"properties": {"registration_id": _TEXT}, "required": ["registration_id"]},
}
"""An initial application names a catalogue resource, or a product by name and content hash, and no
earlier registration; a change, correction or cancellation names the registration it acts on."""


class BasicInfo(_Body):
    """Basic information sheet (公共数据资源基本信息表, 004:5360): natural, legal and value attributes."""

    name: Text200 | None = None
    data_structure: Annotated[str, StringConstraints(max_length=1000)] | None = None
    data_scale: Text200 | None = None
    generation_frequency: Text200 | None = None
    holder_info: Text200 | None = None
    authorizing_subject_info: Text200 | None = None
    right_type: Text200 | None = None
    right_term: Text200 | None = None
    data_quality: Annotated[str, StringConstraints(max_length=1000)] | None = None
    industry: Text200 | None = None
    application_scenarios: list[Text100] = Field(default_factory=list, max_length=20)


class ApplicationCreate(_Body):
    """A new registration application (登记申请), saved as a draft until submitted.

    A resource is named by ``catalog_code`` (its content hash is its newest distribution's); a product
    by ``product_name`` and ``content_sha256``. Change, correction and cancellation name the
    registration they act on (``registration_id``); an interested party files only corrections.
    """

    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [_WHICH_SUBJECT]})

    application_type: ApplicationType
    subject_kind: SubjectKind = SubjectKind.RESOURCE
    catalog_code: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9]{1,20}$")] | None = None
    product_name: Text200 | None = None
    content_sha256: Sha256 | None = None
    registration_id: uuid.UUID | None = None
    as_interested_party: StrictBool = False
    evidence_ledger_index: LedgerIndex | None = Field(
        default=None, description="index of the ledger entry (存证) that commits to the content hash"
    )
    internal_business_review_done: StrictBool = False
    interested_parties_consensus: StrictBool = False
    info: BasicInfo = Field(default_factory=BasicInfo)
    content_summary: Annotated[str, StringConstraints(max_length=1000)] = ""
    operating_term_end: JsonDate | None = None
    cancellation_ground: CancellationGround | None = None
    co_subject_party_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=20,
        description="the other registration subjects (共同登记主体, 004:771; 004:5319), by party id",
    )
    joint_mode: JointMode | None = Field(
        default=None,
        description="with co-subjects: joint (each confirms) or sole_with_agreement (evidence attached)",
    )


class ApplicationUpdate(_Body):
    """Complete a draft or a file awaiting supplement (补正): only the fields given change."""

    evidence_ledger_index: LedgerIndex | None = None
    internal_business_review_done: StrictBool | None = None
    interested_parties_consensus: StrictBool | None = None
    info: BasicInfo | None = None
    content_summary: Annotated[str, StringConstraints(max_length=1000)] | None = None
    operating_term_end: JsonDate | None = None
    cancellation_ground: CancellationGround | None = None
    co_subject_party_ids: list[uuid.UUID] | None = Field(
        default=None, max_length=20, description="replaces the co-subjects (a confirmed one stays)"
    )
    joint_mode: JointMode | None = None


class StepNote(_Body):
    """An optional note on a step."""

    note: Annotated[str, StringConstraints(max_length=4000)] | None = None


class SupplementRequest(_Body):
    """One-time supplement notice (一次性告知): items present but not compliant, besides those missing."""

    noncompliant: list[Text200] = Field(default_factory=list, max_length=20)
    note: Annotated[str, StringConstraints(max_length=4000)] | None = None


class Refusal(_Body):
    """Refusal (不予受理 / 不予办理) with its grounds and the reasons told to the subject."""

    grounds: list[RefusalGround] = Field(default_factory=list, max_length=5)
    reason: Annotated[str, StringConstraints(max_length=4000)] = ""


class ReviewFailure(_Body):
    """Failed formal review [NM] with the reasons (004:5414)."""

    reason: LongText


class ObjectionCreate(_Body):
    """Objection (异议): the objector's real name and the evidence it relies on (004:800; 004:5418).

    Both are checked by the rules (422 naming each missing field), so they may be sent empty.
    """

    objector_real_name: Annotated[str, StringConstraints(max_length=100)] = ""
    evidence: list[Annotated[str, StringConstraints(max_length=500)]] = Field(
        default_factory=list, max_length=10
    )


class ObjectionHandling(_Body):
    """The outcome of reviewing an objection (异议复核)."""

    outcome: ObjectionDecision
    note: LongText


class OverrunExplanation(_Body):
    """Why a step's deadline passed (超期说明)."""

    explanation: LongText


class PartyRef(BaseModel):
    id: uuid.UUID
    name: str


class DeadlineRead(BaseModel):
    """A running deadline (期限) with its rule, as the deadline engine computed it."""

    rule: str
    title: str
    amount: int
    unit: str
    anchor_event: str
    source: str
    note: str
    anchor_date: date
    due: date
    provisional: bool = Field(
        description="暂定: counted into a year whose holiday notice is not imported yet, by the statutory "
        "holidays alone (no 调休); recomputed when the notice is imported"
    )
    overdue: bool
    working_days_overdue: int | None


class StepRead(BaseModel):
    seq: int
    action: ApplicationAction
    actor_role: ActorRole
    actor_party: PartyRef | None
    from_state: ApplicationState
    to_state: ApplicationState
    at: datetime
    on: date
    note: str | None
    notice: list[dict[str, str]] | None
    deadline_rule: str | None
    deadline_source: str | None
    due_on: date | None
    due_provisional: bool
    ledger_index: int


class AttachmentRead(BaseModel):
    id: uuid.UUID
    application_id: uuid.UUID | None = None
    material: str
    filename: str | None
    media_type: str
    size: int
    sha256: str
    uploaded_at: datetime
    ledger_index: int


class ObjectionRead(BaseModel):
    id: uuid.UUID
    objector_real_name: str
    evidence: list[str]
    filed_on: date
    review_due: date | None
    outcome: ObjectionOutcome | None
    handling_note: str | None
    handled_on: date | None
    ledger_index: int


class OverrunRead(BaseModel):
    state: ApplicationState
    deadline_rule: str
    due_on: date
    explained_on: date
    working_days_overdue: int
    explanation: str
    ledger_index: int


class MissingItem(BaseModel):
    kind: str
    key: str
    title: str
    source: str


class ApplicationSummary(BaseModel):
    """One application in a list."""

    id: uuid.UUID
    application_type: ApplicationType
    subject_kind: SubjectKind
    rule_profile: RuleProfile
    state: ApplicationState
    data_name: str
    catalog_code: str | None
    product_name: str | None
    content_sha256: str
    applicant: PartyRef
    holder: PartyRef
    deadline: DeadlineRead | None
    overrun_flags: list[str]
    created_at: datetime


class CoSubjectRead(BaseModel):
    """A co-subject (共同登记主体) of an application and its confirmation (V-REG-10)."""

    party: PartyRef
    confirmed_at: datetime | None
    ledger_index: int | None


class ApplicationRead(ApplicationSummary):
    """An application with its file, history, due dates and what the caller may do next."""

    applicant_role: ActorRole
    content_summary: str
    evidence_ledger_index: int | None
    initial_application_id: uuid.UUID | None
    registration_id: uuid.UUID | None
    internal_business_review_done: bool
    interested_parties_consensus: bool
    info: dict[str, Any]
    operating_term_end: date | None
    cancellation_ground: CancellationGround | None
    refusal_grounds: list[str]
    reasons: str | None
    received_on: date | None
    accepted_on: date | None
    review_completed_on: date | None
    publicity_start: date | None
    publicity_end: date | None
    decided_on: date | None
    allowed_actions: list[ApplicationAction]
    missing_items: list[MissingItem]
    joint_mode: JointMode | None = None
    co_subjects: list[CoSubjectRead] = Field(default_factory=list)
    steps: list[StepRead]
    attachments: list[AttachmentRead]
    objections: list[ObjectionRead]
    overruns: list[OverrunRead]


class RecordRead(BaseModel):
    """A registration record (登记结果) and its validity."""

    id: uuid.UUID
    initial_application_id: uuid.UUID
    latest_application_id: uuid.UUID
    subject_kind: SubjectKind
    rule_profile: RuleProfile
    holder: PartyRef
    catalog_code: str | None
    product_name: str | None
    data_name: str
    content_sha256: str
    state: RecordState
    version: int
    coded_on: date
    issued_on: date
    valid_from: date
    valid_to: date
    operating_term_end: date | None
    ended_on: date | None
    ledger_index: int
    certificate_code: str | None = Field(
        default=None,
        description="registration code (登记编码, 一证一码), see /registry/certificates/{code}",
    )
    co_subjects: list[PartyRef] = Field(
        default_factory=list, description="the other registration subjects (共同登记主体, V-REG-10)"
    )


class OverdueStep(BaseModel):
    """A step past its due date (超期事项), for the authority."""

    application_id: uuid.UUID
    application_type: ApplicationType
    state: ApplicationState
    data_name: str
    applicant: PartyRef
    deadline: DeadlineRead
    overrun_flags: list[str]
    explained: bool
    objection_id: uuid.UUID | None = None  # in objection review: the late objection (each has its own)


class AccountRead(BaseModel):
    """A registration account (登记账户, 004:5444) and its code once issued (账户编码)."""

    id: uuid.UUID
    party: PartyRef
    code: str | None
    state: AccountState
    requested_at: datetime
    issued_at: datetime | None
    ledger_index: int
    issued_ledger_index: int | None


class AccountOverview(BaseModel):
    """One place for the subject's registrations (统一管理, 004:5444): account, applications, records
    with their certificate codes, and every material attached."""

    account: AccountRead
    required: bool = Field(description="whether the rule profile requires an issued account to apply")
    applications: list[ApplicationSummary]
    records: list[RecordRead]
    materials: list[AttachmentRead]
