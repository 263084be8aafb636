"""Public portal home (门户首页): what a visitor sees at ``/``.

A search box into the catalogue, the platform's figures (published resources, open datasets,
registrations, notarized documents), featured open data with charts, the latest registration
publicity and notices, the ways to verify a document or a certificate (by code, QR code or file) and
the portal footer. Everything is read through the domains' public services. A logged-in user sees
the same portal with a link into their dashboard (工作台): the home page is the portal for everyone.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated, Any

from fastapi import File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from logispace.core.errors import InvalidInput
from logispace.core.pagination import PageParams
from logispace.domains import catalog, ledger
from logispace.domains.identity import page_session
from logispace.domains.registration import Clock
from logispace.domains.registration.certificates import ending as certificate_endings
from logispace.domains.registration.registry import service as registry_service
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()
OptionalFile = Annotated[UploadFile | None, File()]

FEATURED = 4
LATEST = 5
CODE_MAX = 64


def figures(db: Session) -> dict[str, int]:
    """The portal's four figures, each counted by its domain's public service."""
    one = PageParams(limit=1)
    return {
        "resources": catalog.catalog_resources(db, None, one, status=catalog.ResourceStatus.PUBLISHED)[1],
        "open": catalog.catalog_resources(
            db, None, one, status=catalog.ResourceStatus.PUBLISHED, open_type=catalog.OpenType.UNCONDITIONAL
        )[1],
        "registrations": registry_service.search_records(db, one)[1],
        "documents": ledger.document_service.count_documents(db),
    }


def featured_open_data(db: Session) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The newest open datasets with data to preview (name, holder, rows) and the charts' series:
    rows per featured dataset and published resources per top-level category."""
    resources, _ = catalog.catalog_resources(
        db,
        None,
        PageParams(limit=50),
        status=catalog.ResourceStatus.PUBLISHED,
        open_type=catalog.OpenType.UNCONDITIONAL,
    )
    cards: list[dict[str, Any]] = []
    for read in catalog.resource_reads(db, resources):
        _, versions = catalog.resource_distributions(db, None, read.catalog_code)
        if not versions:
            continue
        latest = versions[0]
        cards.append(
            {
                "code": read.catalog_code,
                "name": read.name,
                "holder": read.holder.name,
                "category": read.category.name_zh,
                "rows": latest.row_count,
                "updated": latest.uploaded_at,
            }
        )
        if len(cards) == FEATURED:
            break
    everything, _ = catalog.catalog_resources(
        db, None, PageParams(limit=200), status=catalog.ResourceStatus.PUBLISHED
    )
    categories = Counter(r.category.name_zh for r in catalog.resource_reads(db, everything))
    charts = {
        "rows": [{"name": c["name"], "value": c["rows"]} for c in cards],
        "categories": [{"name": name, "value": n} for name, n in categories.most_common(8)],
    }
    return cards, charts


@router.get("/")
def portal(request: Request, db: DbSession, settings: AppSettings) -> HTMLResponse:
    user = page_session(request, db, settings)
    cards, charts = featured_open_data(db)
    notices, _ = certificate_endings.notices(db, LATEST, 0)
    return render(
        request,
        "portal.html",
        {
            "user": user,
            "figures": figures(db),
            "featured": cards,
            "charts_json": json.dumps(charts, ensure_ascii=False).replace("</", "<\\/"),
            "publicity": registry_service.publicity_list(db, Clock.now(settings).on)[:LATEST],
            "notices": notices,
        },
    )


@router.get("/verify")
def verify_by_code(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    certificate: Annotated[str | None, Query(max_length=CODE_MAX)] = None,
) -> Response:
    """The verification page (核验): a certificate code goes to its public verification page; without
    one, the page with the three ways to verify."""
    code = (certificate or "").strip().upper()
    if code:
        return RedirectResponse(f"/registry/certificates/{code}", status_code=303)
    page_session(request, db, settings)
    return render(request, "verify.html", {"verdict": None, "errors": []})


@router.post("/verify")
def verify_by_file(
    request: Request, db: DbSession, settings: AppSettings, file: OptionalFile = None
) -> HTMLResponse:
    """Verify a file against every notarized document (单证鉴真): its digest is looked up in the
    ledger; nothing of the file is stored."""
    page_session(request, db, settings)
    try:
        if file is None or not file.filename:
            raise InvalidInput("file: choose a file to verify")
        sha256, size = ledger.document_service.hash_file(file.file)
        ledger.document_service.file_content(sha256, size, None, None)  # refuses an empty file
    except InvalidInput:
        return render(
            request, "verify.html", {"verdict": None, "errors": ["请选择一个非空的文件。"]}, status_code=422
        )
    verdict = ledger.document_service.verify(db, sha256)
    return render(request, "verify.html", {"verdict": verdict, "errors": []})
