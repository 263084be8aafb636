"""Trading fixtures: a provider (乙, holder of a catalogued resource), a demander (甲), an outsider (丙)
and the exchange (the authority), each registered for its trading role, and helpers that take an object
through registration, listing and negotiation."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.domains.identity import Role
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.trading.models import (
    Account,
    Listing,
    Negotiation,
    Offer,
    TradeContract,
    TradeObject,
    TradingRefusal,
    Transfer,
)
from tests.conftest import Actor, World
from tests.factories.catalog import make_resource
from tests.factories.identity import make_party, make_token, make_user
from tests.operation.conftest import ops  # noqa: F401
from tests.registration.conftest import TravelClock, clock, profile  # noqa: F401

API = "/api/v1/trading"

FIELDS: list[dict[str, Any]] = [
    {"name": "waybill_no", "title": "多式联运单号", "type": "string", "grade": "general_other"},
    {"name": "city", "title": "始发城市", "type": "string", "grade": "general_other"},
    {"name": "legs", "title": "运输段", "type": "integer", "grade": "general_other"},
]

ATTEST = {
    "provider": {"source_statement": True, "follows_rules": True},
    "demander": {"uses_as_agreed": True, "protection_capability": True},
    "data_merchant": {
        "source_statement": True,
        "business_qualification": True,
        "asset_registration_before_trading": True,
    },
}

TERMS = {
    "data_content": "2026年钦州港集装箱多式联运运单统计数据",
    "quality": "完整率不低于99%，按日更新",
    "method": "场内协商交易，沙箱内使用",
    "security_duties": "需求方在安全可控环境中使用，不得转授权",
    "confidentiality": "双方对交易信息保密五年",
}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        max_body_bytes=64 * 1024,
        cookie_secure=False,
        objects_dir=tmp_path / "objects",
    )


@dataclass
class Market:
    """The parties of a trading test."""

    world: World
    code: str
    provider: Actor
    demander: Actor
    outsider: Actor
    exchange: Actor


def register_party(client: TestClient, actor: Actor, *roles: str) -> None:
    body = {"kind": "legal_person", "roles": list(roles), "attestations": {r: ATTEST[r] for r in roles}}
    response = client.post(f"{API}/parties", json=body, headers=actor.headers)
    assert response.status_code == 201, response.text


@pytest.fixture
def market(db: Session, world: World, client: TestClient) -> Market:
    resource = make_resource(db, world.b_admin.party_id, publish=True, fields=FIELDS, grade="general_other")
    party_c = make_party(db, name="丙保险公司")
    user_c = make_user(db, party_c, Role.PARTY_ADMIN)
    outsider = Actor(user_c.id, user_c.party_id, user_c.username, make_token(db, user_c))
    db.commit()
    register_party(client, world.b_admin, "provider")
    register_party(client, world.a_admin, "demander")
    register_party(client, outsider, "demander", "provider")
    return Market(world, resource.catalog_code, world.b_admin, world.a_admin, outsider, world.authority_admin)


def object_body(m: Market, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "钦州港多式联运运单统计",
        "description": "按日汇总的集装箱多式联运运单统计",
        "category": "data_product_service",
        "subtype": "dataset",
        "delivery_mode": "dataset",
        "public_data_product": False,
        "compliance_report": "某律师事务所数据合规评估报告（2026）",
        "catalog_code": m.code,
        "fields": ["waybill_no", "city", "legs"],
    }
    body.update(changes)
    return body


def registered_object(
    client: TestClient, m: Market, cap: str | None = None, **changes: Any
) -> dict[str, Any]:
    created = client.post(f"{API}/objects", json=object_body(m, **changes), headers=m.provider.headers)
    assert created.status_code == 201, created.text
    review: dict[str, Any] = {"passed": True, "note": "形式审查通过"}
    if cap is not None:
        review["guided_cap"] = cap
    passed = client.post(
        f"{API}/objects/{created.json()['id']}/review", json=review, headers=m.exchange.headers
    )
    assert passed.status_code == 200, passed.text
    return dict(passed.json())


def listing(client: TestClient, m: Market, price: str = "250000.00", **object_changes: Any) -> dict[str, Any]:
    obj = registered_object(client, m, **object_changes)
    body = {
        "object_id": obj["id"],
        "title": "钦州港多式联运运单统计（年度）",
        "price": price,
        "pricing_method": "negotiated",
        "purposes": ["supply_chain_finance"],
        "duration_days": 90,
    }
    created = client.post(f"{API}/listings", json=body, headers=m.provider.headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


def negotiate(client: TestClient, m: Market, listing_id: str, price: str = "240000.00") -> dict[str, Any]:
    body = {"listing_id": listing_id, "price": price, "purpose": "supply_chain_finance"}
    created = client.post(f"{API}/negotiations", json=body, headers=m.demander.headers)
    assert created.status_code == 201, created.text
    return dict(created.json())


def step(client: TestClient, actor: Actor, nid: str, action: str, **body: Any) -> Any:
    return client.post(
        f"{API}/negotiations/{nid}/steps", json={"action": action, **body}, headers=actor.headers
    )


def signed(client: TestClient, m: Market, price: str = "240000.00") -> dict[str, Any]:
    """A negotiation taken to FINALIZED: the contract signed, its price in escrow."""
    nid = negotiate(client, m, listing(client, m)["id"], price)["id"]
    for actor, action, extra in (
        (m.provider, "agree", {"terms": TERMS}),
        (m.demander, "verify", {}),
        (m.provider, "finalize", {}),
    ):
        response = step(client, actor, nid, action, **extra)
        assert response.status_code == 200, response.text
    return dict(response.json())


@dataclass(frozen=True)
class Counts:
    objects: int
    listings: int
    negotiations: int
    offers: int
    contracts: int
    accounts: int
    transfers: int
    refusals: int
    ledger: int


def counts(db: Session) -> Counts:
    def n(model: Any) -> int:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)

    return Counts(
        *(n(x) for x in (TradeObject, Listing, Negotiation, Offer, TradeContract, Account, Transfer)),
        n(TradingRefusal),
        n(LedgerEntry),
    )


def balances_sum(db: Session) -> int:
    return int(db.scalar(select(func.coalesce(func.sum(Account.balance_fen), 0))) or 0)
