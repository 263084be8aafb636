"""EPCIS document intake (EPCIS文档校验): parse, validate against the EPCIS 2.0 JSON schema, check
the JSON-LD context and the event rules, and turn each event into the row that stores it.

Validation uses ``jsonschema_rs`` (draft 7) on the GS1 schema shipped in ``data/`` (copied from
gs1/EPCIS @ 2b888be); nothing is fetched: the schema has no remote references and the standard
``@context`` is recognised by its URL, never downloaded.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Any

import jsonschema_rs

from logispace.domains.logistics.epcis.errors import InvalidEpcisDocument
from logispace.domains.logistics.epcis.hashing import context_prefixes, event_hash_id, timestamp
from logispace.domains.logistics.epcis.identifiers import cbv_uri, epc_to_digital_link

EPCIS_CONTEXTS = frozenset(
    {
        "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
        "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        "https://gs1.github.io/EPCIS/epcis-context.jsonld",
    }
)
EVENT_TYPES = (
    "ObjectEvent",
    "AggregationEvent",
    "TransactionEvent",
    "TransformationEvent",
    "AssociationEvent",
)
MAX_REPORTED_ERRORS = 20

# list name in the event -> role in the EPC link table
EPC_ROLES = {"epcList": "epc", "childEPCs": "child", "inputEPCList": "input", "outputEPCList": "output"}
# quantity lists whose EPC classes are linked with role ``quantity`` (for the trace of a class)
QUANTITY_LISTS = ("quantityList", "childQuantityList", "inputQuantityList", "outputQuantityList")


@cache
def _validator() -> Any:
    text = (
        resources.files("logispace.domains.logistics.epcis")
        .joinpath("data/EPCIS-JSON-Schema.json")
        .read_text()
    )
    return jsonschema_rs.Draft7Validator(json.loads(text), validate_formats=True, offline=True)


def pointer(path: list[str | int] | tuple[str | int, ...]) -> str:
    """An RFC 6901 JSON pointer for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _invalid(detail: str, path: list[str | int], **extra: Any) -> InvalidEpcisDocument:
    return InvalidEpcisDocument(detail, pointer=pointer(path), **extra)


def parse(body: bytes) -> Any:
    """The JSON of a request body, or a problem saying it is not JSON."""
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _invalid(f"the body is not JSON: {exc}", []) from None


def validate_schema(document: Any) -> None:
    """Check ``document`` against the EPCIS 2.0 JSON schema; the first error gives the pointer."""
    errors = []
    for error in _validator().iter_errors(document):
        path = list(error.instance_path)
        errors.append({"loc": path, "msg": error.message, "type": "epcis-schema", "pointer": pointer(path)})
        if len(errors) >= MAX_REPORTED_ERRORS:
            break
    if errors:
        # The first error reported, made as specific as the others allow (an ``anyOf`` failure
        # of an event is also reported at the member that broke it).
        first = errors[0]
        for other in errors:
            if other["pointer"].startswith(first["pointer"] + "/"):
                first = other
        raise InvalidEpcisDocument(
            f"{first['pointer'] or 'the document'}: {first['msg']}",
            pointer=first["pointer"],
            errors=errors,
        )


def check_context(context: Any) -> None:
    """The document's ``@context`` must name the EPCIS 2.0 context (URL only, never fetched)."""
    items = context if isinstance(context, list) else [context]
    if not any(isinstance(item, str) and item in EPCIS_CONTEXTS for item in items):
        raise _invalid(
            "@context must include the EPCIS 2.0 context "
            "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
            ["@context"],
        )


def _utc(value: str) -> datetime:
    return datetime.fromisoformat(timestamp(value).replace("Z", "+00:00")).astimezone(UTC)


@dataclass
class ParsedEvent:
    """One event ready to store: its columns, its EPC links and the JSON kept."""

    event_id: str
    event_hash: str
    event_type: str
    event_time: datetime
    action: str | None
    biz_step: str | None
    disposition: str | None
    read_point: str | None
    biz_location: str | None
    body: dict[str, Any]
    epcs: list[tuple[str, str]] = field(default_factory=list)
    declared_id: bool = True
    """Whether the sender gave the eventID (else it is the event hash)."""


def _extra_context(context: Any) -> Any:
    """The document context without the standard EPCIS entry (what events need to keep meaning)."""
    items = context if isinstance(context, list) else [context]
    extra = [item for item in items if not (isinstance(item, str) and item in EPCIS_CONTEXTS)]
    return extra or None


def events_of(document: dict[str, Any], now: datetime, future_tolerance: timedelta) -> list[ParsedEvent]:
    """The events of a valid EPCIS document, checked against the rules the schema cannot express."""
    if document.get("type") != "EPCISDocument":
        raise _invalid("only an EPCISDocument can be captured", ["type"])
    check_context(document.get("@context"))
    prefixes = context_prefixes(document["@context"])
    extra = _extra_context(document["@context"])
    latest = now + future_tolerance
    parsed: list[ParsedEvent] = []
    for i, event in enumerate(document["epcisBody"]["eventList"]):
        path: list[str | int] = ["epcisBody", "eventList", i]
        event_type = event.get("type")
        if event_type not in EVENT_TYPES:
            raise _invalid(f"unknown event type {event_type!r}", [*path, "type"])
        if "@context" in event:
            check_context_extension(event["@context"], [*path, "@context"])
            prefixes_here = {**prefixes, **context_prefixes(event["@context"])}
        else:
            prefixes_here = prefixes
        try:
            event_time = _utc(event["eventTime"])
        except ValueError:
            raise _invalid("eventTime is not a timestamp", [*path, "eventTime"]) from None
        if event_time > latest:
            raise _invalid(
                f"eventTime {event['eventTime']} is in the future (tolerance {future_tolerance})",
                [*path, "eventTime"],
            )
        try:
            hash_id = event_hash_id(event, prefixes_here)
        except (ValueError, TypeError, KeyError) as exc:
            raise _invalid(f"the event cannot be hashed: {exc}", path) from None
        body = dict(event)
        body.pop("recordTime", None)
        body.setdefault("eventID", hash_id)
        if extra is not None and "@context" not in body:
            body = {"@context": extra, **body}
        parsed.append(
            ParsedEvent(
                event_id=body["eventID"],
                event_hash=hash_id,
                event_type=event_type,
                event_time=event_time,
                action=event.get("action"),
                biz_step=cbv_uri("bizStep", event["bizStep"]) if "bizStep" in event else None,
                disposition=(
                    cbv_uri("disposition", event["disposition"]) if "disposition" in event else None
                ),
                read_point=_location(event.get("readPoint")),
                biz_location=_location(event.get("bizLocation")),
                body=body,
                epcs=_epc_links(event),
                declared_id="eventID" in event,
            )
        )
        _refuse_nul(parsed[-1], path)
    return parsed


def _refuse_nul(event: ParsedEvent, path: list[str | int]) -> None:
    """Identifiers with a NUL character cannot be stored as text (PostgreSQL refuses them)."""
    texts = [event.event_id, event.biz_step, event.disposition, event.read_point, event.biz_location]
    texts.extend(epc for _, epc in event.epcs)
    if any(t is not None and "\x00" in t for t in texts):
        raise _invalid("identifiers must not contain the NUL character", path)


def check_context_extension(context: Any, path: list[str | int]) -> None:
    """An event's own ``@context`` may only add prefix definitions."""
    items = context if isinstance(context, list) else [context]
    for item in items:
        if not isinstance(item, dict | str):
            raise _invalid("@context entries must be URLs or objects", path)


def _location(value: Any) -> str | None:
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return epc_to_digital_link(value["id"])
    return None


def _epc_links(event: dict[str, Any]) -> list[tuple[str, str]]:
    links: set[tuple[str, str]] = set()
    for name, role in EPC_ROLES.items():
        for epc in event.get(name) or []:
            links.add((role, epc_to_digital_link(str(epc))))
    if isinstance(event.get("parentID"), str):
        links.add(("parent", epc_to_digital_link(event["parentID"])))
    for name in QUANTITY_LISTS:
        for element in event.get(name) or []:
            if isinstance(element, dict) and isinstance(element.get("epcClass"), str):
                links.add(("quantity", epc_to_digital_link(element["epcClass"])))
    return sorted(links)
