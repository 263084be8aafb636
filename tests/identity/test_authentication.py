"""Every route but the public allowlist needs credentials; page sessions need their CSRF token."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from logispace.core.errors import PROBLEM_MEDIA_TYPE
from logispace.web.i18n import LANGUAGE_COOKIE
from tests.conftest import Actor, World
from tests.factories.identity import bearer
from tests.identity.support import Browser, assert_problem, is_api_path

# -- a: authentication on every route -----------------------------------------------------------


@dataclass(frozen=True)
class PublicProbe:
    """How to call a public route, and what it answers without credentials."""

    url: str
    status: int
    form: dict[str, str] | None = None


# (method, route path) -> probe. The only routes that answer without a login.
PUBLIC: dict[tuple[str, str], PublicProbe] = {
    ("GET", "/api/v1/health"): PublicProbe("/api/v1/health", 200),
    ("GET", "/login"): PublicProbe("/login", 200),
    # Without the login form's token (bound to its pre-session cookie) a login is refused: 403.
    ("POST", "/login"): PublicProbe("/login", 403, form={"username": "nobody", "password": "wrong-password"}),
    ("GET", "/lang/{language}"): PublicProbe("/lang/en?next=/admin/parties", 303),
    ("GET", "/problems/{code}"): PublicProbe("/problems/not-found", 200),
    # The portal home, its verification page (a file is only hashed), the help and the API guide
    # (issue 17): public, like the catalogue and the registry they lead to.
    ("GET", "/"): PublicProbe("/", 200),
    ("GET", "/verify"): PublicProbe("/verify?certificate=DJR-2026-00000000-0", 303),
    ("POST", "/verify"): PublicProbe("/verify", 422),
    ("GET", "/help"): PublicProbe("/help", 200),
    ("GET", "/api/guide"): PublicProbe("/api/guide", 200),
    ("GET", "/static"): PublicProbe("/static/app.css", 200),
    # The evidence ledger is public to read (issue 4): anyone may check a receipt.
    ("GET", "/api/v1/ledger/tree-head"): PublicProbe("/api/v1/ledger/tree-head", 200),
    ("GET", "/api/v1/ledger/entries/{entry_id}"): PublicProbe("/api/v1/ledger/entries/999999", 404),
    ("GET", "/api/v1/ledger/entries/{entry_id}/receipt"): PublicProbe(
        "/api/v1/ledger/entries/999999/receipt", 404
    ),
    ("GET", "/api/v1/ledger/proofs/inclusion"): PublicProbe(
        "/api/v1/ledger/proofs/inclusion?index=0&tree_size=999999", 404
    ),
    ("GET", "/api/v1/ledger/proofs/consistency"): PublicProbe(
        "/api/v1/ledger/proofs/consistency?first=1&second=999999", 404
    ),
    ("GET", "/api/v1/ledger/keys"): PublicProbe("/api/v1/ledger/keys", 200),
    # Public keys of parties, and notarized documents' metadata and verification (issue 4, point 7).
    ("GET", "/api/v1/parties/{party_id}/keys"): PublicProbe(f"/api/v1/parties/{uuid.uuid4()}/keys", 404),
    ("GET", "/api/v1/documents/{document_id:uuid}"): PublicProbe(f"/api/v1/documents/{uuid.uuid4()}", 404),
    ("POST", "/api/v1/documents/verify"): PublicProbe("/api/v1/documents/verify", 422),
    ("GET", "/documents/{document_id}"): PublicProbe(f"/documents/{uuid.uuid4()}", 404),
    ("POST", "/documents/{document_id}/verify"): PublicProbe(f"/documents/{uuid.uuid4()}/verify", 404),
    # Published catalogue metadata, the category tree, grades and the published list are public
    # (issue 3); drafts stay with their holder (tests/catalog/test_party_isolation.py).
    ("GET", "/api/v1/catalog/categories"): PublicProbe("/api/v1/catalog/categories", 200),
    ("GET", "/api/v1/catalog/grades"): PublicProbe("/api/v1/catalog/grades", 200),
    ("GET", "/api/v1/catalog/resources"): PublicProbe("/api/v1/catalog/resources", 200),
    ("GET", "/api/v1/catalog/resources/{code}"): PublicProbe("/api/v1/catalog/resources/WL0000000000", 404),
    ("GET", "/api/v1/catalog/lists"): PublicProbe("/api/v1/catalog/lists", 200),
    ("GET", "/api/v1/catalog/lists/{version}"): PublicProbe("/api/v1/catalog/lists/999999", 404),
    # Versions of published data and 无条件开放 data itself are public (issue 3, points 5-6);
    # tests/catalog/test_distributions.py checks the refusals.
    ("GET", "/api/v1/catalog/resources/{code}/distributions"): PublicProbe(
        "/api/v1/catalog/resources/WL0000000000/distributions", 404
    ),
    ("GET", "/api/v1/catalog/resources/{code}/preview"): PublicProbe(
        "/api/v1/catalog/resources/WL0000000000/preview", 404
    ),
    ("GET", "/api/v1/catalog/resources/{code}/download.csv"): PublicProbe(
        "/api/v1/catalog/resources/WL0000000000/download.csv", 404
    ),
    ("GET", "/api/v1/catalog/resources/{code}/download.parquet"): PublicProbe(
        "/api/v1/catalog/resources/WL0000000000/download.parquet", 404
    ),
    # The DCAT-AP 3 export of the public catalogue (issue 3, point 8); published resources only
    # (tests/catalog/test_dcat.py).
    ("GET", "/api/v1/catalog/dcat.jsonld"): PublicProbe("/api/v1/catalog/dcat.jsonld", 200),
    ("GET", "/api/v1/catalog/dcat.ttl"): PublicProbe("/api/v1/catalog/dcat.ttl", 200),
    ("GET", "/api/v1/catalog/resources/{code}/dcat.jsonld"): PublicProbe(
        "/api/v1/catalog/resources/WL0000000000/dcat.jsonld", 404
    ),
    ("GET", "/api/v1/catalog/resources/{code}/dcat.ttl"): PublicProbe(
        "/api/v1/catalog/resources/WL0000000000/dcat.ttl", 404
    ),
    # The catalogue pages show what the public API shows (issue 3, point 9); drafts stay with
    # their holder (tests/catalog/test_pages.py).
    ("GET", "/catalog"): PublicProbe("/catalog", 200),
    ("GET", "/catalog/resources/{code}"): PublicProbe("/catalog/resources/WL0000000000", 404),
    ("GET", "/catalog/lists"): PublicProbe("/catalog/lists", 200),
    ("GET", "/catalog/lists/{version}"): PublicProbe("/catalog/lists/999999", 404),
    # The public registry (issue 6 point 6): issued registrations, the publicity list and the quarterly
    # statistics; objecting needs a login (tests/registration/test_pages.py).
    ("GET", "/registry"): PublicProbe("/registry", 200),
    ("GET", "/registry/publicity"): PublicProbe("/registry/publicity", 200),
    ("GET", "/registry/statistics"): PublicProbe("/registry/statistics?year=2026&quarter=1", 200),
    ("GET", "/registry/statistics.csv"): PublicProbe("/registry/statistics.csv?year=2026&quarter=1", 200),
    ("GET", "/api/v1/registration/statistics"): PublicProbe(
        "/api/v1/registration/statistics?year=2026&quarter=5", 422
    ),
    # Registration certificates are verified in public by their code (一证一码, issue 6 point 4), and
    # the notices of expired and revoked certificates are public (tests/registration/test_certificates.py).
    ("GET", "/api/v1/registration/certificates/{code}"): PublicProbe(
        "/api/v1/registration/certificates/DJR-2026-00000000-0", 404
    ),
    ("GET", "/api/v1/registration/notices"): PublicProbe("/api/v1/registration/notices", 200),
    ("GET", "/registry/certificates/{code}"): PublicProbe("/registry/certificates/DJR-2026-00000000-0", 404),
    # Authorized operation is disclosed to the public (§2.10: parties, scope, term, products and prices).
    ("GET", "/operation/disclosure"): PublicProbe("/operation/disclosure", 200),
}

# The CKAN Action API read subset (issue 3, point 8; issue 15, point 5) at CKAN's two paths: published
# metadata only, credentials ignored (tests/catalog/test_ckan_api.py). POST probes send no body.
for _prefix in ("/api/3/action", "/api/action"):
    for _action, _query, _get, _post in [
        ("package_list", "", 200, 200),
        ("package_show", "?id=wl0000000000", 404, 409),
        ("package_search", "?q=x", 200, 200),
        ("organization_list", "", 200, 200),
        ("organization_show", f"?id={uuid.uuid4()}", 404, 409),
        ("status_show", "", 200, 200),
        ("site_read", "", 200, 200),
        ("license_list", "", 200, 200),
        ("tag_list", "", 200, 200),
        ("tag_show", "", 409, 409),
        ("group_list", "", 200, 200),
        ("group_show", "", 409, 409),
        ("resource_show", "", 409, 409),
        ("help_show", "", 409, 409),
        ("package_autocomplete", "", 409, 409),
        ("organization_autocomplete", "", 409, 409),
        ("group_autocomplete", "", 409, 409),
        ("tag_autocomplete", "", 409, 409),
        ("format_autocomplete", "", 409, 409),
        ("package_activity_list", "", 409, 409),
        ("recently_changed_packages_activity_list", "", 200, 200),
        ("{action}", "", 400, 400),
    ]:
        _url = f"{_prefix}/{_action.replace('{action}', 'no_such_action')}"
        PUBLIC[("GET", f"{_prefix}/{_action}")] = PublicProbe(_url + _query, _get)
        PUBLIC[("POST", f"{_prefix}/{_action}")] = PublicProbe(_url, _post)

# Routes the walk must find, so that it cannot pass by finding nothing.
KNOWN_PROTECTED = {
    ("GET", "/openapi.json"),
    ("GET", "/api/docs"),
    ("GET", "/api/v1/me"),
    ("GET", "/api/v1/parties/{party_id}"),
    ("PATCH", "/api/v1/users/{user_id}"),
    ("DELETE", "/api/v1/tokens/{token_id}"),
    ("GET", "/dashboard"),
    ("GET", "/authority/waybills"),
    ("GET", "/authority/documents"),
    ("GET", "/catalog/grading"),
    ("GET", "/catalog/resources/{code}/grading"),
    ("POST", "/catalog/resources/{code}/grading"),
    ("GET", "/admin/parties/{party_id}"),
    ("POST", "/admin/parties/{party_id}/verify"),
    ("POST", "/account/tokens/{token_id}/revoke"),
    ("POST", "/logout"),
    ("GET", "/api/v1/documents"),
    ("POST", "/api/v1/documents"),
    ("POST", "/api/v1/parties/me/keys/rotate"),
    ("GET", "/documents"),
    ("POST", "/documents"),
    ("POST", "/api/v1/catalog/resources"),
    ("PATCH", "/api/v1/catalog/resources/{code}"),
    ("POST", "/api/v1/catalog/lists"),
    ("GET", "/api/v1/catalog/lists/{version}/report.csv"),
    ("GET", "/api/v1/catalog/data-items"),
    ("GET", "/catalog/resources/{code}/edit"),
    ("POST", "/catalog/resources/{code}/edit"),
    ("POST", "/catalog/resources/{code}/publish"),
    ("POST", "/catalog/resources/{code}/withdraw"),
    ("POST", "/catalog/lists"),
    ("POST", "/epcis/capture"),
    ("GET", "/epcis/capture/{capture_id}"),
    ("GET", "/epcis/events"),
    ("GET", "/epcis/events/{event_id:path}"),
    ("GET", "/epcis/epcs/{epc:path}/events"),
    ("GET", "/epcis/eventTypes"),
    ("GET", "/epcis/bizSteps"),
    ("POST", "/api/v1/waybills"),
    ("GET", "/api/v1/waybills"),
    ("GET", "/api/v1/waybills/{number}"),
    ("POST", "/api/v1/waybills/{number}/actions"),
    ("GET", "/api/v1/waybills/{number}/custody"),
    ("POST", "/api/v1/containers"),
    ("GET", "/api/v1/containers/{number}"),
    ("POST", "/api/v1/logistics/intake/ewaybill"),
    # registration (issue 6): every route needs a login (tests/registration/test_party_isolation.py)
    ("POST", "/api/v1/registration/applications"),
    ("GET", "/api/v1/registration/applications/{application_id}"),
    ("POST", "/api/v1/registration/applications/{application_id}/attachments"),
    ("POST", "/api/v1/registration/applications/{application_id}/submit"),
    ("POST", "/api/v1/registration/applications/{application_id}/accept"),
    ("POST", "/api/v1/registration/applications/{application_id}/issue"),
    ("POST", "/api/v1/registration/applications/{application_id}/objections"),
    ("POST", "/api/v1/registration/applications/{application_id}/objections/{objection_id}/handle"),
    ("GET", "/api/v1/registration/overdue"),
    ("GET", "/api/v1/registration/records/{record_id}"),
    # renewal requests (续展申请): the holder files, the authority decides (test_renewal.py)
    ("POST", "/api/v1/registration/records/{record_id}/renew"),
    ("POST", "/api/v1/registration/records/{record_id}/renewal-requests"),
    ("GET", "/api/v1/registration/records/{record_id}/renewal-requests"),
    ("GET", "/api/v1/registration/renewal-requests"),
    ("GET", "/api/v1/registration/renewal-requests/{request_id}"),
    ("POST", "/api/v1/registration/renewal-requests/{request_id}/approve"),
    ("POST", "/api/v1/registration/renewal-requests/{request_id}/refuse"),
    # registration accounts (004:5444) and joint applications (004:771): tests/registration/test_accounts.py,
    # tests/registration/test_joint_applications.py
    ("POST", "/api/v1/registration/account"),
    ("GET", "/api/v1/registration/account"),
    ("GET", "/api/v1/registration/accounts"),
    ("POST", "/api/v1/registration/accounts/{account_id}/issue"),
    ("POST", "/api/v1/registration/applications/{application_id}/co-subjects/confirm"),
    ("GET", "/registration/account"),
    ("POST", "/registration/account"),
    ("GET", "/registration/accounts"),
    ("POST", "/registration/accounts/{account_id}/issue"),
    ("POST", "/registration/applications/{application_id}/co-subjects/confirm"),
    ("POST", "/api/v1/logistics/intake/dcsa"),
    ("POST", "/api/v1/logistics/intake/gps"),
    ("GET", "/api/v1/trace/containers/{number}"),
    ("GET", "/api/v1/trace/epcs/{epc:path}"),
    ("GET", "/api/v1/trace/waybills/{number}"),
    ("GET", "/trace"),
    ("GET", "/trace/waybills/{number}"),
    ("GET", "/trace/containers/{number}"),
    ("GET", "/registration"),
    ("GET", "/registration/new"),
    ("POST", "/registration/new"),
    ("GET", "/registration/applications/{application_id}"),
    ("POST", "/registration/applications/{application_id}/attachments"),
    ("POST", "/registration/applications/{application_id}/submit"),
    ("POST", "/registration/applications/{application_id}/review/{action}"),
    ("GET", "/registration/review"),
    ("POST", "/registry/publicity/{application_id}/objections"),
    # renewal and correction pages (tests/registration/test_renewal_pages.py)
    ("POST", "/registration/records/{record_id}/renewal"),
    ("POST", "/registration/renewal-requests/{request_id}/{decision}"),
    ("GET", "/registry/records/{record_id}/correction"),
    ("POST", "/registry/records/{record_id}/correction"),
}

_PATH_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


def walk_routes(app: FastAPI) -> list[tuple[str, str, str]]:
    """``(method, route path, url to call)`` for every route and method of ``app``."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        path = context.path
        assert path is not None, f"a route without a path: {route!r}"
        if isinstance(route, Mount):
            found.append(("GET", path, f"{path.rstrip('/')}/app.css"))
            continue
        if not isinstance(route, (APIRoute, Route)) or not context.methods:
            raise AssertionError(f"{route!r} is of a kind this test cannot call; teach it (and check auth)")
        url = _PATH_PARAM.sub(lambda _: str(uuid.uuid4()), path)
        found.extend((method, path, url) for method in sorted(context.methods) if method != "HEAD")
    return found


def test_every_route_requires_authentication_except_the_public_allowlist(
    app: FastAPI, client: TestClient
) -> None:
    routes = walk_routes(app)
    walked = {(method, path) for method, path, _ in routes}
    assert walked >= KNOWN_PROTECTED, KNOWN_PROTECTED - walked
    assert set(PUBLIC) <= walked, f"stale PUBLIC entries: {set(PUBLIC) - walked}"

    failures: list[str] = []
    checked = 0
    for method, path, url in routes:
        if (method, path) in PUBLIC:
            continue
        checked += 1
        anonymous = client.request(method, url, follow_redirects=False)
        if is_api_path(path):
            for label, response in [
                ("no credentials", anonymous),
                ("garbage token", client.request(method, url, headers=bearer("lsp_garbage"))),
                ("wrong scheme", client.request(method, url, headers={"Authorization": "Basic YTpi"})),
            ]:
                if not (
                    response.status_code == 401
                    and response.headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE)
                    and response.headers.get("www-authenticate", "").startswith("Bearer")
                ):
                    failures.append(
                        f"{method} {path} ({label}): {response.status_code} {response.text[:120]}"
                    )
        elif method == "GET":
            location = anonymous.headers.get("location", "")
            target = urlsplit(location)
            if not (
                anonymous.status_code == 303
                and target.path == "/login"
                and parse_qs(target.query).get("next") == [url]
            ):
                failures.append(f"{method} {path}: {anonymous.status_code} location={location!r}")
            stale = client.get(
                url, headers={"Cookie": "logispace_session=lss_garbage"}, follow_redirects=False
            )
            if stale.status_code != 303 or not stale.headers.get("location", "").startswith("/login?next="):
                failures.append(f"{method} {path} (garbage session cookie): {stale.status_code}")
        elif anonymous.status_code not in (401, 403):
            failures.append(f"{method} {path}: {anonymous.status_code} {anonymous.text[:120]}")
    assert not failures, "routes answering without authentication:\n" + "\n".join(failures)
    assert checked >= len(KNOWN_PROTECTED)


@pytest.mark.parametrize(("method", "path"), sorted(PUBLIC), ids=[f"{m} {p}" for m, p in sorted(PUBLIC)])
def test_public_routes_answer_without_credentials(client: TestClient, method: str, path: str) -> None:
    probe = PUBLIC[(method, path)]
    response = client.request(method, probe.url, data=probe.form, follow_redirects=False)
    assert response.status_code == probe.status, response.text
    assert not response.headers.get("location", "").startswith("/login?next=")


def test_public_problem_page_and_language_switch_need_no_login(client: TestClient) -> None:
    problem = client.get("/problems/csrf-failed", follow_redirects=False)
    assert problem.status_code == 200
    assert "csrf-failed" in problem.text
    switched = client.get("/lang/en?next=/admin/parties", follow_redirects=False)
    assert switched.status_code == 303
    assert switched.headers["location"] == "/admin/parties"
    assert switched.headers["set-cookie"].startswith(f"{LANGUAGE_COOKIE}=en;")


def test_garbage_and_malformed_bearer_tokens_are_refused(client: TestClient) -> None:
    for headers in (bearer("lsp_garbage"), bearer(""), {"Authorization": "Token abc"}):
        assert_problem(client.get("/api/v1/me", headers=headers), 401)


def test_session_cookie_alone_cannot_post_to_the_api(
    world: World, log_in: Callable[[Actor], Browser]
) -> None:
    browser = log_in(world.a_admin)
    me = browser.client.get("/api/v1/me")
    assert me.status_code == 200, me.text
    assert me.json()["authenticated_by"] == "session"

    no_token = browser.client.post("/api/v1/tokens", json={"name": "via cookie"})
    assert_problem(no_token, 403, "csrf-failed")
    wrong_token = browser.client.post(
        "/api/v1/tokens", json={"name": "via cookie"}, headers={"X-CSRF-Token": "not-the-token"}
    )
    assert_problem(wrong_token, 403, "csrf-failed")
    page_form = browser.client.post("/account/tokens", data={"name": "via form"}, follow_redirects=False)
    assert page_form.status_code == 403
    assert all(
        t["name"] not in ("via cookie", "via form") for t in browser.client.get("/api/v1/tokens").json()
    )

    # The same request with the session's CSRF token goes through: the refusals above were CSRF.
    with_token = browser.client.post(
        "/api/v1/tokens", json={"name": "via cookie"}, headers={"X-CSRF-Token": browser.csrf_token}
    )
    assert with_token.status_code == 201, with_token.text


def test_login_redirect_keeps_the_query(client: TestClient) -> None:
    response = client.get("/admin/parties?q=甲&offset=0", follow_redirects=False)
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [quote("/admin/parties?q=甲&offset=0", safe="/?=&")]
