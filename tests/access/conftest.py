"""Access fixtures: a holder's resource with data, a requester, an outsider, and helpers that take a
request through its joint review."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.access.models import AccessRequest, Delivery, Grant, Refusal
from logispace.domains.catalog.distributions import service as distribution_service
from logispace.domains.identity import SYSTEM, Role
from logispace.domains.ledger.models import LedgerEntry
from logispace.storage import LocalObjectStore, UploadFormat
from tests.conftest import Actor, World
from tests.factories.catalog import make_resource
from tests.factories.identity import make_party, make_token, make_user

API = "/api/v1/access"

FIELDS: list[dict[str, Any]] = [
    {"name": "waybill_no", "title": "多式联运单号", "type": "string", "grade": "general_other"},
    {"name": "shipper", "title": "托运人", "type": "string", "grade": "general_sensitive"},
    {"name": "city", "title": "始发城市", "type": "string", "grade": "general_other"},
    {"name": "legs", "title": "运输段", "type": "integer", "grade": "general_other"},
    {"name": "route_secret", "title": "敏感线路", "type": "string", "grade": "important"},
]
CITIES = ["南宁", "钦州", "重庆", "成都"]


def waybill_csv(rows: int = 200) -> bytes:
    lines = ["waybill_no,shipper,city,legs,route_secret"]
    for i in range(rows):
        lines.append(f"LHX-{i:06d},示范贸易有限公司{i % 7},{CITIES[i % 4]},{1 + i % 3},R{i % 5}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        max_body_bytes=64 * 1024,
        cookie_secure=False,
        objects_dir=tmp_path / "objects",
    )


@dataclass
class Space:
    """The parties of an access test: the holder (world.b), the requester (world.a), an outsider."""

    world: World
    code: str
    outsider: Actor
    holder: Actor
    requester: Actor
    authority: Actor


@pytest.fixture
def space(db: Session, world: World, settings: Settings) -> Space:
    resource = make_resource(
        db, world.b_admin.party_id, publish=True, fields=FIELDS, grade="important", open_type="conditional"
    )
    distribution_service.upload(
        db,
        SYSTEM,
        resource.catalog_code,
        io.BytesIO(waybill_csv()),
        fmt=UploadFormat.CSV,
        store=LocalObjectStore.from_settings(settings),
        max_bytes=settings.max_upload_bytes,
    )
    party_c = make_party(db, name="丙保险公司")
    user_c = make_user(db, party_c, Role.PARTY_ADMIN, Role.ANALYST)
    outsider = Actor(user_c.id, user_c.party_id, user_c.username, make_token(db, user_c))
    db.commit()
    return Space(
        world, resource.catalog_code, outsider, world.b_admin, world.a_analyst, world.authority_admin
    )


def request_body(code: str, **changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "scenario": "supply_chain_finance",
        "title": "应收账款融资贸易真实性核验",
        "purpose": "核验融资申请所附运单的真实性",
        "expected_value": "降低供应链金融欺诈风险，扩大中小企业融资",
        "period_start": (now - timedelta(days=1)).isoformat(),
        "period_end": (now + timedelta(days=90)).isoformat(),
        "min_group_size": 5,
        "resources": [
            {"catalog_code": code, "fields": ["waybill_no", "city", "legs"], "table_name": "waybills"}
        ],
    }
    body.update(changes)
    return body


def create(client: TestClient, s: Space, **changes: Any) -> dict[str, Any]:
    response = client.post(
        f"{API}/requests", json=request_body(s.code, **changes), headers=s.requester.headers
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def approve(client: TestClient, s: Space, **changes: Any) -> dict[str, Any]:
    """A request drafted, submitted and approved by the holder and the authority: its grant."""
    request = create(client, s, **changes)
    rid = request["id"]
    assert client.post(f"{API}/requests/{rid}/submit", headers=s.requester.headers).status_code == 200
    for actor in (s.holder, s.authority):
        decided = client.post(
            f"{API}/requests/{rid}/decisions",
            json={"decision": "approve", "reasons": "场景明确，字段最小必要"},
            headers=actor.headers,
        )
        assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "approved"
    grant = client.get(f"{API}/grants/{decided.json()['grant_id']}", headers=s.requester.headers)
    assert grant.status_code == 200, grant.text
    return dict(grant.json())


@dataclass(frozen=True)
class Counts:
    requests: int
    grants: int
    deliveries: int
    refusals: int
    ledger: int


def counts(db: Session) -> Counts:
    def n(model: Any) -> int:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)

    return Counts(n(AccessRequest), n(Grant), n(Delivery), n(Refusal), n(LedgerEntry))
