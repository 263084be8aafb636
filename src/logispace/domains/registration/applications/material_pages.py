"""Registration materials on the application's page (登记材料): several files sent at once, one file
input per material, and each stored material opened by the people allowed to read it.

Sending: every file of the form is stored through :func:`.service.add_attachment` (object store,
SHA-256 in the ledger) in one unit of work: one refused file rolls all of them back and the page says
why. Opening: the applicant and the registration centre's staff read a material; every opening is a
ledger entry; anyone else gets 404 exactly like a missing material.
"""

from __future__ import annotations

import uuid

from fastapi import Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from logispace.core.errors import DomainError, InvalidInput
from logispace.domains.identity import PageUser
from logispace.domains.registration.applications import service as application_service
from logispace.domains.registration.applications.pages import done_redirect, refused
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import page_router

router = page_router()

FILE_FIELD = "file:"
"""The form's file inputs are named ``file:<material>``; each may carry several files."""
MAX_FILES = 50
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg"})
"""Media types a browser shows in place; anything else is downloaded (never rendered as a page)."""


def files_of(items: list[tuple[str, str | UploadFile]]) -> list[tuple[str, UploadFile]]:
    """``(material, file)`` for every chosen file of the form, in form order; empty inputs are skipped."""
    chosen = [
        (key.removeprefix(FILE_FIELD), value)
        for key, value in items
        if key.startswith(FILE_FIELD) and isinstance(value, UploadFile) and value.filename
    ]
    if not chosen:
        raise InvalidInput("file: choose at least one material's file (选择材料文件)")
    if len(chosen) > MAX_FILES:
        raise InvalidInput(f"file: at most {MAX_FILES} files at once")
    return chosen


@router.post("/registration/applications/{application_id}/materials")
async def attach_many_page(
    request: Request, db: DbSession, settings: AppSettings, user: PageUser, application_id: uuid.UUID
) -> Response:
    form = await request.form()  # already parsed (and its CSRF token checked) by the PageUser dependency

    def store_all() -> None:
        for material, upload in files_of(list(form.multi_items())):
            application_service.add_attachment(
                db,
                user.principal,
                settings,
                application_id,
                upload.file,
                material=material[:64],
                media_type=upload.content_type or "application/octet-stream",
                filename=(upload.filename or "")[:255] or None,
            )

    try:
        await run_in_threadpool(store_all)
    except DomainError as exc:
        return await run_in_threadpool(refused, request, db, settings, user, application_id, exc)
    return done_redirect(application_id, "attached")


@router.get("/registration/applications/{application_id}/attachments/{attachment_id}")
def open_material_page(
    db: DbSession,
    settings: AppSettings,
    user: PageUser,
    application_id: uuid.UUID,
    attachment_id: uuid.UUID,
    download: bool = False,
) -> Response:
    """Open one submitted material (查阅登记材料); the opening is written to the ledger."""
    attachment, path = application_service.open_attachment(
        db, user.principal, settings, application_id, attachment_id
    )
    inline = attachment.media_type in INLINE_TYPES and not download
    return FileResponse(
        path,
        media_type=attachment.media_type if inline else "application/octet-stream",
        filename=attachment.filename or f"{attachment.material}",
        content_disposition_type="inline" if inline else "attachment",
        headers={"X-Content-SHA256": attachment.sha256, "Cache-Control": "private, no-store"},
    )
