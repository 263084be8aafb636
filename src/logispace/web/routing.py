"""Routing conventions: problem responses documented on every API route, content types enforced and
request text checked on every route that takes a body.

:func:`api_router` gives a router whose routes answer 415 when a body arrives in a media type the
route does not accept, 422 when a JSON or form body carries a NUL or a lone surrogate in any string
(:mod:`web.text_guard`), and whose OpenAPI description lists the RFC 9457 problem responses.
:func:`page_router` gives the pages' router: the same text check on every form posted to a page,
answered with the error page. :data:`GUARDED_ROUTES` are the route classes that check; the
application refuses to mount a route that takes a body without one (``web.parts.mount``).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi._compat.shared import field_annotation_is_sequence
from fastapi.dependencies.models import Dependant
from fastapi.params import Form
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute

from logispace.core.errors import PROBLEM_MEDIA_TYPE, InvalidInput, UnsupportedMediaType
from logispace.web.text_guard import bad_pairs, bad_text

_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORM_MEDIA_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class FieldError(BaseModel):
    """One failed field: where it is and what is wrong."""

    loc: list[str | int]
    msg: str
    type: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="URI reference of the problem type, e.g. /problems/not-found")
    title: str
    status: int
    detail: str
    code: str = Field(description="stable machine-readable code")
    instance: str | None = None
    errors: list[FieldError] | None = Field(default=None, description="per-field errors (422)")
    trace_id: str | None = Field(default=None, description="to quote when reporting a 500")


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "model": Problem,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _problem_response("Malformed request"),
    401: _problem_response("Not authenticated"),
    403: _problem_response("Permission denied"),
    404: _problem_response("Not found, or not visible to the caller"),
    409: _problem_response("Conflicts with a rule or the current state"),
    413: _problem_response("Request body too large"),
    415: _problem_response("Unsupported request media type"),
    422: _problem_response("Request validation failed"),
    500: _problem_response("Unexpected error (with a trace id)"),
}


def _is_json(media_type: str) -> bool:
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


class ApiRoute(APIRoute):
    """An API route that refuses request bodies in media types it does not declare (415) and JSON or
    form bodies with a NUL or a lone surrogate in any string, key or value (422 naming the field)."""

    def accepted_media_types(self) -> tuple[str, ...]:
        declared = (self.openapi_extra or {}).get("requestBody", {}).get("content")
        if declared:
            return tuple(declared)
        if self.body_field is None:
            return ()
        if isinstance(self.body_field.field_info, Form):
            return FORM_MEDIA_TYPES
        return ("application/json",)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        accepted = self.accepted_media_types()
        single = _single_valued_query(self.dependant)

        async def checked(request: Request) -> Response:
            _refuse_repeated(request, single)
            if request.method in _UNSAFE_METHODS and _has_body(request):
                media_type = _media_type(request)
                if not _accepts(accepted, media_type):
                    wanted = ", ".join(accepted) if accepted else "no request body"
                    raise UnsupportedMediaType(
                        f"content type {media_type or '(none)'} is not accepted here; send {wanted}",
                        accepted=list(accepted),
                    )
                await _refuse_bad_text(request, media_type)
            return await handler(request)

        return checked


def _single_valued_query(dependant: Dependant) -> frozenset[str]:
    """The names of the query parameters that take one value (not a list), in the route's own parameters,
    its dependencies' and the fields of query parameter models."""
    names: set[str] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        stack.extend(current.dependencies)
        for field in current.query_params:
            annotation = field.field_info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                names.update(
                    info.alias or name
                    for name, info in annotation.model_fields.items()
                    if not field_annotation_is_sequence(info.annotation)
                )
            elif not field_annotation_is_sequence(annotation):
                names.add(field.alias)
    return frozenset(names)


def _refuse_repeated(request: Request, single: frozenset[str]) -> None:
    """A parameter the schema gives one value, sent several times, is refused (422), not read as its last."""
    counts: dict[str, int] = {}
    for key, _ in request.query_params.multi_items():
        counts[key] = counts.get(key, 0) + 1
    repeated = sorted(key for key, count in counts.items() if count > 1 and key in single)
    if repeated:
        raise InvalidInput(
            f"the query parameter {repeated[0]!r} takes one value but was given {counts[repeated[0]]}",
            errors=[
                {"loc": ["query", key], "msg": "takes one value", "type": "repeated"} for key in repeated
            ],
        )


class PageRoute(APIRoute):
    """A page route: a form (or JSON) body with a NUL or a lone surrogate in any field name or text
    value is refused (422 naming the field, rendered as the error page) before the page runs, so
    nothing of it is stored. Forms are read whole whatever their size: FastAPI reads a page's form
    anyway, and the parsed form stays cached on the request for it."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def checked(request: Request) -> Response:
            if request.method in _UNSAFE_METHODS and _has_body(request):
                await _refuse_bad_text(request, _media_type(request), whole_forms=True)
            return await handler(request)

        return checked


GUARDED_ROUTES: tuple[type[APIRoute], ...] = (ApiRoute, PageRoute)
"""The route classes that refuse bad text in a body; every route that takes one is of these."""


async def _refuse_bad_text(request: Request, media_type: str, *, whole_forms: bool = False) -> None:
    """Raise the 422 for a bad character in a JSON or form body. The parsed body stays cached on the
    request for the route; a body that does not parse is left to the route's own validation. API
    forms over :data:`_FORM_CHECK_BYTES` are file uploads that their route streams itself; a page's
    form (``whole_forms``) is checked at any size."""
    try:
        if _is_json(media_type):
            problem = bad_text(await request.json(), ["body"])
        elif media_type in FORM_MEDIA_TYPES and (
            whole_forms or _declared_length(request) <= _FORM_CHECK_BYTES
        ):
            await request.body()  # cached: a form that fails to parse here still reaches the route whole
            form = await request.form()
            problem = bad_pairs(((k, v) for k, v in form.multi_items() if isinstance(v, str)), ["body"])
        else:
            return
    except (ValueError, RecursionError, HTTPException):  # malformed: the route's own validation answers it
        return
    if problem is not None:
        raise problem


_FORM_CHECK_BYTES = 1024 * 1024
"""Forms up to this size are read whole and checked; larger ones are file uploads, parsed by the route."""


def _declared_length(request: Request) -> int:
    length = request.headers.get("content-length", "")
    return int(length) if length.strip().isdigit() else _FORM_CHECK_BYTES + 1


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in request.headers


def _accepts(accepted: tuple[str, ...], media_type: str) -> bool:
    if not media_type:
        return False
    if "application/json" in accepted and _is_json(media_type):
        return True
    return media_type in accepted


def api_router(prefix: str, tags: list[str]) -> APIRouter:
    """A router for ``/api/...`` routes with the conventions of this module."""
    return APIRouter(prefix=prefix, tags=list(tags), route_class=ApiRoute, responses=PROBLEM_RESPONSES)


def page_router() -> APIRouter:
    """A router for pages (left out of the API description), its forms checked for bad text."""
    return APIRouter(include_in_schema=False, route_class=PageRoute)


def unguarded(routes: Iterable[BaseRoute]) -> list[str]:
    """The routes among ``routes`` (included routers walked) that take a body without checking its
    text: ``"POST /path"`` each."""
    out: list[str] = []
    for context in iter_route_contexts(list(routes)):
        route = context.original_route
        methods = (context.methods or set()) & _UNSAFE_METHODS
        if isinstance(route, APIRoute) and methods and not isinstance(route, GUARDED_ROUTES):
            out.extend(f"{method} {context.path}" for method in sorted(methods))
    return out
