"""Disclosure (信息披露, policy-spec §2.10), the operation log and the exclusion marks.

The implementing body discloses the authorized parties, the content, the scope and the term (004:973);
each operator its product list with prices (004:975; 明码标价 004:1033). Only filed agreements are
disclosed. The operation log (运营日志) is kept 20 years (004:5679): every row carries ``retain_until`` and
no route deletes it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import NotFound
from logispace.domains.catalog import get_resource
from logispace.domains.identity import SYSTEM, Principal, party_names
from logispace.domains.operation.actors import is_authority, record, require
from logispace.domains.operation.enums import AgreementState, ProductState
from logispace.domains.operation.models import (
    Agreement,
    OperationExclusion,
    OperationLog,
    OperationPlan,
    Product,
)
from logispace.domains.operation.schemas import ExclusionCreate
from logispace.domains.operation.service import agreement_subject, check_operable


@dataclass(frozen=True)
class DisclosedProduct:
    name: str
    form: str
    use_class: str
    scenario: str
    billing_unit: str | None
    price_state: str
    price_cap_fen: int | None
    price_fen: int | None
    delivered_on: date | None


@dataclass(frozen=True)
class DisclosedAgreement:
    """One disclosed authorization: who authorized whom, to what, for how long, and the product list."""

    plan_name: str
    implementing_body: str
    operator: str
    scope: tuple[tuple[str, str], ...]
    term_start: date
    term_end: date
    state: str
    products: tuple[DisclosedProduct, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "plan_name": self.plan_name,
            "implementing_body": self.implementing_body,
            "operator": self.operator,
            "scope": [{"catalog_code": c, "name": n} for c, n in self.scope],
            "term_start": self.term_start.isoformat(),
            "term_end": self.term_end.isoformat(),
            "state": self.state,
            "products": [
                {**p.__dict__, "delivered_on": p.delivered_on.isoformat() if p.delivered_on else None}
                for p in self.products
            ],
        }


def _resource_name(session: Session, code: str) -> str:
    try:
        return str(get_resource(session, SYSTEM, code).name)
    except NotFound:  # a resource no longer visible is still named by its code
        return code


def resource_name(session: Session, code: str) -> str:
    """A catalogue resource's name, or "" for one no longer found."""
    try:
        return str(get_resource(session, SYSTEM, code).name)
    except NotFound:
        return ""


def disclosed(session: Session) -> list[DisclosedAgreement]:
    """Every filed agreement (in force, suspended or ended) with its delivered products and prices."""
    agreements = list(
        session.scalars(
            select(Agreement)
            .where(Agreement.state != AgreementState.SIGNED)
            .order_by(Agreement.term_start.desc())
        )
    )
    names = party_names(
        session, {x for a in agreements for x in (a.implementing_party_id, a.operator_party_id)}
    )
    out = []
    for a in agreements:
        plan = session.get(OperationPlan, a.plan_id)
        items = session.scalars(
            select(Product)
            .where(Product.agreement_id == a.id, Product.state == ProductState.DELIVERED)
            .order_by(Product.created_at)
        )
        out.append(
            DisclosedAgreement(
                plan_name=plan.name if plan else "",
                implementing_body=names.get(a.implementing_party_id, ""),
                operator=names.get(a.operator_party_id, ""),
                scope=tuple((c, _resource_name(session, c)) for c in a.scope),
                term_start=a.term_start,
                term_end=a.term_end,
                state=a.state.value,
                products=tuple(
                    DisclosedProduct(
                        p.name,
                        p.form.value,
                        p.use_class.value,
                        p.scenario,
                        p.billing_unit.value if p.billing_unit else None,
                        p.price_state.value,
                        p.price_cap_fen,
                        p.price_fen,
                        p.delivered_on,
                    )
                    for p in items
                ),
            )
        )
    return out


def logs_of(session: Session, agreement: Agreement) -> list[OperationLog]:
    """The operation log of an agreement and of its products, oldest first."""
    product_ids = session.scalars(select(Product.id).where(Product.agreement_id == agreement.id))
    subjects = [agreement_subject(agreement.id), *(f"operation-product:{i}" for i in product_ids)]
    return list(
        session.scalars(
            select(OperationLog)
            .where(OperationLog.subject.in_(subjects))
            .order_by(OperationLog.at, OperationLog.ledger_index)
        )
    )


def mark_exclusion(
    session: Session, p: Principal, data: ExclusionCreate, settings: Settings | None = None
) -> OperationExclusion:
    """The data authority marks a resource that must not be operated (OPS-R20, 004:5687-5692)."""
    require(is_authority(p), "the data authority marks data that must not be operated (004:5687)")
    check_operable(session, [data.catalog_code])
    exclusion = OperationExclusion(
        id=uuid.uuid4(),
        catalog_code=data.catalog_code,
        ground=data.ground,
        note=data.note,
        marked_by=p.party_id,
        marked_at=utcnow(),
    )
    payload = {"catalog_code": data.catalog_code, "ground": data.ground.value, "source": "004:5687-5692"}
    exclusion.ledger_index = record(
        session,
        settings,
        p,
        "exclusion_marked",
        f"operation-exclusion:{data.catalog_code}",
        payload,
        data.ground.value,
    )
    session.add(exclusion)
    session.flush()
    return exclusion


def exclusions(session: Session, codes: set[str] | None = None) -> list[OperationExclusion]:
    """The exclusion marks, newest first: all of them, or those on the resources ``codes``."""
    query = select(OperationExclusion).order_by(OperationExclusion.marked_at.desc())
    if codes is not None:
        query = query.where(OperationExclusion.catalog_code.in_(sorted(codes)))
    return list(session.scalars(query.limit(500)))
