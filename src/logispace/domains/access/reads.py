"""Response bodies of requests, grants and their usage, for the API and the pages."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from logispace.domains.access import repository
from logispace.domains.access.enums import OutputMode
from logispace.domains.access.models import AccessRequest, Delivery, Grant, Refusal
from logispace.domains.access.policies import SCENARIOS
from logispace.domains.access.schemas import (
    DeliveryRead,
    GrantedResourceRead,
    GrantRead,
    PartyRef,
    PendingReviewer,
    RefusalRead,
    RequestRead,
    RequestResourceRead,
    ReviewRead,
    ScenarioRead,
    UsageRead,
)
from logispace.domains.access.service import grant_state, reviewers_of
from logispace.domains.catalog import get_resource
from logispace.domains.identity import SYSTEM, party_names


def _scenario(code: str) -> ScenarioRead:
    s = SCENARIOS.get(code)
    return ScenarioRead(code=code, name=s.name_zh if s else code)


def _names(session: Session, codes: set[str]) -> dict[str, str]:
    """Resource names by catalogue code (the metadata of a granted resource is published, hence public)."""
    return {code: get_resource(session, SYSTEM, code).name for code in codes}


def request_read(session: Session, request: AccessRequest) -> RequestRead:
    items = repository.resources_of(session, request.id)
    reviews = repository.reviews_of(session, request.id)
    slots = reviewers_of(session, request)
    parties = party_names(
        session,
        {request.requester_party_id, *(i.holder_party_id for i in items), *(s.party_id for s in slots)},
    )
    done = {(r.role, r.party_id) for r in reviews}
    grant = repository.grant_of_request(session, request.id)
    resource_names = _names(session, {i.catalog_code for i in items})

    def ref(party_id: uuid.UUID) -> PartyRef:
        return PartyRef(id=party_id, name=parties.get(party_id, ""))

    return RequestRead(
        id=request.id,
        state=request.state,
        scenario=_scenario(request.scenario_code),
        title=request.title,
        purpose=request.purpose,
        expected_value=request.expected_value,
        requester=ref(request.requester_party_id),
        period_start=request.period_start,
        period_end=request.period_end,
        output_mode=request.output_mode,
        min_group_size=request.min_group_size,
        epsilon=request.epsilon,
        resources=[
            RequestResourceRead(
                catalog_code=i.catalog_code,
                name=resource_names.get(i.catalog_code, i.catalog_code),
                holder=ref(i.holder_party_id),
                table_name=i.table_name,
                fields=list(i.fields),
                masking=dict(i.masking),
            )
            for i in items
        ],
        reviews=[
            ReviewRead(
                role=r.role,
                party=ref(r.party_id),
                decision=r.decision,
                reasons=r.reasons,
                decided_at=r.decided_at,
                ledger_index=r.ledger_index,
            )
            for r in reviews
        ],
        pending_reviewers=[
            PendingReviewer(role=s.role, party=ref(s.party_id))
            for s in slots
            if (s.role, s.party_id) not in done and request.state.value in ("submitted", "in_review")
        ],
        grant_id=grant.id if grant else None,
        created_at=request.created_at,
        submitted_at=request.submitted_at,
        decided_at=request.decided_at,
        ledger_index=request.ledger_index,
    )


def grant_read(session: Session, grant: Grant) -> GrantRead:
    items = repository.resources_of(session, grant.request_id)
    parties = party_names(session, {grant.assignee_party_id, *(i.holder_party_id for i in items)})
    request = session.get(AccessRequest, grant.request_id)
    resource_names = _names(session, {i.catalog_code for i in items})
    return GrantRead(
        id=grant.id,
        request_id=grant.request_id,
        state=grant_state(grant),
        state_reason=grant.state_reason,
        scenario=_scenario(grant.scenario_code),
        assignee=PartyRef(id=grant.assignee_party_id, name=parties.get(grant.assignee_party_id, "")),
        period_start=grant.period_start,
        period_end=grant.period_end,
        output_mode=request.output_mode if request else OutputMode.AGGREGATE,
        min_group_size=request.min_group_size if request else 0,
        policy=grant.policy,
        resources=[
            GrantedResourceRead(
                catalog_code=i.catalog_code,
                name=resource_names.get(i.catalog_code, i.catalog_code),
                holder=PartyRef(id=i.holder_party_id, name=parties.get(i.holder_party_id, "")),
                table_name=i.table_name,
                columns=list(i.fields),
                masking=dict(i.masking),
            )
            for i in items
        ],
        calls=grant.calls,
        epsilon_total=grant.epsilon_total,
        epsilon_spent=grant.epsilon_spent,
        created_at=grant.created_at,
        ledger_index=grant.ledger_index,
    )


def usage_read(grant: Grant, deliveries: Sequence[Delivery], refusals: Sequence[Refusal]) -> UsageRead:
    left = None if grant.epsilon_total is None else max(0.0, grant.epsilon_total - grant.epsilon_spent)
    return UsageRead(
        grant_id=grant.id,
        calls=grant.calls,
        rows_read=grant.rows_read,
        rows_returned=grant.rows_returned,
        cells_returned=grant.cells_returned,
        bytes_returned=grant.bytes_returned,
        epsilon_total=grant.epsilon_total,
        epsilon_spent=grant.epsilon_spent,
        epsilon_left=left,
        deliveries=[DeliveryRead.model_validate(d, from_attributes=True) for d in deliveries],
        refusals=[RefusalRead(code=r.code, detail=r.detail, ledger_index=r.ledger_index) for r in refusals],
    )
