"""Access API (``/api/v1/access``): scenario data requests, their joint review, grants, use under a grant.

Every route needs a principal. A request or grant is visible only to the parties that are part of it
(requester or assignee, holders of its resources, the data authority): 404 to anyone else. A refused step
or use leaves its audit record (:mod:`.audit`) and no other change.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import Query

from logispace.domains.access import reads, service, usage
from logispace.domains.access.audit import audited, audited_sql
from logispace.domains.access.enums import RequestState
from logispace.domains.access.odrl import parse_policy
from logispace.domains.access.policies import GRANT_STEPS
from logispace.domains.access.schemas import (
    DecisionCreate,
    GrantRead,
    GrantStep,
    QueryCreate,
    RequestCreate,
    RequestRead,
    ResultRead,
    SqlCreate,
    UsageRead,
)
from logispace.domains.access.usage import Delivered
from logispace.domains.identity import CurrentPrincipal
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/access", tags=["access"])

Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=100_000)]


@router.post(
    "/requests", status_code=201, summary="Draft a scenario data request (场景数据需求申请) (data user)"
)
def create_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, body: RequestCreate
) -> RequestRead:
    with audited(db, p, settings, subject="access-request:new", action="create"):
        request = service.create_request(db, p, body, settings)
    return reads.request_read(db, request)


@router.get("/requests", summary="The requests the caller's party is part of (the authority: all)")
def list_requests(
    db: DbSession,
    p: CurrentPrincipal,
    state: Annotated[list[RequestState] | None, Query()] = None,
    held_by_me: bool = False,
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[RequestRead]:
    found = service.list_requests(db, p, states=state, held_by_me=held_by_me, limit=limit, offset=offset)
    return [reads.request_read(db, r) for r in found]


@router.get("/requests/{request_id}", summary="One request with its data list and reviews")
def get_request(db: DbSession, p: CurrentPrincipal, request_id: uuid.UUID) -> RequestRead:
    return reads.request_read(db, service.visible_request(db, p, request_id))


@router.post("/requests/{request_id}/submit", summary="Submit a draft for joint review (requester)")
def submit_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, request_id: uuid.UUID
) -> RequestRead:
    with audited(db, p, settings, subject=service.request_subject(request_id), action="submit"):
        request = service.submit_request(db, p, request_id, settings)
    return reads.request_read(db, request)


@router.post(
    "/requests/{request_id}/decisions",
    summary="Decide with reasons (审核): a holder of a requested resource or the data authority",
)
def decide_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, request_id: uuid.UUID, body: DecisionCreate
) -> RequestRead:
    with audited(db, p, settings, subject=service.request_subject(request_id), action="decide"):
        request = service.decide_request(db, p, request_id, body, settings)
    return reads.request_read(db, request)


@router.get("/grants", summary="The grants the caller's party is part of (the authority: all)")
def list_grants(
    db: DbSession, p: CurrentPrincipal, limit: Limit = 100, offset: Offset = 0
) -> list[GrantRead]:
    return [reads.grant_read(db, g) for g in service.list_grants(db, p, limit, offset)]


@router.get(
    "/grants/{grant_id}", summary="One grant: its policy, each granted resource, table name and columns"
)
def get_grant(db: DbSession, p: CurrentPrincipal, grant_id: uuid.UUID) -> GrantRead:
    return reads.grant_read(db, service.visible_grant(db, p, grant_id))


def _step_endpoint(step: str) -> Any:
    def endpoint(
        db: DbSession, p: CurrentPrincipal, settings: AppSettings, grant_id: uuid.UUID, body: GrantStep
    ) -> GrantRead:
        with audited(
            db, p, settings, subject=service.grant_subject(grant_id), action=step, grant_id=grant_id
        ):
            grant = service.step_grant(db, p, grant_id, step, body.reason, settings)
        return reads.grant_read(db, grant)

    endpoint.__name__ = endpoint.__qualname__ = f"{step}_grant"
    return endpoint


_STEP_SUMMARIES = {
    "suspend": "Suspend a grant (暂停) (holder or authority)",
    "resume": "Resume a suspended grant (恢复) (holder or authority)",
    "revoke": "Revoke a grant (撤销) for good (holder or authority)",
}
for _step in GRANT_STEPS:
    router.add_api_route(
        "/grants/{grant_id}/" + _step,
        _step_endpoint(_step),
        methods=["POST"],
        name=f"{_step}_grant",
        summary=_STEP_SUMMARIES[_step],
        response_model=GrantRead,
    )


def result_read(done: Delivered) -> ResultRead:
    return ResultRead(
        columns=list(done.columns),
        rows=[list(r) for r in done.rows],
        rows_read=done.rows_read,
        rows_returned=done.rows_returned,
        cells_returned=done.cells_returned,
        bytes_returned=done.bytes_returned,
        epsilon_spent=done.epsilon_spent,
        noised=done.noised,
        query_hash=done.query_hash,
        result_hash=done.result_hash,
        engine=done.engine,
        ledger_index=done.ledger_index,
    )


@router.post(
    "/grants/{grant_id}/query", summary="API query: granted fields with row filters, desensitized (assignee)"
)
def query(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, grant_id: uuid.UUID, body: QueryCreate
) -> ResultRead:
    with audited(db, p, settings, subject=service.grant_subject(grant_id), action="query", grant_id=grant_id):
        done = usage.run_query(db, p, grant_id, body, settings)
    return result_read(done)


@router.post("/grants/{grant_id}/sql", summary="Sandbox SQL (可用不可见): aggregate results only (assignee)")
def sql(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, grant_id: uuid.UUID, body: SqlCreate
) -> ResultRead:
    return result_read(audited_sql(db, p, grant_id, body, settings))


@router.get("/grants/{grant_id}/usage", summary="The grant's meter, latest deliveries and refusals")
def grant_usage(db: DbSession, p: CurrentPrincipal, grant_id: uuid.UUID) -> UsageRead:
    grant, deliveries, refusals = usage.usage_of(db, p, grant_id)
    return reads.usage_read(grant, deliveries, refusals)


@router.post(
    "/policies/check",
    summary="Check a usage policy against the LogiSpace ODRL profile (422 naming a bad term)",
)
def check_policy(p: CurrentPrincipal, body: dict[str, Any]) -> dict[str, Any]:
    del p
    policy = parse_policy(body)
    return {
        "valid": True,
        "uid": policy.uid,
        "targets": sorted(policy.permissions),
        "purpose": policy.purpose,
    }
