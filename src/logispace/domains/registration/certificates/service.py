"""Certificates (登记证书, 一证一码): issue, re-sign, and verify in public; the record ledger entries.

Issuance gives the record one registration code (:mod:`.policies`) and a certificate
statement signed with the issuer's party key (identity); the statement and the signature are appended
to the ledger in the same transaction. The issuer is the registration authority that acts (national);
under inner_mongolia it is the data authority, 自治区政务服务与数据管理局 (核发, 004:5452), whoever of the
authority staff acted, and the statement names the registration authority that handled it. A change,
correction or renewal signs a new statement under the same code (``revision`` + 1). Renewal is in
:mod:`..renewals.service`, revocation and expiry in :mod:`.ending`. Every view of a certificate
re-checks its signature and issuer, its ledger entry and that the record still says what was signed.
"""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import RuleProfile
from logispace.core.errors import Conflict, DomainError, NotFound
from logispace.core.signing import verify_signature
from logispace.domains.identity import (
    PartyType,
    Principal,
    active_party_key,
    data_authority_party,
    party_name,
    party_names,
    party_type_of,
    public_key,
    registration_authority_party,
)
from logispace.domains.ledger import append as ledger_append
from logispace.domains.ledger import canonical_json, receipt_for, receipt_json, verify_receipt
from logispace.domains.registration import repository
from logispace.domains.registration.certificates import history
from logispace.domains.registration.certificates import policies as cp
from logispace.domains.registration.certificates.schemas import (
    CertificatePublic,
    CertificateRead,
    HistoryFindingRead,
    SignatureRead,
)
from logispace.domains.registration.enums import ActorRole, CertificateStatus, RecordAction, RecordState
from logispace.domains.registration.models import (
    RegistrationCertificate,
    RegistrationNotice,
    RegistrationRecord,
)
from logispace.domains.registration.rules import records as record_policy
from logispace.domains.registration.workflow import Clock

SIGNED_EVENT = "registration.certificate_signed"
LIVE = (RecordState.VALID, RecordState.RENEWAL_WINDOW)


class NoRegistrationAuthority(Conflict):
    """No registration authority party exists to sign a certificate (登记机构未设立)."""

    code = "registration-no-authority"
    title = "No registration authority can sign the certificate"


class NoDataAuthority(Conflict):
    """inner_mongolia: no data authority (自治区政务服务与数据管理局) exists to issue the certificate."""

    code = "registration-no-data-authority"
    title = "No data authority can issue the certificate"


class Issuer(NamedTuple):
    """The party that issues and signs (核发) and, if another, the registration authority that handled it."""

    party_id: uuid.UUID
    handler: uuid.UUID | None


def page_url(code: str) -> str:
    return f"/registry/certificates/{code}"


def certificate_subject(code: str) -> str:
    return f"registration:certificate:{code}"


def record_subject(record_id: uuid.UUID) -> str:
    return f"registration:record:{record_id}"


# -- signing ------------------------------------------------------------------------------------------


def _signer(session: Session, p: Principal) -> uuid.UUID:
    """The authority party that signs: the acting authority staff's party, else (a scheduled task) the
    platform's registration authority."""
    if p.is_authority and p.party_id is not None:
        return p.party_id
    found = registration_authority_party(session)
    if found is None:
        raise NoRegistrationAuthority(
            "no party of type registration_authority or data_authority exists to sign the certificate"
        )
    return found


def issuer_of(session: Session, p: Principal, record: RegistrationRecord) -> Issuer:
    """Who issues (核发) the record's certificate. National: the registration authority that acts.
    inner_mongolia: 自治区政务服务与数据管理局, the data authority (004:5452), whoever of the authority
    staff acted; the registration authority that handled it is named beside it."""
    handler = _signer(session, p)
    if record.rule_profile is not RuleProfile.INNER_MONGOLIA:
        return Issuer(handler, None)
    issuer = data_authority_party(session)
    if issuer is None:
        raise NoDataAuthority(
            "under inner_mongolia the certificate is issued by the data authority "
            "(自治区政务服务与数据管理局, 004:5452), and no party of type data_authority exists"
        )
    return Issuer(issuer, handler if handler != issuer else None)


EXPECTED_ISSUER_TYPES: dict[RuleProfile, frozenset[PartyType]] = {
    RuleProfile.NATIONAL: frozenset({PartyType.REGISTRATION_AUTHORITY, PartyType.DATA_AUTHORITY}),
    RuleProfile.INNER_MONGOLIA: frozenset({PartyType.DATA_AUTHORITY}),  # 004:5452
}


def current_statement(
    session: Session,
    record: RegistrationRecord,
    code: str,
    revision: int,
    issuer: uuid.UUID,
    key_id: str,
    algorithm: str,
    handler: uuid.UUID | None = None,
) -> dict[str, Any]:
    """The statement the record supports today (signing it, or comparing it with what was signed)."""
    return cp.statement(
        cp.StatementFields(
            code=code,
            revision=revision,
            record_id=str(record.id),
            record_version=record.version,
            holder_party_id=str(record.holder_party_id),
            holder_name=party_name(session, record.holder_party_id) or "",
            data_name=record.data_name,
            subject_kind=record.subject_kind.value,
            catalog_code=record.catalog_code,
            product_name=record.product_name,
            rule_profile=record.rule_profile.value,
            coded_on=record.coded_on,
            issued_on=record.issued_on,
            valid_from=record.valid_from,
            valid_to=record.valid_to,
            content_sha256=record.content_sha256,
            issuer_party_id=str(issuer),
            issuer_name=party_name(session, issuer) or "",
            key_id=key_id,
            algorithm=algorithm,
            handler_party_id=str(handler) if handler else None,
            handler_name=(party_name(session, handler) or "") if handler else None,
            co_subjects=co_subject_names(session, record.initial_application_id),
        )
    )


def _sign(
    session: Session, p: Principal, clock: Clock, record: RegistrationRecord, code: str, revision: int
) -> tuple[dict[str, Any], bytes, str, str, uuid.UUID, int]:
    issuer, handler = issuer_of(session, p, record)
    key = active_party_key(session, issuer, clock.settings)
    document = current_statement(session, record, code, revision, issuer, key.key_id, key.algorithm, handler)
    signature = key.sign(canonical_json(document))
    receipt = ledger_append(
        session,
        kind=SIGNED_EVENT,
        subject=certificate_subject(code),
        payload={
            "statement": document,
            "signature": base64.b64encode(signature).decode(),
            "key_id": key.key_id,
            "algorithm": key.algorithm,
        },
        actor=issuer,
        settings=clock.settings,
    )
    return document, signature, key.key_id, key.algorithm, issuer, receipt.entry_id


def _new_code(session: Session, record: RegistrationRecord) -> str:
    for _ in range(20):
        code = cp.make_code(record.subject_kind, record.coded_on.year)
        if repository.certificate_by_code(session, code) is None:
            return code
    raise Conflict("no free registration code was found; try again")  # pragma: no cover - 32**8 codes


def issue_certificate(
    session: Session, p: Principal, clock: Clock, record: RegistrationRecord
) -> RegistrationCertificate:
    """Give a new record its code (赋码) and signed certificate (发证), in the caller's transaction."""
    code = _new_code(session, record)
    document, signature, key_id, algorithm, issuer, index = _sign(session, p, clock, record, code, 1)
    certificate = RegistrationCertificate(
        code=code,
        record_id=record.id,
        holder_party_id=record.holder_party_id,
        status=CertificateStatus.VALID,
        revision=1,
        statement=document,
        signature=signature,
        key_id=key_id,
        algorithm=algorithm,
        signer_party_id=issuer,
        ledger_index=index,
        created_at=utcnow(),
        updated_at=utcnow(),
    )
    session.add(certificate)
    session.flush()
    return certificate


def resign(
    session: Session, p: Principal, clock: Clock, record: RegistrationRecord
) -> RegistrationCertificate | None:
    """Sign a new statement after a change, correction or renewal (same code, ``revision`` + 1)."""
    certificate = repository.certificate_of_record(session, record.id)
    if certificate is None:
        return None
    revision = certificate.revision + 1
    document, signature, key_id, algorithm, issuer, index = _sign(
        session, p, clock, record, certificate.code, revision
    )
    certificate.revision, certificate.statement, certificate.signature = revision, document, signature
    certificate.key_id, certificate.algorithm, certificate.signer_party_id = key_id, algorithm, issuer
    certificate.ledger_index, certificate.updated_at = index, utcnow()
    session.flush()
    return certificate


def end_certificate(
    record: RegistrationRecord, status: CertificateStatus, ground: str | None, index: int, session: Session
) -> RegistrationCertificate | None:
    """Mark the record's certificate ended (cancelled, expired or revoked) by ledger entry ``index``."""
    certificate = repository.certificate_of_record(session, record.id)
    if certificate is None:
        return None
    certificate.status, certificate.ended_on, certificate.end_ground = status, record.ended_on, ground
    certificate.end_ledger_index, certificate.updated_at = index, utcnow()
    session.flush()
    return certificate


# -- lifecycle (state machine B) ---------------------------------------------------------------------


def record_entry(
    session: Session, p: Principal, clock: Clock, record: RegistrationRecord, kind: str, **extra: Any
) -> int:
    """Append a record's state change (登记结果变更) to the ledger in the caller's transaction; returns
    the entry's index."""
    receipt = ledger_append(
        session,
        kind=kind,
        subject=record_subject(record.id),
        payload={
            "record_id": str(record.id),
            "state": record.state.value,
            "version": record.version,
            "content_sha256": record.content_sha256,
            "holder_party_id": str(record.holder_party_id),
            "valid_from": record.valid_from.isoformat(),
            "valid_to": record.valid_to.isoformat(),
            "on": clock.on.isoformat(),
            **extra,
        },
        actor=p.party_id,
        settings=clock.settings,
    )
    record.updated_at = utcnow()
    session.flush()
    return receipt.entry_id


def locked_record(session: Session, p: Principal, record_id: uuid.UUID) -> RegistrationRecord:
    record = repository.lock_record(session, record_id)
    if record is None or not (p.is_authority or p.party_id == record.holder_party_id):
        raise NotFound(f"registration {record_id} not found")
    return record


def record_context(record: RegistrationRecord, clock: Clock, **extra: Any) -> record_policy.RecordContext:
    return record_policy.RecordContext(
        on=clock.on,
        calendar=clock.calendar,
        valid_to=record.valid_to,
        authorization_term_end=record.operating_term_end,
        **extra,
    )


def certificate_read(
    certificate: RegistrationCertificate, notice: RegistrationNotice | None = None
) -> CertificateRead:
    valid_from = certificate.statement["valid_from"]
    valid_to = certificate.statement["valid_to"]
    return CertificateRead(
        code=certificate.code,
        record_id=certificate.record_id,
        status=certificate.status,
        revision=certificate.revision,
        valid_from=valid_from,
        valid_to=valid_to,
        ledger_index=certificate.end_ledger_index or certificate.ledger_index,
        notice_id=notice.id if notice else None,
        page_url=page_url(certificate.code),
    )


def certificate_of(session: Session, record: RegistrationRecord) -> RegistrationCertificate:
    certificate = repository.certificate_of_record(session, record.id)
    if certificate is None:  # every record is issued with one; say so rather than fail
        raise NotFound(f"registration {record.id} has no certificate")
    return certificate


# -- public verification (证书核验) --------------------------------------------------------------------


def find(session: Session, code_text: str) -> RegistrationCertificate:
    """The certificate with this code; 404 for a malformed code, a wrong check character or no such code."""
    try:
        code = cp.parse_code(code_text)
    except cp.CodeInvalid as exc:
        raise NotFound(f"registration certificate not found: {exc}") from None
    certificate = repository.certificate_by_code(session, code)
    if certificate is None:
        raise NotFound(f"registration certificate {code} not found")
    return certificate


def _check_signature(
    session: Session, certificate: RegistrationCertificate, profile: RuleProfile, checks: cp.Checks
) -> None:
    key = public_key(session, certificate.key_id)
    if key is None or key.party_id != certificate.signer_party_id:
        checks.reasons.append("the signing key is not a key of the issuing authority")
        return
    issuer = certificate.statement.get("issuer") or {}
    if issuer.get("key_id") != certificate.key_id:
        checks.reasons.append("the statement names another signing key")
        return
    if issuer.get("party_id") != str(certificate.signer_party_id):
        checks.reasons.append("the statement names another issuer than the party that signed it")
        return
    if party_type_of(session, certificate.signer_party_id) not in EXPECTED_ISSUER_TYPES[profile]:
        checks.reasons.append(
            "under inner_mongolia the certificate is issued by the data authority "
            "(自治区政务服务与数据管理局, 004:5452); the signer is not it"
            if profile is RuleProfile.INNER_MONGOLIA
            else "the signer is not a registration authority"
        )
        return
    message = canonical_json(certificate.statement)
    if verify_signature(key.algorithm, key.public_key, message, bytes(certificate.signature)):
        checks.signature_valid = True
    else:
        checks.reasons.append("the authority's signature does not verify over the statement")


def _check_ledger(session: Session, certificate: RegistrationCertificate, checks: cp.Checks) -> None:
    try:
        receipt = receipt_for(session, certificate.ledger_index)
    except (DomainError, LookupError) as exc:
        checks.reasons.append(f"the ledger entry {certificate.ledger_index} cannot be read: {exc}")
        return
    verdict = verify_receipt(receipt_json(receipt))
    if verdict.status != "valid":
        checks.reasons.append("the ledger receipt does not verify: " + "; ".join(verdict.reasons))
        return
    leaf = json.loads(receipt.leaf_input)
    payload = leaf.get("payload", {})
    if (
        leaf.get("kind") != SIGNED_EVENT
        or leaf.get("subject") != certificate_subject(certificate.code)
        or payload.get("statement") != certificate.statement
        or payload.get("signature") != base64.b64encode(bytes(certificate.signature)).decode()
    ):
        checks.reasons.append(
            f"ledger entry {certificate.ledger_index} does not carry this statement and signature"
        )
        return
    checks.ledger_valid = True


def public_view(session: Session, clock: Clock, code_text: str) -> CertificatePublic:
    """What anyone may see of a certificate, re-checked now: signature, ledger inclusion, record."""
    certificate = find(session, code_text)
    record = session.get_one(RegistrationRecord, certificate.record_id)
    checks = cp.Checks()
    _check_signature(session, certificate, record.rule_profile, checks)
    _check_ledger(session, certificate, checks)
    signed = certificate.statement
    issuer = signed.get("issuer", {})
    current = current_statement(
        session,
        record,
        certificate.code,
        certificate.revision,
        certificate.signer_party_id,
        str(issuer.get("key_id", "")),
        str(issuer.get("algorithm", "")),
    )
    changed = cp.differences(signed, current)
    if changed:
        checks.reasons.append(
            "the registration record no longer matches the signed statement: " + ", ".join(changed)
        )
    else:
        checks.record_matches = True
    findings = history.check(session, record, certificate)
    if findings:
        checks.history_matches = False
        checks.reasons.extend(f.detail for f in findings)
    status = cp.status_on(certificate.status, record.state, record.valid_to, clock.on)
    return CertificatePublic(
        code=certificate.code,
        status=status,
        verdict=cp.verdict(status, checks),
        reasons=checks.reasons,
        holder_name=str(signed.get("holder", {}).get("name", "")),
        data_name=str(signed.get("data_name", "")),
        subject_kind=str(signed.get("subject_kind", "")),
        record_version=int(signed.get("record_version", 0)),
        revision=certificate.revision,
        issued_on=signed.get("issued_on", record.issued_on),
        valid_from=signed.get("valid_from", record.valid_from),
        valid_to=signed.get("valid_to", record.valid_to),
        valid_until=signed.get("valid_until", record.valid_to),
        content_sha256=str(signed.get("content_sha256", "")),
        ended_on=certificate.ended_on,
        end_ground=certificate.end_ground,
        signature=SignatureRead(
            algorithm=certificate.algorithm,
            key_id=certificate.key_id,
            value=base64.b64encode(bytes(certificate.signature)).decode(),
            signer_party_id=certificate.signer_party_id,
            signer_name=str(issuer.get("name", "")),
            valid=checks.signature_valid,
        ),
        ledger_index=certificate.ledger_index,
        ledger_verified=checks.ledger_valid,
        record_matches=checks.record_matches,
        history_matches=checks.history_matches,
        history_findings=[
            HistoryFindingRead(
                chain=f.chain,
                problem=f.problem,
                ledger_index=f.ledger_index,
                sequence=f.sequence,
                detail=f.detail,
            )
            for f in findings
        ],
        statement=signed,
        page_url=page_url(certificate.code),
    )


def open_renewal_window(
    session: Session, p: Principal, clock: Clock, record: RegistrationRecord, code: str
) -> None:
    """Move a VALID record into its renewal window (续展期): the daily task, or a renewal request filed
    before the task ran."""
    if record.state is RecordState.VALID:
        opened = record_policy.apply(
            record.state,
            RecordAction.OPEN_RENEWAL_WINDOW,
            ActorRole.SYSTEM,
            record.rule_profile,
            record_context(record, clock),
        )
        record.state = opened.next_state
        record_entry(session, p, clock, record, opened.ledger_event, code=code)


def co_subject_names(session: Session, application_id: uuid.UUID) -> tuple[tuple[str, str], ...]:
    """``(party id, name)`` of the co-subjects named on an application, in the order named."""
    rows = repository.co_subjects_of(session, application_id)
    names = party_names(session, {r.party_id for r in rows}) if rows else {}
    return tuple((str(r.party_id), names.get(r.party_id, "")) for r in rows)
