"""A method a path does not serve answers 405 with an ``Allow`` header naming every method that path
serves (all routes at it, not only the first the router tried), on every route of the app."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import compile_path

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_PARAM = re.compile(r"\{[^}]+\}")


def concrete_paths(app: FastAPI) -> dict[str, set[str]]:
    """Each route path with its parameters filled (a UUID each), and the methods served there."""
    contexts = [c for c in iter_route_contexts(app.routes) if c.path is not None and c.methods]
    compiled = [(compile_path(c.path)[0], set(c.methods or ())) for c in contexts]
    urls = {_PARAM.sub(str(uuid.UUID(int=7)), c.path) for c in contexts if c.path is not None}
    return {url: set().union(*(m for rx, m in compiled if rx.match(url))) for url in urls}


def test_every_unserved_method_is_405_with_the_full_allow_header(app: FastAPI, client: TestClient) -> None:
    wrong: list[str] = []
    tried = 0
    for url, served in sorted(concrete_paths(app).items()):
        for method in METHODS:
            if method in served:
                continue
            tried += 1
            response = client.request(method, url)
            allow = {m.strip() for m in response.headers.get("allow", "").split(",") if m.strip()}
            if response.status_code != 405 or allow != served:
                wrong.append(
                    f"{method} {url}: {response.status_code}, Allow {sorted(allow)} (want {sorted(served)})"
                )
    assert tried > 300
    assert wrong == []


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("GET", "/api/v1/documents/verify", "POST"),
        ("DELETE", "/api/v1/documents/verify", "POST"),
        ("PUT", "/api/v1/health", "GET"),
    ],
)
def test_a_static_path_is_not_taken_for_a_parameter(
    client: TestClient, method: str, url: str, allow: str
) -> None:
    """``/documents/verify`` was read as ``/documents/{document_id}`` and answered 422 to a GET."""
    response = client.request(method, url)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"].startswith("application/problem+json")
