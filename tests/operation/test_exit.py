"""Evaluation and exit (machine F, I-10): pass, rectify within 30 days, a second rectify is a fail; a fail
terminates the agreement, revokes the operator's grants, deletes the platform copies and flags the
product registrations, each a ledger entry of the same transaction."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.ledger.models import LedgerEntry
from tests.operation.conftest import API, TODAY, Ops, active_agreement, make_product, ok
from tests.operation.test_staff import operator_grant

pytestmark = pytest.mark.db


def evaluation(result: str, on: date = TODAY) -> dict[str, object]:
    return {
        "year": on.year,
        "evaluator": "示范省数据局",
        "result": result,
        "opinion": "按年度考核评估",
        "evaluated_on": on.isoformat(),
    }


def test_rectify_twice_fails_and_exits(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    aid = agreement["id"]
    grant = operator_grant(client, ops, ops.codes[0])
    copy = ok(
        client.post(
            f"{API}/agreements/{aid}/copies", json={"catalog_code": ops.codes[0]}, headers=ops.body.headers
        ),
        201,
    )
    kept = ok(client.get(f"{API}/agreements/{aid}/copies", headers=ops.operator.headers))
    assert [c["deleted_at"] for c in kept] == [None]
    product = make_product(client, ops, aid, use_class="governance_welfare", billing_unit=None)
    ok(
        client.post(
            f"{API}/products/{product['id']}/delivery",
            json={"delivered_on": TODAY.isoformat()},
            headers=ops.operator.headers,
        )
    )
    assert (
        client.post(
            f"{API}/agreements/{aid}/evaluations", json=evaluation("pass"), headers=ops.body.headers
        ).status_code
        == 403
    )
    passed = ok(
        client.post(
            f"{API}/agreements/{aid}/evaluations", json=evaluation("pass"), headers=ops.authority.headers
        ),
        201,
    )
    assert (passed["recorded_result"], passed["rectify_by"]) == ("pass", None)
    first = ok(
        client.post(
            f"{API}/agreements/{aid}/evaluations", json=evaluation("rectify"), headers=ops.authority.headers
        ),
        201,
    )
    assert (first["recorded_result"], first["rectify_by"]) == (
        "rectify",
        (TODAY + timedelta(days=30)).isoformat(),
    )
    assert ok(client.get(f"{API}/agreements/{aid}", headers=ops.body.headers))["state"] == "active"
    second = ok(
        client.post(
            f"{API}/agreements/{aid}/evaluations", json=evaluation("rectify"), headers=ops.authority.headers
        ),
        201,
    )
    assert (second["result"], second["recorded_result"]) == ("rectify", "fail")
    assert ok(client.get(f"{API}/agreements/{aid}", headers=ops.body.headers))["state"] == "terminated"
    assert (
        ok(client.get(f"/api/v1/access/grants/{grant['id']}", headers=ops.operator.headers))["state"]
        == "revoked"
    )
    copies = ok(client.get(f"{API}/agreements/{aid}/copies", headers=ops.operator.headers))
    assert copies[0]["id"] == copy["id"] and copies[0]["deleted_at"] is not None
    duties = ok(client.get(f"{API}/agreements/{aid}/registration-duties", headers=ops.operator.headers))
    flagged = {d["subject"]: d["review_required"] for d in duties}
    assert flagged == {"resource": False, "product": True}
    kinds = db.scalars(
        select(LedgerEntry.kind).where(LedgerEntry.subject == f"operation-agreement:{aid}")
    ).all()
    for kind in (
        "operation.evaluated",
        "operation.agreement_terminated",
        "operation.grant_revoked",
        "operation.copy_deleted",
        "operation.registration_flagged",
    ):
        assert kind in kinds, kind


def test_fail_terminates_and_copy_file_is_deleted(
    client: TestClient, db: Session, ops: Ops, settings: object
) -> None:
    agreement = active_agreement(client, ops)
    aid = agreement["id"]
    ok(
        client.post(
            f"{API}/agreements/{aid}/copies", json={"catalog_code": ops.codes[1]}, headers=ops.body.headers
        ),
        201,
    )
    files = list(Path(settings.var_dir, "operation", aid).glob("*.parquet"))  # type: ignore[attr-defined]
    assert len(files) == 1
    ok(
        client.post(
            f"{API}/agreements/{aid}/evaluations", json=evaluation("fail"), headers=ops.authority.headers
        ),
        201,
    )
    assert ok(client.get(f"{API}/agreements/{aid}", headers=ops.body.headers))["state"] == "terminated"
    assert not files[0].exists()
    assert (
        client.post(
            f"{API}/agreements/{aid}/evaluations", json=evaluation("pass"), headers=ops.authority.headers
        ).status_code
        == 409
    )


def test_copy_outside_the_agreement_is_refused(client: TestClient, ops: Ops) -> None:
    agreement = active_agreement(client, ops, scope=[ops.codes[0]])
    problem = ok(
        client.post(
            f"{API}/agreements/{agreement['id']}/copies",
            json={"catalog_code": ops.codes[1]},
            headers=ops.body.headers,
        ),
        409,
    )
    assert (problem["rule"], problem["source"]) == ("OPS-R7", "004:983")
