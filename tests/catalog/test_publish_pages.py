"""A data holder publishes through the pages (发布数据资源): the new-resource form with the seeded
category tree and grades and their help, refusals said in Chinese, the upload page without JavaScript,
the structure taken from the data and named in Chinese, versions, the confirmation before publishing,
and cards that say which resources have data.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.domains.catalog.models import DataResource
from logispace.domains.ledger.models import LedgerEntry
from tests.catalog.test_pages import settings
from tests.conftest import LogIn, World

__all__ = ["settings"]  # the fixture, used by name

CSV = "plate_no,city,weight_kg\n豫A00001,郑州,12.5\n豫A00002,武汉,8\n".encode()
ASCII_WORD = re.compile(r"\b[A-Za-z]{4,}\b")
NEW = {
    "name": "危险货物道路运输车辆动态",
    "description": "危险货物运输车辆的实时位置与状态",
    "category": "TRACK.VEHICLE",
    "grade": "general_other",
    "update_frequency": "daily",
    "sharing_type": "unconditional",
    "open_type": "unconditional",
    "keywords": "危险货物、车辆轨迹",
}


def visible_text(html: str) -> str:
    """The page's text as a person reads it: no tags, scripts, attributes or the language switch."""
    body = html.split("<main", 1)[1].split(">", 1)[1].split("</main>", 1)[0] if "<main" in html else html
    body = re.sub(r"<(script|template)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def resources_named(db: Session, name: str) -> int:
    return db.scalar(select(func.count()).select_from(DataResource).where(DataResource.name == name)) or 0


def test_the_new_resource_form_offers_the_seeded_trees_with_help(world: World, log_in: LogIn) -> None:
    page = log_in(world.b_admin).get("/catalog/new")
    assert page.status_code == 200
    text = visible_text(page.text)
    for name in ("企业资质", "道路运输经营许可", "轨迹", "车辆轨迹", "多式联运单证"):
        assert name in text
    assert text.count("清单要求") >= 7  # each main category explains itself
    assert 'value="TRACK.VEHICLE"' in page.text and 'value="core"' in page.text
    for grade in ("核心数据", "重要数据", "一般数据（敏感数据）", "其他一般数据"):
        assert grade in text
    assert "一旦被泄露或者篡改、损毁" in text and "最高共享" in text  # the definition and ceiling of each
    assert ASCII_WORD.findall(text) == []  # nothing in English on the Chinese page
    assert log_in(world.a_analyst).get("/catalog/new").status_code == 403  # an analyst describes nothing


def test_a_holder_creates_uploads_names_and_publishes(
    client: TestClient, db: Session, world: World, log_in: LogIn
) -> None:
    holder = log_in(world.b_admin)
    created = holder.post("/catalog/new", NEW)
    assert created.status_code == 303, created.text
    match = re.fullmatch(r"/catalog/resources/([A-Z0-9]+)/upload\?done=created", created.headers["location"])
    assert match
    code = match.group(1)
    resource = db.scalars(select(DataResource).where(DataResource.catalog_code == code)).one()
    assert resource.holder_party_id == world.b_admin.party_id and resource.status.value == "draft"
    assert resource.industry == "交通运输" and resource.keywords == ["危险货物", "车辆轨迹"]

    upload_page = holder.get(created.headers["location"])
    assert upload_page.status_code == 200 and "data-resumable" in upload_page.text
    assert 'src="/static/catalog_upload.js"' in upload_page.text and "<script>" not in upload_page.text
    page = holder.get(f"/catalog/resources/{code}")
    assert "尚未上传数据，上传后字段将从数据中取得。" in page.text  # no data yet: said so

    # the upload form without JavaScript: one post, the next version
    sent = holder.client.post(
        f"/catalog/resources/{code}/upload",
        data={"csrf_token": holder.csrf_token},
        files={"file": ("trucks.csv", CSV, "text/csv")},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and sent.headers["location"] == f"/catalog/resources/{code}?done=uploaded"
    page = holder.get(sent.headers["location"]).text
    fields = page.split('data-testid="fields-table"')[1].split("</table>")[0]
    assert (
        'data-field="plate_no"' in fields and 'data-field="weight_kg"' in fields and "暂无数据" not in fields
    )
    assert "待填写中文名" in fields and "数值" in fields  # a type people read, not "decimal"

    # the structure: Chinese names and descriptions for the fields taken from the data
    schema = holder.get(f"/catalog/resources/{code}/schema")
    assert schema.status_code == 200 and schema.text.count('data-testid="schema-row"') == 3
    saved = holder.post(
        f"/catalog/resources/{code}/schema",
        {"title_0": "车牌号码", "description_0": "含省份简称", "title_1": "城市", "title_2": "载重（千克）"},
    )
    assert saved.status_code == 303
    fields_now = client.get(f"/api/v1/catalog/resources/{code}", headers=world.b_admin.headers).json()[
        "fields"
    ]
    assert [(f["name"], f["title"]) for f in fields_now] == [
        ("plate_no", "车牌号码"),
        ("city", "城市"),
        ("weight_kg", "载重（千克）"),
    ]
    assert fields_now[0]["description"] == "含省份简称" and fields_now[2]["type"] == "decimal"
    blank = holder.post(
        f"/catalog/resources/{code}/schema", {"title_0": " ", "title_1": "城市", "title_2": "载重"}
    )
    assert blank.status_code == 422 and "中文名：必须填写。" in blank.text
    assert (
        client.get(f"/api/v1/catalog/resources/{code}", headers=world.b_admin.headers).json()["fields"]
        == fields_now
    )

    # a second version; both listed
    again = holder.client.post(
        f"/catalog/resources/{code}/upload",
        data={"csrf_token": holder.csrf_token},
        files={"file": ("trucks2.csv", CSV + "豫A00003,上海,3\n".encode(), "text/csv")},
        follow_redirects=False,
    )
    assert again.status_code == 303
    versions = holder.get(f"/catalog/resources/{code}/upload").text
    assert "第 2 版" in versions and "第 1 版" in versions

    # the confirmation names what is published; publishing happens only on confirming
    page = holder.get(f"/catalog/resources/{code}").text
    assert f'href="/catalog/resources/{code}/publish"' in page
    confirm = holder.get(f"/catalog/resources/{code}/publish")
    assert confirm.status_code == 200
    summary = visible_text(confirm.text)
    for expected in (
        NEW["name"],
        "车辆轨迹",
        "其他一般数据",
        "无条件开放",
        "3 个字段",
        "共 2 个版本，最新为第 2 版，3 行",
    ):
        assert expected in summary, expected
    assert (
        'data-testid="warn-no-data"' not in confirm.text and 'data-testid="warn-untitled"' not in confirm.text
    )
    assert ASCII_WORD.findall(summary) == []
    assert client.get(f"/catalog/resources/{code}").status_code == 404  # still a draft
    published = holder.post(f"/catalog/resources/{code}/publish")
    assert published.status_code == 303
    assert client.get(f"/catalog/resources/{code}").status_code == 200
    assert holder.get(f"/catalog/resources/{code}/publish").status_code == 409  # once only


def test_changing_a_published_structure_is_on_the_ledger(
    client: TestClient, db: Session, world: World, log_in: LogIn
) -> None:
    holder = log_in(world.b_admin)
    code = holder.post("/catalog/new", NEW).headers["location"].split("/")[3]
    holder.client.post(
        f"/catalog/resources/{code}/upload",
        data={"csrf_token": holder.csrf_token},
        files={"file": ("t.csv", CSV, "text/csv")},
    )
    assert holder.post(f"/catalog/resources/{code}/publish").status_code == 303
    before = db.scalar(
        select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "catalog.resource.revised")
    )
    form = {"title_0": "车牌号码", "title_1": "城市", "title_2": "载重"}
    assert holder.post(f"/catalog/resources/{code}/schema", form).status_code == 303
    after = db.scalar(
        select(func.count()).select_from(LedgerEntry).where(LedgerEntry.kind == "catalog.resource.revised")
    )
    assert after == (before or 0) + 1


REFUSALS = [
    ({**NEW, "name": ""}, 422, "名称：必须填写。"),
    ({**NEW, "category": ""}, 422, "数据分类：必须填写。"),
    ({**NEW, "grade": "core"}, 409, "核心数据不得共享。"),
    ({**NEW, "sharing_type": "conditional"}, 409, "有条件共享或开放须写明范围、用途和条件。"),
    ({**NEW, "category": "NOPE"}, 422, "数据分类"),
]


def test_refusals_are_said_in_chinese_and_create_nothing(db: Session, world: World, log_in: LogIn) -> None:
    holder = log_in(world.b_admin)
    for form, status, said in REFUSALS:
        refused = holder.post("/catalog/new", form)
        assert refused.status_code == status, (form, refused.text)
        errors = refused.text.split('data-testid="form-errors"')[1].split("</article>")[0]
        assert said in errors, errors
        assert ASCII_WORD.findall(visible_text(errors)) == []
        assert f'value="{form["name"]}"' in refused.text  # what was typed is kept
    assert resources_named(db, NEW["name"]) == 0


def test_others_cannot_reach_a_holders_publishing_pages(
    client: TestClient, world: World, log_in: LogIn
) -> None:
    holder = log_in(world.b_admin)
    code = holder.post("/catalog/new", NEW).headers["location"].split("/")[3]
    other = log_in(world.a_admin)
    for path in ("upload", "schema", "publish"):
        assert other.get(f"/catalog/resources/{code}/{path}").status_code == 404  # another party's draft
        assert client.get(f"/catalog/resources/{code}/{path}", follow_redirects=False).status_code in (
            303,
            401,
        )
    refused = other.client.post(
        f"/catalog/resources/{code}/upload",
        data={"csrf_token": other.csrf_token},
        files={"file": ("t.csv", CSV, "text/csv")},
        follow_redirects=False,
    )
    assert refused.status_code == 404
    assert other.post(f"/catalog/resources/{code}/schema", {"title_0": "x"}).status_code == 404


def test_a_bad_file_is_refused_on_the_upload_page_in_chinese(world: World, log_in: LogIn) -> None:
    holder = log_in(world.b_admin)
    code = holder.post("/catalog/new", NEW).headers["location"].split("/")[3]
    for name, body, said in (
        ("a.pdf", b"%PDF", "不支持的文件格式"),
        ("a.csv", b"a,b\n1,2\n3\n", "文件内容无法读取"),
    ):
        refused = holder.client.post(
            f"/catalog/resources/{code}/upload",
            data={"csrf_token": holder.csrf_token},
            files={"file": (name, body, "application/octet-stream")},
            follow_redirects=False,
        )
        assert refused.status_code in (400, 415) and said in refused.text, refused.text
    assert "尚未上传数据" in holder.get(f"/catalog/resources/{code}").text


def test_cards_say_which_resources_have_data(client: TestClient, world: World, log_in: LogIn) -> None:
    holder = log_in(world.b_admin)
    with_data = (
        holder.post("/catalog/new", {**NEW, "name": "有数据的开放资源"}).headers["location"].split("/")[3]
    )
    holder.client.post(
        f"/catalog/resources/{with_data}/upload",
        data={"csrf_token": holder.csrf_token},
        files={"file": ("t.csv", CSV, "text/csv")},
    )
    without = (
        holder.post("/catalog/new", {**NEW, "name": "没有数据的开放资源"}).headers["location"].split("/")[3]
    )
    conditional = (
        holder.post(
            "/catalog/new",
            {
                **NEW,
                "name": "有条件开放的资源",
                "open_type": "conditional",
                "open_conditions": "向登记企业开放",
            },
        )
        .headers["location"]
        .split("/")[3]
    )
    holder.client.post(
        f"/catalog/resources/{conditional}/upload",
        data={"csrf_token": holder.csrf_token},
        files={"file": ("t.csv", CSV, "text/csv")},
    )
    for code in (with_data, without, conditional):
        assert holder.post(f"/catalog/resources/{code}/publish").status_code == 303
    listing = client.get("/catalog", params={"q": "资源"}).text

    def card(code: str) -> str:
        return listing.split(f'data-code="{code}"')[1].split("</article>")[0]

    assert "可在线预览和下载" in card(with_data) and 'data-has-data="true"' in card(with_data)
    assert "暂无数据" in card(without) and 'data-has-data="false"' in card(without)
    assert "有数据，需申请使用" in card(conditional)


def test_the_publishing_pages_read_in_english_too(world: World, log_in: LogIn) -> None:
    holder = log_in(world.b_admin)
    code = holder.post("/catalog/new", NEW).headers["location"].split("/")[3]
    holder.client.post(
        f"/catalog/resources/{code}/upload",
        data={"csrf_token": holder.csrf_token},
        files={"file": ("t.csv", CSV, "text/csv")},
    )
    holder.client.cookies.set("logispace_lang", "en")
    for path, english in (
        ("/catalog/new", "New data resource"),
        (f"/catalog/resources/{code}/upload", "Upload data"),
        (f"/catalog/resources/{code}/schema", "Edit the structure"),
        (f"/catalog/resources/{code}/publish", "Confirm publishing"),
    ):
        page = holder.get(path)
        assert page.status_code == 200 and english in page.text, path
        assert "待填写中文名" not in visible_text(page.text).replace(NEW["name"], "")
