"""Document pages: the party's notarized documents (login), and each document's public page with
its QR code and a form that verifies a file against it (HTMX, or a plain post without JS)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import segno
from fastapi import File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from logispace.core.errors import DomainError, InvalidInput
from logispace.core.pagination import PageParams
from logispace.domains.identity import PageUser, SessionPrincipal, page_session
from logispace.domains.ledger.documents import policies as document_policies
from logispace.domains.ledger.documents import service as document_service
from logispace.domains.ledger.documents.schemas import DocumentFields, VerifyResult
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import render

router = page_router()

OptionalText = Annotated[str | None, Form()]
OptionalFile = Annotated[UploadFile | None, File()]
PAGE_SIZE = 50


def _blank(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def _messages(exc: ValidationError | DomainError) -> list[str]:
    if isinstance(exc, ValidationError):
        return [
            f"{'.'.join(str(p) for p in e['loc'])}: {str(e['msg']).removeprefix('Value error, ')}"
            for e in exc.errors()
        ]
    return [str(exc)]


def qr_svg(target: str) -> str:
    """An inline SVG QR code (segno) of ``target``; nothing is fetched from elsewhere."""
    return str(segno.make(target, error="m").svg_inline(scale=3, svgclass="qr", omitsize=False))


# -- the party's documents (login) -----------------------------------------------------------


@router.get("/documents")
def documents_page(
    request: Request, db: DbSession, user: PageUser, offset: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    return _documents_page(request, db, user, offset=offset)


def _documents_page(
    request: Request,
    db: Session,
    user: SessionPrincipal,
    *,
    offset: int = 0,
    errors: list[str] | None = None,
    form: dict[str, Any] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    params = PageParams(limit=PAGE_SIZE, offset=offset)
    items, total = document_service.list_documents(db, user.principal, params)
    return render(
        request,
        "ledger/documents.html",
        {
            "documents": items,
            "total": total,
            "params": params,
            "can_notarize": document_policies.can_notarize(user.principal),
            "errors": errors or [],
            "form": form or {},
        },
        status_code=status_code,
    )


@router.post("/documents")
def notarize_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    file: OptionalFile = None,
    title: OptionalText = None,
    reference: OptionalText = None,
    document_id: OptionalText = None,
) -> Response:
    form = {"title": title or "", "reference": reference or "", "document_id": document_id or ""}
    try:
        if file is None:
            raise InvalidInput("file: choose a file to notarize")
        fields = DocumentFields.model_validate(
            {
                "title": _blank(title) or file.filename,
                "reference": _blank(reference),
                "document_id": _blank(document_id),
            }
        )
        sha256, size = document_service.hash_file(file.file)
        content = document_service.file_content(sha256, size, file.content_type, file.filename)
        done = document_service.notarize(db, user.principal, settings, content, fields)
    except (ValidationError, DomainError) as exc:
        db.rollback()
        status = exc.status if isinstance(exc, DomainError) else 422
        return _documents_page(request, db, user, errors=_messages(exc), form=form, status_code=status)
    return RedirectResponse(done.document.page_url, status_code=303)


# -- a document's public page ----------------------------------------------------------------


@router.get("/documents/{document_id}")
def document_page(
    request: Request, db: DbSession, settings: AppSettings, document_id: uuid.UUID
) -> HTMLResponse:
    page_session(request, db, settings)  # the navigation of a logged-in visitor
    return _document_page(request, db, document_id)


def _document_page(
    request: Request,
    db: Session,
    document_id: uuid.UUID,
    *,
    verdict: VerifyResult | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    document = document_service.document_read(db, document_service.get_document(db, document_id))
    absolute = str(request.base_url).rstrip("/") + document.page_url
    return render(
        request,
        "ledger/document.html",
        {
            "document": document,
            "absolute_url": absolute,
            "qr": qr_svg(absolute),
            "verdict": verdict,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.post("/documents/{document_id}/verify")
def verify_page(
    request: Request, db: DbSession, settings: AppSettings, document_id: uuid.UUID, file: OptionalFile = None
) -> HTMLResponse:
    page_session(request, db, settings)
    document_service.get_document(db, document_id)
    verdict, errors, status = None, [], 200
    try:
        if file is None:
            raise InvalidInput("file: choose a file to verify")
        sha256, size = document_service.hash_file(file.file)
        document_service.file_content(sha256, size, None, None)  # refuses an empty file
        verdict = document_service.verify(db, sha256, document_id)
    except InvalidInput as exc:
        errors, status = [str(exc)], 422
    if request.headers.get("hx-request") == "true":
        # HTMX swaps only successful responses: the message goes in the fragment.
        return render(request, "ledger/_verdict.html", {"verdict": verdict, "errors": errors})
    return _document_page(request, db, document_id, verdict=verdict, errors=errors, status_code=status)
