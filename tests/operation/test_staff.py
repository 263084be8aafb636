"""OPS-R13 and OPS-R14 where the access domain grants sandbox use to the operator: a staff member without
real-name, filing, vetting and confidentiality records is refused (and the refusal audited), the API
query (rows) is refused, a suspended agreement stops use, and termination revokes the grant."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.domains.access.models import Delivery, Refusal
from tests.access.conftest import request_body
from tests.operation.conftest import API, TODAY, Ops, active_agreement, ok

pytestmark = pytest.mark.db

ACCESS = "/api/v1/access"
SQL = {"sql": "SELECT legs, COUNT(*) AS n FROM waybills GROUP BY legs"}


def operator_grant(client: TestClient, o: Ops, code: str) -> dict[str, Any]:
    """The operator's grant on ``code``: requested by its administrator, approved by holder and authority."""
    request = ok(client.post(f"{ACCESS}/requests", json=request_body(code), headers=o.operator.headers), 201)
    ok(client.post(f"{ACCESS}/requests/{request['id']}/submit", headers=o.operator.headers))
    for actor in (o.body, o.authority):
        decided = ok(
            client.post(
                f"{ACCESS}/requests/{request['id']}/decisions",
                json={"decision": "approve", "reasons": "授权运营场景"},
                headers=actor.headers,
            )
        )
    return dict(ok(client.get(f"{ACCESS}/grants/{decided['grant_id']}", headers=o.operator.headers)))


def _n(db: Session, model: Any) -> int:
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_staff_need_all_four_records_before_sandbox_use(client: TestClient, db: Session, ops: Ops) -> None:
    agreement = active_agreement(client, ops)
    grant = operator_grant(client, ops, ops.codes[0])
    url = f"{ACCESS}/grants/{grant['id']}/sql"
    refused = ok(client.post(url, json=SQL, headers=ops.staff.headers), 403)
    assert (refused["code"], refused["rule"], refused["source"]) == (
        "operation-staff-not-cleared",
        "OPS-R13",
        "004:5633",
    )
    assert refused["missing"] == [
        "real_name_verified_on",
        "filed_on",
        "vetted_on",
        "confidentiality_signed_on",
    ]
    assert _n(db, Delivery) == 0 and _n(db, Refusal) == 1  # audited by the access domain, nothing delivered
    body = {
        "user_id": str(ops.staff.user_id),
        "real_name_verified_on": TODAY.isoformat(),
        "confidentiality_signed_on": TODAY.isoformat(),
        "confidentiality_sha256": "a" * 64,
    }
    staff = ok(client.post(f"{API}/staff", json=body, headers=ops.operator.headers), 201)
    assert staff["cleared"] is False
    own_filing = {"user_id": str(ops.staff.user_id), "filed_on": TODAY.isoformat()}
    assert (
        client.post(
            f"{API}/staff/{staff['id']}/records", json=own_filing, headers=ops.operator.headers
        ).status_code
        == 403
    )
    refused = ok(client.post(url, json=SQL, headers=ops.staff.headers), 403)
    assert refused["missing"] == ["filed_on", "vetted_on"]
    filing = {**own_filing, "vetted_on": TODAY.isoformat()}
    assert (
        ok(client.post(f"{API}/staff/{staff['id']}/records", json=filing, headers=ops.body.headers))[
            "cleared"
        ]
        is True
    )
    result = ok(client.post(url, json=SQL, headers=ops.staff.headers))
    assert result["columns"] == ["legs", "n"] and _n(db, Delivery) == 1
    # OPS-R14: rows are never shown to processing staff, even desensitized
    query = {"table": "waybills", "fields": ["city"], "limit": 5}
    refused = ok(
        client.post(f"{ACCESS}/grants/{grant['id']}/query", json=query, headers=ops.staff.headers), 403
    )
    assert (refused["rule"], refused["source"]) == ("OPS-R14", "004:5635")
    # a suspended agreement suspends the rights (004:5681)
    ok(
        client.post(
            f"{API}/agreements/{agreement['id']}/suspend",
            json={"reason": "违规"},
            headers=ops.authority.headers,
        )
    )
    refused = ok(client.post(url, json=SQL, headers=ops.staff.headers), 403)
    assert refused["rule"] == "OPS-E4"
    ok(
        client.post(
            f"{API}/agreements/{agreement['id']}/resume",
            json={"reason": "已整改"},
            headers=ops.authority.headers,
        )
    )
    ok(client.post(url, json=SQL, headers=ops.staff.headers))


def test_staff_of_another_party_is_not_cleared(client: TestClient, db: Session, ops: Ops) -> None:
    """A staff record names one operator's user; another party's user cannot be registered by it."""
    active_agreement(client, ops)
    body = {"user_id": str(ops.outsider.user_id), "real_name_verified_on": TODAY.isoformat()}
    assert client.post(f"{API}/staff", json=body, headers=ops.operator.headers).status_code == 404


def test_grants_outside_operation_are_untouched(client: TestClient, db: Session, ops: Ops) -> None:
    """The operator's grant on a resource of no agreement is ordinary data use: no staff check."""
    active_agreement(client, ops, scope=[ops.codes[0]])
    grant = operator_grant(client, ops, ops.codes[1])
    ok(client.post(f"{ACCESS}/grants/{grant['id']}/sql", json=SQL, headers=ops.staff.headers))
