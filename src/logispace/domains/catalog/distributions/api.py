"""Distributions and open data API (``/api/v1/catalog/resources/{code}/...``).

Uploads take the raw request body (``Content-Type`` or ``?filename=`` names the format) and are
spooled to disk as they arrive, so a 2 GB file never sits in memory; the app's body limit lets this
one route take up to ``max_upload_bytes`` (:data:`UPLOAD_PATH`). Previews and downloads are public
for published 无条件开放 resources; anything else is a 403 naming what must be requested.
"""

from __future__ import annotations

import re
import tempfile
from typing import Annotated

from fastapi import Header, Path, Query, Request, Response
from fastapi.responses import FileResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool

from logispace.domains.catalog.distributions import resumable
from logispace.domains.catalog.distributions import service as dists
from logispace.domains.catalog.schemas import (
    CatalogCode,
    DistributionRead,
    PreviewRead,
    UploadRead,
    UploadStart,
)
from logispace.domains.identity import CurrentPrincipal, MaybePrincipal
from logispace.storage import LocalObjectStore, UploadTooLarge, format_for
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.downloads import HeaderNames, Headers
from logispace.web.routing import api_router

router = api_router("/api/v1/catalog", tags=["catalog"])

UPLOAD_PATH = re.compile(
    r"(?:/api/v1/catalog/resources/[A-Za-z0-9]{1,20}/distributions|/catalog/resources/[A-Za-z0-9]{1,20}/upload)"
)
"""The one-shot upload routes (the API's and the upload page's form without JavaScript), for the body
limit of :class:`~logispace.web.middleware.BodyLimitMiddleware`; resumable chunks keep the usual limit."""

_UPLOAD_BODY = {
    "requestBody": {
        "required": True,
        "description": "The file itself, as the raw body (CSV, XLSX, JSON Lines or Parquet)",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in (
                "text/csv",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "application/x-ndjson",
                "application/vnd.apache.parquet",
                "application/octet-stream",
            )
        },
    }
}
FileName = Annotated[
    str | None, Query(max_length=255, description="the file's name; its suffix names the format")
]
PreviewRows = Annotated[int, Query(ge=0, le=dists.PREVIEW_MAX_ROWS, description="how many rows")]


@router.post(
    "/resources/{code}/distributions",
    status_code=201,
    summary="Upload the next version of a resource's data (holder party), stored as Parquet",
    openapi_extra=_UPLOAD_BODY,
)
async def upload_distribution(
    request: Request,
    db: DbSession,
    p: CurrentPrincipal,
    settings: AppSettings,
    code: CatalogCode,
    filename: FileName = None,
) -> DistributionRead:
    fmt = format_for(filename, request.headers.get("content-type"))
    await run_in_threadpool(dists.uploadable, db, p, code)  # refuse before reading the body
    store = LocalObjectStore.from_settings(settings)
    limit = settings.max_upload_bytes
    store.tmp_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryFile(dir=store.tmp_dir, prefix="upload-") as spool:
        received = 0
        async for chunk in request.stream():
            received += len(chunk)
            if received > limit:
                raise UploadTooLarge(f"the upload exceeds the limit of {limit} bytes", limit_bytes=limit)
            await run_in_threadpool(spool.write, chunk)
        spool.seek(0)
        dist = await run_in_threadpool(
            lambda: dists.upload(db, p, code, spool, fmt=fmt, store=store, max_bytes=limit)
        )
    resource, _ = await run_in_threadpool(dists.list_distributions, db, p, code)
    return dists.distribution_reads(db, resource, [dist])[0]


@router.get(
    "/resources/{code}/distributions",
    summary="Versions of a resource's data with schema drift, newest first (public if published)",
)
def list_distributions(db: DbSession, p: MaybePrincipal, code: CatalogCode) -> list[DistributionRead]:
    resource, found = dists.list_distributions(db, p, code)
    return dists.distribution_reads(db, resource, found)


@router.get(
    "/resources/{code}/preview",
    summary="First rows of the newest data (public for 无条件开放)",
)
def preview(
    db: DbSession, p: MaybePrincipal, settings: AppSettings, code: CatalogCode, rows: PreviewRows = 20
) -> PreviewRead:
    resource, dist = dists.open_distribution(db, p, code)
    return dists.preview(LocalObjectStore.from_settings(settings), resource, dist, rows)


@router.get(
    "/resources/{code}/download.csv",
    summary="The newest data as CSV, streamed (public for 无条件开放; ?headers=zh: Chinese columns)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "UTF-8 CSV"}},
)
def download_csv(
    db: DbSession,
    p: MaybePrincipal,
    settings: AppSettings,
    code: CatalogCode,
    headers: Headers = HeaderNames.NAME,
) -> Response:
    resource, dist = dists.open_distribution(db, p, code)
    store = LocalObjectStore.from_settings(settings)
    titles = dists.column_titles(resource) if headers is HeaderNames.ZH else None
    return StreamingResponse(
        dists.csv_chunks(store, dist, titles),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{resource.catalog_code}-v{dist.version}.csv"'
        },
    )


@router.get(
    "/resources/{code}/download.parquet",
    summary="The newest data as Parquet (public for 无条件开放)",
    response_class=Response,
    responses={
        200: {
            "content": {"application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}},
            "description": "Parquet",
        }
    },
)
def download_parquet(db: DbSession, p: MaybePrincipal, settings: AppSettings, code: CatalogCode) -> Response:
    resource, dist = dists.open_distribution(db, p, code)
    store = LocalObjectStore.from_settings(settings)
    return FileResponse(
        store.path_of(dist.object_sha256),
        media_type="application/vnd.apache.parquet",
        filename=f"{resource.catalog_code}-v{dist.version}.parquet",
        headers={"X-Content-SHA256": dist.object_sha256},
    )


# -- resumable uploads (断点续传) ---------------------------------------------------------------------

UploadId = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="the upload's id")]
_CHUNK_BODY = {
    "requestBody": {
        "required": True,
        "description": "The next bytes of the file, from the offset named in Upload-Offset",
        "content": {
            media: {"schema": {"type": "string", "format": "binary"}}
            for media in ("application/offset+octet-stream", "application/octet-stream")
        },
    }
}


def _upload_read(state: resumable.UploadState, offset: int) -> UploadRead:
    return UploadRead(
        id=state.id,
        catalog_code=state.catalog_code,
        filename=state.filename,
        size=state.size,
        offset=offset,
        url=f"/api/v1/catalog/resources/{state.catalog_code}/uploads/{state.id}",
    )


@router.post(
    "/resources/{code}/uploads",
    status_code=201,
    summary="Start a resumable upload of the next version (holder party): name the file and its size",
)
def start_upload(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, code: CatalogCode, body: UploadStart
) -> UploadRead:
    store = LocalObjectStore.from_settings(settings)
    state = resumable.start(
        db, p, code, filename=body.filename, size=body.size, store=store, max_bytes=settings.max_upload_bytes
    )
    return _upload_read(state, 0)


@router.get(
    "/resources/{code}/uploads/{upload_id}",
    summary="Where a resumable upload stands: the offset to send the next chunk from",
)
def upload_status(
    p: CurrentPrincipal, settings: AppSettings, code: CatalogCode, upload_id: UploadId
) -> UploadRead:
    state, offset = resumable.status(p, code, upload_id, LocalObjectStore.from_settings(settings))
    return _upload_read(state, offset)


@router.patch(
    "/resources/{code}/uploads/{upload_id}",
    summary="Send the next chunk from the offset in Upload-Offset (409 names the offset if it differs)",
    openapi_extra=_CHUNK_BODY,
)
async def upload_chunk(
    request: Request,
    p: CurrentPrincipal,
    settings: AppSettings,
    code: CatalogCode,
    upload_id: UploadId,
    upload_offset: Annotated[int, Header(alias="Upload-Offset", ge=0, le=10**13)],
) -> UploadRead:
    store = LocalObjectStore.from_settings(settings)
    state, _ = await run_in_threadpool(resumable.status, p, code, upload_id, store)
    received = resumable.receiving(state, store)  # written as it arrives; counted only when whole
    try:
        with received.open("wb") as out:
            async for chunk in request.stream():
                await run_in_threadpool(out.write, chunk)
    except BaseException:
        received.unlink(missing_ok=True)  # the chunk did not arrive: nothing of it counts
        raise
    offset = await run_in_threadpool(
        resumable.commit_chunk, p, code, upload_id, upload_offset, received, store
    )
    return _upload_read(state, offset)


@router.post(
    "/resources/{code}/uploads/{upload_id}/complete",
    status_code=201,
    summary="Assemble a complete resumable upload and store it as the next version",
)
def complete_upload(
    db: DbSession, p: CurrentPrincipal, settings: AppSettings, code: CatalogCode, upload_id: UploadId
) -> DistributionRead:
    store = LocalObjectStore.from_settings(settings)
    dist = resumable.finish(db, p, code, upload_id, store=store, max_bytes=settings.max_upload_bytes)
    resource, _ = dists.list_distributions(db, p, code)
    return dists.distribution_reads(db, resource, [dist])[0]


@router.delete(
    "/resources/{code}/uploads/{upload_id}",
    status_code=204,
    summary="Give up a resumable upload: its chunks are removed",
)
def cancel_upload(
    p: CurrentPrincipal, settings: AppSettings, code: CatalogCode, upload_id: UploadId
) -> Response:
    resumable.cancel(p, code, upload_id, LocalObjectStore.from_settings(settings))
    return Response(status_code=204)
