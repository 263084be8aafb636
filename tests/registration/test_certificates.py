"""Certificates (登记证书, 一证一码) through the API and the public page, under both rule profiles:
issuance signs a statement with the authority's key through the ledger; renewal only in the 60 days
before expiry; expiry cancels (with a public notice under inner_mongolia); revocation on the profile's
grounds; every view re-checks signature, ledger entry and record, so a tampered record is not valid."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile, Settings
from logispace.core.signing import verify_signature
from logispace.domains.identity import SYSTEM
from logispace.domains.identity.models import User
from logispace.domains.ledger import canonical_json
from logispace.domains.registration.certificates import ending as ending_service
from logispace.domains.registration.models import RegistrationCertificate, RegistrationRecord
from logispace.domains.registration.workflow import Clock
from tests.conftest import Actor, World
from tests.factories.identity import bearer, make_token
from tests.factories.registration import (
    API,
    file_application,
    initial_body,
    later_body,
    registrable_resource,
    upload_data,
)
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock
from tests.registration.test_api_flows import act, ledger_kind, register

BOTH = pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
JSON = dict[str, Any]


def certificate(client: TestClient, code: str) -> JSON:
    response = client.get(f"{API}/certificates/{code}")  # public: no credentials
    assert response.status_code == 200, response.text
    return dict(response.json())


def day(text: str) -> date:
    return date.fromisoformat(text)


def now_headers(db: Session, actor: Actor) -> dict[str, str]:
    """A token minted at the travelled-to day (tokens from years before have expired)."""
    token = make_token(db, db.get_one(User, actor.user_id))
    db.commit()
    return bearer(token)


@BOTH
def test_issuance_gives_one_code_and_a_statement_signed_by_the_authority_in_the_ledger(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    _, record = register(client, world, clock)
    code = record["certificate_code"]
    assert code and code.startswith("DJR-")
    cert = certificate(client, code)
    assert (cert["verdict"], cert["status"]) == ("valid", "valid")
    assert cert["signature"]["valid"] and cert["ledger_verified"] and cert["record_matches"]
    assert cert["holder_name"] == "乙港口公司" and cert["data_name"] == record["data_name"]
    assert (cert["valid_from"], cert["valid_to"]) == (record["valid_from"], record["valid_to"])
    assert day(cert["valid_until"]) == day(record["valid_to"]) - timedelta(days=1)
    assert cert["content_sha256"] == record["content_sha256"] and cert["record_version"] == 1
    assert ledger_kind(client, cert["ledger_index"]) == "registration.certificate_signed"

    # anyone can check the signature with the authority party's published key
    statement = cert["statement"]
    # national: the reviewer's registration authority (004:802); inner_mongolia: the data authority (004:5452)
    issuer = "测试数据局" if profile is RuleProfile.INNER_MONGOLIA else "测试登记中心"
    assert statement["code"] == code and statement["issuer"]["name"] == issuer
    keys = client.get(f"/api/v1/parties/{cert['signature']['signer_party_id']}/keys").json()
    (key,) = [k for k in keys if k["key_id"] == cert["signature"]["key_id"]]
    assert verify_signature(
        key["algorithm"],
        base64.b64decode(key["public_key"]),
        canonical_json(statement),
        base64.b64decode(cert["signature"]["value"]),
    )
    # the ledger entry carries that statement and signature
    entry = client.get(f"/api/v1/ledger/entries/{cert['ledger_index']}").json()
    assert entry["subject"] == f"registration:certificate:{code}"


@BOTH
def test_renewal_only_in_the_60_calendar_days_before_expiry(
    client: TestClient, world: World, clock: TravelClock, db: Session, profile: RuleProfile
) -> None:
    _, record = register(client, world, clock)
    code, auth = record["certificate_code"], world.reviewer.headers
    valid_to = day(record["valid_to"])
    opens = valid_to - timedelta(days=60)
    url = f"{API}/records/{record['id']}/renew"

    clock.to(opens - timedelta(days=1))
    auth = now_headers(db, world.reviewer)
    early = assert_problem(client.post(url, headers=auth), 409, "registration-action-not-allowed")
    assert f"{opens} to {valid_to - timedelta(days=1)}" in early["detail"]
    assert early["window_opens"] == opens.isoformat()
    assert_problem(client.post(url, headers=now_headers(db, world.b_admin)), 403)  # the holder does not renew

    clock.to(opens)
    holder = now_headers(db, world.b_admin)
    # /renew approves the holder's pending request: without one there is nothing to approve
    none = assert_problem(client.post(url, headers=auth), 409, "registration-action-not-allowed")
    assert "no pending renewal request" in none["detail"]
    filed = client.post(f"{API}/records/{record['id']}/renewal-requests", json={}, headers=holder)
    assert filed.status_code == 201, filed.text
    renewed = client.post(url, json={"note": "仍需继续使用"}, headers=auth)
    assert renewed.status_code == 200, renewed.text
    body = renewed.json()
    assert (body["code"], body["status"], body["revision"]) == (code, "valid", 2)
    assert body["valid_from"] == valid_to.isoformat()  # the new term starts the day after expiry
    assert day(body["valid_to"]) == date(valid_to.year + 3, valid_to.month, valid_to.day)
    cert = certificate(client, code)
    assert cert["verdict"] == "valid" and cert["revision"] == 2 and cert["valid_to"] == body["valid_to"]
    assert ledger_kind(client, cert["ledger_index"]) == "registration.certificate_signed"
    # the new term is far from its end: a second renewal now is outside the window
    assert_problem(client.post(url, headers=auth), 409)

    clock.to(day(body["valid_to"]))  # after expiry renewal is too late
    auth = now_headers(db, world.reviewer)
    assert_problem(client.post(url, headers=auth), 409, "registration-action-not-allowed")


@BOTH
def test_expiry_without_renewal_cancels_with_a_public_notice_under_inner_mongolia(
    client: TestClient,
    world: World,
    clock: TravelClock,
    db: Session,
    settings: Settings,
    profile: RuleProfile,
) -> None:
    _, record = register(client, world, clock)
    code = record["certificate_code"]
    valid_to = day(record["valid_to"])

    clock.to(valid_to - timedelta(days=30))
    run = ending_service.expire_due(db, SYSTEM, Clock.now(settings))
    assert run.renewal_windows_opened == [code] and run.expired == []
    got = client.get(f"{API}/records/{record['id']}", headers=now_headers(db, world.b_admin)).json()
    assert got["state"] == "renewal_window"

    clock.to(valid_to - timedelta(days=1))
    assert ending_service.expire_due(db, SYSTEM, Clock.now(settings)).expired == []
    clock.to(valid_to)
    assert certificate(client, code)["status"] == "expired"  # even before the daily task runs
    run = ending_service.expire_due(db, SYSTEM, Clock.now(settings))
    db.commit()
    assert run.expired == [code]
    cert = certificate(client, code)
    assert (cert["verdict"], cert["status"], cert["ended_on"]) == ("expired", "expired", valid_to.isoformat())
    got = client.get(f"{API}/records/{record['id']}", headers=now_headers(db, world.b_admin)).json()
    assert got["state"] == "cancelled"
    notices = client.get(f"{API}/notices").json()  # public
    if profile is RuleProfile.INNER_MONGOLIA:
        (notice,) = [n for n in notices["items"] if n["certificate_code"] == code]
        assert notice["kind"] == "expiry" and "届满未续展" in notice["text"] and len(run.notices) == 1
        assert ledger_kind(client, notice["ledger_index"]) == "registration.record_expired"
        entry = client.get(f"/api/v1/ledger/entries/{notice['ledger_index']}").json()
        assert entry["subject"] == f"registration:record:{record['id']}"
    else:
        assert all(n["certificate_code"] != code for n in notices["items"]) and run.notices == []
    # nothing is left to do on a second run, and renewal is over
    assert ending_service.expire_due(db, SYSTEM, Clock.now(settings)).expired == []
    assert_problem(
        client.post(f"{API}/records/{record['id']}/renew", headers=now_headers(db, world.reviewer)), 409
    )


@BOTH
def test_revocation_names_a_ground_of_the_profile(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    _, record = register(client, world, clock)
    code, auth = record["certificate_code"], world.reviewer.headers
    url = f"{API}/records/{record['id']}/revoke"
    assert_problem(
        client.post(url, json={"ground": "false_materials", "reason": "x"}, headers=world.b_admin.headers),
        403,
    )
    assert client.post(url, json={"ground": "nonsense", "reason": "x"}, headers=auth).status_code == 422
    nm_only = client.post(
        url, json={"ground": "security_duty_failed", "reason": "未履行安全义务"}, headers=auth
    )
    if profile is RuleProfile.NATIONAL:  # only inner_mongolia has the regional grounds
        assert_problem(nm_only, 422)
        revoked = client.post(url, json={"ground": "false_materials", "reason": "提供虚假材料"}, headers=auth)
    else:
        revoked = nm_only
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["status"] == "revoked"
    cert = certificate(client, code)
    assert (cert["verdict"], cert["status"]) == ("revoked", "revoked")
    assert cert["signature"]["valid"]  # the signature stays good: it is the status that ended
    notices = [n for n in client.get(f"{API}/notices").json()["items"] if n["certificate_code"] == code]
    assert bool(notices) is (profile is RuleProfile.INNER_MONGOLIA)
    assert (revoked.json()["notice_id"] is not None) is (profile is RuleProfile.INNER_MONGOLIA)
    again = client.post(url, json={"ground": "false_materials", "reason": "再次"}, headers=auth)
    assert_problem(again, 409, "registration-action-not-allowed")


def test_a_change_signs_a_new_statement_under_the_same_code(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    issued, record = register(client, world, clock)
    b, auth = world.b_admin.headers, world.reviewer.headers
    new_data = upload_data(client, b, record["catalog_code"])
    change = file_application(
        client, b, later_body("change", record["id"], evidence_ledger_index=new_data.ledger_index)
    )
    act(client, b, change["id"], "submit")
    act(client, auth, change["id"], "accept")
    passed = act(client, auth, change["id"], "review/pass")
    clock.to(passed["publicity_end"])
    clock.forward(1)
    act(client, auth, change["id"], "issue")
    cert = certificate(client, record["certificate_code"])
    assert (cert["verdict"], cert["record_version"], cert["revision"]) == ("valid", 2, 2)
    assert cert["content_sha256"] != record["content_sha256"]
    del issued


def test_a_tampered_record_or_signature_is_not_valid(
    client: TestClient, world: World, clock: TravelClock, db: Session
) -> None:
    _, record = register(client, world, clock)
    code = record["certificate_code"]
    record_id = uuid.UUID(record["id"])
    db.execute(
        update(RegistrationRecord)
        .where(RegistrationRecord.id == record_id)
        .values(valid_to=date(2099, 1, 1), data_name="篡改后的名称")
    )
    db.commit()
    cert = certificate(client, code)
    assert cert["verdict"] == "invalid" and not cert["record_matches"]
    assert any("data_name" in r and "valid_to" in r for r in cert["reasons"]), cert["reasons"]
    assert cert["signature"]["valid"]  # what was signed is intact; the record is not
    page = client.get(f"/registry/certificates/{code}")
    assert page.status_code == 200 and "核验失败" in page.text
    # the page says which check failed in Chinese, never the API's English reasons
    assert "登记结果与证书签署的内容不一致" in page.text and "no longer matches" not in page.text
    assert "签名未通过核验" not in page.text

    # a forged statement (changing what the certificate says) breaks the signature and the ledger link
    row = db.query(RegistrationCertificate).filter_by(code=code).one()
    forged = json.loads(json.dumps(row.statement))
    forged["valid_to"] = "2099-01-01"
    db.execute(
        update(RegistrationCertificate).where(RegistrationCertificate.code == code).values(statement=forged)
    )
    db.commit()
    cert = certificate(client, code)
    assert cert["verdict"] == "invalid" and not cert["signature"]["valid"] and not cert["ledger_verified"]
    assert any("signature does not verify" in r for r in cert["reasons"])
    assert any("does not carry this statement" in r for r in cert["reasons"])


def test_the_public_page_shows_the_verdict_and_a_qr_code_of_itself(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    _, record = register(client, world, clock)
    code = record["certificate_code"]
    page = client.get(f"/registry/certificates/{code}")  # no login
    assert page.status_code == 200, page.text
    assert 'data-testid="certificate-verdict">有效<' in page.text
    assert "<svg" in page.text and f"http://testserver/registry/certificates/{code}" in page.text
    assert "乙港口公司" in page.text and record["data_name"] in page.text
    client.cookies.set("logispace_lang", "en")
    english = client.get(f"/registry/certificates/{code}")
    client.cookies.delete("logispace_lang")
    assert "Certificate verification" in english.text and "Valid" in english.text
    # lower case, no hyphens: the same certificate
    assert client.get(f"{API}/certificates/{code.lower().replace('-', '')}").json()["code"] == code

    auth = world.reviewer.headers
    assert (
        client.post(
            f"{API}/records/{record['id']}/revoke",
            json={"ground": "illegal_use", "reason": "不正当牟利"},
            headers=auth,
        ).status_code
        == 200
    )
    revoked = client.get(f"/registry/certificates/{code}")
    assert 'data-testid="certificate-verdict">已撤销<' in revoked.text


@pytest.mark.parametrize(
    "code",
    ["DJR-2026-7K3Q9XWA-0", "DJR-2026-00000000-X", "not-a-code", "DJR20267K3Q9XWAM"],
)
def test_an_unknown_or_malformed_code_is_404(client: TestClient, code: str) -> None:
    problem = assert_problem(client.get(f"{API}/certificates/{code}"), 404, "not-found")
    assert "registration certificate" in problem["detail"]
    assert client.get(f"/registry/certificates/{code}").status_code == 404


def test_refusing_as_a_duplicate_needs_a_real_duplicate(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    clock.to("2026-03-02")
    resource = registrable_resource(client, b)
    application = file_application(client, b, initial_body(resource))
    act(client, b, application["id"], "submit")
    refused = client.post(
        f"{API}/applications/{application['id']}/refuse",
        json={"grounds": ["duplicate"], "reason": "重复登记"},
        headers=auth,
    )
    problem = assert_problem(refused, 409, "registration-action-not-allowed")
    assert "not a duplicate" in problem["detail"]
    fraud = act(client, auth, application["id"], "refuse", {"grounds": ["fraud"], "reason": "弄虚作假"})
    assert fraud["state"] == "not_accepted" and fraud["refusal_grounds"] == ["fraud"]
