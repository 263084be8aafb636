"""The upload page of a resource (上传数据): a file chosen in the browser goes up in chunks with a
progress bar and resumes after an interruption (``/static/catalog_upload.js`` over the resumable upload
API); without JavaScript the same form posts the whole file here, through the same ingest.

Each upload becomes the resource's next version; its structure (数据结构) is taken from the data.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.errors import DomainError, InvalidInput, NotFound
from logispace.domains.catalog import service
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.catalog.publish_pages import page_errors
from logispace.domains.catalog.schemas import CatalogCode
from logispace.domains.identity import PageUser, SessionPrincipal
from logispace.storage import LocalObjectStore, format_for
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router
from logispace.web.templates import language_of, render

router = page_router()

CHUNK_BYTES = 1024 * 1024
"""The browser sends the file in chunks of this size (each one request under the body limit)."""


def _size_text(n: int) -> str:
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= scale:
            return f"{n / scale:.0f} {unit}"
    return f"{n} B"


def _upload_page(
    request: Request,
    db: Session,
    settings: Settings,
    user: SessionPrincipal,
    code: str,
    *,
    done: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    resource = distribution_service.uploadable(db, user.principal, code)  # 404 / 403 / 409
    read = service.resource_reads(db, [resource])[0]
    _, dists = distribution_service.list_distributions(db, user.principal, code)
    return render(
        request,
        "catalog/upload.html",
        {
            "r": read,
            "versions": distribution_service.distribution_reads(db, resource, dists),
            "chunk_size": min(CHUNK_BYTES, settings.max_body_bytes // 2),
            "max_size": _size_text(settings.max_upload_bytes),
            "done": done,
            "errors": errors or [],
        },
        status_code=status_code,
    )


@router.get("/catalog/resources/{code}/upload")
def upload_page(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    code: CatalogCode,
    done: Literal["created"] | None = None,
) -> HTMLResponse:
    return _upload_page(request, db, settings, user, code, done=done)


@router.post("/catalog/resources/{code}/upload")
def upload_form(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    code: CatalogCode,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """The whole file in one form post (no JavaScript): the same ingest as the API's upload."""
    try:
        if file is None or not file.filename:
            raise InvalidInput("file: choose the data file (选择数据文件)")
        fmt = format_for(file.filename, file.content_type)
        store = LocalObjectStore.from_settings(settings)
        distribution_service.upload(
            db, user.principal, code, file.file, fmt=fmt, store=store, max_bytes=settings.max_upload_bytes
        )
    except DomainError as exc:
        db.rollback()
        if isinstance(exc, NotFound):
            raise
        errors = page_errors(exc, language_of(request))
        return _upload_page(request, db, settings, user, code, errors=errors, status_code=exc.status)
    return RedirectResponse(f"/catalog/resources/{code}?done=uploaded", status_code=303)
