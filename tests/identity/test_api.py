"""Identity API flows end to end: parties, verification, users, tokens, password."""

from fastapi.testclient import TestClient

from tests.factories.identity import bearer, new_uscc
from tests.identity.support import login_form_token


def test_authority_creates_verifies_and_staffs_a_party(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    admin = world.authority_admin.headers
    uscc = new_uscc()
    r = client.post(
        "/api/v1/parties",
        json={
            "name": "钦州港示范物流",
            "party_type": "enterprise",
            "uscc": uscc,
            "contact_email": "ops@example.cn",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    party = r.json()
    assert party["verification_status"] == "unverified" and party["real_name_verification"] is None

    r = client.post(
        f"/api/v1/parties/{party['id']}/real-name-verifications",
        json={"status": "verified", "method": "市场监管接口核验", "note": "营业执照有效"},
        headers=world.reviewer.headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["decided_by"] == world.reviewer.username

    r = client.get(f"/api/v1/parties/{party['id']}", headers=admin)
    assert r.json()["verification_status"] == "verified"
    assert r.json()["real_name_verification"]["method"] == "市场监管接口核验"

    r = client.post(
        "/api/v1/users",
        json={
            "party_id": party["id"],
            "username": "qz-admin",
            "display_name": "钦州管理员",
            "password": "a-good-long-password",
            "roles": ["party_admin"],
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    assert r.json()["roles"] == ["party_admin"] and "password" not in r.text

    r = client.get(
        "/api/v1/parties", params={"q": "钦州港", "verification_status": "verified"}, headers=admin
    )
    assert r.json()["total"] == 1 and r.json()["items"][0]["uscc"] == uscc


def test_party_admin_edits_own_party_and_manages_own_users(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    headers = world.a_admin.headers
    r = client.patch(
        f"/api/v1/parties/{world.a_admin.party_id}", json={"contact_phone": "0777-1234567"}, headers=headers
    )
    assert r.status_code == 200 and r.json()["contact_phone"] == "0777-1234567"

    r = client.post(
        "/api/v1/users",
        json={
            "party_id": str(world.a_admin.party_id),
            "username": "a-steward",
            "display_name": "甲数据管理员",
            "password": "a-good-long-password",
            "roles": ["data_steward"],
        },
        headers=headers,
    )
    assert r.status_code == 201, r.text
    new_id = r.json()["id"]
    r = client.patch(
        f"/api/v1/users/{new_id}", json={"roles": ["analyst"], "is_active": False}, headers=headers
    )
    assert r.status_code == 200 and r.json()["roles"] == ["analyst"] and r.json()["is_active"] is False

    listed = client.get("/api/v1/users", headers=headers).json()
    assert {u["party_id"] for u in listed["items"]} == {str(world.a_admin.party_id)}
    assert listed["total"] == 3  # a_admin, a_analyst and the new user


def test_an_analyst_sees_only_themself_in_users(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    listed = client.get("/api/v1/users", headers=world.a_analyst.headers).json()
    assert [u["username"] for u in listed["items"]] == [world.a_analyst.username]


def test_token_lifecycle_over_the_api(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    r = client.post(
        "/api/v1/tokens", json={"name": "ETL 作业", "expires_in_days": 7}, headers=world.a_analyst.headers
    )
    assert r.status_code == 201
    created = r.json()
    secret = created["token"]
    assert created["status"] == "active" and secret.startswith(created["prefix"])

    assert (
        client.get("/api/v1/me", headers=bearer(secret)).json()["user"]["username"]
        == world.a_analyst.username
    )
    listed = client.get("/api/v1/tokens", headers=bearer(secret)).json()
    mine = next(t for t in listed if t["id"] == created["id"])
    assert mine["last_used_at"] is not None
    assert secret not in client.get("/api/v1/tokens", headers=bearer(secret)).text

    assert (
        client.delete(f"/api/v1/tokens/{created['id']}", headers=world.a_analyst.headers).status_code == 204
    )
    r = client.get("/api/v1/me", headers=bearer(secret))
    assert r.status_code == 401 and r.json()["code"] == "invalid-token"
    statuses = {
        t["id"]: t["status"] for t in client.get("/api/v1/tokens", headers=world.a_analyst.headers).json()
    }
    assert statuses[created["id"]] == "revoked"


def test_password_change_over_the_api(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    headers = world.a_analyst.headers
    r = client.post(
        "/api/v1/me/password",
        json={"current_password": "wrong", "new_password": "another-long-one"},
        headers=headers,
    )
    assert r.status_code == 401
    r = client.post(
        "/api/v1/me/password",
        json={"current_password": "correct-horse-battery", "new_password": "another-long-one"},
        headers=headers,
    )
    assert r.status_code == 204
    r = client.post(
        "/login",
        data={
            "username": world.a_analyst.username,
            "password": "another-long-one",
            "csrf_token": login_form_token(client),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"


def test_session_cookie_login_then_api_with_csrf(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    r = client.post(
        "/login",
        data={
            "username": world.a_admin.username,
            "password": "correct-horse-battery",
            "csrf_token": login_form_token(client),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert client.get("/api/v1/me").json()["authenticated_by"] == "session"
    page = client.get("/account/tokens").text
    csrf = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    r = client.post("/api/v1/tokens", json={"name": "from page"}, headers={"X-CSRF-Token": csrf})
    assert r.status_code == 201
