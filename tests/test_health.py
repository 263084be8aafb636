"""GET /api/v1/health is public and names the database backend."""

from fastapi.testclient import TestClient

from tests.databases import BACKEND


def test_health_is_public_and_names_backend(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"backend": BACKEND, "ok": True}


def test_me_with_token(client: TestClient, world) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/me", headers=world.a_admin.headers)
    assert response.status_code == 200, response.text
    assert response.json()["user"]["username"] == world.a_admin.username
    assert response.json()["authenticated_by"] == "token"
