"""Every operation route is authorized, and a party never sees another party's records: an outsider gets
404 on each record (exactly like a missing one) and nothing of them in any list; without a token, 401."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.operation.conftest import API, TODAY, Ops, active_agreement, make_product, ok

pytestmark = pytest.mark.db

STEP = {"reason": "理由"}
APPROVAL = {"approving_body": "会议", "approved_on": TODAY.isoformat(), "document": "纪要"}
FILING = {"filed_on": TODAY.isoformat()}


def _routes(ids: dict[str, str], o: Ops) -> dict[tuple[str, str], tuple[dict[str, Any] | None, int]]:
    """(method, path template) -> (body, the outsider's status)."""
    operator = o.operator_party
    return {
        ("post", "/plans/{plan_id}/internal-approval"): (APPROVAL, 404),
        ("post", "/plans/{plan_id}/government-approval"): (APPROVAL, 404),
        ("post", "/plans/{plan_id}/filing"): (FILING, 404),
        ("get", "/plans/{plan_id}"): (None, 404),
        ("post", "/plans/{plan_id}/selections"): ({"method": "tender", "notice": "公告"}, 404),
        ("get", "/selections/{selection_id}"): (None, 404),
        ("post", "/selections/{selection_id}/candidates"): ({"party_id": operator, "checks": {}}, 404),
        ("post", "/selections/{selection_id}/expert-review"): (
            {"experts": ["甲"], "opinion": "可", "reviewed_on": TODAY.isoformat()},
            404,
        ),
        ("post", "/selections/{selection_id}/selection"): (
            {"party_id": operator, "selected_on": TODAY.isoformat()},
            404,
        ),
        ("post", "/plans/{plan_id}/agreements"): (
            {
                "selection_id": ids["selection_id"],
                "scope": o.codes,
                "term_start": TODAY.isoformat(),
                "term_end": TODAY.replace(year=TODAY.year + 1).isoformat(),
                "products": ["甲"],
                "security_duties": "安全",
                "exit_terms": "退出",
                "signed_on": TODAY.isoformat(),
            },
            404,
        ),
        ("get", "/agreements/{agreement_id}"): (None, 404),
        ("post", "/agreements/{agreement_id}/filing"): (FILING, 404),
        ("post", "/agreements/{agreement_id}/suspend"): (STEP, 404),
        ("post", "/agreements/{agreement_id}/resume"): (STEP, 404),
        ("post", "/agreements/{agreement_id}/terminate"): (STEP, 404),
        ("get", "/agreements/{agreement_id}/registration-duties"): (None, 404),
        ("post", "/agreements/{agreement_id}/copies"): ({"catalog_code": o.codes[0]}, 404),
        ("get", "/agreements/{agreement_id}/copies"): (None, 404),
        ("post", "/agreements/{agreement_id}/evaluations"): (
            {
                "year": 2026,
                "evaluator": "甲",
                "result": "pass",
                "opinion": "可",
                "evaluated_on": TODAY.isoformat(),
            },
            404,
        ),
        ("get", "/agreements/{agreement_id}/evaluations"): (None, 404),
        ("get", "/agreements/{agreement_id}/logs"): (None, 404),
        ("get", "/agreements/{agreement_id}/annual-reports"): (None, 404),
        ("post", "/agreements/{agreement_id}/annual-reports"): (
            {"year": TODAY.year, "submitted_on": TODAY.isoformat(), "summary": "甲"},
            404,
        ),
        ("post", "/registration-duties/{duty_id}/application"): (None, 404),
        ("post", "/staff/{staff_id}/records"): ({"user_id": str(o.staff.user_id)}, 404),
        ("get", "/products/{product_id}"): (None, 404),
        ("post", "/products/{product_id}/cap"): ({"price_cap_fen": 1, "billing_unit": "call"}, 404),
        ("post", "/products/{product_id}/price"): ({"price_fen": 1}, 404),
        ("post", "/products/{product_id}/formal-price"): (
            {
                "cost": "1",
                "subsidy": "0",
                "bond_yield": "1",
                "rate": "1",
                "tax": "0",
                "price_cap_fen": 1,
                "expected_volume": 1,
            },
            404,
        ),
        ("post", "/products/{product_id}/delivery"): ({"delivered_on": TODAY.isoformat()}, 404),
        ("post", "/products"): (
            {
                "agreement_id": ids["agreement_id"],
                "name": "甲",
                "form": "api",
                "use_class": "industry",
                "scenario": "甲",
                "resources": o.codes[:1],
            },
            404,
        ),
        ("post", "/staff"): ({"user_id": str(o.staff.user_id)}, 404),
        ("get", "/agreements/{agreement_id}/annual-reports/2026/lines"): (None, 404),
        ("post", "/agreements/{agreement_id}/annual-report-lines"): (
            {"year": 2026, "product_id": ids["product_id"], "volume": 1, "revenue": "1"},
            404,
        ),
        ("post", "/plans"): ({}, 422),
        ("post", "/exclusions"): ({"catalog_code": o.codes[0], "ground": "law", "note": "甲"}, 403),
        ("get", "/plans"): (None, 200),
        ("get", "/agreements"): (None, 200),
        ("get", "/products"): (None, 200),
        ("get", "/staff"): (None, 200),
        ("get", "/disclosure"): (None, 200),
    }


def test_every_route_is_authorized_and_isolated(client: TestClient, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"])
    staff = ok(
        client.post(f"{API}/staff", json={"user_id": str(ops.staff.user_id)}, headers=ops.operator.headers),
        201,
    )
    free = make_product(client, ops, agreement["id"], use_class="governance_welfare", billing_unit=None)
    ok(
        client.post(
            f"{API}/products/{free['id']}/delivery",
            json={"delivered_on": TODAY.isoformat()},
            headers=ops.operator.headers,
        )
    )
    duties = ok(
        client.get(f"{API}/agreements/{agreement['id']}/registration-duties", headers=ops.body.headers)
    )
    ids = {
        "duty_id": duties[0]["id"],
        "plan_id": agreement["plan_id"],
        "selection_id": agreement["selection_id"],
        "agreement_id": agreement["id"],
        "product_id": product["id"],
        "staff_id": staff["id"],
    }
    routes = _routes(ids, ops)
    documented = {
        (method, path.removeprefix(API).replace("{year}", "2026"))
        for path, item in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        if path.startswith(API)
        for method in item
    }
    assert documented == set(routes), documented ^ set(routes)
    for (method, template), (body, status) in routes.items():
        url = API + template.format(**ids)
        anonymous = client.request(method.upper(), url, json=body)
        assert anonymous.status_code == 401, (method, template, anonymous.text)
        seen = client.request(method.upper(), url, json=body, headers=ops.outsider.headers)
        assert seen.status_code == status, (method, template, seen.text)
    for listing in ("/plans", "/agreements", "/products", "/staff"):
        assert client.get(API + listing, headers=ops.outsider.headers).json() == []
    # the parties of it do see it
    assert [a["id"] for a in ok(client.get(f"{API}/agreements", headers=ops.operator.headers))] == [
        agreement["id"]
    ]
    assert [p["id"] for p in ok(client.get(f"{API}/products", headers=ops.body.headers))] == [
        product["id"],
        free["id"],
    ]
    assert len(ok(client.get(f"{API}/plans", headers=ops.authority.headers))) >= 1
    assert (
        ok(client.get(f"{API}/staff?operator={ops.operator_party}", headers=ops.body.headers))[0]["id"]
        == staff["id"]
    )
    assert ok(client.get(f"{API}/staff?operator={ops.operator_party}", headers=ops.outsider.headers)) == []
    # the operator does not see the plan (the implementing body's), nor another operator's product
    assert client.get(f"{API}/plans/{ids['plan_id']}", headers=ops.operator.headers).status_code == 404
