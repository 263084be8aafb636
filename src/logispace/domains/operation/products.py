"""Products, their prices and the initial registrations they start (产品、收费标准与首次登记).

The operator builds products under an agreement in force, each with its use class: governance and
welfare free, industry paid (004:907; 004:1015; I-4). A product uses only resources of its agreement
(OPS-R7, 004:983) that may be operated (OPS-R20); an operator never re-develops a product it has already
delivered (OPS-R4, 004:885; 004:949). The authorizing subject (the implementing body) sets an industry
product's cap, the operator its trial price at or below it (004:1017); after a full operating year the cap
is set again from the maximum allowed revenue and the price becomes formal (004:1019). The first delivery
starts authorized operation: the initial registration of each resource (the implementing body) and of the
product (the operator) is due within 20 working days on the registration domain's calendar (004:781;
004:969; I-1), each product's registration validity capped by the agreement's term (004:810; I-2).
Every price check goes through :mod:`.prices`.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.calendar import WorkingCalendar
from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.deadlines import RULES_EFFECTIVE, initial_registration_due
from logispace.domains.identity import Principal
from logispace.domains.operation.actors import acts_for, is_authority, keep, record, require, today
from logispace.domains.operation.enums import (
    AgreementState,
    BillingUnit,
    DutySubject,
    PriceState,
    ProductState,
    UseClass,
)
from logispace.domains.operation.errors import OperationNotFound, OperationStateConflict, RuleRefused
from logispace.domains.operation.models import Agreement, Product, RegistrationDuty
from logispace.domains.operation.policies import price_state_for, registration_valid_until
from logispace.domains.operation.prices import (
    Revenue,
    formal_price_refusal,
    max_allowed_revenue,
    price_refusal,
)
from logispace.domains.operation.schemas import (
    CapCreate,
    DeliverCreate,
    FormalPriceCreate,
    PriceCreate,
    ProductCreate,
)
from logispace.domains.operation.service import check_within, visible_agreement
from logispace.domains.registration import Clock


def product_subject(product_id: uuid.UUID) -> str:
    return f"operation-product:{product_id}"


def visible_product(session: Session, p: Principal, product_id: uuid.UUID) -> Product:
    """The product, for its operator, its implementing body and the authority; 404 for anyone else."""
    product = session.get(Product, product_id)
    if product is None:
        raise OperationNotFound(f"product {product_id} not found")
    agreement = session.get(Agreement, product.agreement_id)
    if agreement is None or not (
        is_authority(p) or p.party_id in (agreement.implementing_party_id, agreement.operator_party_id)
    ):
        raise OperationNotFound(f"product {product_id} not found")
    return product


def list_products(session: Session, p: Principal, agreement_id: uuid.UUID | None = None) -> list[Product]:
    query = select(Product).join(Agreement, Agreement.id == Product.agreement_id).order_by(Product.created_at)
    if agreement_id is not None:
        query = query.where(Product.agreement_id == agreement_id)
    if not is_authority(p):
        query = query.where(
            (Agreement.implementing_party_id == p.party_id) | (Agreement.operator_party_id == p.party_id)
        )
    return list(session.scalars(query.limit(500)))


def _agreement_of(session: Session, product: Product) -> Agreement:
    agreement = session.get(Agreement, product.agreement_id)
    if agreement is None:  # the foreign key forbids it
        raise OperationNotFound(f"product {product.id} not found")
    return agreement


def _refuse_price(use_class: UseClass, cap: int | None, price: int | None) -> None:
    refusal = price_refusal(use_class, cap, price)
    if refusal is not None:
        raise RuleRefused(refusal.detail, rule=refusal.rule, source=refusal.source)


def create_product(
    session: Session, p: Principal, data: ProductCreate, settings: Settings | None = None
) -> Product:
    """The operator's product under its agreement in force (OPS-R7, OPS-R20, OPS-R4 checked)."""
    agreement = visible_agreement(session, p, data.agreement_id)
    require(acts_for(p, agreement.operator_party_id), "the operator builds its products")
    if agreement.state is not AgreementState.ACTIVE:
        raise OperationStateConflict(
            "the authorization agreement is not in force",
            state=agreement.state.value,
            source="004:935; 004:5681",
        )
    check_within(session, data.resources, agreement.scope, "the authorization agreement", "004:983")
    if data.derived_from_id is not None:
        source = session.get(Product, data.derived_from_id)
        if source is None:
            raise OperationNotFound(f"product {data.derived_from_id} not found")
        if source.operator_party_id == agreement.operator_party_id and source.state is ProductState.DELIVERED:
            raise RuleRefused(
                f"the operator may not re-develop its own delivered product {source.name}",
                rule="OPS-R4",
                source="004:885; 004:949",
            )
    now = utcnow()
    product = Product(
        id=uuid.uuid4(),
        agreement_id=agreement.id,
        operator_party_id=agreement.operator_party_id,
        name=data.name,
        form=data.form,
        use_class=data.use_class,
        scenario=data.scenario,
        resources=list(dict.fromkeys(data.resources)),
        derived_from_id=data.derived_from_id,
        state=ProductState.DRAFT,
        billing_unit=data.billing_unit if data.use_class is UseClass.INDUSTRY else None,
        price_state=price_state_for(data.use_class),
        created_at=now,
        updated_at=now,
    )
    payload = {
        "product_id": str(product.id),
        "agreement_id": str(agreement.id),
        "use_class": data.use_class.value,
        "resources": product.resources,
        "source": "004:907; 004:1015",
    }
    return keep(
        session, settings, p, product, "product_created", product_subject(product.id), payload, "draft"
    )


def _implementing(session: Session, p: Principal, product: Product) -> Agreement:
    agreement = _agreement_of(session, product)
    require(acts_for(p, agreement.implementing_party_id), "the authorizing subject sets the cap (004:1017)")
    return agreement


def set_cap(
    session: Session, p: Principal, product_id: uuid.UUID, data: CapCreate, settings: Settings | None = None
) -> Product:
    """The authorizing subject's cap (上限收费标准) of an industry product (004:1017; 004:1027)."""
    product = visible_product(session, p, product_id)
    _implementing(session, p, product)
    if product.price_state is PriceState.FREE:
        _refuse_price(product.use_class, data.price_cap_fen, None)
    _refuse_price(product.use_class, data.price_cap_fen, product.price_fen)
    product.price_cap_fen, product.billing_unit, product.updated_at = (
        data.price_cap_fen,
        data.billing_unit,
        utcnow(),
    )
    payload = {
        "product_id": str(product.id),
        "price_cap_fen": data.price_cap_fen,
        "unit": data.billing_unit.value,
        "source": "004:1017; 004:1027",
    }
    product.ledger_index = record(
        session, settings, p, "cap_set", product_subject(product.id), payload, "cap"
    )
    session.flush()
    return product


def set_price(
    session: Session, p: Principal, product_id: uuid.UUID, data: PriceCreate, settings: Settings | None = None
) -> Product:
    """The operator's specific price at or below the cap; the first one starts the trial (004:1017-1019)."""
    product = visible_product(session, p, product_id)
    require(acts_for(p, product.operator_party_id), "the operator sets its specific price (004:1017)")
    _refuse_price(product.use_class, product.price_cap_fen, data.price_fen)
    product.price_fen, product.updated_at = data.price_fen, utcnow()
    if product.trial_since is None:
        product.trial_since = today()
    payload = {
        "product_id": str(product.id),
        "price_fen": data.price_fen,
        "state": product.price_state.value,
        "source": "004:1017",
    }
    product.ledger_index = record(
        session, settings, p, "price_set", product_subject(product.id), payload, "price"
    )
    session.flush()
    return product


def set_formal_price(
    session: Session,
    p: Principal,
    product_id: uuid.UUID,
    data: FormalPriceCreate,
    settings: Settings | None = None,
) -> tuple[Product, Revenue]:
    """From trial to formal (004:1019): after a full operating year, the cap within the maximum allowed
    revenue (004:1023-1025), the operator's price still at or below it."""
    product = visible_product(session, p, product_id)
    _implementing(session, p, product)
    if product.price_state is not PriceState.TRIAL or product.trial_since is None:
        raise OperationStateConflict(
            "only a product on a trial price gets a formal one", state=product.price_state.value
        )
    revenue = max_allowed_revenue(
        *(Decimal(v) for v in (data.cost, data.subsidy, data.bond_yield, data.rate, data.tax))
    )
    if not isinstance(revenue, Revenue):
        raise RuleRefused(revenue.detail, rule=revenue.rule, source=revenue.source)
    unit = product.billing_unit or BillingUnit.CALL
    refusal = formal_price_refusal(
        product.trial_since, today(), revenue, product.name, unit, data.price_cap_fen, data.expected_volume
    )
    if refusal is not None:
        raise RuleRefused(refusal.detail, rule=refusal.rule, source=refusal.source)
    _refuse_price(product.use_class, data.price_cap_fen, product.price_fen)
    product.price_cap_fen, product.price_state, product.updated_at = (
        data.price_cap_fen,
        PriceState.FORMAL,
        utcnow(),
    )
    payload = {
        "product_id": str(product.id),
        "price_cap_fen": data.price_cap_fen,
        "max_allowed_revenue": str(revenue.max_allowed_revenue),
        "source": "004:1017-1025",
    }
    product.ledger_index = record(
        session, settings, p, "price_formal", product_subject(product.id), payload, "formal"
    )
    session.flush()
    return product, revenue


def deliver(
    session: Session, p: Principal, product_id: uuid.UUID, data: DeliverCreate, settings: Settings
) -> Product:
    """The operator delivers a product; the first delivery starts authorized operation (I-1)."""
    product = visible_product(session, p, product_id)
    require(acts_for(p, product.operator_party_id), "the operator delivers its products")
    agreement = _agreement_of(session, product)
    if agreement.state is not AgreementState.ACTIVE:
        raise OperationStateConflict(
            "the authorization agreement is not in force", state=agreement.state.value
        )
    if product.state is not ProductState.DRAFT:
        raise OperationStateConflict("the product has been delivered already", state=product.state.value)
    if not agreement.term_start <= data.delivered_on <= agreement.term_end:
        raise RuleRefused(
            f"delivery on {data.delivered_on} is outside the agreement's term",
            rule="OPS-TERM",
            source="004:941",
        )
    if product.use_class is UseClass.INDUSTRY and product.price_fen is None:
        raise RuleRefused(
            "a paid product is delivered with its price marked (明码标价)",
            rule="PRICE-MARKED",
            source="004:1033",
        )
    product.state, product.delivered_on, product.updated_at = (
        ProductState.DELIVERED,
        data.delivered_on,
        utcnow(),
    )
    payload = {
        "product_id": str(product.id),
        "delivered_on": data.delivered_on.isoformat(),
        "source": "004:969",
    }
    product.ledger_index = record(
        session, settings, p, "product_delivered", product_subject(product.id), payload, "delivered"
    )
    calendar = Clock.now(settings).calendar
    if agreement.operation_started_on is None:
        agreement.operation_started_on = data.delivered_on
        for code in agreement.scope:
            _duty(
                session, p, settings, calendar, agreement, DutySubject.RESOURCE, data.delivered_on, code=code
            )
    _duty(session, p, settings, calendar, agreement, DutySubject.PRODUCT, data.delivered_on, product=product)
    session.flush()
    return product


def _duty(
    session: Session,
    p: Principal,
    settings: Settings,
    calendar: WorkingCalendar,
    agreement: Agreement,
    subject: DutySubject,
    on: date,
    *,
    code: str | None = None,
    product: Product | None = None,
) -> RegistrationDuty:
    profile = settings.rule_profile
    due = initial_registration_due(
        agreement.operation_started_on or on,
        on,
        RULES_EFFECTIVE[profile],
        calendar,
        profile,
    )
    duty = RegistrationDuty(
        agreement_id=agreement.id,
        subject=subject,
        catalog_code=code,
        product_id=product.id if product else None,
        duty_party_id=agreement.implementing_party_id
        if subject is DutySubject.RESOURCE
        else agreement.operator_party_id,
        anchor_on=due.anchor_date,
        due_on=due.due,
        source=f"{due.rule.source}; 004:969",
        valid_until_cap=registration_valid_until(on, agreement.term_end),
        review_required=False,
        created_at=utcnow(),
    )
    payload = {
        "agreement_id": str(agreement.id),
        "subject": subject.value,
        "catalog_code": code,
        "product_id": str(product.id) if product else None,
        "due_on": due.due.isoformat(),
        "valid_until_cap": duty.valid_until_cap.isoformat(),
        "source": duty.source,
    }
    duty.ledger_index = record(
        session,
        settings,
        p,
        "registration_scheduled",
        f"operation-agreement:{agreement.id}",
        payload,
        due.due.isoformat(),
    )
    session.add(duty)
    return duty


def duties_of(session: Session, agreement_id: uuid.UUID) -> list[RegistrationDuty]:
    return list(
        session.scalars(
            select(RegistrationDuty)
            .where(RegistrationDuty.agreement_id == agreement_id)
            .order_by(RegistrationDuty.created_at, RegistrationDuty.subject)
        )
    )
