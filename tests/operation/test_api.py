"""The operation API: the journey plan -> selection -> agreement -> product -> prices -> delivery, each
refusal of the issue's bad-input list (a problem naming the rule and its source line, nothing changed),
and every step in the ledger and the operation log."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.calendar import add_years
from logispace.core.config import RuleProfile, Settings
from logispace.domains.ledger.models import LedgerEntry
from logispace.domains.operation.models import OperationLog, Product
from tests.operation.conftest import (
    API,
    TODAY,
    Ops,
    active_agreement,
    agreement_body,
    counts,
    filed_plan,
    make_product,
    ok,
    plan_body,
    product_body,
    selected,
)

pytestmark = pytest.mark.db


def test_journey_plan_to_delivered_product(client: TestClient, db: Session, ops: Ops) -> None:
    plan = filed_plan(client, ops)
    assert plan["state"] == "filed"
    assert [(a["stage"], a["approving_body"]) for a in plan["approvals"]] == [
        ("internal_approved", "局党组会议"),
        ("gov_approved", "市人民政府常务会议"),
    ]
    agreement = active_agreement(client, ops)
    assert agreement["state"] == "active"
    assert agreement["retain_until"] == add_years(TODAY + timedelta(days=730), 20).isoformat()
    free = make_product(
        client,
        ops,
        agreement["id"],
        name="货运场站分布指数",
        form="indicator",
        use_class="governance_welfare",
        billing_unit=None,
    )
    assert (free["price_state"], free["price_cap_fen"], free["billing_unit"]) == ("free", None, None)
    paid = make_product(client, ops, agreement["id"])
    assert paid["price_state"] == "trial"
    capped = ok(
        client.post(
            f"{API}/products/{paid['id']}/cap",
            json={"price_cap_fen": 5_000, "billing_unit": "call"},
            headers=ops.body.headers,
        )
    )
    assert capped["price_cap_fen"] == 5_000
    priced = ok(
        client.post(
            f"{API}/products/{paid['id']}/price", json={"price_fen": 4_500}, headers=ops.operator.headers
        )
    )
    assert (priced["price_fen"], priced["trial_since"]) == (4_500, TODAY.isoformat())
    delivered = ok(
        client.post(
            f"{API}/products/{paid['id']}/delivery",
            json={"delivered_on": TODAY.isoformat()},
            headers=ops.operator.headers,
        )
    )
    assert delivered["state"] == "delivered"
    duties = ok(
        client.get(f"{API}/agreements/{agreement['id']}/registration-duties", headers=ops.operator.headers)
    )
    rows = sorted((d["subject"], d["catalog_code"] or "") for d in duties)
    assert rows == sorted([("resource", ops.codes[0]), ("resource", ops.codes[1]), ("product", "")])
    for duty in duties:
        assert duty["anchor_on"] == TODAY.isoformat()
        assert duty["due_on"] > TODAY.isoformat()
        assert "004:781" in duty["source"]
        # I-2: the agreement ends in 2 years, before the 3-year validity
        assert duty["valid_until_cap"] == agreement["term_end"]
    kinds = db.scalars(select(LedgerEntry.kind).where(LedgerEntry.kind.like("operation.%"))).all()
    for kind in (
        "plan_drafted",
        "plan_approved",
        "plan_filed",
        "selection_opened",
        "candidate_checked",
        "expert_reviewed",
        "operator_selected",
        "agreement_signed",
        "agreement_filed",
        "product_created",
        "cap_set",
        "price_set",
        "product_delivered",
        "registration_scheduled",
    ):
        assert f"operation.{kind}" in kinds, kind
    logs = ok(client.get(f"{API}/agreements/{agreement['id']}/logs", headers=ops.authority.headers))
    assert all(row["retain_until"] >= add_years(TODAY, 20).isoformat() for row in logs)
    disclosed = ok(client.get(f"{API}/disclosure", headers=ops.outsider.headers))
    assert disclosed  # a list: the delivered product with its price


def test_due_date_counts_working_days(client: TestClient, ops: Ops) -> None:
    """The due date is 20 working days after a delivery on a known Monday (2026-03-02), on the
    registration domain's calendar: 2026-03-30 (no holiday in March 2026)."""
    agreement = active_agreement(
        client, ops, term_start="2026-01-05", term_end="2028-01-04", signed_on="2026-01-05"
    )
    product = make_product(client, ops, agreement["id"], use_class="governance_welfare", billing_unit=None)
    body = {"delivered_on": "2026-03-02"}
    ok(client.post(f"{API}/products/{product['id']}/delivery", json=body, headers=ops.operator.headers))
    duties = ok(
        client.get(f"{API}/agreements/{agreement['id']}/registration-duties", headers=ops.body.headers)
    )
    assert {d["due_on"] for d in duties} == {"2026-03-30"}
    assert {d["valid_until_cap"] for d in duties} == {"2028-01-04"}


def _refused(response: object, status: int, rule: str, source: str) -> dict[str, object]:
    body = ok(response, status)
    assert response.headers["content-type"].startswith("application/problem+json")  # type: ignore[attr-defined]
    assert (body["rule"], body["source"]) == (rule, source), body
    return body


def test_agreement_over_five_years_is_refused(client: TestClient, db: Session, ops: Ops) -> None:
    plan = filed_plan(client, ops)
    selection = selected(client, ops, plan["id"])
    before = counts(db)
    body = agreement_body(
        ops, selection["id"], term_end=(add_years(TODAY, 5) + timedelta(days=1)).isoformat()
    )
    problem = _refused(
        client.post(f"{API}/plans/{plan['id']}/agreements", json=body, headers=ops.body.headers),
        422,
        "OPS-TERM",
        "004:941; 004:5601",
    )
    assert problem["errors"][0]["loc"] == ["body", "term_end"]  # type: ignore[index]
    assert counts(db) == before
    at_five = agreement_body(ops, selection["id"], term_end=add_years(TODAY, 5).isoformat())
    ok(client.post(f"{API}/plans/{plan['id']}/agreements", json=at_five, headers=ops.body.headers), 201)
    # Q-12, national (原则上, 004:941): over 5 years with its reason stated is signed, the warning kept
    body["term_exception"] = "货运场站等基础设施投资回收期较长"
    signed = ok(client.post(f"{API}/plans/{plan['id']}/agreements", json=body, headers=ops.body.headers), 201)
    assert signed["term_exception"] == body["term_exception"]


def test_agreement_over_five_years_is_refused_under_inner_mongolia(
    client: TestClient, db: Session, ops: Ops, settings: Settings
) -> None:
    plan = filed_plan(client, ops)
    selection = selected(client, ops, plan["id"])
    client.app.state.settings = settings.model_copy(update={"rule_profile": RuleProfile.INNER_MONGOLIA})  # type: ignore[attr-defined]
    body = agreement_body(
        ops,
        selection["id"],
        term_end=(add_years(TODAY, 5) + timedelta(days=1)).isoformat(),
        term_exception="投资回收期较长",
    )
    before = counts(db)
    _refused(
        client.post(f"{API}/plans/{plan['id']}/agreements", json=body, headers=ops.body.headers),
        422,
        "OPS-TERM",
        "004:941; 004:5601",
    )
    assert counts(db) == before


def test_price_above_cap_is_refused(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"])
    cap = {"price_cap_fen": 5_000, "billing_unit": "call"}
    ok(client.post(f"{API}/products/{product['id']}/cap", json=cap, headers=ops.body.headers))
    before = counts(db)
    _refused(
        client.post(
            f"{API}/products/{product['id']}/price", json={"price_fen": 5_001}, headers=ops.operator.headers
        ),
        409,
        "PRICE-CAP",
        "004:1017",
    )
    assert counts(db) == before
    assert db.get(Product, uuid.UUID(product["id"])).price_fen is None
    ok(
        client.post(
            f"{API}/products/{product['id']}/price", json={"price_fen": 5_000}, headers=ops.operator.headers
        )
    )


def test_free_product_takes_no_price(client: TestClient, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"], use_class="governance_welfare", billing_unit=None)
    _refused(
        client.post(
            f"{API}/products/{product['id']}/price", json={"price_fen": 1}, headers=ops.operator.headers
        ),
        409,
        "PRICE-P2",
        "004:1015",
    )


def test_return_above_ceiling_is_refused(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"])
    ok(
        client.post(
            f"{API}/products/{product['id']}/cap",
            json={"price_cap_fen": 500, "billing_unit": "call"},
            headers=ops.body.headers,
        )
    )
    ok(
        client.post(
            f"{API}/products/{product['id']}/price", json={"price_fen": 400}, headers=ops.operator.headers
        )
    )
    row = db.get(Product, uuid.UUID(product["id"]))
    assert row is not None
    row.trial_since = TODAY.replace(year=TODAY.year - 2)  # a full calendar year on the trial price
    db.commit()
    inputs = {
        "cost": "1000000",
        "subsidy": "200000",
        "bond_yield": "1.7",
        "rate": "7.8",
        "tax": "50000",
        "price_cap_fen": 500,
        "expected_volume": 100_000,
    }
    before = counts(db)
    _refused(
        client.post(f"{API}/products/{product['id']}/formal-price", json=inputs, headers=ops.body.headers),
        409,
        "PRICE-RATE",
        "004:1025",
    )
    assert counts(db) == before
    revenue = ok(
        client.post(
            f"{API}/products/{product['id']}/formal-price",
            json={**inputs, "rate": "7.7"},
            headers=ops.body.headers,
        )
    )
    # MAR = 800000 + 800000 x 7.7% + 50000 = 911600.00
    assert revenue == {
        "operating_cost": "800000.00",
        "allowed_profit": "61600.00",
        "max_allowed_revenue": "911600.00",
        "rate_ceiling_percent": "7.7",
    }
    assert (
        ok(client.get(f"{API}/products/{product['id']}", headers=ops.operator.headers))["price_state"]
        == "formal"
    )


def test_formal_price_needs_a_full_year(client: TestClient, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"])
    ok(
        client.post(
            f"{API}/products/{product['id']}/cap",
            json={"price_cap_fen": 500, "billing_unit": "call"},
            headers=ops.body.headers,
        )
    )
    ok(
        client.post(
            f"{API}/products/{product['id']}/price", json={"price_fen": 400}, headers=ops.operator.headers
        )
    )
    inputs = {
        "cost": "100",
        "subsidy": "0",
        "bond_yield": "1.7",
        "rate": "5",
        "tax": "0",
        "price_cap_fen": 1,
        "expected_volume": 1,
    }
    _refused(
        client.post(f"{API}/products/{product['id']}/formal-price", json=inputs, headers=ops.body.headers),
        409,
        "PRICE-TRIAL",
        "004:1019",
    )


def test_product_outside_the_agreement_is_refused(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops, scope=[ops.codes[0]])
    before = counts(db)
    problem = _refused(
        client.post(
            f"{API}/products",
            json=product_body(agreement["id"], ops, resources=[ops.codes[0], ops.codes[1]]),
            headers=ops.operator.headers,
        ),
        409,
        "OPS-R7",
        "004:983",
    )
    assert problem["resources"] == [ops.codes[1]]
    assert counts(db) == before


def test_core_data_is_refused(client: TestClient, db: Session, ops: Ops) -> None:
    before = counts(db)
    _refused(
        client.post(
            f"{API}/plans", json=plan_body(ops, data_scope=[ops.codes[0], ops.core]), headers=ops.body.headers
        ),
        409,
        "OPS-R20",
        "004:5687-5692; 004:879",
    )
    assert counts(db) == before


def test_marked_data_is_refused(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    mark = {
        "catalog_code": ops.codes[1],
        "ground": "acquisition_agreement",
        "note": "数据获取协议约定不得运营",
    }
    ok(client.post(f"{API}/exclusions", json=mark, headers=ops.authority.headers), 201)
    before = counts(db)
    _refused(
        client.post(
            f"{API}/products",
            json=product_body(agreement["id"], ops, resources=[ops.codes[1]]),
            headers=ops.operator.headers,
        ),
        409,
        "OPS-R20",
        "004:5691",
    )
    assert counts(db) == before
    assert client.post(f"{API}/exclusions", json=mark, headers=ops.body.headers).status_code == 403


def test_redeveloping_a_delivered_product_is_refused(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    first = make_product(client, ops, agreement["id"], use_class="governance_welfare", billing_unit=None)
    draft_child = make_product(
        client,
        ops,
        agreement["id"],
        name="派生指数",
        derived_from_id=first["id"],
        use_class="governance_welfare",
        billing_unit=None,
    )
    assert draft_child["derived_from_id"] == first["id"]  # re-using a draft is the operator's own development
    ok(
        client.post(
            f"{API}/products/{first['id']}/delivery",
            json={"delivered_on": TODAY.isoformat()},
            headers=ops.operator.headers,
        )
    )
    before = counts(db)
    _refused(
        client.post(
            f"{API}/products",
            json=product_body(agreement["id"], ops, derived_from_id=first["id"]),
            headers=ops.operator.headers,
        ),
        409,
        "OPS-R4",
        "004:885; 004:949",
    )
    assert counts(db) == before


def test_paid_product_is_delivered_with_its_price(client: TestClient, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    product = make_product(client, ops, agreement["id"])
    _refused(
        client.post(
            f"{API}/products/{product['id']}/delivery",
            json={"delivered_on": TODAY.isoformat()},
            headers=ops.operator.headers,
        ),
        409,
        "PRICE-MARKED",
        "004:1033",
    )


def test_plan_steps_in_order_and_by_the_right_party(client: TestClient, ops: Ops) -> None:
    plan = ok(client.post(f"{API}/plans", json=plan_body(ops), headers=ops.body.headers), 201)
    pid = plan["id"]
    filing = {"filed_on": TODAY.isoformat()}
    problem = ok(client.post(f"{API}/plans/{pid}/filing", json=filing, headers=ops.authority.headers), 409)
    assert (problem["state"], problem["allowed"]) == ("drafted", ["gov_approved"])
    approval = {"approving_body": "局党组会议", "approved_on": TODAY.isoformat(), "document": "纪要"}
    assert (
        client.post(
            f"{API}/plans/{pid}/internal-approval", json=approval, headers=ops.authority.headers
        ).status_code
        == 403
    )
    assert client.post(f"{API}/plans", json=plan_body(ops), headers=ops.operator.headers).status_code == 403
    missing = plan_body(ops)
    del missing["sections"]["exit_mechanism"]
    problem = ok(client.post(f"{API}/plans", json=missing, headers=ops.body.headers), 422)
    assert "exit_mechanism" in str(problem["errors"])


def test_selection_under_inner_mongolia_needs_checks_and_experts(
    client: TestClient, db: Session, ops: Ops, settings: object
) -> None:
    client.app.state.settings = settings.model_copy(update={"rule_profile": RuleProfile.INNER_MONGOLIA})  # type: ignore[attr-defined]
    plan = filed_plan(client, ops)
    body = {"method": "tender", "notice": "遴选公告"}
    sid = ok(client.post(f"{API}/plans/{plan['id']}/selections", json=body, headers=ops.body.headers), 201)[
        "id"
    ]
    candidate = {
        "party_id": ops.operator_party,
        "checks": {"credit": True, "team": True, "experience": True, "security": False},
    }
    ok(client.post(f"{API}/selections/{sid}/candidates", json=candidate, headers=ops.body.headers), 201)
    pick = {"party_id": ops.operator_party, "selected_on": TODAY.isoformat()}
    problem = _refused(
        client.post(f"{API}/selections/{sid}/selection", json=pick, headers=ops.body.headers),
        409,
        "OPS-NM-QUALIFICATION",
        "004:5597; 004:5603-5613",
    )
    assert problem["failed"] == ["security"]
    other = {
        "party_id": str(ops.outsider.party_id),
        "checks": {"credit": True, "team": True, "experience": True, "security": True},
    }
    ok(client.post(f"{API}/selections/{sid}/candidates", json=other, headers=ops.body.headers), 201)
    pick = {"party_id": str(ops.outsider.party_id), "selected_on": TODAY.isoformat()}
    _refused(
        client.post(f"{API}/selections/{sid}/selection", json=pick, headers=ops.body.headers),
        409,
        "OPS-NM-EXPERT-REVIEW",
        "004:5597",
    )
    review = {"experts": ["张专家"], "opinion": "通过", "reviewed_on": TODAY.isoformat()}
    ok(client.post(f"{API}/selections/{sid}/expert-review", json=review, headers=ops.body.headers))
    chosen = ok(client.post(f"{API}/selections/{sid}/selection", json=pick, headers=ops.body.headers))
    assert chosen["selected_party_id"] == str(ops.outsider.party_id)


def test_lifecycle_suspend_resume_terminate(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    aid = agreement["id"]
    reason = {"reason": "违规使用公共数据"}
    assert (
        ok(client.post(f"{API}/agreements/{aid}/suspend", json=reason, headers=ops.body.headers))["state"]
        == "suspended"
    )
    assert (
        client.post(f"{API}/products", json=product_body(aid, ops), headers=ops.operator.headers).status_code
        == 409
    )
    assert (
        ok(client.post(f"{API}/agreements/{aid}/resume", json=reason, headers=ops.authority.headers))["state"]
        == "active"
    )
    assert (
        client.post(f"{API}/agreements/{aid}/suspend", json=reason, headers=ops.operator.headers).status_code
        == 403
    )
    ended = ok(
        client.post(
            f"{API}/agreements/{aid}/terminate",
            json={"reason": "运营机构申请提前终止"},
            headers=ops.operator.headers,
        )
    )
    assert ended["state"] == "terminated"
    assert (
        ok(client.post(f"{API}/agreements/{aid}/resume", json=reason, headers=ops.body.headers), 409)["state"]
        == "terminated"
    )
    assert (
        db.scalars(
            select(OperationLog.action).where(OperationLog.subject == f"operation-agreement:{aid}")
        ).all()[-1]
        == "agreement_terminated"
    )


def test_no_route_deletes_operation_records(client: TestClient) -> None:
    """I-7: no DELETE route under /api/v1/operation (logs, agreements kept 20 years)."""
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    methods = {m for path, ops_ in paths.items() if path.startswith(API) for m in ops_}
    assert "delete" not in methods and "get" in methods and "post" in methods
