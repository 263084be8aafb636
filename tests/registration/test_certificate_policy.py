"""Certificate rules (登记证书规则) as tables: the registration code and its check character, the status a
viewer sees, and which record fields a signed statement pins."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from logispace.domains.registration.certificates import policies as cp
from logispace.domains.registration.enums import CertificateStatus, RecordState, SubjectKind

SERIALS = st.text(alphabet=cp.SERIAL_ALPHABET, min_size=8, max_size=8)


def test_the_code_format_is_kind_year_serial_and_check() -> None:
    code = cp.make_code(SubjectKind.RESOURCE, 2026, "7K3Q9XWA")
    assert code.startswith("DJR-2026-7K3Q9XWA-") and len(code) == 19
    assert cp.make_code(SubjectKind.PRODUCT, 2025, "00000000").startswith("DJP-2025-00000000-")


@given(kind=st.sampled_from(list(SubjectKind)), year=st.integers(2025, 2099), serial=SERIALS)
def test_every_code_made_parses_back_in_any_case_with_or_without_hyphens(
    kind: SubjectKind, year: int, serial: str
) -> None:
    code = cp.make_code(kind, year, serial)
    assert cp.parse_code(code) == code
    assert cp.parse_code(code.lower().replace("-", "")) == code


@given(serial=SERIALS, position=st.integers(0, 15), replacement=st.sampled_from(cp.SERIAL_ALPHABET))
def test_any_single_character_error_is_caught_by_the_check_character(
    serial: str, position: int, replacement: str
) -> None:
    compact = cp.make_code(SubjectKind.RESOURCE, 2026, serial).replace("-", "")
    if compact[position] == replacement:
        return
    changed = compact[:position] + replacement + compact[position + 1 :]
    with pytest.raises(cp.CodeInvalid):
        cp.parse_code(changed)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "is not a registration code"),
        ("DJX-2026-7K3Q9XWA-0", "is not a registration code"),  # kind letter
        ("DJR-26-7K3Q9XWA-0", "is not a registration code"),  # year
        ("DJR-2026-7K3Q9XWI-0", "is not a registration code"),  # I is not in the alphabet
        ("DJR-2026-7K3Q9XW-0", "is not a registration code"),  # short serial
    ],
)
def test_malformed_codes_are_named(text: str, says: str) -> None:
    with pytest.raises(cp.CodeInvalid, match=says):
        cp.parse_code(text)


def test_a_wrong_check_character_names_the_expected_one() -> None:
    code = cp.make_code(SubjectKind.RESOURCE, 2026, "7K3Q9XWA")
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(cp.CodeInvalid, match=f"the code's digits give {code[-1]}"):
        cp.parse_code(wrong)


D = date(2029, 3, 25)


@pytest.mark.parametrize(
    ("stored", "record_state", "today", "seen"),
    [
        (CertificateStatus.VALID, RecordState.VALID, date(2029, 3, 24), CertificateStatus.VALID),
        (CertificateStatus.VALID, RecordState.RENEWAL_WINDOW, date(2029, 3, 24), CertificateStatus.VALID),
        # past valid_to before the daily task ran: expired all the same
        (CertificateStatus.VALID, RecordState.VALID, D, CertificateStatus.EXPIRED),
        (CertificateStatus.EXPIRED, RecordState.CANCELLED, D, CertificateStatus.EXPIRED),
        (CertificateStatus.CANCELLED, RecordState.CANCELLED, date(2027, 1, 1), CertificateStatus.CANCELLED),
        (CertificateStatus.REVOKED, RecordState.REVOKED, date(2027, 1, 1), CertificateStatus.REVOKED),
        # a certificate row that missed the end of its record follows the record
        (CertificateStatus.VALID, RecordState.REVOKED, date(2027, 1, 1), CertificateStatus.REVOKED),
        (CertificateStatus.VALID, RecordState.CANCELLED, date(2027, 1, 1), CertificateStatus.CANCELLED),
    ],
)
def test_the_status_a_viewer_sees(
    stored: CertificateStatus, record_state: RecordState, today: date, seen: CertificateStatus
) -> None:
    assert cp.status_on(stored, record_state, D, today) is seen


def _fields(**overrides: object) -> cp.StatementFields:
    base: dict[str, object] = {
        "code": "DJR-2026-7K3Q9XWA-M",
        "revision": 1,
        "record_id": "r1",
        "record_version": 1,
        "holder_party_id": "h1",
        "holder_name": "乙港口公司",
        "data_name": "营运车辆",
        "subject_kind": "resource",
        "catalog_code": "WL0001",
        "product_name": None,
        "rule_profile": "national",
        "coded_on": date(2026, 3, 25),
        "issued_on": date(2026, 3, 25),
        "valid_from": date(2026, 3, 25),
        "valid_to": D,
        "content_sha256": "a" * 64,
        "issuer_party_id": "auth",
        "issuer_name": "测试数据局",
        "key_id": "k" * 64,
        "algorithm": "ed25519",
    }
    base.update(overrides)
    return cp.StatementFields(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"data_name": "别的数据"}, ["data_name"]),
        ({"valid_to": date(2030, 1, 1)}, ["valid_to"]),
        ({"record_version": 2}, ["record_version"]),
        ({"content_sha256": "b" * 64}, ["content_sha256"]),
        ({"holder_party_id": "h2"}, ["holder"]),
        ({"holder_name": "改名后的公司"}, []),  # a renamed holder is the same holder
        ({"issuer_name": "另一个名字"}, []),
    ],
)
def test_differences_name_the_record_fields_that_no_longer_match(
    change: dict[str, object], named: list[str]
) -> None:
    signed = cp.statement(_fields())
    assert cp.differences(signed, cp.statement(_fields(**change))) == named


def test_the_statement_gives_the_last_valid_day_and_the_verdict_follows_the_checks() -> None:
    signed = cp.statement(_fields())
    assert (signed["valid_to"], signed["valid_until"]) == ("2029-03-25", "2029-03-24")
    intact = cp.Checks(signature_valid=True, ledger_valid=True, record_matches=True)
    assert cp.verdict(CertificateStatus.REVOKED, intact) == "revoked"
    for broken in ("signature_valid", "ledger_valid", "record_matches"):
        checks = cp.Checks(signature_valid=True, ledger_valid=True, record_matches=True)
        setattr(checks, broken, False)
        assert cp.verdict(CertificateStatus.VALID, checks) == "invalid"
