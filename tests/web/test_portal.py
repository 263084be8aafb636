"""The public portal home (门户首页), verification by code or file, the dashboard's to-do lists (待办事项)
and the authority's jurisdiction views (辖区运单、辖区单证)."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.identifiers import uscc_with_check_character
from logispace.domains.identity import Role
from tests.catalog.test_api import create, publish
from tests.conftest import Actor, LogIn, World
from tests.factories.identity import make_party, make_token, make_user
from tests.logistics.waybill_support import Corridor, Member
from tests.logistics.waybill_support import corridor as corridor
from tests.logistics.waybill_support import create as create_waybill
from tests.web.page_text import visible_text

PDF = b"%PDF-1.4 portal test document\n"


def figure(html: str, key: str) -> int:
    found = re.search(rf'data-testid="figure-{key}"><strong>([\d,]+)</strong>', html)
    assert found, key
    return int(found.group(1).replace(",", ""))


def notarize(
    client: TestClient, actor: Actor, data: bytes = PDF, title: str = "多式联运运单"
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/documents",
        files={"file": ("waybill.pdf", data, "application/pdf")},
        data={"title": title, "reference": f"LS-{random.randint(0, 10**8)}"},
        headers=actor.headers,
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


# -- the portal ------------------------------------------------------------------------------------


def test_a_visitor_lands_on_the_portal_with_search_figures_and_verification(
    client: TestClient, world: World
) -> None:
    before = client.get("/")
    assert before.status_code == 200
    published = publish(client, world.b_admin.headers, create(client, world.b_admin.headers)["catalog_code"])
    notarize(client, world.b_admin)
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert figure(html, "resources") == figure(before.text, "resources") + 1
    assert figure(html, "documents") == figure(before.text, "documents") + 1
    assert 'action="/catalog"' in html and 'name="q"' in html  # the search box goes to the catalogue
    assert 'href="/verify"' in html and 'name="certificate"' in html
    assert 'src="/static/portal.js"' in html and "<script>" not in html  # charts from a static script
    text = visible_text(html)
    for words in (
        "开放数据精选",
        "登记公示",
        "登记公告",
        "核验服务",
        "运营单位",
        "ICP备案号：待备案",
        "使用帮助",
    ):
        assert words in text, words
    assert "进入工作台" not in text and published["catalog_code"]


def test_a_logged_in_user_sees_the_portal_with_a_way_into_the_dashboard(world: World, log_in: LogIn) -> None:
    page = log_in(world.a_admin).get("/")
    assert page.status_code == 200
    assert 'href="/dashboard"' in page.text and "进入工作台" in page.text


def test_a_certificate_code_goes_to_its_verification_page(client: TestClient) -> None:
    response = client.get("/verify?certificate=djr-2026-abc", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/registry/certificates/DJR-2026-ABC"
    assert client.get("/verify").status_code == 200


@pytest.mark.parametrize(
    ("data", "status", "verdict"),
    [(PDF, 200, "authentic"), (b"another file", 200, "unknown"), (b"", 422, None)],
    ids=["notarized", "unknown", "empty"],
)
def test_a_file_is_verified_against_every_notarized_document(
    client: TestClient, world: World, data: bytes, status: int, verdict: str | None
) -> None:
    notarize(client, world.a_admin)
    response = client.post("/verify", files={"file": ("x.pdf", data, "application/pdf")})
    assert response.status_code == status, response.text
    text = visible_text(response.text)
    if verdict is None:
        assert "请选择一个非空的文件" in text and "verdict-box" not in response.text
    else:
        assert f'class="verdict verdict-{verdict}"' in response.text


# -- the dashboard's to-do lists -----------------------------------------------------------------------


def todo_count(html: str, key: str) -> int:
    found = re.search(rf'data-testid="todo-{key}">.*?data-testid="todo-count">(\d+)<', html, re.S)
    assert found, f"no to-do {key}"
    return int(found.group(1))


def test_the_authority_counts_parties_to_verify_and_grades_to_review(
    client: TestClient, db: Session, world: World, log_in: LogIn
) -> None:
    authority = log_in(world.authority_admin)
    first = authority.get("/dashboard").text
    make_party(db, name="新登记物流公司")
    publish(client, world.b_admin.headers, create(client, world.b_admin.headers)["catalog_code"])
    db.commit()
    html = authority.get("/dashboard").text
    assert todo_count(html, "verify-parties") == todo_count(first, "verify-parties") + 1
    assert todo_count(html, "grading") == todo_count(first, "grading") + 1
    assert todo_count(html, "list-version") == todo_count(first, "list-version") + 1
    assert 'href="/admin/parties?verification_status=unverified"' in html
    assert 'href="/catalog/grading"' in html


def test_a_holder_counts_its_drafts_and_documents(client: TestClient, world: World, log_in: LogIn) -> None:
    holder = log_in(world.b_admin)
    first = holder.get("/dashboard").text
    create(client, world.b_admin.headers)
    notarize(client, world.b_admin)
    html = holder.get("/dashboard").text
    assert todo_count(html, "drafts") == todo_count(first, "drafts") + 1
    assert todo_count(html, "documents") == todo_count(first, "documents") + 1
    assert 'data-testid="todo-verify-parties"' not in html  # the authority's work only


def test_the_registration_reviewer_sees_the_review_work(world: World, log_in: LogIn) -> None:
    html = log_in(world.reviewer).get("/dashboard").text
    for key in ("accept", "review", "objections", "publicity", "due", "overdue"):
        assert todo_count(html, key) >= 0
    assert 'data-testid="todo-drafts"' not in html


# -- jurisdiction views ----------------------------------------------------------------------------------


def beijing_member(db: Session, name: str) -> Member:
    """A party registered in Beijing (division 110000), outside the test authority's jurisdiction."""
    body = "91110000" + "".join(random.choices("0123456789ABCDEFGHJKLMNPQRTUWXY", k=9))
    party = make_party(db, name=name, uscc=uscc_with_check_character(body))
    user = make_user(db, party, Role.PARTY_ADMIN)
    return Member(Actor(user.id, party.id, user.username, make_token(db, user)), party.uscc)


def test_the_authority_sees_the_waybills_of_its_jurisdiction_only(
    client: TestClient, db: Session, world: World, corridor: Corridor, log_in: LogIn
) -> None:
    inside = create_waybill(client, corridor.shipper, corridor.body())["number"]
    far = [beijing_member(db, f"北京某物流公司{n}") for n in range(3)]
    db.commit()
    body = {
        **corridor.body(),
        "consignor_uscc": far[0].uscc,
        "consignee_uscc": far[1].uscc,
    }
    for leg in body["legs"]:
        leg["carrier_uscc"] = far[2].uscc
    outside = create_waybill(client, far[0], body)["number"]
    page = log_in(world.authority_admin).get("/authority/waybills")
    assert page.status_code == 200, page.text
    assert f"<code>{inside}</code>" in page.text and outside not in page.text
    assert "广西壮族自治区" in visible_text(page.text)
    assert "广西某贸易有限公司" in visible_text(page.text)  # parties by name, not by code
    filtered = log_in(world.authority_admin).get(f"/authority/waybills?q={inside[-6:]}&status=draft")
    assert f"<code>{inside}</code>" in filtered.text
    none = log_in(world.authority_admin).get(f"/authority/waybills?q={inside}&status=closed")
    assert none.status_code == 200 and f"<code>{inside}</code>" not in none.text


def test_the_authority_sees_the_documents_of_its_jurisdiction_only(
    client: TestClient, db: Session, world: World, log_in: LogIn
) -> None:
    far = beijing_member(db, "北京某报关公司")
    db.commit()
    notarize(client, world.b_admin, b"inside", title="辖区内的提单")
    notarize(client, far.actor, b"outside", title="辖区外的提单")
    page = log_in(world.authority_admin).get("/authority/documents")
    assert page.status_code == 200
    text = visible_text(page.text)
    assert "辖区内的提单" in text and "辖区外的提单" not in text and "乙港口公司" in text
    assert "辖区内的提单" not in log_in(world.authority_admin).get("/authority/documents?q=不存在").text


@pytest.mark.parametrize("path", ["/authority/waybills", "/authority/documents", "/catalog/grading"])
def test_a_non_authority_cannot_open_the_authority_views(world: World, log_in: LogIn, path: str) -> None:
    for actor in (world.a_admin, world.a_analyst, world.b_admin):
        response = log_in(actor).get(path)
        assert response.status_code == 403, (actor.username, response.status_code)
        assert "辖区" not in visible_text(response.text).replace("出错", "")
