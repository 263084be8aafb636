"""Certificate rules (登记证书规则, 一证一码): the registration code, the signed statement, the verdict.

Pure functions, no session (tests/registration/test_certificate_policy.py).

**Registration code (登记编码).** Neither rule text gives the format: the national query code follows
an NDA coding specification not in the corpus (004:802, 004:806) and inner_mongolia only requires one
code per certificate (一证一码, 004:5442). The platform format is::

    DJ K YYYY - SSSSSSSS - C        e.g. DJR-2026-7K3Q9XWA-M

``DJ`` (登记), ``K`` the kind (``R`` data resource, ``P`` data product or service), ``YYYY`` the year
of coding, ``SSSSSSSS`` eight random characters of the Crockford base-32 alphabet (no I, L, O, U),
and ``C`` the ISO 7064 MOD 37,36 check character (python-stdnum) computed over the 15 characters
``DJ K YYYY SSSSSSSS``: it catches every single-character error and nearly every transposition
of neighbours. Input is read case-insensitively, with or without the hyphens.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stdnum.iso7064 import mod_37_36

from logispace.domains.registration.enums import CertificateStatus, RecordState, SubjectKind

STATEMENT_FORMAT = "logispace-registration-certificate/1"
SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32
KIND_LETTER = {SubjectKind.RESOURCE: "R", SubjectKind.PRODUCT: "P"}
_COMPACT = re.compile(r"^DJ([RP])(\d{4})([0-9A-HJKMNP-TV-Z]{8})([0-9A-Z])$")
CODE_PATTERN = r"^[A-Za-z0-9-]{16,19}$"  # what a route accepts before the check character is read


class CodeInvalid(ValueError):
    """A text that is not a registration code: the reason names what is wrong."""


def make_code(kind: SubjectKind, year: int, serial: str | None = None) -> str:
    """A new registration code, ``serial`` drawn at random unless given (for tests)."""
    serial = serial if serial is not None else "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(8))
    body = f"DJ{KIND_LETTER[kind]}{year:04d}{serial}"
    if not _COMPACT.match(body + "0"):
        raise CodeInvalid(f"serial {serial!r} is not 8 characters of {SERIAL_ALPHABET}")
    return f"{body[:3]}-{body[3:7]}-{body[7:]}-{mod_37_36.calc_check_digit(body)}"


def parse_code(text: str) -> str:
    """The canonical form of a registration code, or :class:`CodeInvalid` naming the problem."""
    compact = text.strip().upper().replace("-", "").replace(" ", "")
    match = _COMPACT.match(compact)
    if match is None:
        raise CodeInvalid(
            f"{text!r} is not a registration code (DJ, R or P, year, 8 serial characters, check character)"
        )
    body, check = compact[:-1], compact[-1]
    expected = mod_37_36.calc_check_digit(body)
    if check != expected:
        raise CodeInvalid(f"{text!r}: the check character is {check}, the code's digits give {expected}")
    return f"{body[:3]}-{body[3:7]}-{body[7:]}-{check}"


@dataclass(frozen=True, slots=True)
class StatementFields:
    """What a certificate statement (证书声明) says; every field comes from the registration record."""

    code: str
    revision: int
    record_id: str
    record_version: int
    holder_party_id: str
    holder_name: str
    data_name: str
    subject_kind: str
    catalog_code: str | None
    product_name: str | None
    rule_profile: str
    coded_on: date
    issued_on: date
    valid_from: date
    valid_to: date
    content_sha256: str
    issuer_party_id: str
    issuer_name: str
    key_id: str
    algorithm: str
    handler_party_id: str | None = None  # inner_mongolia: the registration authority that handled it
    handler_name: str | None = None
    co_subjects: tuple[tuple[str, str], ...] = ()  # (party id, name) of the other subjects (V-REG-10)


def statement(f: StatementFields) -> dict[str, Any]:
    """The certificate statement, signed as RFC 8785 canonical JSON. ``valid_to`` is exclusive: the
    first day the certificate is no longer valid (``valid_until`` is the last valid day).

    ``co_subjects`` (共同登记主体) appears only when the registration has some, so a statement signed
    before joint applications existed is still exactly what its record gives today."""
    document: dict[str, Any] = {
        "format": STATEMENT_FORMAT,
        "code": f.code,
        "revision": f.revision,
        "record_id": f.record_id,
        "record_version": f.record_version,
        "holder": {"party_id": f.holder_party_id, "name": f.holder_name},
        "data_name": f.data_name,
        "subject_kind": f.subject_kind,
        "catalog_code": f.catalog_code,
        "product_name": f.product_name,
        "rule_profile": f.rule_profile,
        "coded_on": f.coded_on.isoformat(),
        "issued_on": f.issued_on.isoformat(),
        "valid_from": f.valid_from.isoformat(),
        "valid_to": f.valid_to.isoformat(),
        "valid_until": (f.valid_to - timedelta(days=1)).isoformat(),
        "content_sha256": f.content_sha256,
        "issuer": {
            "party_id": f.issuer_party_id,
            "name": f.issuer_name,
            "key_id": f.key_id,
            "algorithm": f.algorithm,
        },
    }
    if f.handler_party_id is not None:  # issued by the data authority, handled by this one (004:5452)
        document["registration_authority"] = {"party_id": f.handler_party_id, "name": f.handler_name or ""}
    if f.co_subjects:
        document["co_subjects"] = [{"party_id": pid, "name": name} for pid, name in f.co_subjects]
    return document


# fields of the statement the record must still match (the holder's and issuer's names may change)
RECORD_FIELDS = (
    "code",
    "record_id",
    "record_version",
    "data_name",
    "subject_kind",
    "rule_profile",
    "valid_from",
    "valid_to",
    "content_sha256",
)


def differences(signed: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The fields where the record no longer says what was signed."""
    out = [name for name in RECORD_FIELDS if signed.get(name) != current.get(name)]
    if (signed.get("holder") or {}).get("party_id") != current["holder"]["party_id"]:
        out.append("holder")
    if _party_ids(signed.get("co_subjects")) != _party_ids(current.get("co_subjects")):
        out.append("co_subjects")
    return out


def _party_ids(parties: Any) -> list[str]:
    return [str(item.get("party_id")) for item in parties or [] if isinstance(item, dict)]


def status_on(
    stored: CertificateStatus, record_state: RecordState, valid_to: date, today: date
) -> CertificateStatus:
    """The status a viewer sees today: a live certificate past its ``valid_to`` is expired even before
    the daily task cancels it; a record that ended overrides a stale certificate row."""
    if record_state is RecordState.REVOKED:
        return CertificateStatus.REVOKED
    if record_state is RecordState.CANCELLED and stored is CertificateStatus.VALID:
        return CertificateStatus.CANCELLED
    if stored is CertificateStatus.VALID and today >= valid_to:
        return CertificateStatus.EXPIRED
    return stored


@dataclass
class Checks:
    """What a view of a certificate re-checked (每次查看重新核验)."""

    signature_valid: bool = False
    ledger_valid: bool = False
    record_matches: bool = False
    history_matches: bool = True
    reasons: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.signature_valid and self.ledger_valid and self.record_matches and self.history_matches


VERDICT_INVALID = "invalid"


def verdict(status: CertificateStatus, checks: Checks) -> str:
    """``valid``, ``expired``, ``cancelled``, ``revoked``, or ``invalid`` when any check failed."""
    return status.value if checks.intact else VERDICT_INVALID
