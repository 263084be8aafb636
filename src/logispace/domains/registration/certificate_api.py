"""Certificate API (``/api/v1/registration``): public verification, notices, renewal, revocation, export.

Verifying a certificate by its code and reading the public notices need no login; renewal and
revocation are the authority's; the export of a file is for its applicant's party and the authority
(another party gets 404 like a missing application).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Path, Query
from fastapi.responses import Response

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.registration import certificate_service, export_service
from logispace.domains.registration.certificate_schemas import (
    CertificatePublic,
    CertificateRead,
    NoticeRead,
    Renewal,
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
    items, total = certificate_service.notices(db, paging.limit, paging.offset)
    return Page(
        items=[NoticeRead.model_validate(n) for n in items],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post(
    "/records/{record_id}/renew",
    summary="Renew the certificate (续展) within the 60 calendar days before expiry (authority)",
)
def renew(
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    record_id: uuid.UUID,
    body: Renewal | None = None,
) -> CertificateRead:
    return certificate_service.renew(db, p, Clock.now(settings), record_id, body or Renewal())


@router.post(
    "/records/{record_id}/revoke", summary="Revoke the registration (撤销登记) with its ground (authority)"
)
def revoke(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, record_id: uuid.UUID, body: Revocation
) -> CertificateRead:
    return certificate_service.revoke(db, p, Clock.now(settings), record_id, body)


@router.get(
    "/applications/{application_id}/export",
    summary="The whole file as a zip with a manifest and ledger receipts (登记档案导出)",
    response_class=Response,
    responses={
        200: {
            "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            "description": "zip: manifest.json, attachments/, receipts/",
        }
    },
)
def export(db: DbSession, p: CurrentPrincipal, settings: AppSettings, application_id: uuid.UUID) -> Response:
    filename, data = export_service.export_file(db, p, settings, application_id)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
