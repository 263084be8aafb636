"""Factories for registration tests, through the API: a catalogue resource with data (so it has a
content hash and a ledger receipt of it), application bodies and a complete file of materials."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from fastapi.testclient import TestClient

from tests.factories.catalog import resource_body

API = "/api/v1/registration"
CATALOG = "/api/v1/catalog"
_counter = itertools.count(1)


@dataclass(frozen=True)
class Registrable:
    """A catalogue resource with uploaded data: its code, content hash and the receipt (存证) of it."""

    catalog_code: str
    object_sha256: str
    source_sha256: str
    ledger_index: int


def upload_data(client: TestClient, headers: dict[str, str], code: str, rows: int = 3) -> Registrable:
    """Upload a new version of the resource's data; its ledger entry commits to the content hash."""
    n = next(_counter)
    csv = "plate_no,vehicle_type\n" + "".join(f"桂A{n:03d}{i:02d},货车\n" for i in range(rows))
    response = client.post(
        f"{CATALOG}/resources/{code}/distributions?filename=data.csv",
        content=csv.encode(),
        headers={**headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    return Registrable(code, body["object_sha256"], body["source_sha256"], body["ledger_index"])


def registrable_resource(client: TestClient, headers: dict[str, str], **overrides: Any) -> Registrable:
    """A published resource held by the caller's party, with data uploaded."""
    created = client.post(f"{CATALOG}/resources", json=resource_body(**overrides), headers=headers)
    assert created.status_code == 201, created.text
    code = created.json()["catalog_code"]
    assert client.post(f"{CATALOG}/resources/{code}/publish", headers=headers).status_code == 200
    return upload_data(client, headers, code)


def complete_info() -> dict[str, Any]:
    """Every field of the basic information sheet (004:5360)."""
    return {
        "name": "营运车辆道路运输证信息",
        "data_structure": "plate_no, vehicle_type, licence_no, issued_on",
        "data_scale": "约 120 万条",
        "generation_frequency": "daily",
        "holder_info": "乙港口公司",
        "right_type": "resource_holding",
        "right_term": "2025-01-01 ~ 2030-12-31",
        "data_quality": "完整性 99.2%",
        "industry": "交通运输",
        "application_scenarios": ["资质核验"],
    }


def initial_body(resource: Registrable, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "application_type": "initial",
        "subject_kind": "resource",
        "catalog_code": resource.catalog_code,
        "evidence_ledger_index": resource.ledger_index,
        "internal_business_review_done": True,
        "interested_parties_consensus": True,
        "info": complete_info(),
        "content_summary": "营运车辆道路运输证核发、年审与注销信息",
    }
    body.update(overrides)
    return body


def later_body(kind: str, registration_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "application_type": kind,
        "registration_id": registration_id,
        "internal_business_review_done": True,
        "content_summary": f"{kind} 登记",
    }
    body.update(overrides)
    return body


def attach(
    client: TestClient, headers: dict[str, str], application_id: str, material: str, text: str = ""
) -> dict[str, Any]:
    response = client.post(
        f"{API}/applications/{application_id}/attachments?material={material}&filename={material}.pdf",
        content=(text or f"%PDF-1.7 {material} {next(_counter)}").encode(),
        headers={**headers, "Content-Type": "application/pdf"},
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def attach_missing(client: TestClient, headers: dict[str, str], application: dict[str, Any]) -> list[str]:
    """Attach one file for every attachment the file still lacks (the first name of each item)."""
    attached = []
    for item in application["missing_items"]:
        if item["kind"] == "attachment":
            material = item["key"].split(" | ")[0]
            attach(client, headers, application["id"], material)
            attached.append(material)
    return attached


def file_application(
    client: TestClient, headers: dict[str, str], body: dict[str, Any], *, complete: bool = True
) -> dict[str, Any]:
    """Create a draft (and attach every missing material); returns the application as read back."""
    created = client.post(f"{API}/applications", json=body, headers=headers)
    assert created.status_code == 201, created.text
    application = dict(created.json())
    if complete:
        attach_missing(client, headers, application)
        application = dict(client.get(f"{API}/applications/{application['id']}", headers=headers).json())
    return application
