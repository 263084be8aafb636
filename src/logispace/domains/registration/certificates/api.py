"""Certificate API (``/api/v1/registration``): public verification, notices, revocation.

Verifying a certificate by its code and reading the public notices need no login; revocation is the
authority's. Renewal is in :mod:`..renewals.api`, the export of a file in :mod:`..applications.api`.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.registration.certificates import ending as ending_service
from logispace.domains.registration.certificates import service as certificate_service
from logispace.domains.registration.certificates.schemas import (
    CertificatePublic,
    CertificateRead,
    NoticeRead,
    Revocation,
)
from logispace.domains.registration.workflow import Clock
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/registration", tags=["registration"])

Code = Annotated[
    str,
    Path(min_length=1, max_length=40, description="registration code (登记编码), e.g. DJR-2026-7K3Q9XWA-M"),
]
Paging = Annotated[PageParams, Query()]


@router.get(
    "/certificates/{code}",
    summary="Verify a certificate by its code (证书核验, public): status, signature, ledger, verdict",
)
def verify_certificate(db: DbSession, settings: AppSettings, code: Code) -> CertificatePublic:
    return certificate_service.public_view(db, Clock.now(settings), code)


@router.get("/notices", summary="Public notices of expired and revoked certificates (公告, public)")
def list_notices(db: DbSession, paging: Paging) -> Page[NoticeRead]:
    items, total = ending_service.notices(db, paging.limit, paging.offset)
    return Page(
        items=[NoticeRead.model_validate(n) for n in items],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post(
    "/records/{record_id}/revoke", summary="Revoke the registration (撤销登记) with its ground (authority)"
)
def revoke(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, record_id: uuid.UUID, body: Revocation
) -> CertificateRead:
    return ending_service.revoke(db, p, Clock.now(settings), record_id, body)
