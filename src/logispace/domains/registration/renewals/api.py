"""Renewal API (``/api/v1/registration``): the holder files a renewal request (续展申请) in the window,
the authority approves or refuses it; ``/records/{id}/renew`` approves the record's pending request.

A renewal request of another party is 404 like a missing one.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.registration.certificates.schemas import (
    CertificateRead,
    RenewalApproval,
    RenewalRefusal,
    RenewalRequestCreate,
    RenewalRequestRead,
)
from logispace.domains.registration.enums import RenewalRequestState
from logispace.domains.registration.renewals import service as renewal_service
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/registration", tags=["registration"])

Code = Annotated[
    str,
    Path(min_length=1, max_length=40, description="registration code (登记编码), e.g. DJR-2026-7K3Q9XWA-M"),
]
Paging = Annotated[PageParams, Query()]


@router.post(
    "/records/{record_id}/renew",
    summary="Approve the record's pending renewal request (续展, authority); 409 if none is pending",
)
def renew(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    record_id: uuid.UUID,
    body: RenewalApproval | None = None,
) -> CertificateRead:
    return renewal_service.renew_pending(db, p, Clock.now(settings), record_id, body or RenewalApproval())


@router.post(
    "/records/{record_id}/renewal-requests",
    status_code=201,
    summary="Apply for renewal (续展申请, holder) within the 60 calendar days before expiry",
)
def file_renewal_request(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    record_id: uuid.UUID,
    body: RenewalRequestCreate | None = None,
) -> RenewalRequestRead:
    clock = Clock.now(settings)
    request = renewal_service.file_request(db, p, clock, record_id, body or RenewalRequestCreate())
    return renewal_service.read(db, clock, request)


@router.get(
    "/records/{record_id}/renewal-requests",
    summary="The record's renewal requests, newest first (holder, authority)",
)
def record_renewal_requests(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, record_id: uuid.UUID
) -> list[RenewalRequestRead]:
    clock = Clock.now(settings)
    return [renewal_service.read(db, clock, r) for r in renewal_service.of_record(db, p, record_id)]


@router.get(
    "/renewal-requests",
    summary="Renewal requests: the authority sees all, a party its own (续展申请列表)",
)
def list_renewal_requests(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    paging: Paging,
    state: Annotated[RenewalRequestState | None, Query()] = None,
) -> Page[RenewalRequestRead]:
    clock = Clock.now(settings)
    items, total = renewal_service.listing(db, p, state, paging.limit, paging.offset)
    return Page(
        items=[renewal_service.read(db, clock, r) for r in items],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/renewal-requests/{request_id}", summary="A renewal request (holder, authority)")
def get_renewal_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, request_id: uuid.UUID
) -> RenewalRequestRead:
    return renewal_service.read(db, Clock.now(settings), renewal_service.get(db, p, request_id))


@router.post(
    "/renewal-requests/{request_id}/approve",
    summary="Approve a renewal request (准予续展, authority): renews the record and re-signs the certificate",
)
def approve_renewal_request(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    request_id: uuid.UUID,
    body: RenewalApproval | None = None,
) -> RenewalRequestRead:
    clock = Clock.now(settings)
    request, certificate = renewal_service.approve(db, p, clock, request_id, body or RenewalApproval())
    return renewal_service.read(db, clock, request, certificate)


@router.post(
    "/renewal-requests/{request_id}/refuse",
    summary="Refuse a renewal request with reasons (不予续展, authority)",
)
def refuse_renewal_request(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, request_id: uuid.UUID, body: RenewalRefusal
) -> RenewalRequestRead:
    clock = Clock.now(settings)
    return renewal_service.read(db, clock, renewal_service.refuse(db, p, clock, request_id, body))
