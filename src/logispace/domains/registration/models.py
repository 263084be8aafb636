"""Registration tables (登记数据表): applications, attachments, steps, overruns, objections, records.

Nothing here is deleted in place (retention 20 years, 004:5283): steps, overrun explanations and
objections are appended, and every state change is also an entry of the evidence ledger.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from logispace.core.clock import utcnow
from logispace.core.config import RuleProfile
from logispace.core.db import Base, IdMixin
from logispace.domains.registration.enums import (
    AccountState,
    ActorRole,
    ApplicationAction,
    ApplicationState,
    ApplicationType,
    CancellationGround,
    CertificateStatus,
    JointMode,
    NoticeKind,
    ObjectionOutcome,
    RecordState,
    RenewalRequestState,
    SubjectKind,
)


def _enum(cls: type[StrEnum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


_PARTY = "parties.id"
_APPLICATION = "registration_applications.id"


class RegistrationApplication(IdMixin, Base):
    """Registration application (登记申请): one filing of state machine A (policy-spec §1.3-1.4).

    The subject is a catalogue resource (``catalog_code``) or a data product (``product_name``);
    ``content_sha256`` is what the evidence receipt (``evidence_ledger_index``, 存证) commits to.
    ``running_*`` is the deadline of the current state as the deadline engine computed it;
    ``running_provisional`` (暂定) when it counted days of a year whose holiday notice was not imported yet.
    """

    __tablename__ = "registration_applications"
    __table_args__ = (
        Index("ix_registration_applications_applicant_state", "applicant_party_id", "state"),
        Index("ix_registration_applications_state_due", "state", "running_due"),
        Index("ix_registration_applications_content_holder", "content_sha256", "holder_party_id"),
    )

    application_type: Mapped[ApplicationType] = mapped_column(_enum(ApplicationType, "application_type"))
    subject_kind: Mapped[SubjectKind] = mapped_column(_enum(SubjectKind, "registration_subject_kind"))
    rule_profile: Mapped[RuleProfile] = mapped_column(_enum(RuleProfile, "rule_profile"))
    state: Mapped[ApplicationState] = mapped_column(_enum(ApplicationState, "application_state"))
    applicant_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    applicant_role: Mapped[ActorRole] = mapped_column(_enum(ActorRole, "registration_actor_role"))
    holder_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    catalog_resource_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="RESTRICT")
    )
    catalog_code: Mapped[str | None] = mapped_column(String(20))
    product_name: Mapped[str | None] = mapped_column(String(200))
    data_name: Mapped[str] = mapped_column(String(200))
    content_summary: Mapped[str] = mapped_column(Text, default="")
    content_sha256: Mapped[str] = mapped_column(String(64))
    evidence_ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id", ondelete="RESTRICT")
    )
    initial_application_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey(_APPLICATION, ondelete="RESTRICT"), index=True
    )
    joint_mode: Mapped[JointMode | None] = mapped_column(_enum(JointMode, "registration_joint_mode"))
    internal_business_review_done: Mapped[bool] = mapped_column(Boolean, default=False)
    interested_parties_consensus: Mapped[bool] = mapped_column(Boolean, default=False)
    info: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    operating_term_end: Mapped[date | None] = mapped_column()
    cancellation_ground: Mapped[CancellationGround | None] = mapped_column(
        _enum(CancellationGround, "cancellation_ground")
    )
    refusal_grounds: Mapped[list[str]] = mapped_column(JSON, default=list)
    reasons: Mapped[str | None] = mapped_column(Text)
    running_rule: Mapped[str | None] = mapped_column(String(64))
    running_anchor: Mapped[date | None] = mapped_column()
    running_due: Mapped[date | None] = mapped_column()
    running_provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    received_on: Mapped[date | None] = mapped_column()
    accepted_on: Mapped[date | None] = mapped_column()
    review_completed_on: Mapped[date | None] = mapped_column()
    publicity_start: Mapped[date | None] = mapped_column()
    publicity_end: Mapped[date | None] = mapped_column()
    decided_on: Mapped[date | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegistrationAttachment(IdMixin, Base):
    """Registration material (登记材料): a file in the object store, its SHA-256 in the ledger."""

    __tablename__ = "registration_attachments"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_APPLICATION, ondelete="RESTRICT"), index=True
    )
    material: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str | None] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))


class RegistrationStep(IdMixin, Base):
    """Step history (办理记录): who did what when, from which state to which, and the deadline started
    (``due_provisional`` when it was counted provisionally, until the year's holiday notice is imported)."""

    __tablename__ = "registration_steps"
    __table_args__ = (UniqueConstraint("application_id", "seq"),)

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_APPLICATION, ondelete="RESTRICT"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[ApplicationAction] = mapped_column(_enum(ApplicationAction, "application_action"))
    actor_role: Mapped[ActorRole] = mapped_column(_enum(ActorRole, "registration_actor_role"))
    actor_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    actor_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    from_state: Mapped[ApplicationState] = mapped_column(_enum(ApplicationState, "application_state"))
    to_state: Mapped[ApplicationState] = mapped_column(_enum(ApplicationState, "application_state"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    on: Mapped[date] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    notice: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    deadline_rule: Mapped[str | None] = mapped_column(String(64))
    deadline_source: Mapped[str | None] = mapped_column(String(100))
    due_on: Mapped[date | None] = mapped_column()
    due_provisional: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))


class RegistrationOverrun(IdMixin, Base):
    """Overrun explanation (超期说明): why a step's deadline passed, recorded by the authority (Q-6)."""

    __tablename__ = "registration_overruns"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_APPLICATION, ondelete="RESTRICT"), index=True
    )
    state: Mapped[ApplicationState] = mapped_column(_enum(ApplicationState, "application_state"))
    deadline_rule: Mapped[str] = mapped_column(String(64))
    due_on: Mapped[date] = mapped_column()
    explained_on: Mapped[date] = mapped_column()
    working_days_overdue: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[str] = mapped_column(Text)
    by_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))


class RegistrationObjection(IdMixin, Base):
    """Objection (异议): filed in real name with evidence during publicity, and its handling."""

    __tablename__ = "registration_objections"

    application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_APPLICATION, ondelete="RESTRICT"), index=True
    )
    objector_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    objector_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    objector_real_name: Mapped[str] = mapped_column(String(100))
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    filed_on: Mapped[date] = mapped_column()
    filed_at: Mapped[datetime] = mapped_column(default=utcnow)
    review_due: Mapped[date | None] = mapped_column()  # its own review SLA from filed_on
    outcome: Mapped[ObjectionOutcome | None] = mapped_column(_enum(ObjectionOutcome, "objection_outcome"))
    handling_note: Mapped[str | None] = mapped_column(Text)
    handled_on: Mapped[date | None] = mapped_column()
    handled_by_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    handled_ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id")
    )


class RegistrationRecord(IdMixin, Base):
    """Registration record (登记结果): what issuance creates; state machine B (policy-spec §1.5).

    Created by the initial application (``initial_application_id``); change and correction amend
    it (``version`` + 1), cancellation ends it. ``valid_to`` is exclusive. Certificate code and QR
    (一证一码) come later.
    """

    __tablename__ = "registration_records"
    __table_args__ = (Index("ix_registration_records_content_holder", "content_sha256", "holder_party_id"),)

    initial_application_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey(_APPLICATION, ondelete="RESTRICT"), unique=True
    )
    latest_application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_APPLICATION, ondelete="RESTRICT"))
    subject_kind: Mapped[SubjectKind] = mapped_column(_enum(SubjectKind, "registration_subject_kind"))
    rule_profile: Mapped[RuleProfile] = mapped_column(_enum(RuleProfile, "rule_profile"))
    holder_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    catalog_resource_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="RESTRICT")
    )
    catalog_code: Mapped[str | None] = mapped_column(String(20))
    product_name: Mapped[str | None] = mapped_column(String(200))
    data_name: Mapped[str] = mapped_column(String(200))
    # 数据所属行业 of the initial application's information sheet, stored so the registry filters in SQL
    industry: Mapped[str | None] = mapped_column(String(200), index=True)
    content_sha256: Mapped[str] = mapped_column(String(64))
    state: Mapped[RecordState] = mapped_column(_enum(RecordState, "record_state"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    coded_on: Mapped[date] = mapped_column()
    issued_on: Mapped[date] = mapped_column()
    valid_from: Mapped[date] = mapped_column()
    valid_to: Mapped[date] = mapped_column()
    operating_term_end: Mapped[date | None] = mapped_column()
    ended_on: Mapped[date | None] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegistrationCertificate(IdMixin, Base):
    """Registration certificate (登记证书, 一证一码): one code per record, its signed statement.

    ``statement`` is the latest certificate statement (code, holder, data name, record version,
    validity, content hash); ``signature`` is the issuing authority party's signature over its
    canonical JSON, and ``ledger_index`` the ledger entry of the same transaction that carries both.
    Renewal and change sign a new statement (``revision`` + 1); older ones stay in the ledger.
    """

    __tablename__ = "registration_certificates"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("registration_records.id", ondelete="RESTRICT"), unique=True
    )
    holder_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    status: Mapped[CertificateStatus] = mapped_column(_enum(CertificateStatus, "certificate_status"))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    statement: Mapped[dict[str, Any]] = mapped_column(JSON)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[str] = mapped_column(String(64))
    algorithm: Mapped[str] = mapped_column(String(20))
    signer_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    ended_on: Mapped[date | None] = mapped_column()
    end_ground: Mapped[str | None] = mapped_column(String(64))
    end_ledger_index: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegistrationNotice(IdMixin, Base):
    """Public notice (公告): a certificate cancelled on expiry or revoked, announced (004:5456; 004:5429)."""

    __tablename__ = "registration_notices"
    __table_args__ = (Index("ix_registration_notices_published", "published_on"),)

    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind, "registration_notice_kind"))
    certificate_code: Mapped[str] = mapped_column(String(32), index=True)
    record_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("registration_records.id", ondelete="RESTRICT"))
    holder_name: Mapped[str] = mapped_column(String(200))
    data_name: Mapped[str] = mapped_column(String(200))
    ground: Mapped[str | None] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    published_on: Mapped[date] = mapped_column()
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RegistrationRenewalRequest(IdMixin, Base):
    """Renewal request (续展申请): the holder (登记主体) asks within the 60 calendar days before expiry
    to renew its certificate (004:812; 004:5456); the authority approves it (the record renews and the
    certificate is re-signed) or refuses it with reasons. One pending request per record at a time.
    """

    __tablename__ = "registration_renewal_requests"
    __table_args__ = (Index("ix_registration_renewal_requests_state", "state", "requested_at"),)

    record_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("registration_records.id", ondelete="RESTRICT"), index=True
    )
    holder_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    state: Mapped[RenewalRequestState] = mapped_column(_enum(RenewalRequestState, "renewal_request_state"))
    still_needed: Mapped[bool] = mapped_column(Boolean)
    requested_valid_to: Mapped[date | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(Text)
    requested_by_party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    requested_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    requested_on: Mapped[date] = mapped_column()
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    previous_valid_to: Mapped[date] = mapped_column()
    granted_valid_to: Mapped[date | None] = mapped_column()
    decided_by_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    decided_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    decided_on: Mapped[date | None] = mapped_column()
    decided_at: Mapped[datetime | None] = mapped_column()
    reasons: Mapped[str | None] = mapped_column(Text)
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    decision_ledger_index: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("ledger_entries.entry_id")
    )


class RegistrationCoSubject(IdMixin, Base):
    """Co-subject (共同登记主体) of an application, 004:771; 004:5319 (V-REG-10).

    Under ``joint`` filing each co-subject confirms (co-signs) the application itself: ``confirmed_*``
    and the ledger entry of the confirmation; under ``sole_with_agreement`` the applicant attaches the
    evidence of the agreement instead and the row only names the party.
    """

    __tablename__ = "registration_co_subjects"
    __table_args__ = (UniqueConstraint("application_id", "party_id"),)

    application_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_APPLICATION, ondelete="RESTRICT"))
    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), index=True)
    named_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column()
    confirmed_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    ledger_index: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))


class RegistrationAccount(IdMixin, Base):
    """Registration account (登记账户), 004:5444 (V-REG-03, inner_mongolia).

    One per registration subject (``party_id`` unique) with a unique account code (账户编码) issued by
    the registration authority (核发); through it the subject manages its certificates and materials.
    """

    __tablename__ = "registration_accounts"

    party_id: Mapped[uuid.UUID] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"), unique=True)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    state: Mapped[AccountState] = mapped_column(_enum(AccountState, "registration_account_state"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT")
    )
    issued_at: Mapped[datetime | None] = mapped_column()
    issued_by_party_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey(_PARTY, ondelete="RESTRICT"))
    issued_by_user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    ledger_index: Mapped[int] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
    issued_ledger_index: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("ledger_entries.entry_id"))
