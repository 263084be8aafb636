"""Helpers of the EPCIS tests: the shared example documents, capture and query calls."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from tests.conftest import Actor
from tests.data import DATA

JSON = dict[str, Any]
EXAMPLES = DATA / "epcis-2.0" / "JSON"
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
LD_JSON = {"Content-Type": "application/ld+json"}


def example_paths() -> list[Path]:
    return sorted(EXAMPLES.rglob("*.jsonld"))


def load(path: Path) -> JSON:
    data: JSON = json.loads(path.read_text(encoding="utf-8"))
    return data


def as_capture_document(doc: JSON) -> JSON:
    """An EPCISQueryDocument's events re-wrapped as an EPCISDocument (what capture accepts)."""
    if doc["type"] != "EPCISQueryDocument":
        return doc
    events = doc["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    out = {k: v for k, v in doc.items() if k != "epcisBody"}
    out["type"] = "EPCISDocument"
    out["epcisBody"] = {"eventList": copy.deepcopy(events)}
    return out


def events_of(doc: JSON) -> list[JSON]:
    events: list[JSON] = doc["epcisBody"]["eventList"]
    return events


def document(*events: JSON, context: list[Any] | None = None) -> JSON:
    return {
        "@context": context if context is not None else [EPCIS_CONTEXT, {"ex": "https://ns.example.com/"}],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-11-01T00:00:00Z",
        "epcisBody": {"eventList": list(events)},
    }


def object_event(n: int, **fields: Any) -> JSON:
    event: JSON = {
        "type": "ObjectEvent",
        "eventTime": f"2026-01-{n % 28 + 1:02d}T10:00:00.000+08:00",
        "eventTimeZoneOffset": "+08:00",
        "epcList": [f"urn:epc:id:sgtin:0614141.107346.{n}"],
        "action": "OBSERVE",
        "bizStep": "shipping",
    }
    event.update(fields)
    return event


def capture(client: TestClient, actor: Actor, doc: JSON | bytes, **headers: str) -> Any:
    body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    return client.post("/epcis/capture", content=body, headers={**LD_JSON, **actor.headers, **headers})


def captured(client: TestClient, actor: Actor, doc: JSON) -> JSON:
    response = capture(client, actor, doc)
    assert response.status_code == 202, response.text
    job: JSON = response.json()
    assert response.headers["location"] == f"/epcis/capture/{job['captureID']}"
    return job


def event_url(event_id: str) -> str:
    return "/epcis/events/" + quote(event_id, safe="")


def query(client: TestClient, actor: Actor, url: str) -> tuple[list[JSON], str | None]:
    """The events of one query page and the URL of the next page (from the Link header)."""
    response = client.get(url, headers=actor.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["type"] == "EPCISQueryDocument"
    link = response.headers.get("link")
    next_url = link.split(">")[0].lstrip("<") if link else None
    return body["epcisBody"]["queryResults"]["resultsBody"]["eventList"], next_url


def query_all(client: TestClient, actor: Actor, url: str) -> list[JSON]:
    out: list[JSON] = []
    next_url: str | None = url
    while next_url:
        events, next_url = query(client, actor, next_url)
        out.extend(events)
    return out
