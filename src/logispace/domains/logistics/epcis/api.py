"""EPCIS 2.0 REST binding (``/epcis``): capture, capture jobs, the simple event query, event types
and business steps. Every route needs a logged-in party; a party sees only its own events."""

from __future__ import annotations

import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import StringConstraints, WithJsonSchema

from logispace.core.bodies import SPACE
from logispace.core.clock import utcnow
from logispace.core.errors import UnsupportedMediaType
from logispace.domains.identity import CurrentPrincipal
from logispace.domains.logistics.epcis import service
from logispace.domains.logistics.epcis.document import EVENT_TYPES, pointer
from logispace.domains.logistics.epcis.errors import (
    InvalidEpcisDocument,
    InvalidEpcisQuery,
    UnsupportedCaptureBehaviour,
)
from logispace.domains.logistics.epcis.hashing import timestamp
from logispace.domains.logistics.epcis.identifiers import cbv_uri, epc_to_digital_link
from logispace.domains.logistics.epcis.models import EpcisEvent
from logispace.domains.logistics.epcis.repository import EventFilter
from logispace.domains.logistics.epcis.schemas import (
    CBV_BIZ_STEPS,
    CaptureJobRead,
    Collection,
)
from logispace.web.dependencies import AppSettings, DbSession
from logispace.web.routing import PROBLEM_RESPONSES, ApiRoute
from logispace.web.text_guard import BadText

CAPTURE_MEDIA_TYPES = ("application/json", "application/ld+json")
VERSION_HEADERS = {"GS1-EPCIS-Version": "2.0.0", "GS1-CBV-Version": "2.0.0"}
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 1000
_OBJECT = {"schema": {"type": "object"}}
_CAPTURE_DOCUMENT = {
    "schema": {
        "type": "object",
        "description": "An EPCIS 2.0 document (EPCISDocument). Its events are checked against the EPCIS JSON"
        " Schema of GS1 and the CBV rules; this schema states the document's own members.",
        "required": ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
        "properties": {
            "@context": {"anyOf": [{"type": "string"}, {"type": "object"}, {"type": "array"}]},
            "type": {"const": "EPCISDocument"},
            "schemaVersion": {"type": "string"},
            "creationDate": {"type": "string", "format": "date-time"},
            "epcisBody": {
                "type": "object",
                "required": ["eventList"],
                "properties": {
                    "eventList": {"type": "array", "items": {"type": "object", "required": ["type"]}}
                },
            },
        },
    }
}
_QUERY_DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "An EPCISQueryDocument; a Link header with rel=next when more pages follow",
        "content": {"application/json": _OBJECT},
    }
}


class UnsupportedEpcisMediaType(UnsupportedMediaType):
    """The capture body is not JSON-LD / JSON."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            detail,
            accepted=list(CAPTURE_MEDIA_TYPES),
            epcisException="epcisException:UnsupportedMediaTypeException",
        )


class EpcisRoute(ApiRoute):
    """An API route whose 415 problems also name the EPCIS exception, and whose refused text (a NUL or a
    lone surrogate) is an invalid EPCIS document (400 with the JSON pointer), as the capture's checks say."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def epcis_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except UnsupportedMediaType as exc:
                if "epcisException" in exc.extensions:
                    raise
                raise UnsupportedEpcisMediaType(exc.detail) from None
            except BadText as exc:
                raise InvalidEpcisDocument(exc.detail, pointer=pointer(exc.loc[1:])) from None

        return epcis_handler


router = APIRouter(prefix="/epcis", tags=["epcis"], route_class=EpcisRoute, responses=PROBLEM_RESPONSES)


@router.post(
    "/capture",
    status_code=202,
    response_model=CaptureJobRead,
    summary="Capture an EPCIS document (all events or none)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": dict.fromkeys(CAPTURE_MEDIA_TYPES, _CAPTURE_DOCUMENT),
        }
    },
    responses={202: {"description": "Captured; Location names the capture job"}},
)
async def capture(
    request: Request, db: DbSession, principal: CurrentPrincipal, settings: AppSettings
) -> Response:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in CAPTURE_MEDIA_TYPES:
        raise UnsupportedEpcisMediaType(
            f"content type {media_type or '(none)'} is not accepted; send application/ld+json"
        )
    behaviour = request.headers.get("gs1-capture-error-behaviour", "rollback").strip().lower()
    if behaviour != "rollback":
        raise UnsupportedCaptureBehaviour(
            f"GS1-Capture-Error-Behaviour {behaviour!r} is not offered; captures are all or nothing"
        )
    body = await request.body()
    job = service.capture(db, principal, body, settings)
    read = service.job_read(job)
    return JSONResponse(
        read.model_dump(mode="json"),
        status_code=202,
        headers={"Location": f"/epcis/capture/{job.id}", **VERSION_HEADERS},
    )


@router.get("/capture/{capture_id}", summary="A capture job of the caller's party")
def capture_job(capture_id: str, db: DbSession, principal: CurrentPrincipal) -> CaptureJobRead:
    return service.job_read(service.capture_job(db, principal, capture_id))


def _values(raw: list[str] | None) -> list[str]:
    return [v.strip() for item in raw or [] for v in item.split(",") if v.strip()]


_LEAP_SECOND = re.compile(r"(?<=T\d\d:\d\d):60")
_EARLIEST, _LATEST = datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)


def _time(name: str, raw: str | None) -> datetime | None:
    """A query's RFC 3339 ``date-time`` as a UTC instant. A leap second (``23:59:60``) ends its minute;
    an instant outside the years 1-9999 once in UTC is the earliest or latest one representable."""
    if raw is None:
        return None
    text = raw.strip()
    leap = _LEAP_SECOND.search(text)
    if leap:
        text = f"{text[: leap.start()]}:59{text[leap.end() :]}"
    try:
        instant = datetime.fromisoformat(timestamp(text).replace("Z", "+00:00")).astimezone(UTC)
    except (ValueError, TypeError, ArithmeticError):
        instant = _edge_instant(name, text)
    if leap and instant < _LATEST - timedelta(seconds=1):
        instant += timedelta(seconds=1)
    return instant


def _edge_instant(name: str, text: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(text.replace("z", "Z").replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            raise ValueError(text)
        return parsed.astimezone(UTC)
    except OverflowError:
        return _EARLIEST if parsed.year == 1 else _LATEST
    except ValueError:
        raise InvalidEpcisQuery(f"{name} is not an ISO 8601 timestamp", parameter=name) from None


ListParam = Annotated[list[str] | None, Query()]
# ADD, OBSERVE or DELETE, several joined by commas; stated for clients, checked below (400 as EPCIS says).
S = SPACE
Action = Annotated[
    str,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": f"^[{S}]*(ADD|OBSERVE|DELETE)?[{S}]*(,[{S}]*(ADD|OBSERVE|DELETE)?[{S}]*)*$",
        }
    ),
]
# EPCs, read points and locations are URIs (EPC URNs or GS1 Digital Link / other URLs).
_URI = r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$"
UriList = list[Annotated[str, StringConstraints(pattern=_URI, max_length=512)]] | None
TimeParam = Annotated[str | None, Query(max_length=64, json_schema_extra={"format": "date-time"})]
PerPage = Annotated[int, Query(alias="perPage", ge=1, le=MAX_PER_PAGE)]
PageToken = Annotated[str | None, Query(alias="nextPageToken", max_length=200)]


def _page(
    request: Request, db: DbSession, principal: Any, f: EventFilter, per_page: int, token: str | None
) -> JSONResponse:
    page = service.query_events(db, principal, f, per_page, token)
    headers = dict(VERSION_HEADERS)
    if page.next_token:
        params = [(k, v) for k, v in request.query_params.multi_items() if k != "nextPageToken"]
        params.append(("nextPageToken", page.next_token))
        headers["Link"] = f'<{request.url.path}?{urlencode(params)}>; rel="next"'
    return JSONResponse(service.query_document(page.events, utcnow()), headers=headers)


@router.get("/events", summary="The simple event query over the caller's events", responses=_QUERY_DOCUMENT)
def events(
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    event_type: Annotated[list[str] | None, Query(alias="eventType")] = None,
    ge_event_time: Annotated[
        str | None, Query(alias="GE_eventTime", max_length=64, json_schema_extra={"format": "date-time"})
    ] = None,
    lt_event_time: Annotated[
        str | None, Query(alias="LT_eventTime", max_length=64, json_schema_extra={"format": "date-time"})
    ] = None,
    ge_record_time: Annotated[
        str | None, Query(alias="GE_recordTime", max_length=64, json_schema_extra={"format": "date-time"})
    ] = None,
    lt_record_time: Annotated[
        str | None, Query(alias="LT_recordTime", max_length=64, json_schema_extra={"format": "date-time"})
    ] = None,
    eq_biz_step: Annotated[list[str] | None, Query(alias="EQ_bizStep")] = None,
    eq_disposition: Annotated[list[str] | None, Query(alias="EQ_disposition")] = None,
    eq_read_point: Annotated[UriList, Query(alias="EQ_readPoint")] = None,
    eq_biz_location: Annotated[UriList, Query(alias="EQ_bizLocation")] = None,
    match_epc: Annotated[UriList, Query(alias="MATCH_epc")] = None,
    match_any_epc: Annotated[UriList, Query(alias="MATCH_anyEPC")] = None,
    match_parent_id: Annotated[UriList, Query(alias="MATCH_parentID")] = None,
    eq_action: Annotated[list[Action] | None, Query(alias="EQ_action")] = None,
    per_page: PerPage = DEFAULT_PER_PAGE,
    next_page_token: PageToken = None,
) -> JSONResponse:
    actions = _values(eq_action)
    unknown = [a for a in actions if a not in ("ADD", "OBSERVE", "DELETE")]
    if unknown:
        raise InvalidEpcisQuery(f"EQ_action must be ADD, OBSERVE or DELETE, not {unknown[0]!r}")
    f = EventFilter(
        event_types=_values(event_type),
        ge_event_time=_time("GE_eventTime", ge_event_time),
        lt_event_time=_time("LT_eventTime", lt_event_time),
        ge_record_time=_time("GE_recordTime", ge_record_time),
        lt_record_time=_time("LT_recordTime", lt_record_time),
        biz_steps=[cbv_uri("bizStep", v) for v in _values(eq_biz_step)],
        dispositions=[cbv_uri("disposition", v) for v in _values(eq_disposition)],
        read_points=[epc_to_digital_link(v) for v in _values(eq_read_point)],
        biz_locations=[epc_to_digital_link(v) for v in _values(eq_biz_location)],
        actions=actions,
        match_epc=[epc_to_digital_link(v) for v in _values(match_epc)],
        match_any_epc=[epc_to_digital_link(v) for v in _values(match_any_epc)],
        match_parent_id=[epc_to_digital_link(v) for v in _values(match_parent_id)],
    )
    return _page(request, db, principal, f, per_page, next_page_token)


@router.get(
    "/events/{event_id:path}",
    summary="One event of the caller's party, by its eventID (URL-encoded)",
    responses=_QUERY_DOCUMENT,
)
def event(event_id: str, db: DbSession, principal: CurrentPrincipal) -> JSONResponse:
    row = service.event(db, principal, event_id)
    return JSONResponse(service.query_document([row], utcnow()), headers=VERSION_HEADERS)


@router.get(
    "/epcs/{epc:path}/events",
    summary="The caller's events that name an EPC (URN or GS1 Digital Link) in any role",
    responses=_QUERY_DOCUMENT,
)
def epc_events(
    epc: str,
    request: Request,
    db: DbSession,
    principal: CurrentPrincipal,
    per_page: PerPage = DEFAULT_PER_PAGE,
    next_page_token: PageToken = None,
) -> JSONResponse:
    f = EventFilter(match_any_epc=[epc_to_digital_link(epc)])
    return _page(request, db, principal, f, per_page, next_page_token)


@router.get("/eventTypes", summary="The EPCIS event types this repository supports")
def event_types(principal: CurrentPrincipal, response: Response) -> Collection:
    response.headers.update(VERSION_HEADERS)
    return Collection(member=list(EVENT_TYPES))


@router.get("/bizSteps", summary="The CBV business steps, and any other step in the caller's events")
def biz_steps(db: DbSession, principal: CurrentPrincipal, response: Response) -> Collection:
    response.headers.update(VERSION_HEADERS)
    standard = [cbv_uri("bizStep", step) for step in CBV_BIZ_STEPS]
    custom = [s for s in service.stored_values(db, principal, EpcisEvent.biz_step) if s not in standard]
    return Collection(member=[*CBV_BIZ_STEPS, *custom])
