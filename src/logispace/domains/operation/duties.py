"""Initial-registration duties filed as registration applications (首次登记义务的办理, I-1, I-2).

A duty (:class:`.models.RegistrationDuty`, scheduled by the first delivery: 004:781; 004:969) is filed
by the party that owes it as an initial registration application (首次登记申请) of the registration
domain, through its public service (``registration.application_service``), in the same transaction:
the implementing body's for a resource of the agreement's scope, the operator's for its product. The
application is a draft the party completes and submits on the registration pages; a product's
registration is capped by the agreement's term (``operating_term_end``, 004:810; I-2) and cites as
evidence (存证) this domain's ledger entry of the product's description hash. Operation ranks above
registration, so it calls registration directly (DESIGN.md ranks).
"""

from __future__ import annotations

import hashlib
import uuid

import rfc8785
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import Principal
from logispace.domains.operation.actors import acts_for, record, require
from logispace.domains.operation.enums import DutySubject
from logispace.domains.operation.errors import OperationNotFound, OperationStateConflict
from logispace.domains.operation.models import Agreement, Product, RegistrationDuty
from logispace.domains.operation.service import agreement_subject, visible_agreement
from logispace.domains.registration import (
    ApplicationCreate,
    ApplicationType,
    SubjectKind,
    application_service,
)


def visible_duty(session: Session, p: Principal, duty_id: uuid.UUID) -> tuple[RegistrationDuty, Agreement]:
    """The duty and its agreement, for the agreement's parties and the authority; 404 for anyone else."""
    duty = session.get(RegistrationDuty, duty_id)
    if duty is None:
        raise OperationNotFound(f"registration duty {duty_id} not found")
    try:
        agreement = visible_agreement(session, p, duty.agreement_id)
    except OperationNotFound:
        raise OperationNotFound(f"registration duty {duty_id} not found") from None
    return duty, agreement


def product_content_sha256(product: Product) -> str:
    """The SHA-256 of the product's description in canonical JSON (RFC 8785): what is registered."""
    description = {
        "product_id": str(product.id),
        "name": product.name,
        "form": product.form.value,
        "use_class": product.use_class.value,
        "scenario": product.scenario,
        "resources": sorted(product.resources),
        "delivered_on": product.delivered_on.isoformat() if product.delivered_on else None,
    }
    return hashlib.sha256(rfc8785.dumps(description)).hexdigest()


def file_duty(session: Session, p: Principal, duty_id: uuid.UUID, settings: Settings) -> RegistrationDuty:
    """File the duty as an initial registration application (a draft in the registration domain)."""
    duty, agreement = visible_duty(session, p, duty_id)
    require(acts_for(p, duty.duty_party_id), "the party that owes the registration files it (004:969)")
    if duty.application_id is not None:
        raise OperationStateConflict("the registration application has been filed already", state="filed")
    subject = agreement_subject(agreement.id)
    if duty.subject is DutySubject.RESOURCE:
        data = ApplicationCreate(
            application_type=ApplicationType.INITIAL,
            subject_kind=SubjectKind.RESOURCE,
            catalog_code=duty.catalog_code,
        )
    else:
        product = session.get(Product, duty.product_id)
        if product is None:  # the foreign key forbids it
            raise OperationNotFound(f"registration duty {duty_id} not found")
        content = product_content_sha256(product)
        evidence = record(
            session,
            settings,
            p,
            "product_described",
            subject,
            {"product_id": str(product.id), "content_sha256": content, "source": "004:969; 004:773"},
            content,
        )
        data = ApplicationCreate(
            application_type=ApplicationType.INITIAL,
            subject_kind=SubjectKind.PRODUCT,
            product_name=product.name,
            content_sha256=content,
            evidence_ledger_index=evidence,
            operating_term_end=min(duty.valid_until_cap, agreement.term_end),
            content_summary=f"{product.name}：{product.scenario}"[:1000],
        )
    application = application_service.create_application(session, p, settings, data)
    duty.application_id = application.id
    payload = {
        "agreement_id": str(agreement.id),
        "duty_id": str(duty.id),
        "application_id": str(application.id),
        "source": "004:781; 004:969",
    }
    duty.ledger_index = record(session, settings, p, "registration_filed", subject, payload, "draft")
    session.flush()
    return duty
