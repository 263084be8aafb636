"""Grants for trade contracts (交易合同交付): a traded resource delivered to the buyer under a grant.

The trade contract stands for the joint review of a scenario data request (一场景一清单一审定,
004:5623-5629): the holder signed it on the exchange, so the request is recorded approved and the grant is
created as any other (:func:`.service.create_grant`), its usage policy the same ODRL profile, bound to the
contract's purpose (I-9, 004:5183). Used by the trading domain's settlement; services never commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput
from logispace.domains.access.enums import OutputMode, RequestState
from logispace.domains.access.errors import NotAllowed
from logispace.domains.access.models import AccessRequest, AccessRequestResource, Grant
from logispace.domains.access.policies import SCENARIOS, default_table_name
from logispace.domains.access.service import IMPORTANT_RANK, create_grant, request_subject
from logispace.domains.catalog import get_resource, grade_rules
from logispace.domains.identity import Principal
from logispace.domains.ledger import append as ledger_append


def grant_for_contract(
    session: Session,
    p: Principal,
    *,
    consumer: uuid.UUID,
    catalog_code: str,
    fields: Sequence[str],
    purpose: str,
    start: datetime,
    end: datetime,
    title: str,
    reference: str,
    settings: Settings | None = None,
) -> Grant:
    """A grant delivering a traded resource to the buyer, bound to the contract's purpose (I-9, 004:5183).

    The trade contract stands for the joint review: the holder (the seller, ``p``) signed it on the
    exchange, so the request is recorded approved and the grant is created as any other, its usage policy
    the same ODRL profile. ``reference`` names the contract (e.g. ``trading-contract:<id>``)."""
    if purpose not in SCENARIOS:
        raise InvalidInput(f"purpose {purpose} is not a scenario of the usage policies")
    resource = get_resource(session, p, catalog_code)
    if resource.holder_party_id != p.party_id and not p.is_system:
        raise NotAllowed(f"only the holder of {catalog_code} delivers it under a contract")
    declared = {str(f["name"]) for f in resource.fields}
    unknown = [f for f in fields if f not in declared]
    if unknown:
        raise InvalidInput(f"{catalog_code} has no field {', '.join(unknown)}")
    grades = grade_rules(session)
    now = utcnow()
    request = AccessRequest(
        id=uuid.uuid4(),
        requester_party_id=consumer,
        requester_user_id=None,
        scenario_code=purpose,
        title=title,
        purpose=reference,
        expected_value=reference,
        period_start=start,
        period_end=end,
        output_mode=OutputMode.AGGREGATE,
        min_group_size=10,
        epsilon=None,
        state=RequestState.APPROVED,
        created_at=now,
        submitted_at=now,
        decided_at=now,
    )
    session.add(request)
    session.flush()
    item = AccessRequestResource(
        request_id=request.id,
        resource_id=resource.id,
        catalog_code=resource.catalog_code,
        holder_party_id=resource.holder_party_id,
        table_name=default_table_name(resource.catalog_code),
        fields=list(fields),
        masking={},
        important=grades[resource.grade_code].rank >= IMPORTANT_RANK,
        position=0,
    )
    session.add(item)
    payload = {
        "request_id": str(request.id),
        "scenario": purpose,
        "contract": reference,
        "source": "004:5183",
    }
    request.ledger_index = ledger_append(
        session,
        kind="access.request_contracted",
        subject=request_subject(request.id),
        payload=payload,
        actor=p.party_id,
        settings=settings,
    ).entry_id
    session.flush()
    return create_grant(session, p, request, [item], settings)
