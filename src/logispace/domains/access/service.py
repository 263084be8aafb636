"""Scenario data requests and grants (一场景一清单一审定, state machine G, policy-spec §2.7).

A data user drafts a request (scenario: what, why, value; the period; the output control; the exact
field list of each resource), the platform checks minimum necessity against each field's grade, the
requester submits it, and the holder of each resource and the data authority each decide with reasons
(004:5623-5629). When all approve, a grant is created: an ODRL Agreement (:mod:`.odrl`) for the requester,
validated before it is stored. Holders and the authority suspend, resume and revoke grants (004:5675);
a grant past its period is expired. Every step is a ledger entry of the same transaction. Services never
commit.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.core.errors import InvalidInput
from logispace.domains.access import repository
from logispace.domains.access.delivery import MASKING_RULES
from logispace.domains.access.enums import GrantState, OutputMode, RequestState, ReviewerRole
from logispace.domains.access.errors import (
    FieldsExceedScenario,
    GrantNotFound,
    NotAllowed,
    NotReviewer,
    RequestNotFound,
    StateConflict,
)
from logispace.domains.access.models import AccessRequest, AccessRequestResource, AccessReview, Grant
from logispace.domains.access.odrl import Target, build_policy, parse_policy
from logispace.domains.access.policies import (
    GRANT_STEPS,
    REQUEST_STEPS,
    SCENARIOS,
    FieldGrade,
    after_decision,
    default_masking,
    default_table_name,
    effective_state,
    necessity_violations,
)
from logispace.domains.access.schemas import DecisionCreate, RequestCreate
from logispace.domains.catalog import ResourceStatus, get_resource, grade_rules
from logispace.domains.identity import PartyType, Principal, Role, data_authority_party
from logispace.domains.ledger import append as ledger_append

IMPORTANT_RANK = 3
STEP_KINDS = {
    "suspend": "access.grant_suspended",
    "resume": "access.grant_resumed",
    "revoke": "access.grant_revoked",
}
HOLDER_ROLES = (Role.PARTY_ADMIN, Role.DATA_STEWARD)
AUTHORITY_ROLES = (Role.AUTHORITY_ADMIN, Role.REVIEWER)


def request_subject(request_id: uuid.UUID) -> str:
    return f"access-request:{request_id}"


def grant_subject(grant_id: uuid.UUID) -> str:
    return f"access-grant:{grant_id}"


# -- who (谁) ---------------------------------------------------------------------------------------


def is_access_authority(p: Principal) -> bool:
    """The data authority's staff (数据主管部门), who review every request and oversee every grant."""
    return p.is_system or (p.party_type is PartyType.DATA_AUTHORITY and p.has(*AUTHORITY_ROLES))


def _holders(resources: Sequence[AccessRequestResource]) -> set[uuid.UUID]:
    return {r.holder_party_id for r in resources}


def _part_of(p: Principal, requester: uuid.UUID, resources: Sequence[AccessRequestResource]) -> bool:
    return is_access_authority(p) or (
        p.party_id is not None and (p.party_id == requester or p.party_id in _holders(resources))
    )


def visible_request(session: Session, p: Principal, request_id: uuid.UUID) -> AccessRequest:
    """The request, if the caller is part of it (requester, holder, authority); 404 otherwise."""
    request = session.get(AccessRequest, request_id)
    if request is None or not _part_of(
        p, request.requester_party_id, repository.resources_of(session, request.id)
    ):
        raise RequestNotFound(f"scenario data request {request_id} not found")
    return request


def visible_grant(session: Session, p: Principal, grant_id: uuid.UUID) -> Grant:
    """The grant, if the caller is part of it (assignee, holder, authority); 404 otherwise."""
    return visible_grant_and_resources(session, p, grant_id)[0]


def visible_grant_and_resources(
    session: Session, p: Principal, grant_id: uuid.UUID
) -> tuple[Grant, list[AccessRequestResource]]:
    """:func:`visible_grant` with the granted resources it read to decide (one query for both uses)."""
    grant, resources = repository.grant_with_resources(session, grant_id)
    if grant is None or not _part_of(p, grant.assignee_party_id, resources):
        raise GrantNotFound(f"grant {grant_id} not found")
    return grant, resources


# -- requests (需求申请) -------------------------------------------------------------------------------


def _append(
    session: Session,
    settings: Settings | None,
    kind: str,
    subject: str,
    payload: dict[str, Any],
    p: Principal,
) -> int:
    receipt = ledger_append(
        session, kind=kind, subject=subject, payload=payload, actor=p.party_id, settings=settings
    )
    return receipt.entry_id


def create_request(
    session: Session, p: Principal, data: RequestCreate, settings: Settings | None = None
) -> AccessRequest:
    """Draft a request for the caller's party; 409 naming each field above what the scenario allows."""
    if p.party_id is None or p.is_system or is_access_authority(p):
        raise NotAllowed("a data user's party drafts a scenario data request")
    scenario = SCENARIOS[data.scenario]
    grades = grade_rules(session)
    violations: list[dict[str, str]] = []
    problems: list[dict[str, Any]] = []
    items: list[AccessRequestResource] = []
    tables: set[str] = set()
    for position, wanted in enumerate(data.resources):
        resource = get_resource(session, p, wanted.catalog_code)
        if resource.status is not ResourceStatus.PUBLISHED:
            raise StateConflict(
                f"data resource {resource.catalog_code} is not published", state=resource.status.value
            )
        declared = {str(f["name"]): f for f in resource.fields}
        unknown = [f for f in wanted.fields if f not in declared]
        for name in unknown:
            problems.append(
                {
                    "loc": ["resources", position, "fields"],
                    "msg": f"{resource.catalog_code} has no field {name}",
                    "type": "value_error",
                }
            )
        field_grades = []
        for name in wanted.fields:
            if name in declared:
                grade = grades[str(declared[name].get("grade") or resource.grade_code)]
                field_grades.append(
                    FieldGrade(name, str(declared[name].get("title", name)), grade.rank, grade.name_zh)
                )
        violations += necessity_violations(scenario, resource.catalog_code, field_grades)
        if data.output_mode is OutputMode.RECORD:
            violations += [
                {
                    "resource": resource.catalog_code,
                    "field": f.name,
                    "grade": f.grade_name,
                    "message": f"field {f.name} of {resource.catalog_code} is important data: "
                    "aggregate results only (004:717)",
                }
                for f in field_grades
                if f.grade_rank >= IMPORTANT_RANK
            ]
        table = wanted.table_name or default_table_name(resource.catalog_code)
        if table in tables:
            problems.append(
                {
                    "loc": ["resources", position, "table_name"],
                    "msg": f"table name {table} is used twice",
                    "type": "value_error",
                }
            )
        tables.add(table)
        titles = [(n, str(declared[n].get("title", ""))) for n in wanted.fields if n in declared]
        items.append(
            AccessRequestResource(
                resource_id=resource.id,
                catalog_code=resource.catalog_code,
                holder_party_id=resource.holder_party_id,
                table_name=table,
                fields=list(wanted.fields),
                masking=default_masking(titles, MASKING_RULES),
                important=any(f.grade_rank >= IMPORTANT_RANK for f in field_grades)
                or grades[resource.grade_code].rank >= IMPORTANT_RANK,
                position=position,
            )
        )
    if problems:
        raise InvalidInput("; ".join(str(e["msg"]) for e in problems), errors=problems)
    if violations:
        raise FieldsExceedScenario(violations)
    request = AccessRequest(
        id=uuid.uuid4(),
        requester_party_id=p.party_id,
        requester_user_id=p.user_id,
        scenario_code=scenario.code,
        title=data.title,
        purpose=data.purpose,
        expected_value=data.expected_value,
        period_start=data.period_start,
        period_end=data.period_end,
        output_mode=data.output_mode,
        min_group_size=data.min_group_size,
        epsilon=data.epsilon,
        state=RequestState.DRAFT,
        created_at=utcnow(),
    )
    session.add(request)
    session.flush()
    for item in items:
        item.request_id = request.id
        session.add(item)
    payload = {
        "request_id": str(request.id),
        "scenario": scenario.code,
        "resources": [{"catalog_code": i.catalog_code, "fields": i.fields} for i in items],
        "source": "004:5623-5629",
    }
    request.ledger_index = _append(
        session, settings, "access.request_drafted", request_subject(request.id), payload, p
    )
    session.flush()
    return request


def _step_allowed(request: AccessRequest, step: str) -> None:
    allowed = REQUEST_STEPS[step]
    if request.state not in allowed:
        raise StateConflict(
            f"a request in state {request.state.value} cannot be {step}ed",
            state=request.state.value,
            allowed=[s.value for s in allowed],
        )


def submit_request(
    session: Session, p: Principal, request_id: uuid.UUID, settings: Settings | None = None
) -> AccessRequest:
    """The requester submits its draft for joint review."""
    request = visible_request(session, p, request_id)
    if not (p.is_system or p.party_id == request.requester_party_id):
        raise NotAllowed("only the requesting party submits its request")
    _step_allowed(request, "submit")
    if data_authority_party(session) is None:
        raise StateConflict(
            "no data authority is registered to review the request", state=request.state.value
        )
    request.state = RequestState.SUBMITTED
    request.submitted_at = utcnow()
    payload = {"request_id": str(request.id), "state": request.state.value, "source": "004:5623"}
    request.ledger_index = _append(
        session, settings, "access.request_submitted", request_subject(request.id), payload, p
    )
    session.flush()
    return request


@dataclass(frozen=True)
class ReviewerSlot:
    role: ReviewerRole
    party_id: uuid.UUID


def reviewers_of(session: Session, request: AccessRequest) -> list[ReviewerSlot]:
    """Who must decide: the holder of each resource, then the data authority."""
    slots = [
        ReviewerSlot(ReviewerRole.HOLDER, h)
        for h in sorted(_holders(repository.resources_of(session, request.id)), key=str)
    ]
    authority = data_authority_party(session)
    if authority is not None:
        slots.append(ReviewerSlot(ReviewerRole.AUTHORITY, authority))
    return slots


def _slot_of(
    p: Principal, slots: Sequence[ReviewerSlot], done: set[tuple[ReviewerRole, uuid.UUID]]
) -> ReviewerSlot | None:
    for slot in slots:
        if (slot.role, slot.party_id) in done:
            continue
        if slot.role is ReviewerRole.AUTHORITY and is_access_authority(p):
            return slot
        if slot.role is ReviewerRole.HOLDER and p.party_id == slot.party_id and p.has(*HOLDER_ROLES):
            return slot
    return None


def decide_request(
    session: Session,
    p: Principal,
    request_id: uuid.UUID,
    data: DecisionCreate,
    settings: Settings | None = None,
) -> AccessRequest:
    """One reviewer's decision with reasons. A party that is neither a holder of the request's resources nor
    the data authority gets 403 (and an audit record); any refusal refuses; all approvals create the grant."""
    request = session.get(AccessRequest, request_id)
    resources = repository.resources_of(session, request_id) if request is not None else []
    if request is None:
        raise RequestNotFound(f"scenario data request {request_id} not found")
    slots = reviewers_of(session, request)
    reviewer_parties = {s.party_id for s in slots}
    if not (p.is_system or is_access_authority(p) or p.party_id in reviewer_parties):
        raise NotReviewer(
            "only the holders of the requested resources and the data authority review this request",
            source="004:5623; 004:5629",
        )
    _step_allowed(request, "decide")
    reviews = repository.reviews_of(session, request.id)
    done = {(r.role, r.party_id) for r in reviews}
    slot = _slot_of(p, slots, done)
    if slot is None:
        if any(s.party_id == p.party_id for s in slots) and any(
            (s.role, s.party_id) in done for s in slots if s.party_id == p.party_id
        ):
            raise StateConflict("your party has decided on this request already", state=request.state.value)
        raise NotReviewer("your roles do not allow reviewing this request", source="004:5623")
    if data.masking is not None:
        if slot.role is not ReviewerRole.HOLDER:
            raise InvalidInput(
                "masking: only a holder sets the desensitization of its fields",
                errors=[{"loc": ["masking"], "msg": "holder only", "type": "value_error"}],
            )
        _set_masking(resources, slot.party_id, data.masking)
    review = AccessReview(
        request_id=request.id,
        role=slot.role,
        party_id=slot.party_id,
        user_id=p.user_id,
        decision=data.decision,
        reasons=data.reasons,
        decided_at=utcnow(),
    )
    payload = {
        "request_id": str(request.id),
        "role": slot.role.value,
        "party_id": str(slot.party_id),
        "decision": data.decision.value,
        "source": "004:5623-5629",
    }
    review.ledger_index = _append(
        session, settings, "access.request_reviewed", request_subject(request.id), payload, p
    )
    session.add(review)
    decisions = {(r.role, str(r.party_id)): r.decision for r in reviews}
    decisions[(slot.role, str(slot.party_id))] = data.decision
    request.state = after_decision([(s.role, str(s.party_id)) for s in slots], decisions)
    if request.state in (RequestState.APPROVED, RequestState.REFUSED):
        request.decided_at = utcnow()
        kind = (
            "access.request_approved" if request.state is RequestState.APPROVED else "access.request_refused"
        )
        outcome = {"request_id": str(request.id), "state": request.state.value, "source": "004:5623-5629"}
        request.ledger_index = _append(session, settings, kind, request_subject(request.id), outcome, p)
    session.flush()
    if request.state is RequestState.APPROVED:
        create_grant(session, p, request, resources, settings)
    return request


def _set_masking(
    resources: Sequence[AccessRequestResource], holder: uuid.UUID, masking: dict[str, str]
) -> None:
    own = [r for r in resources if r.holder_party_id == holder]
    fields = {f for r in own for f in r.fields}
    problems = []
    for column, rule in masking.items():
        if column not in fields:
            problems.append(
                {
                    "loc": ["masking", column],
                    "msg": f"{column} is not a requested field of your resources",
                    "type": "value_error",
                }
            )
        elif rule not in MASKING_RULES:
            problems.append(
                {
                    "loc": ["masking", column],
                    "msg": f"unknown desensitization rule {rule}; one of {', '.join(sorted(MASKING_RULES))}",
                    "type": "value_error",
                }
            )
    if problems:
        raise InvalidInput("; ".join(str(e["msg"]) for e in problems), errors=problems)
    for r in own:
        r.masking = {**r.masking, **{c: rule for c, rule in masking.items() if c in r.fields}}


def create_grant(
    session: Session,
    p: Principal,
    request: AccessRequest,
    resources: Sequence[AccessRequestResource],
    settings: Settings | None,
) -> Grant:
    """The grant of an approved request: its ODRL policy (validated before it is stored), its ledger entry."""
    grant_id = uuid.uuid4()
    policy = build_policy(
        grant_id=grant_id,
        assigner=data_authority_party(session),
        assignee=request.requester_party_id,
        purpose=request.scenario_code,
        start=request.period_start,
        end=request.period_end,
        targets=[Target(r.catalog_code, r.fields, r.important) for r in resources],
        output=request.output_mode,
        min_group_size=request.min_group_size,
        epsilon=request.epsilon,
    )
    parse_policy(policy)  # validated on write: a bad term is a 422 naming it
    now = utcnow()
    grant = Grant(
        id=grant_id,
        request_id=request.id,
        assignee_party_id=request.requester_party_id,
        scenario_code=request.scenario_code,
        policy=policy,
        period_start=request.period_start,
        period_end=request.period_end,
        state=GrantState.ACTIVE,
        salt=secrets.token_hex(16),
        calls=0,
        rows_read=0,
        rows_returned=0,
        cells_returned=0,
        bytes_returned=0,
        epsilon_total=request.epsilon,
        epsilon_spent=0.0,
        created_at=now,
        updated_at=now,
    )
    payload = {
        "grant_id": str(grant_id),
        "request_id": str(request.id),
        "assignee": str(request.requester_party_id),
        "scenario": request.scenario_code,
        "period": [request.period_start.isoformat(), request.period_end.isoformat()],
        "resources": [{"catalog_code": r.catalog_code, "fields": r.fields} for r in resources],
        "source": "004:5623-5629",
    }
    grant.ledger_index = _append(
        session, settings, "access.grant_created", grant_subject(grant_id), payload, p
    )
    session.add(grant)
    session.flush()
    return grant


# -- grants (授权) -------------------------------------------------------------------------------------


def grant_state(grant: Grant, now: datetime | None = None) -> GrantState:
    return effective_state(grant.state, grant.period_end, now or utcnow())


def step_grant(
    session: Session,
    p: Principal,
    grant_id: uuid.UUID,
    step: str,
    reason: str,
    settings: Settings | None = None,
) -> Grant:
    """Suspend, resume or revoke a grant: the holder of a granted resource or the data authority."""
    grant = visible_grant(session, p, grant_id)
    holders = _holders(repository.resources_of(session, grant.request_id))
    if not (is_access_authority(p) or (p.party_id in holders and p.has(*HOLDER_ROLES))):
        raise NotAllowed(
            "only the holders of the granted resources and the data authority suspend, resume or revoke it"
        )
    allowed, target = GRANT_STEPS[step]
    current = grant_state(grant)
    if current not in allowed:
        raise StateConflict(
            f"a grant in state {current.value} cannot be {step}d",
            state=current.value,
            allowed=[s.value for s in allowed],
        )
    grant.state = target
    grant.state_reason = reason
    grant.updated_at = utcnow()
    payload = {"grant_id": str(grant.id), "state": target.value, "source": "004:5675"}
    grant.ledger_index = _append(session, settings, STEP_KINDS[step], grant_subject(grant.id), payload, p)
    session.flush()
    return grant


def list_requests(
    session: Session,
    p: Principal,
    *,
    states: Sequence[RequestState] | None = None,
    held_by_me: bool = False,
    limit: int = 100,
    offset: int = 0,
) -> list[AccessRequest]:
    return repository.list_requests(
        session,
        party_id=p.party_id,
        everyone=is_access_authority(p),
        states=states,
        held_by=p.party_id if held_by_me else None,
        limit=limit,
        offset=offset,
    )


def list_grants(session: Session, p: Principal, limit: int = 100, offset: int = 0) -> list[Grant]:
    return repository.list_grants(
        session, party_id=p.party_id, everyone=is_access_authority(p), limit=limit, offset=offset
    )


def pending_for(session: Session, p: Principal, request: AccessRequest) -> bool:
    """Whether the caller's party still has to decide on the request."""
    if request.state not in REQUEST_STEPS["decide"]:
        return False
    done = {(r.role, r.party_id) for r in repository.reviews_of(session, request.id)}
    return _slot_of(p, reviewers_of(session, request), done) is not None
