"""The access API: the request -> joint review -> grant path, use under a grant with its meter and ledger
entries, and every refusal (a problem naming what and why, an audit record, nothing else changed)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.domains.access.models import Grant, Refusal
from logispace.domains.access.odrl import PROFILE
from logispace.domains.ledger.models import LedgerEntry
from tests.access.conftest import API, Space, approve, counts, create, request_body

AGG = "SELECT city, COUNT(*) AS n, SUM(legs) AS legs FROM waybills GROUP BY city ORDER BY city"


def test_request_review_grant_and_a_sandbox_query(client: TestClient, db: Session, space: Space) -> None:
    before = counts(db)
    request = create(client, space)
    assert request["state"] == "draft"
    assert request["scenario"] == {"code": "supply_chain_finance", "name": "供应链金融贸易真实性核验"}
    assert [r["fields"] for r in request["resources"]] == [["waybill_no", "city", "legs"]]
    rid = request["id"]
    submitted = client.post(f"{API}/requests/{rid}/submit", headers=space.requester.headers).json()
    assert submitted["state"] == "submitted"
    assert {w["role"] for w in submitted["pending_reviewers"]} == {"holder", "authority"}
    held = client.get(f"{API}/requests", params={"held_by_me": True}, headers=space.holder.headers).json()
    assert [r["id"] for r in held] == [rid]
    first = client.post(
        f"{API}/requests/{rid}/decisions",
        json={"decision": "approve", "reasons": "同意"},
        headers=space.holder.headers,
    )
    assert first.json()["state"] == "in_review"
    assert first.json()["grant_id"] is None
    second = client.post(
        f"{API}/requests/{rid}/decisions",
        json={"decision": "approve", "reasons": "场景明确"},
        headers=space.authority.headers,
    )
    done = second.json()
    assert done["state"] == "approved" and [v["role"] for v in done["reviews"]] == ["holder", "authority"]
    grant = client.get(f"{API}/grants/{done['grant_id']}", headers=space.requester.headers).json()
    assert grant["state"] == "active"
    assert grant["policy"]["profile"] == PROFILE
    assert grant["resources"] == [
        {
            "catalog_code": space.code,
            "name": grant["resources"][0]["name"],
            "holder": {"id": str(space.holder.party_id), "name": "乙港口公司"},
            "table_name": "waybills",
            "columns": ["waybill_no", "city", "legs"],
            "masking": {},
        }
    ]
    # every transition is a ledger entry: drafted, submitted, two reviews, approved, grant created
    assert counts(db).ledger - before.ledger == 6

    result = client.post(
        f"{API}/grants/{grant['id']}/sql", json={"sql": AGG}, headers=space.requester.headers
    )
    assert result.status_code == 200, result.text
    body = result.json()
    assert body["columns"] == ["city", "n", "legs"]
    assert sum(row[1] for row in body["rows"]) == 200
    entry = db.get(LedgerEntry, body["ledger_index"])
    assert entry is not None and entry.kind == "access.delivered"
    assert entry.subject == f"access-grant:{grant['id']}"
    usage = client.get(f"{API}/grants/{grant['id']}/usage", headers=space.requester.headers).json()
    assert usage["calls"] == 1 and usage["rows_read"] == body["rows_read"] > 0
    assert usage["rows_returned"] == 4 and usage["bytes_returned"] == body["bytes_returned"]
    assert usage["deliveries"][0]["query_hash"] == body["query_hash"]
    assert usage["deliveries"][0]["result_hash"] == body["result_hash"]
    # the same query again adds to the meter (one UPDATE, no read first) and certifies the same hashes
    again = client.post(f"{API}/grants/{grant['id']}/sql", json={"sql": AGG}, headers=space.requester.headers)
    assert (again.json()["query_hash"], again.json()["result_hash"]) == (
        body["query_hash"],
        body["result_hash"],
    )
    usage = client.get(f"{API}/grants/{grant['id']}/usage", headers=space.requester.headers).json()
    assert usage["calls"] == 2 and usage["rows_read"] == 2 * body["rows_read"]
    assert usage["bytes_returned"] == 2 * body["bytes_returned"] and len(usage["deliveries"]) == 2
    assert db.get(Grant, uuid.UUID(grant["id"])).calls == 2  # type: ignore[union-attr]


def _problem(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = dict(response.json())
    assert problem["code"] == code, problem
    return problem


def _refused_leaves_an_audit_record(db: Session, before: Any) -> Refusal:
    after = counts(db)
    assert (after.requests, after.grants, after.deliveries) == (
        before.requests,
        before.grants,
        before.deliveries,
    )
    assert after.refusals == before.refusals + 1
    assert after.ledger == before.ledger + 1
    refusal = db.scalars(select(Refusal).order_by(Refusal.ledger_index.desc())).first()
    assert refusal is not None
    entry = db.get(LedgerEntry, refusal.ledger_index)
    assert entry is not None and entry.kind == "access.refused"
    return refusal


def test_a_row_level_query_is_refused_and_audited(client: TestClient, db: Session, space: Space) -> None:
    grant = approve(client, space)
    before = counts(db)
    response = client.post(
        f"{API}/grants/{grant['id']}/sql",
        json={"sql": "SELECT * FROM waybills"},
        headers=space.requester.headers,
    )
    assert response.status_code in (403, 422), response.text
    assert response.json()["code"].startswith("sandbox-")
    refusal = _refused_leaves_an_audit_record(db, before)
    assert refusal.grant_id == uuid.UUID(grant["id"]) and refusal.query_hash
    assert db.get(Grant, uuid.UUID(grant["id"])).calls == 0  # type: ignore[union-attr]
    usage = client.get(f"{API}/grants/{grant['id']}/usage", headers=space.requester.headers).json()
    assert usage["calls"] == 0 and len(usage["refusals"]) == 1


@pytest.mark.parametrize(
    ("step", "code"),
    [("suspend", "access-grant-suspended"), ("revoke", "access-grant-revoked")],
)
def test_a_suspended_or_revoked_grant_refuses_use(
    client: TestClient, db: Session, space: Space, step: str, code: str
) -> None:
    grant = approve(client, space)
    stepped = client.post(
        f"{API}/grants/{grant['id']}/{step}", json={"reason": "发现违规使用"}, headers=space.holder.headers
    )
    assert stepped.status_code == 200, stepped.text
    before = counts(db)
    response = client.post(
        f"{API}/grants/{grant['id']}/sql", json={"sql": AGG}, headers=space.requester.headers
    )
    _problem(response, 403, code)
    _refused_leaves_an_audit_record(db, before)


def test_suspend_resume_revoke(client: TestClient, space: Space) -> None:
    grant = approve(client, space)
    url = f"{API}/grants/{grant['id']}"
    reason = {"reason": "核查"}
    # the assignee may not suspend its own grant
    _problem(
        client.post(f"{url}/suspend", json=reason, headers=space.requester.headers), 403, "access-not-allowed"
    )
    assert (
        client.post(f"{url}/suspend", json=reason, headers=space.authority.headers).json()["state"]
        == "suspended"
    )
    _problem(
        client.post(f"{url}/suspend", json=reason, headers=space.holder.headers),
        409,
        "access-invalid-transition",
    )
    assert client.post(f"{url}/resume", json=reason, headers=space.holder.headers).json()["state"] == "active"
    assert (
        client.post(f"{url}/revoke", json=reason, headers=space.holder.headers).json()["state"] == "revoked"
    )
    _problem(
        client.post(f"{url}/resume", json=reason, headers=space.holder.headers),
        409,
        "access-invalid-transition",
    )


def test_an_expired_grant_refuses_use(client: TestClient, db: Session, space: Space) -> None:
    now = datetime.now(UTC)
    grant = approve(
        client,
        space,
        period_start=(now - timedelta(days=30)).isoformat(),
        period_end=(now - timedelta(days=1)).isoformat(),
    )
    assert grant["state"] == "expired"
    before = counts(db)
    response = client.post(
        f"{API}/grants/{grant['id']}/sql", json={"sql": AGG}, headers=space.requester.headers
    )
    _problem(response, 403, "access-grant-expired")
    _refused_leaves_an_audit_record(db, before)


def test_an_exhausted_budget_refuses_use(client: TestClient, db: Session, space: Space) -> None:
    grant = approve(client, space, epsilon=1.0)
    row = db.get(Grant, uuid.UUID(grant["id"]))
    assert row is not None and row.epsilon_total == 1.0
    row.epsilon_spent = 1.0
    db.commit()
    before = counts(db)
    response = client.post(
        f"{API}/grants/{grant['id']}/sql", json={"sql": AGG}, headers=space.requester.headers
    )
    problem = _problem(response, 403, "access-budget-exhausted")
    assert problem["source"] == "004:717"
    _refused_leaves_an_audit_record(db, before)


def test_another_scenario_needs_a_new_request(client: TestClient, db: Session, space: Space) -> None:
    grant = approve(client, space)
    before = counts(db)
    response = client.post(
        f"{API}/grants/{grant['id']}/sql",
        json={"sql": AGG, "purpose": "logistics_cost"},
        headers=space.requester.headers,
    )
    problem = _problem(response, 403, "access-policy-refused")
    assert problem["constraint"] == "purpose" and problem["source"] == "004:5623-5629; 004:5663"
    _refused_leaves_an_audit_record(db, before)


def test_fields_above_the_scenario_are_named(client: TestClient, db: Session, space: Space) -> None:
    before = counts(db)
    body = request_body(space.code)
    body["resources"][0]["fields"] = ["waybill_no", "route_secret"]
    response = client.post(f"{API}/requests", json=body, headers=space.requester.headers)
    problem = _problem(response, 409, "access-fields-exceed-scenario")
    assert [v["field"] for v in problem["violations"]] == ["route_secret"]
    assert "route_secret" in problem["detail"]
    _refused_leaves_an_audit_record(db, before)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"fields": ["waybill_no", "no_such_field"]}, "no_such_field"),
        ({"fields": ["legs", "legs"]}, "once"),
        ({"table_name": "Waybills; DROP"}, "table_name"),
    ],
)
def test_a_bad_data_list_is_refused(
    client: TestClient, db: Session, space: Space, change: dict[str, Any], named: str
) -> None:
    before = counts(db)
    body = request_body(space.code)
    body["resources"][0].update(change)
    response = client.post(f"{API}/requests", json=body, headers=space.requester.headers)
    assert response.status_code == 422, response.text
    assert named in response.text
    assert counts(db) == before


def test_only_the_holders_and_the_authority_review(client: TestClient, db: Session, space: Space) -> None:
    rid = create(client, space)["id"]
    assert client.post(f"{API}/requests/{rid}/submit", headers=space.requester.headers).status_code == 200
    decision = {"decision": "approve", "reasons": "同意"}
    for actor in (space.outsider, space.requester):
        before = counts(db)
        response = client.post(f"{API}/requests/{rid}/decisions", json=decision, headers=actor.headers)
        _problem(response, 403, "access-not-reviewer")
        _refused_leaves_an_audit_record(db, before)
    # the holder decides once
    assert (
        client.post(
            f"{API}/requests/{rid}/decisions", json=decision, headers=space.holder.headers
        ).status_code
        == 200
    )
    again = client.post(f"{API}/requests/{rid}/decisions", json=decision, headers=space.holder.headers)
    _problem(again, 409, "access-invalid-transition")


def test_a_refusal_refuses_the_request(client: TestClient, space: Space) -> None:
    rid = create(client, space)["id"]
    client.post(f"{API}/requests/{rid}/submit", headers=space.requester.headers)
    refused = client.post(
        f"{API}/requests/{rid}/decisions",
        json={"decision": "refuse", "reasons": "超出最小必要范围"},
        headers=space.authority.headers,
    ).json()
    assert refused["state"] == "refused" and refused["grant_id"] is None
    late = client.post(
        f"{API}/requests/{rid}/decisions",
        json={"decision": "approve", "reasons": "同意"},
        headers=space.holder.headers,
    )
    _problem(late, 409, "access-invalid-transition")


def test_a_draft_is_not_reviewed(client: TestClient, space: Space) -> None:
    rid = create(client, space)["id"]
    response = client.post(
        f"{API}/requests/{rid}/decisions",
        json={"decision": "approve", "reasons": "同意"},
        headers=space.holder.headers,
    )
    _problem(response, 409, "access-invalid-transition")
    _problem(
        client.post(f"{API}/requests/{rid}/submit", headers=space.holder.headers), 403, "access-not-allowed"
    )


def test_another_party_never_sees_a_request_or_grant(client: TestClient, space: Space) -> None:
    grant = approve(client, space)
    rid, gid = grant["request_id"], grant["id"]
    out = space.outsider.headers
    reason = {"reason": "核查"}
    for method, url, body in [
        ("get", f"{API}/requests/{rid}", None),
        ("post", f"{API}/requests/{rid}/submit", None),
        ("get", f"{API}/grants/{gid}", None),
        ("get", f"{API}/grants/{gid}/usage", None),
        ("post", f"{API}/grants/{gid}/suspend", reason),
        ("post", f"{API}/grants/{gid}/resume", reason),
        ("post", f"{API}/grants/{gid}/revoke", reason),
        ("post", f"{API}/grants/{gid}/sql", {"sql": AGG}),
        ("post", f"{API}/grants/{gid}/query", {"table": "waybills", "fields": ["city"]}),
    ]:
        response = client.request(method.upper(), url, json=body, headers=out)
        assert response.status_code == 404, (url, response.text)
    assert client.get(f"{API}/requests", headers=out).json() == []
    assert client.get(f"{API}/grants", headers=out).json() == []
    # the holder sees it, but may not use it
    assert client.get(f"{API}/grants/{gid}", headers=space.holder.headers).status_code == 200
    used = client.post(f"{API}/grants/{gid}/sql", json={"sql": AGG}, headers=space.holder.headers)
    _problem(used, 403, "access-not-allowed")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/requests"),
        ("post", "/requests"),
        ("get", "/grants"),
        ("get", f"/grants/{uuid.UUID(int=5)}"),
        ("post", f"/grants/{uuid.UUID(int=5)}/sql"),
        ("post", "/policies/check"),
    ],
)
def test_every_route_needs_a_principal(client: TestClient, method: str, path: str) -> None:
    assert client.request(method.upper(), API + path, json={}).status_code == 401


def test_api_query_is_desensitized_and_needs_record_output(
    client: TestClient, db: Session, space: Space
) -> None:
    body = request_body(space.code, output_mode="record")
    body["resources"][0]["fields"] = ["waybill_no", "shipper", "city"]
    grant = approve(client, space, output_mode="record", resources=body["resources"])
    assert grant["resources"][0]["masking"] == {"shipper": "mask_name"}
    query = {"table": "waybills", "fields": ["waybill_no", "shipper"], "limit": 5}
    response = client.post(f"{API}/grants/{grant['id']}/query", json=query, headers=space.requester.headers)
    assert response.status_code == 200, response.text
    rows = response.json()["rows"]
    assert len(rows) == 5 and all("示范贸易有限公司" not in str(r[1]) for r in rows)
    outside = {"table": "waybills", "fields": ["legs"]}
    refused = client.post(f"{API}/grants/{grant['id']}/query", json=outside, headers=space.requester.headers)
    assert refused.status_code == 403 and refused.json()["constraint"] == "ls:field"

    aggregate_only = approve(client, space)
    before = counts(db)
    response = client.post(
        f"{API}/grants/{aggregate_only['id']}/query", json={"table": "waybills", "fields": ["city"]},
        headers=space.requester.headers,
    )  # fmt: skip
    assert _problem(response, 403, "access-policy-refused")["constraint"] == "ls:outputMode"
    _refused_leaves_an_audit_record(db, before)


def test_the_policy_check_names_the_bad_term(client: TestClient, space: Space) -> None:
    grant = approve(client, space)
    policy = grant["policy"]
    ok = client.post(f"{API}/policies/check", json=policy, headers=space.requester.headers)
    assert ok.status_code == 200 and ok.json()["valid"] is True
    policy["permission"][0]["constraint"][0]["leftOperand"] = "colour"
    bad = client.post(f"{API}/policies/check", json=policy, headers=space.requester.headers)
    problem = _problem(bad, 422, "access-policy-invalid")
    assert problem["errors"][0]["loc"] == ["permission", 0, "constraint", 0, "leftOperand"]
    assert "colour" in problem["detail"]


def test_the_authority_sees_every_request(client: TestClient, space: Space) -> None:
    rid = create(client, space)["id"]
    listed = client.get(f"{API}/requests", headers=space.authority.headers).json()
    assert rid in [r["id"] for r in listed]


def test_the_public_ledger_keeps_hashes_not_queries_or_reasons(
    client: TestClient, db: Session, space: Space
) -> None:
    grant = approve(client, space)
    gid = grant["id"]
    url = f"{API}/grants/{gid}"
    client.post(f"{url}/sql", json={"sql": AGG}, headers=space.requester.headers)
    client.post(f"{url}/sql", json={"sql": "SELECT * FROM waybills"}, headers=space.requester.headers)
    for step in ("suspend", "resume", "revoke"):
        assert (
            client.post(
                f"{url}/{step}", json={"reason": "秘密理由"}, headers=space.holder.headers
            ).status_code
            == 200
        )
    entries = db.scalars(
        select(LedgerEntry).where(LedgerEntry.subject == f"access-grant:{gid}").order_by(LedgerEntry.entry_id)
    ).all()
    assert [e.kind for e in entries] == [
        "access.grant_created",
        "access.delivered",
        "access.refused",
        "access.grant_suspended",
        "access.grant_resumed",
        "access.grant_revoked",
    ]
    text = b"".join(e.leaf_input for e in entries).decode("utf-8", "replace")
    for secret in ("SELECT", "waybills", "秘密理由", "场景明确", "南宁"):
        assert secret not in text


@pytest.mark.spark
def test_the_configured_engine_runs_the_query(
    client: TestClient, app: Any, settings: Any, space: Space
) -> None:
    grant = approve(client, space)
    duck = client.post(f"{API}/grants/{grant['id']}/sql", json={"sql": AGG}, headers=space.requester.headers)
    app.state.settings = settings.model_copy(
        update={"sandbox_engine": "spark", "sandbox_timeout_seconds": 600}
    )
    spark = client.post(f"{API}/grants/{grant['id']}/sql", json={"sql": AGG}, headers=space.requester.headers)
    assert spark.status_code == 200, spark.text
    assert (duck.json()["engine"], spark.json()["engine"]) == ("duckdb", "spark")
    assert spark.json()["rows"] == duck.json()["rows"]
    assert spark.json()["result_hash"] == duck.json()["result_hash"]


def test_the_holder_sets_the_desensitization_of_its_fields(client: TestClient, space: Space) -> None:
    body = request_body(space.code, output_mode="record")
    body["resources"][0]["fields"] = ["waybill_no", "shipper", "city"]
    rid = client.post(f"{API}/requests", json=body, headers=space.requester.headers).json()["id"]
    client.post(f"{API}/requests/{rid}/submit", headers=space.requester.headers)
    url = f"{API}/requests/{rid}/decisions"
    for masking, named in (({"shipper": "no_such_rule"}, "no_such_rule"), ({"legs": "redact"}, "legs")):
        bad = client.post(
            url,
            json={"decision": "approve", "reasons": "同意", "masking": masking},
            headers=space.holder.headers,
        )
        assert bad.status_code == 422 and named in bad.json()["detail"]
    by_authority = client.post(
        url,
        json={"decision": "approve", "reasons": "同意", "masking": {"city": "redact"}},
        headers=space.authority.headers,
    )
    assert by_authority.status_code == 422
    ok = client.post(
        url,
        json={"decision": "approve", "reasons": "同意", "masking": {"waybill_no": "hash_hmac_sha256"}},
        headers=space.holder.headers,
    )
    assert ok.status_code == 200, ok.text
    assert ok.json()["resources"][0]["masking"] == {"shipper": "mask_name", "waybill_no": "hash_hmac_sha256"}
