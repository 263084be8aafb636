"""Certificate request and response bodies (登记证书接口数据)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from logispace.core.bodies import NOT_BLANK, JsonDate, StrictBool
from logispace.domains.registration.enums import (
    CertificateStatus,
    NoticeKind,
    RenewalRequestState,
    RevocationGround,
)

Reason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000, pattern=NOT_BLANK)
]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class RenewalRequestCreate(_Body):
    """Renewal request (续展申请) by the holder, within the 60 calendar days before expiry (004:812;
    004:5456; V-REG-07)."""

    still_needed: StrictBool = Field(
        default=True,
        description="且需继续使用的: inner_mongolia renews only data that still needs to be used (004:5456)",
    )
    requested_valid_to: JsonDate | None = Field(
        default=None,
        description="end (exclusive) of the renewed term asked for; at most three years after the current "
        "valid_to, and under inner_mongolia not past the authorized operation; if omitted the longest",
    )
    note: Note | None = None


class RenewalApproval(_Body):
    """The authority approves the pending renewal request (准予续展)."""

    note: Note | None = None


class RenewalRefusal(_Body):
    """The authority refuses the pending renewal request (不予续展), telling the holder why."""

    reasons: Reason


class Revocation(_Body):
    """Revocation (撤销登记) with its ground (004:830-835; inner_mongolia adds 004:5429-5438, 5486-5491)."""

    ground: RevocationGround
    reason: Reason


class SignatureRead(BaseModel):
    """The issuing authority's signature over the statement, re-checked on this view."""

    algorithm: str
    key_id: str
    value: str = Field(description="base64 signature over the RFC 8785 canonical JSON of the statement")
    signer_party_id: uuid.UUID
    signer_name: str
    valid: bool


class HistoryFindingRead(BaseModel):
    """A notarized change the stored registration does not reflect (登记历史与存证不符)."""

    chain: Literal["application", "record", "certificate"] = Field(
        description="which history: an application's steps, the record's state, the certificate's revisions"
    )
    problem: Literal["missing", "extra", "reordered", "state"] = Field(
        description="missing: notarized, not stored; extra: stored, not notarized; reordered: out of its "
        "ledger place; state: the stored state is not the one after the last notarized change"
    )
    ledger_index: int | None
    sequence: int | None = Field(description="the stored step (or certificate revision) named, if any")
    detail: str


class CertificatePublic(BaseModel):
    """Public verification of a certificate (证书核验): status, validity, signature, ledger, verdict.

    ``verdict`` is ``valid``, ``expired``, ``cancelled``, ``revoked``, or ``invalid`` when the signature,
    the ledger entry or the record no longer agree (``reasons`` says which).
    """

    code: str
    status: CertificateStatus
    verdict: str
    reasons: list[str]
    holder_name: str
    data_name: str
    subject_kind: str
    record_version: int
    revision: int
    issued_on: date
    valid_from: date
    valid_to: date = Field(description="first day no longer valid (exclusive)")
    valid_until: date = Field(description="last valid day")
    content_sha256: str
    ended_on: date | None
    end_ground: str | None
    signature: SignatureRead
    ledger_index: int
    ledger_verified: bool
    record_matches: bool
    history_matches: bool = Field(
        description="every change notarized for the registration (its applications' steps, the record's "
        "state changes, the certificate's signed statements) is in the stored history, and the stored "
        "state is the one after the last of them"
    )
    history_findings: list[HistoryFindingRead]
    statement: dict[str, Any]
    page_url: str


class CertificateRead(BaseModel):
    """A certificate as its holder and the authority see it, after a lifecycle action."""

    code: str
    record_id: uuid.UUID
    status: CertificateStatus
    revision: int
    valid_from: date
    valid_to: date
    ledger_index: int
    notice_id: uuid.UUID | None = None
    page_url: str


class NoticeRead(BaseModel):
    """A public notice (公告) of an expired or revoked certificate."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: NoticeKind
    certificate_code: str
    holder_name: str
    data_name: str
    ground: str | None
    text: str
    published_on: date
    ledger_index: int


class DueRun(BaseModel):
    """What one run of the daily task did (期满处理)."""

    renewal_windows_opened: list[str]
    expired: list[str]
    notices: list[uuid.UUID]


class RenewalRequestRead(BaseModel):
    """A renewal request (续展申请) as its holder and the authority see it."""

    id: uuid.UUID
    record_id: uuid.UUID
    certificate_code: str | None
    data_name: str
    holder_party_id: uuid.UUID
    holder_name: str
    state: RenewalRequestState
    still_needed: bool
    requested_valid_to: date | None
    note: str | None
    requested_on: date
    requested_at: datetime
    previous_valid_to: date = Field(description="valid_to of the term being renewed (exclusive)")
    window_opens: date = Field(description="first day of the renewal window (valid_to - 60 CD)")
    window_closes: date = Field(description="last day of the renewal window")
    latest_valid_to: date = Field(description="the latest end of a renewed term the rules allow")
    granted_valid_to: date | None
    decided_on: date | None
    decided_at: datetime | None
    decided_by_party_id: uuid.UUID | None
    reasons: str | None
    ledger_index: int
    decision_ledger_index: int | None
    certificate: CertificateRead | None = None
