"""A public data product (公共数据产品) is admitted by its registration certificate (I-5, 004:5458) and
priced never above its government-guided cap (I-6, 004:5181; 004:1017): listing, request and counter-offer
above the cap are refused, naming the cap, and change nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.identity.support import assert_problem
from tests.operation.conftest import API as OPS
from tests.operation.conftest import Ops, active_agreement, make_product
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import register
from tests.trading.conftest import API, Market, counts, object_body, step


def test_a_certified_public_product_under_its_cap(
    client: TestClient, db: Session, market: Market, clock: TravelClock
) -> None:
    m = market
    _, record = register(client, m.world, clock)
    code = record["certificate_code"]
    # the certificate belongs to the provider (乙): another party cannot list the product under it
    stolen = client.post(
        f"{API}/objects",
        json=object_body(m, public_data_product=True, certificate_code=code),
        headers=m.outsider.headers,
    )
    assert assert_problem(stolen, 409, "trading-registration-missing")["source"] == "004:5458"
    created = client.post(
        f"{API}/objects",
        json=object_body(m, public_data_product=True, certificate_code=code),
        headers=m.provider.headers,
    )
    assert created.status_code == 201, created.text
    review = {"passed": True, "note": "登记证书有效", "guided_cap": "1000.00"}
    obj = client.post(
        f"{API}/objects/{created.json()['id']}/review", json=review, headers=m.exchange.headers
    ).json()
    assert (obj["state"], obj["guided_cap"], obj["certificate_code"]) == ("registered", "1000.00", code)

    body = {
        "object_id": obj["id"],
        "title": "港口公共数据产品",
        "price": "1000.01",
        "pricing_method": "pricing_tool",
        "purposes": ["supply_chain_finance"],
        "duration_days": 30,
    }
    before = counts(db)
    above = assert_problem(client.post(f"{API}/listings", json=body, headers=m.provider.headers), 409)
    assert (above["code"], above["source"], above["cap"]) == (
        "trading-price-above-cap",
        "004:5181",
        "1000.00",
    )
    assert (counts(db).listings, counts(db).refusals) == (before.listings, before.refusals + 1)
    body["price"] = "1000.00"
    listed = client.post(f"{API}/listings", json=body, headers=m.provider.headers).json()
    request = {"listing_id": listed["id"], "price": "1200.00", "purpose": "supply_chain_finance"}
    assert_problem(
        client.post(f"{API}/negotiations", json=request, headers=m.demander.headers),
        409,
        "trading-price-above-cap",
    )
    request["price"] = "800.00"
    nid = client.post(f"{API}/negotiations", json=request, headers=m.demander.headers).json()["id"]
    assert_problem(step(client, m.provider, nid, "offer", price="1000.50"), 409, "trading-price-above-cap")
    countered = step(client, m.provider, nid, "offer", price="950.00").json()
    assert (countered["state"], countered["price"]) == ("OFFERED", "950.00")


def test_the_cap_of_a_public_product_is_its_operation_products_cap(
    client: TestClient, db: Session, market: Market, clock: TravelClock, ops: Ops
) -> None:
    """A public data product selling an authorized-operation product is capped by that product's cap (per
    billing unit) times the units it covers, read from the operation domain at every priced step; the
    review records no cap of its own for it; a product without a cap yet is refused."""
    m = market
    _, record = register(client, m.world, clock)
    ops.operator = m.provider  # the provider (乙) runs the authorized operation
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"])
    body = object_body(
        m,
        name="公路运力供需指数接口（十万次）",
        public_data_product=True,
        certificate_code=record["certificate_code"],
        operation_product_id=product["id"],
        units=100_000,
    )
    before = counts(db)
    uncapped = client.post(f"{API}/objects", json=body, headers=m.provider.headers)
    assert assert_problem(uncapped, 409, "trading-operation-product-invalid")["source"] == "004:1017"
    assert (counts(db).objects, counts(db).refusals) == (before.objects, before.refusals + 1)
    cap = {"price_cap_fen": 50, "billing_unit": "call"}
    assert (
        client.post(f"{OPS}/products/{product['id']}/cap", json=cap, headers=ops.body.headers).status_code
        == 200
    )
    created = client.post(f"{API}/objects", json=body, headers=m.provider.headers)
    assert created.status_code == 201, created.text
    assert created.json()["guided_cap"] == "50000.00"  # 0.50 yuan a call x 100,000 calls
    review = {"passed": True, "note": "登记证书有效", "guided_cap": "90000.00"}
    oid = created.json()["id"]
    assert (
        client.post(f"{API}/objects/{oid}/review", json=review, headers=m.exchange.headers).status_code == 422
    )
    del review["guided_cap"]
    assert (
        client.post(f"{API}/objects/{oid}/review", json=review, headers=m.exchange.headers).status_code == 200
    )
    listing = {
        "object_id": oid,
        "title": "公路运力供需指数接口（十万次）",
        "price": "50000.01",
        "pricing_method": "pricing_tool",
        "purposes": ["capacity_matching"],
        "duration_days": 365,
    }
    above = assert_problem(client.post(f"{API}/listings", json=listing, headers=m.provider.headers), 409)
    assert (above["code"], above["cap"]) == ("trading-price-above-cap", "50000.00")
    listing["price"] = "40000.00"
    assert client.post(f"{API}/listings", json=listing, headers=m.provider.headers).status_code == 201
    # the implementing body lowers the cap: the next priced step reads the new one
    cap["price_cap_fen"] = 30
    assert (
        client.post(f"{OPS}/products/{product['id']}/cap", json=cap, headers=ops.body.headers).status_code
        == 200
    )
    assert client.get(f"{API}/objects/{oid}", headers=m.demander.headers).json()["guided_cap"] == "30000.00"
