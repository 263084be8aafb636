"""NUL and lone surrogates in the forms posted to pages: refused with a 422 error page in Chinese that
names the field, before the page runs, on both databases, and nothing is written.

A NUL reaches a page in any form (``%00``); a lone surrogate in a multipart form whose declared charset
decodes to one (``charset=utf-7``: ``+2AA-`` is U+D800), since Starlette decodes such a form with the
charset the request names. The same check guards the API (tests/web/test_text_guard.py); here every
page form goes through ``web.routing.PageRoute``, and the app refuses a route that takes a body
without a guarded route class.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.core.config import Settings
from logispace.core.db import Base
from logispace.web import i18n
from logispace.web.parts import WebParts, mount
from tests.catalog.test_api import create
from tests.conftest import Actor, World
from tests.factories.identity import new_uscc
from tests.identity.support import Browser, login_form_token

NUL = "甲\x00乙"
SURROGATE = "甲\ud800乙"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(cookie_secure=False, database_url=database_url, objects_dir=tmp_path / "objects")


def _rows(db: Session) -> dict[str, int]:
    return {
        t.name: db.execute(select(func.count()).select_from(t)).scalar_one()
        for t in Base.metadata.sorted_tables
    }


@dataclass(frozen=True)
class Form:
    """A page form: who posts it (None: nobody logged in), where, its fields, and the bad one."""

    actor: Callable[[World], Actor] | None
    url: Callable[[TestClient, World], str]
    fields: dict[str, str]
    bad: str
    label: str  # the field's name on the error page
    file: bool = False  # a form with a file part (multipart even for the NUL)


def _static(url: str) -> Callable[[TestClient, World], str]:
    return lambda client, world: url


def _resource_edit(client: TestClient, world: World) -> str:
    code = create(client, world.b_admin.headers, name="乙方车辆轨迹", description="原描述")["catalog_code"]
    return f"/catalog/resources/{code}/edit"


def _party_users(client: TestClient, world: World) -> str:
    return f"/admin/parties/{world.a_admin.party_id}/users"


FORMS: dict[str, Form] = {
    "login": Form(None, _static("/login"), {"password": "x", "next": "/dashboard"}, "username", "用户名"),
    "new party": Form(
        lambda w: w.authority_admin,
        _static("/admin/parties"),
        {"party_type": "enterprise", "uscc": new_uscc()},
        "name",
        "名称",
    ),
    "new user": Form(
        lambda w: w.authority_admin,
        _party_users,
        {"username": f"u{uuid.uuid4().hex[:8]}", "password": "a-long-password-1", "roles": "analyst"},
        "display_name",
        "显示名",
    ),
    "access token": Form(lambda w: w.a_admin, _static("/account/tokens"), {}, "name", "名称"),
    "catalogue list": Form(
        lambda w: w.authority_admin, _static("/catalog/lists"), {"note": "首期"}, "title", "标题"
    ),
    "catalogue resource": Form(
        lambda w: w.b_admin, _resource_edit, {"name": "乙方车辆轨迹"}, "description", "描述"
    ),
    "registration application": Form(
        lambda w: w.b_admin,
        _static("/registration/new"),
        {"application_type": "initial", "name": "乙方数据"},
        "content_summary",
        "内容摘要",
    ),
    "notarized document": Form(
        lambda w: w.a_admin, _static("/documents"), {"reference": "YD-1"}, "title", "标题", file=True
    ),
}


def _multipart(fields: dict[str, str], file: bool) -> tuple[bytes, str]:
    """A multipart body whose text is in UTF-7, the charset its Content-Type declares."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        + value.encode("utf-7")
        for name, value in fields.items()
    ]
    if file:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode()
            + b"document"
        )
    body = b"\r\n".join(parts) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}; charset=utf-7"


@pytest.fixture
def browse(app: FastAPI) -> Iterator[Callable[[Actor | None], tuple[TestClient, str]]]:
    """A client of its own with the form's CSRF token: logged in as the actor, or at the login page."""
    with ExitStack() as stack:

        def open_browser(actor: Actor | None) -> tuple[TestClient, str]:
            client = stack.enter_context(TestClient(app, base_url="http://testserver"))
            if actor is None:
                return client, login_form_token(client)
            browser = Browser(client, actor.username)
            return client, browser.csrf_token

        yield open_browser


@pytest.mark.parametrize("bad", [NUL, SURROGATE], ids=["nul", "surrogate"])
@pytest.mark.parametrize("form", list(FORMS))
def test_bad_text_in_a_page_form_is_a_chinese_error_page_and_writes_nothing(
    client: TestClient,
    db: Session,
    world: World,
    browse: Callable[[Actor | None], tuple[TestClient, str]],
    form: str,
    bad: str,
) -> None:
    case = FORMS[form]
    url = case.url(client, world)
    page, csrf = browse(case.actor(world) if case.actor else None)
    fields = {**case.fields, case.bad: bad, "csrf_token": csrf}
    before = _rows(db)
    if bad == NUL and not case.file:
        response = page.post(url, data=fields, follow_redirects=False)
    else:
        body, content_type = _multipart(fields, case.file)
        response = page.post(
            url, content=body, headers={"Content-Type": content_type}, follow_redirects=False
        )
    assert response.status_code == 422, response.text
    assert 'data-testid="error-page"' in response.text
    flaw = "空字符" if bad == NUL else "不成对的代理码位"
    assert f"「{case.label}」中含有" in response.text and flaw in response.text, response.text
    assert "提交的内容不符合要求" in response.text
    for english in ("NUL", "surrogate", "field", case.bad):
        assert english not in response.text.split('data-testid="error-page"')[1], english
    assert _rows(db) == before


def test_a_bad_field_name_is_named_without_its_bad_character(
    world: World, browse: Callable[[Actor | None], tuple[TestClient, str]]
) -> None:
    page, csrf = browse(world.authority_admin)
    response = page.post("/catalog/lists", data={"ti\x00tle": "首期", "csrf_token": csrf})
    assert response.status_code == 422
    assert "「标题」中含有空字符" in response.text


def test_the_error_page_speaks_english_on_request(
    world: World, browse: Callable[[Actor | None], tuple[TestClient, str]]
) -> None:
    page, csrf = browse(world.authority_admin)
    page.cookies.set("logispace_lang", "en")
    response = page.post("/catalog/lists", data={"title": NUL, "csrf_token": csrf})
    assert response.status_code == 422
    assert "“Title” contains a NUL character" in response.text


def _form_fields(dependant: Dependant) -> list[str]:
    """The names of the body fields of a route and of its dependencies (a form dependency's fields, and
    the fields of a form model: the error page names those)."""
    names: list[str] = []
    for param in dependant.body_params:
        model = param.field_info.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            names.extend(field.alias or name for name, field in model.model_fields.items())
        else:
            names.append(param.alias)
    return [*names, *(n for d in dependant.dependencies for n in _form_fields(d))]


def test_every_field_of_every_page_form_has_a_chinese_name(app: FastAPI) -> None:
    """The error page names the refused field as the domain that owns the form does (fields of a form
    dependency included)."""
    missing = {
        f"{context.path}: {name}"
        for context in iter_route_contexts(app.routes)
        if isinstance(route := context.original_route, APIRoute)
        and not route.path.startswith(("/api/", "/epcis/"))
        for name in _form_fields(route.dependant)
        if i18n.field_label(name) is None or i18n.field_label(name) not in i18n.ENGLISH
    }
    assert not missing


def test_a_route_that_takes_a_body_without_the_guard_is_refused_when_the_app_is_built(app: FastAPI) -> None:
    loose = APIRouter()

    @loose.post("/loose")
    def take(body: dict[str, Any]) -> None:  # pragma: no cover - never mounted
        return None

    with pytest.raises(TypeError, match="POST /loose"):
        mount(app, WebParts(routers=(loose,)))
