"""The one-time supplement notice (一次性告知): every missing field and attachment at once."""

from __future__ import annotations

import itertools

import pytest

from logispace.core.config import RuleProfile
from logispace.domains.registration.enums import ApplicationType, SubjectKind
from logispace.domains.registration.rules.materials import (
    ATTACHMENT,
    FIELD,
    missing_items,
    required_materials,
)

N, NM = RuleProfile.NATIONAL, RuleProfile.INNER_MONGOLIA
T, K = ApplicationType, SubjectKind

NATIONAL_INITIAL = [
    "internal_business_review_done",
    "evidence_record_id",
    "subject_info",
    "data_source_legality",
    "data_resource_status",
    "evidence_status",
    "application_scenarios_info",
    "security_risk_assessment",
]


def test_an_empty_national_initial_file_lists_the_whole_list_of_004_781() -> None:
    notice = missing_items(T.INITIAL, K.RESOURCE, N, [], [])
    assert list(notice.keys) == NATIONAL_INITIAL
    product = missing_items(T.INITIAL, K.PRODUCT, N, [], [])
    assert list(product.keys) == [*NATIONAL_INITIAL, "product_service_info"]
    assert "security_risk_assessment: 数据安全风险评估" in notice.text()


def test_inner_mongolia_adds_its_attachments_and_the_basic_information_sheet() -> None:
    notice = missing_items(T.INITIAL, K.RESOURCE, NM, [], [])
    keys = set(notice.keys)
    assert set(NATIONAL_INITIAL) < keys
    for key in (
        "initial_application_form",
        "basic_info_sheet",
        "right_type",
        "holder_info | authorizing_subject_info",
    ):
        assert key in keys
    assert len(notice.missing) == len(NATIONAL_INITIAL) + 20


@pytest.mark.parametrize(("kind", "subject", "profile"), list(itertools.product(T, K, RuleProfile)))
def test_a_complete_file_has_nothing_missing_and_each_item_left_out_is_named(
    kind: ApplicationType, subject: SubjectKind, profile: RuleProfile
) -> None:
    requirements = required_materials(kind, subject, profile)
    fields = {r.names[-1] for r in requirements if r.kind == FIELD}
    attachments = {r.names[-1] for r in requirements if r.kind == ATTACHMENT}
    assert missing_items(kind, subject, profile, fields, attachments).complete
    for requirement in requirements:
        pool = fields if requirement.kind == FIELD else attachments
        left_out = pool - set(requirement.names)
        kept = (left_out, attachments) if requirement.kind == FIELD else (fields, left_out)
        notice = missing_items(kind, subject, profile, *kept)
        assert requirement in notice.missing


def test_correction_accepts_consent_or_evidence_of_the_error() -> None:
    base = ["correction_application_form", "identity_evidence"]
    assert missing_items(T.CORRECTION, K.RESOURCE, N, [], [*base, "subject_written_consent"]).complete
    assert missing_items(T.CORRECTION, K.RESOURCE, N, [], [*base, "correction_evidence"]).complete
    assert missing_items(T.CORRECTION, K.RESOURCE, N, [], base).keys == (
        "subject_written_consent | correction_evidence",
    )


def test_cancellation_needs_evidence_that_the_right_lapsed() -> None:
    notice = missing_items(
        T.CANCELLATION, K.RESOURCE, NM, ["internal_business_review_done"], ["cancellation_application_form"]
    )
    assert notice.keys == ("identity_evidence", "right_lapse_evidence")
