"""Parties of a waybill corridor and helpers of the waybill and container tests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.domains.identity import Role
from tests.conftest import Actor
from tests.factories.identity import make_party, make_token, make_user
from tests.factories.logistics import waybill_body


@dataclass
class Member:
    """A party of the corridor: its administrator (with a token) and its USCC."""

    actor: Actor
    uscc: str

    @property
    def headers(self) -> dict[str, str]:
        return self.actor.headers


@dataclass
class Corridor:
    """Shipper, three carriers (road, rail, road), consignee and a party with no part in it."""

    shipper: Member
    road: Member
    rail: Member
    last_mile: Member
    consignee: Member
    outsider: Member

    @property
    def carriers(self) -> list[Member]:
        return [self.road, self.rail, self.last_mile]

    def body(self, **changes: Any) -> dict[str, Any]:
        return waybill_body(
            consignor=self.shipper.uscc,
            consignee=self.consignee.uscc,
            carriers=[c.uscc for c in self.carriers],
            **changes,
        )


@pytest.fixture
def corridor(db: Session) -> Corridor:
    def member(name: str) -> Member:
        party = make_party(db, name=name)
        user = make_user(db, party, Role.PARTY_ADMIN)
        actor = Actor(user.id, party.id, user.username, make_token(db, user))
        return Member(actor, party.uscc)

    made = Corridor(
        shipper=member("广西某贸易有限公司"),
        road=member("钦州某道路运输公司"),
        rail=member("某铁路集装箱公司"),
        last_mile=member("重庆某配送公司"),
        consignee=member("重庆某冷链公司"),
        outsider=member("无关物流公司"),
    )
    db.commit()
    return made


def create(client: TestClient, by: Member, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post("/api/v1/waybills", json=body, headers=by.headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def act(client: TestClient, by: Member, number: str, action: str, **extra: Any) -> Any:
    return client.post(
        f"/api/v1/waybills/{number}/actions", json={"action": action, **extra}, headers=by.headers
    )


def done(client: TestClient, by: Member, number: str, action: str) -> dict[str, Any]:
    response = act(client, by, number, action)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
