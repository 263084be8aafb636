"""Catalogue pages (数据资源目录页面) through the test client: search, facets and HTMX fragments,
the resource page with its preview and holder forms, the list pages, bad parameters and drafts
seen by nobody but their holder (and the authority)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from logispace.core.clock import utcnow
from logispace.core.config import Settings
from logispace.domains.catalog.models import DataResource, Distribution
from tests.catalog.test_api import API, create, publish
from tests.conftest import LogIn, World
from tests.identity.support import Browser

CSV = "waybill_no,city,weight_kg\nYT0001,郑州,12.5\nYT0002,武汉,8\nYT0003,上海,3.25\n".encode()
OPEN = {
    "grade": "general_other",
    "fields": [{"name": "waybill_no", "title": "运单号", "type": "string"}],
    "sharing_type": "unconditional",
    "sharing_conditions": None,
    "open_type": "unconditional",
    "open_conditions": None,
}
FRAGMENT = {"HX-Request": "true", "HX-Target": "catalog-results"}


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        cookie_secure=False,
        database_url=database_url,
        max_body_bytes=64 * 1024,
        max_upload_bytes=1024 * 1024,
        objects_dir=tmp_path / "objects",
    )


@pytest.fixture
def catalog(client: TestClient, world: World) -> dict[str, str]:
    """Party B's resources: three published (one open with data), one draft."""
    b = world.b_admin.headers
    codes = {}
    for key, name, description, extra in [
        ("truck", "载货汽车轨迹数据", "重型载货汽车北斗定位 truck positions", {}),
        ("box", "集装箱堆场作业信息", "港口集装箱进出场记录 container yard moves", {"category": "CUS.PORT"}),
        ("waybill", "托运单电子化信息", "道路货物托运单 consignment notes", OPEN),
    ]:
        created = create(client, b, name=name, description=description, **extra)
        codes[key] = publish(client, b, created["catalog_code"])["catalog_code"]
    codes["draft"] = create(client, b, name="乙方草稿货柜资源", description="未发布的草稿机密")[
        "catalog_code"
    ]
    uploaded = client.post(
        f"{API}/resources/{codes['waybill']}/distributions",
        content=CSV,
        headers={**b, "Content-Type": "text/csv"},
    )
    assert uploaded.status_code == 201, uploaded.text
    return codes


def cards(html: str) -> list[str]:
    """Catalogue codes of the result cards, in order (drafts section excluded)."""
    results = html.split('data-testid="drafts"')[0]
    return re.findall(r'data-testid="resource-card" data-code="([A-Z0-9]+)"', results)


def facet_count(html: str, facet: str, value: str) -> int | None:
    section = html.split(f'data-testid="facet-{facet}"', 1)
    if len(section) < 2:
        return None
    match = re.search(
        rf'data-value="{re.escape(value)}"[^>]*>\s*<span class="facet-label">[^<]*</span>\s*'
        r'<span class="count" data-testid="facet-count">(\d+)</span>',
        section[1].split("</section>", 1)[0],
    )
    return int(match.group(1)) if match else None


# -- the catalogue home ------------------------------------------------------------------------


def test_home_lists_published_resources_with_facets_for_anyone(
    client: TestClient, catalog: dict[str, str]
) -> None:
    page = client.get("/catalog")
    assert page.status_code == 200, page.text
    assert set(cards(page.text)) == {catalog["truck"], catalog["box"], catalog["waybill"]}
    assert "共 3 个资源" in page.text
    assert catalog["draft"] not in page.text and "未发布的草稿机密" not in page.text
    assert facet_count(page.text, "open_type", "unconditional") == 1
    assert facet_count(page.text, "open_type", "conditional") == 2
    assert facet_count(page.text, "category", "CUS.PORT") == 1
    assert 'href="/catalog?open_type=unconditional"' in page.text  # plain links work without JS


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("载货汽车", {"truck"}),
        ("货车", {"truck"}),  # synonym of 载货汽车
        ("货柜", {"box"}),  # synonym of 集装箱; the draft titled 货柜 is never found
        ("运单", {"waybill"}),  # synonym group 运单/托运单
        ("container", {"box"}),
        ("no-such-thing", set()),
    ],
)
def test_search_in_chinese_and_english_with_synonyms(
    client: TestClient, catalog: dict[str, str], q: str, expected: set[str]
) -> None:
    page = client.get("/catalog", params={"q": q})
    assert page.status_code == 200, page.text
    assert set(cards(page.text)) == {catalog[k] for k in expected}
    assert f"共 {len(expected)} 个资源" in page.text
    assert f'value="{q}"' in page.text  # the box keeps the query
    if not expected:
        assert 'data-testid="no-results"' in page.text


def test_a_facet_narrows_the_results_and_the_counts(client: TestClient, catalog: dict[str, str]) -> None:
    page = client.get("/catalog", params={"open_type": "conditional"})
    assert set(cards(page.text)) == {catalog["truck"], catalog["box"]}
    assert facet_count(page.text, "open_type", "conditional") == 2
    assert facet_count(page.text, "open_type", "unconditional") is None
    assert facet_count(page.text, "category", "CUS.PORT") == 1
    # the active value links to the page without it; the others keep it
    assert 'data-value="conditional"' in page.text and 'aria-current="true"' in page.text
    assert 'href="/catalog"' in page.text
    both = client.get("/catalog", params={"open_type": "conditional", "category": "CUS"})
    assert cards(both.text) == [catalog["box"]]
    assert 'href="/catalog?category=CUS"' in both.text  # removing open_type keeps the category


def test_sort_and_paging_links(client: TestClient, catalog: dict[str, str]) -> None:
    recent = client.get("/catalog", params={"sort": "recency"})
    assert cards(recent.text)[0] == catalog["waybill"]  # published last
    ranked = client.get("/catalog", params={"q": "货车"})
    assert 'data-testid="sort-relevance"' in ranked.text and "sort=recency" in ranked.text
    beyond = client.get("/catalog", params={"offset": 40})
    assert cards(beyond.text) == [] and "共 3 个资源" in beyond.text


def test_htmx_gets_only_the_result_region(client: TestClient, catalog: dict[str, str]) -> None:
    fragment = client.get("/catalog", params={"q": "货车", "grade": "general_sensitive"}, headers=FRAGMENT)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<header" in fragment.text  # cards, no page chrome
    assert cards(fragment.text) == [catalog["truck"]]
    # the search form's hidden filters are swapped out of band, so a new query keeps them
    assert 'id="catalog-hidden" class="contents" hx-swap-oob="true"' in fragment.text
    assert 'name="grade" value="general_sensitive"' in fragment.text
    restore = client.get("/catalog", headers={**FRAGMENT, "HX-History-Restore-Request": "true"})
    assert "<html" in restore.text


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"sharing_type": "sometimes"}, "query.sharing_type"),
        ({"open_type": "1"}, "query.open_type"),
        ({"frequency": "daily-ish"}, "query.frequency"),
        ({"holder": "not-a-uuid"}, "query.holder"),
        ({"sort": "popular"}, "query.sort"),
        ({"offset": "-1"}, "query.offset"),
        ({"offset": "999999"}, "query.offset"),
        ({"category": "NO.SUCH"}, "query.category"),
        ({"category": "bad code!"}, "query.category"),
        ({"grade": "secret"}, "query.grade"),
        ({"q": "x" * 201}, "query.q"),
        ({"q": "a\x00b"}, "query.q"),
    ],
)
def test_bad_query_parameters_are_a_422_page_naming_them(
    client: TestClient, params: dict[str, str], named: str
) -> None:
    page = client.get("/catalog", params=params)
    assert page.status_code == 422, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert named in page.text


def test_blank_filters_from_a_form_mean_no_filter(client: TestClient, catalog: dict[str, str]) -> None:
    page = client.get("/catalog?q=&category=&grade=&sharing_type=&open_type=&holder=&frequency=&sort=")
    assert page.status_code == 200, page.text
    assert len(cards(page.text)) == 3


# -- drafts across parties ---------------------------------------------------------------------


def test_drafts_are_seen_by_their_holder_and_the_authority_only(
    world: World, log_in: LogIn, client: TestClient, catalog: dict[str, str]
) -> None:
    draft = catalog["draft"]
    holder = log_in(world.b_admin)
    home = holder.get("/catalog")
    assert 'data-testid="drafts"' in home.text and draft in home.text
    assert draft not in cards(home.text)  # drafts are never search results
    own = holder.get(f"/catalog/resources/{draft}")
    assert own.status_code == 200 and "乙方草稿货柜资源" in own.text
    assert 'data-testid="publish-form"' in own.text

    authority = log_in(world.authority_admin).get(f"/catalog/resources/{draft}")
    assert authority.status_code == 200
    assert 'data-testid="publish-form"' not in authority.text  # it sees, but does not publish

    missing = "WL00000000000"
    for outsider in (log_in(world.a_admin).client, client):
        foreign = outsider.get(f"/catalog/resources/{draft}")
        absent = outsider.get(f"/catalog/resources/{missing}")
        assert foreign.status_code == absent.status_code == 404
        assert foreign.text.replace(draft, missing) == absent.text.replace(missing, missing)
        assert "乙方草稿货柜资源" not in foreign.text and "未发布的草稿机密" not in foreign.text
        assert draft not in outsider.get("/catalog").text
        assert draft not in outsider.get("/catalog?q=货柜").text


# -- the resource page -------------------------------------------------------------------------


def test_resource_page_shows_metadata_grading_fields_and_conditions(
    client: TestClient, catalog: dict[str, str]
) -> None:
    page = client.get(f"/catalog/resources/{catalog['truck']}")
    assert page.status_code == 200, page.text
    text = page.text
    for expected in (
        "载货汽车轨迹数据",
        catalog["truck"],
        "营运车辆",  # category
        "一般数据（敏感数据）",  # grade
        "plate_no",
        "车牌号码",
        "道路运输证号",
        "约 120 万条",
        "1,200,000",
        "用于行业监管和政务服务，按需申请",  # sharing conditions
        "脱敏后向登记的物流企业开放",  # open conditions
        "乙港口公司",  # holder
        "数据资源持有权",
        "完整性 99.2%，每日校核",
        "资质核验",
        f"/api/v1/catalog/resources/{catalog['truck']}/dcat.jsonld",
        f"/api/v1/catalog/resources/{catalog['truck']}/dcat.ttl",
    ):
        assert expected in text, expected
    assert 'data-testid="no-data"' in text
    assert 'data-testid="holder-actions"' not in text  # anonymous visitors get no forms


def test_open_data_is_previewed_with_downloads_and_versions(
    client: TestClient, catalog: dict[str, str]
) -> None:
    page = client.get(f"/catalog/resources/{catalog['waybill']}")
    text = page.text
    assert 'data-testid="preview-table"' in text
    for cell in ("YT0001", "郑州", "12.5", "运单号"):
        assert cell in text
    assert "前 3 行，共 3 行" in text
    assert f'href="/api/v1/catalog/resources/{catalog["waybill"]}/download.csv?headers=zh"' in text
    assert f'href="/api/v1/catalog/resources/{catalog["waybill"]}/download.csv?headers=name"' in text
    assert f'href="/api/v1/catalog/resources/{catalog["waybill"]}/download.parquet"' in text
    assert 'data-testid="distributions-table"' in text and ">第 1 版<" in text
    download = client.get(f"/api/v1/catalog/resources/{catalog['waybill']}/download.csv")
    assert download.status_code == 200 and "YT0001" in download.text
    # the page's first choice: the columns named as the holder described them (运单号), the rest as stored
    chinese = client.get(f"/api/v1/catalog/resources/{catalog['waybill']}/download.csv?headers=zh")
    assert chinese.status_code == 200
    machine, zh = download.text.lstrip("\ufeff").splitlines(), chinese.text.lstrip("\ufeff").splitlines()
    assert machine[0] == '"waybill_no","city","weight_kg"' and zh[0] == '"运单号","city","weight_kg"'
    assert zh[1:] == machine[1:]


def test_conditional_data_names_what_to_request(
    client: TestClient, world: World, catalog: dict[str, str]
) -> None:
    b = world.b_admin.headers
    uploaded = client.post(
        f"{API}/resources/{catalog['box']}/distributions",
        content=CSV,
        headers={**b, "Content-Type": "text/csv"},
    )
    assert uploaded.status_code == 201
    page = client.get(f"/catalog/resources/{catalog['box']}")
    assert 'data-testid="preview-table"' not in page.text
    assert 'data-testid="open-refusal"' in page.text and "有条件开放" in page.text
    assert 'data-testid="distributions-table"' in page.text  # versions stay visible


def test_schema_drift_and_staleness_are_shown(
    client: TestClient, world: World, db: Session, catalog: dict[str, str]
) -> None:
    code = catalog["waybill"]
    changed = CSV.replace(b"weight_kg", b"volume_m3")
    again = client.post(
        f"{API}/resources/{code}/distributions",
        content=changed,
        headers={**world.b_admin.headers, "Content-Type": "text/csv"},
    )
    assert again.status_code == 201, again.text
    page = client.get(f"/catalog/resources/{code}")
    assert "新增字段" in page.text and "volume_m3" in page.text and "删除字段" in page.text
    assert 'data-testid="stale"' not in page.text

    resource = db.scalars(select(DataResource).where(DataResource.catalog_code == code)).one()
    for dist in db.scalars(select(Distribution).where(Distribution.resource_id == resource.id)):
        dist.uploaded_at = utcnow() - timedelta(days=3)  # daily, three days late
    db.flush()
    stale = client.get(f"/catalog/resources/{code}")
    assert 'data-testid="stale"' in stale.text and 'data-testid="stale-warning"' in stale.text
    assert "UTC" not in stale.text  # moments are shown in Beijing time
    home = client.get("/catalog")
    assert 'data-testid="stale"' in home.text


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/catalog/resources/WL00000000000", 404),
        ("/catalog/resources/nothing", 404),
        ("/catalog/resources/WL-000", 422),
        ("/catalog/resources/" + "W" * 21, 422),
        ("/catalog/resources/WL00000000000?done=maybe", 422),
        ("/catalog/lists/999", 404),
        ("/catalog/lists/0", 422),
        ("/catalog/lists/abc", 422),
        ("/catalog/lists?offset=-5", 422),
    ],
)
def test_unknown_or_malformed_addresses(client: TestClient, path: str, status: int) -> None:
    page = client.get(path)
    assert page.status_code == status, page.text
    assert 'data-testid="error-page"' in page.text


# -- the holder's forms ------------------------------------------------------------------------


def test_holder_publishes_a_draft_from_its_page(
    world: World, log_in: LogIn, client: TestClient, catalog: dict[str, str]
) -> None:
    draft = catalog["draft"]
    holder = log_in(world.b_admin)
    no_token = holder.client.post(f"/catalog/resources/{draft}/publish", follow_redirects=False)
    assert no_token.status_code == 403

    outsider = log_in(world.a_admin)
    foreign = outsider.post(f"/catalog/resources/{draft}/publish")
    assert foreign.status_code == 404
    assert client.get(f"/catalog/resources/{draft}").status_code == 404  # still a draft

    done = holder.post(f"/catalog/resources/{draft}/publish")
    assert done.status_code == 303
    assert done.headers["location"] == f"/catalog/resources/{draft}?done=published"
    page = holder.get(done.headers["location"])
    assert 'data-testid="notice"' in page.text and "已发布" in page.text
    assert 'data-testid="withdraw-form"' in page.text
    assert client.get(f"/catalog/resources/{draft}").status_code == 200  # public now
    assert draft in cards(client.get("/catalog", params={"q": "货柜"}).text)

    twice = holder.post(f"/catalog/resources/{draft}/publish")
    assert twice.status_code == 409
    assert 'data-testid="form-errors"' in twice.text
    assert "当前状态下不能执行此操作。" in twice.text and "only a draft" not in twice.text  # said in Chinese


def test_holder_withdraws_with_a_reason(
    world: World, log_in: LogIn, client: TestClient, catalog: dict[str, str]
) -> None:
    code = catalog["truck"]
    holder = log_in(world.b_admin)
    blank = holder.post(f"/catalog/resources/{code}/withdraw", {"reason": "  "})
    assert blank.status_code == 422 and "撤回原因：必须填写。" in blank.text
    assert code in cards(client.get("/catalog").text)

    outsider = log_in(world.a_admin).post(f"/catalog/resources/{code}/withdraw", {"reason": "甲方撤回"})
    assert outsider.status_code == 403
    assert 'data-testid="withdraw-form"' not in outsider.text

    done = holder.post(f"/catalog/resources/{code}/withdraw", {"reason": "并入新的轨迹资源"})
    assert done.status_code == 303
    page = client.get(f"/catalog/resources/{code}")
    assert page.status_code == 200 and "并入新的轨迹资源" in page.text and "已撤回" in page.text
    assert code not in cards(client.get("/catalog").text)


def test_anonymous_forms_need_a_login(client: TestClient, catalog: dict[str, str]) -> None:
    for path in (f"/catalog/resources/{catalog['draft']}/publish", "/catalog/lists"):
        assert client.post(path, data={"reason": "x"}, follow_redirects=False).status_code == 401


# -- the list pages ----------------------------------------------------------------------------


def list_codes(html: str, key: str) -> set[str]:
    section = html.split(f'data-testid="diff-{key}-list"', 1)
    if len(section) < 2:
        return set()
    return set(re.findall(r'<code class="small">([A-Z0-9]+)</code>', section[1].split("</details>", 1)[0]))


def test_the_authority_publishes_list_versions_and_sees_the_differences(
    world: World, log_in: LogIn, client: TestClient, catalog: dict[str, str]
) -> None:
    authority = log_in(world.authority_admin)
    assert 'data-testid="publish-list-form"' in authority.get("/catalog/lists").text
    first = authority.post("/catalog/lists", {"title": "", "note": "首期"})
    assert first.status_code == 303 and first.headers["location"] == "/catalog/lists/1"
    b = world.b_admin.headers
    renamed = client.patch(
        f"{API}/resources/{catalog['box']}", json={"name": "集装箱堆场作业信息（新）"}, headers=b
    )
    assert renamed.status_code == 200, renamed.text
    assert client.post(
        f"{API}/resources/{catalog['truck']}/withdraw", json={"reason": "并入"}, headers=b
    ).is_success
    publish(client, b, catalog["draft"])
    second = authority.post("/catalog/lists", {"title": "第二期清单", "note": ""})
    assert second.headers["location"] == "/catalog/lists/2"

    page = authority.get("/catalog/lists/2")
    assert page.status_code == 200
    assert "第二期清单" in page.text
    assert list_codes(page.text, "added") == {catalog["draft"]}
    assert list_codes(page.text, "changed") == {catalog["box"]}
    assert list_codes(page.text, "removed") == {catalog["truck"]}
    assert "载货汽车轨迹数据" in page.text  # a removed entry keeps its name
    assert 'data-testid="report-table"' in page.text and "乙港口公司" in page.text
    assert 'href="/api/v1/catalog/lists/2/report.csv?headers=zh"' in page.text
    report = authority.get("/api/v1/catalog/lists/2/report.csv")
    assert report.status_code == 200 and "乙港口公司" in report.text

    versions = client.get("/catalog/lists")
    assert versions.status_code == 200
    assert 'href="/catalog/lists/2"' in versions.text and 'href="/catalog/lists/1"' in versions.text
    assert 'data-testid="publish-list-form"' not in versions.text
    anonymous = client.get("/catalog/lists/2")
    assert 'data-testid="report-table"' not in anonymous.text and "登录后查看共享情况通报" in anonymous.text
    assert list_codes(anonymous.text, "removed") == {catalog["truck"]}


def test_only_the_authority_publishes_a_list(
    world: World, log_in: LogIn, client: TestClient, catalog: dict[str, str]
) -> None:
    holder = log_in(world.b_admin)
    assert 'data-testid="publish-list-form"' not in holder.get("/catalog/lists").text
    refused = holder.post("/catalog/lists", {"title": "乙方清单"})
    assert refused.status_code == 403 and 'data-testid="form-errors"' in refused.text
    assert "only the data authority" in refused.text
    assert 'href="/catalog/lists/1"' not in client.get("/catalog/lists").text
    too_long = log_in(world.authority_admin).post("/catalog/lists", {"title": "长" * 201})
    assert too_long.status_code == 422 and "title" in too_long.text


def test_navigation_and_dashboard_link_the_catalogue(world: World, log_in: LogIn, client: TestClient) -> None:
    anonymous = client.get("/catalog")
    assert 'href="/catalog/lists"' in anonymous.text and 'data-testid="nav-login"' in anonymous.text
    dashboard = log_in(world.a_admin).get("/dashboard")
    assert 'data-testid="catalog-tile"' in dashboard.text and 'href="/catalog"' in dashboard.text


# -- the holder's edit form --------------------------------------------------------------------


def edit_form(browser: Browser, code: str) -> dict[str, str]:
    """The edit form's values as the page shows them (inputs, textareas, selected options)."""
    html = browser.get(f"/catalog/resources/{code}/edit").text
    form = dict(re.findall(r'<input name="([a-z_]+)" value="([^"]*)"', html))
    form.update(re.findall(r'<textarea name="([a-z_]+)"[^>]*>([^<]*)</textarea>', html))
    for name, body in re.findall(r'<select name="([a-z_]+)" required>(.*?)</select>', html, re.S):
        selected = re.search(r'<option value="([^"]+)" selected', body)
        assert selected, name
        form[name] = selected.group(1)
    return form


def test_holder_edits_metadata_and_the_code_stays(
    world: World, log_in: LogIn, client: TestClient, catalog: dict[str, str]
) -> None:
    code = catalog["truck"]
    holder = log_in(world.b_admin)
    assert 'data-testid="edit-link"' in holder.get(f"/catalog/resources/{code}").text
    form = edit_form(holder, code)
    assert form["name"] == "载货汽车轨迹数据" and form["grade"] == "general_sensitive"
    assert form["keywords"] == "道路运输证、营运车辆"
    form.update(name="载货汽车北斗轨迹数据", keywords="北斗，轨迹、重载", data_quality="")
    saved = holder.post(f"/catalog/resources/{code}/edit", form)
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/catalog/resources/{code}?done=saved"
    read = client.get(f"{API}/resources/{code}").json()
    assert read["name"] == "载货汽车北斗轨迹数据" and read["catalog_code"] == code
    assert read["keywords"] == ["北斗", "轨迹", "重载"] and read["data_quality"] is None
    assert read["revision"] == 2
    assert cards(client.get("/catalog", params={"q": "重载"}).text) == [code]  # reindexed


@pytest.mark.parametrize(
    ("changes", "status", "reason"),
    [
        ({"grade": "core"}, 409, "core data"),  # core data can never be shared or opened
        ({"sharing_conditions": ""}, 409, "conditions-required"),
        ({"name": "  "}, 422, "name: String should have at least 1 character"),
        ({"grade": "top_secret"}, 422, "unknown grade top_secret"),
        ({"update_frequency": "sometimes"}, 422, "update_frequency: Input should be"),
        ({"contact_email": "not-an-email"}, 422, "contact_email: String should match"),
    ],
)
def test_a_refused_edit_changes_nothing_and_keeps_the_form(
    world: World,
    log_in: LogIn,
    client: TestClient,
    catalog: dict[str, str],
    changes: dict[str, str],
    status: int,
    reason: str,
) -> None:
    code = catalog["truck"]
    holder = log_in(world.b_admin)
    before = client.get(f"{API}/resources/{code}").json()
    form = {**edit_form(holder, code), "description": "改了但不会保存", **changes}
    refused = holder.post(f"/catalog/resources/{code}/edit", form)
    assert refused.status_code == status, refused.text
    errors = refused.text.split('data-testid="form-errors"', 1)[1].split("</article>", 1)[0]
    assert reason in errors, errors
    assert "改了但不会保存" in refused.text  # what was typed is shown again
    assert client.get(f"{API}/resources/{code}").json() == before


def test_only_the_holder_edits(world: World, log_in: LogIn, catalog: dict[str, str]) -> None:
    outsider = log_in(world.a_admin)
    assert outsider.get(f"/catalog/resources/{catalog['truck']}/edit").status_code == 403
    assert outsider.get(f"/catalog/resources/{catalog['draft']}/edit").status_code == 404
    assert outsider.post(f"/catalog/resources/{catalog['draft']}/edit", {"name": "x"}).status_code == 404
    assert 'data-testid="edit-link"' not in outsider.get(f"/catalog/resources/{catalog['truck']}").text
    holder = log_in(world.b_admin)
    assert holder.get(f"/catalog/resources/{catalog['draft']}/edit").status_code == 200
    no_token = holder.client.post(f"/catalog/resources/{catalog['truck']}/edit", data={"name": "x"})
    assert no_token.status_code == 403
