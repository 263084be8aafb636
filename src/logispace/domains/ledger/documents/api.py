"""Document API (``/api/v1/documents``): notarize (存证), list, read and verify (鉴真).

Notarizing and the list need a login; reading a document's public metadata and verifying a file
or hash are public. A body is either ``multipart/form-data`` with a ``file`` (hashed as it is
read, never stored) or JSON.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, TypeVar

from fastapi import Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from logispace.core.pagination import Page, PageParams
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.ledger.documents import service as document_service
from logispace.domains.ledger.documents.schemas import (
    DocumentFields,
    DocumentJsonCreate,
    DocumentRead,
    DocumentSummary,
    Notarized,
    VerifyFileFields,
    VerifyRequest,
    VerifyResult,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import api_router

router = api_router("/api/v1/documents", tags=["documents"])

M = TypeVar("M", bound=BaseModel)

_FORM_LIMITS = {"max_files": 1, "max_fields": 10}


def _upload_schema(fields: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """The multipart form: a non-empty file and the text fields, under the rules ``model`` states for
    its fields together (a new document needs a title)."""
    together = {key: value for key, value in model.model_json_schema().items() if key == "anyOf"}
    return {
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "format": "binary", "minLength": 1}, **fields},
        "additionalProperties": False,
        **together,
    }


def _body(form_fields: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {"schema": _upload_schema(form_fields, model)},
                "application/json": {"schema": model.model_json_schema()},
            },
        }
    }


_ID = {"type": "string", "format": "uuid"}
NOTARIZE_BODY = _body(
    {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "reference": {"type": "string", "minLength": 1, "maxLength": 100},
        "document_id": _ID,
    },
    DocumentJsonCreate,
)
VERIFY_BODY = _body({"document_id": _ID}, VerifyRequest)


def _validated(model: type[M], data: Any, *, json_text: bytes | None = None) -> M:
    """``model`` from form fields or JSON text; failures are a 422 naming each body field."""
    try:
        if json_text is not None:
            return model.model_validate_json(json_text)
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors(include_url=False, include_context=False)]
        ) from None


def _missing(field: str, message: str) -> RequestValidationError:
    return RequestValidationError([{"loc": ("body", field), "msg": message, "type": "missing"}])


def _is_multipart(request: Request) -> bool:
    return request.headers.get("content-type", "").lower().startswith("multipart/form-data")


async def _upload(request: Request) -> tuple[UploadFile, dict[str, str]]:
    """The single uploaded ``file`` and the other (text) fields of a multipart body."""
    form = await request.form(**_FORM_LIMITS)
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise _missing("file", "send the document as a file field named 'file'")
    fields = {key: value for key, value in form.items() if key not in ("file", "csrf_token")}
    texts = {key: value for key, value in fields.items() if isinstance(value, str)}
    if len(texts) != len(fields) or len(form.getlist("file")) != 1:
        raise _missing("file", "send exactly one file, named 'file'")
    return upload, texts


@router.post(
    "", status_code=201, openapi_extra=NOTARIZE_BODY, summary="Notarize a file or a JSON document (存证)"
)
async def notarize(request: Request, db: DbSession, p: CurrentPrincipal, settings: AppSettings) -> Notarized:
    if _is_multipart(request):
        upload, texts = await _upload(request)
        fields = _validated(DocumentFields, texts)
        sha256, size = await document_service.hash_stream(upload)
        content = document_service.file_content(sha256, size, upload.content_type, upload.filename)
    else:
        raw = await request.body()
        if not raw:
            raise _missing("document", "send a file (multipart) or a JSON document")
        body = _validated(DocumentJsonCreate, None, json_text=raw)
        fields = DocumentFields(title=body.title, reference=body.reference, document_id=body.document_id)
        content = document_service.json_content(body.document)
    return await run_in_threadpool(document_service.notarize, db, p, settings, content, fields)


@router.get("", summary="The caller's party's notarized documents")
def list_documents(
    db: DbSession, p: CurrentPrincipal, paging: Annotated[PageParams, Query()]
) -> Page[DocumentSummary]:
    items, total = document_service.list_documents(db, p, paging)
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.post(
    "/verify",
    openapi_extra=VERIFY_BODY,
    summary="Verify a file or a hash: authentic, tampered or unknown (public)",
)
async def verify(request: Request, db: DbSession) -> VerifyResult:
    if _is_multipart(request):
        upload, texts = await _upload(request)
        document_id = _validated(VerifyFileFields, texts).document_id
        sha256, size = await document_service.hash_stream(upload)
        document_service.file_content(sha256, size, None, None)  # refuses an empty file
    else:
        raw = await request.body()
        if not raw:
            raise _missing("sha256", 'send a file (multipart) or {"sha256": ...} as JSON')
        body = _validated(VerifyRequest, None, json_text=raw)
        sha256, document_id = body.sha256, body.document_id
    return await run_in_threadpool(document_service.verify, db, sha256, document_id)


@router.get("/{document_id:uuid}", summary="A notarized document's public metadata and versions (public)")
def get_document(db: DbSession, document_id: uuid.UUID) -> DocumentRead:
    return document_service.document_read(db, document_service.get_document(db, document_id))
