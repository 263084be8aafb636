"""The catalogue pages (数据资源目录) in headless chromium, on the live server with the demo catalogue.

A visitor searches in Chinese and finds resources through a synonym, narrows the results with a
facet, opens an open resource, previews it and downloads its CSV; a holder publishes its draft;
the data authority publishes a new list version and reads its differences and sharing report.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

COUNT = re.compile(r"共 (\d+) 个资源")


def result_total(page: Page) -> int:
    text = page.get_by_test_id("result-count").inner_text()
    match = COUNT.search(text)
    assert match, text
    return int(match.group(1))


def card_titles(page: Page) -> list[str]:
    return page.get_by_test_id("result-list").get_by_test_id("resource-link").all_inner_texts()


def search(page: Page, text: str) -> None:
    form = page.get_by_test_id("catalog-search")
    form.get_by_role("searchbox").fill(text)
    form.get_by_role("button", name="搜索").click()


def test_search_in_chinese_finds_synonyms_without_a_reload(page: Page, live_server: LiveServer) -> None:
    page.goto("/")  # the portal home, for a visitor
    page.get_by_test_id("nav-catalog").click()
    expect(page).to_have_url(f"{live_server.url}/catalog")
    everything = result_total(page)
    assert everything >= 60
    page.evaluate("window.__stillHere = true")  # gone if the page reloads

    search(page, "货柜")  # no resource says 货柜; it is a synonym of 集装箱
    expect(page).to_have_url(re.compile(r"/catalog\?q="))
    expect(
        page.get_by_test_id("result-list").get_by_role("link", name="集装箱进出场记录", exact=True)
    ).to_be_visible()
    titles = card_titles(page)
    assert titles and all("货柜" not in t for t in titles)
    assert sum("集装箱" in t for t in titles) >= 5
    assert result_total(page) == len(titles) < everything
    assert page.evaluate("window.__stillHere") is True  # swapped in place by HTMX


def test_a_facet_narrows_results_and_counts(page: Page, live_server: LiveServer) -> None:
    page.goto("/catalog")
    before = result_total(page)
    opened = page.get_by_test_id("facet-open_type").locator('a[data-value="unconditional"]')
    expected = int(opened.get_by_test_id("facet-count").inner_text())
    assert 0 < expected < before
    holders_before = page.get_by_test_id("facet-holder").get_by_test_id("facet-count").all_inner_texts()

    opened.click()
    expect(page).to_have_url(re.compile(r"open_type=unconditional"))
    expect(page.get_by_test_id("result-count")).to_have_text(f"共 {expected} 个资源")
    active = page.get_by_test_id("facet-open_type").locator('a[aria-current="true"]')
    expect(active).to_contain_text("无条件开放")
    expect(page.get_by_test_id("facet-open_type").locator('a[data-value="not_opened"]')).to_have_count(0)
    holders_after = page.get_by_test_id("facet-holder").get_by_test_id("facet-count").all_inner_texts()
    assert sum(map(int, holders_after)) == expected < sum(map(int, holders_before))
    for card in page.get_by_test_id("result-list").get_by_test_id("resource-card").all():
        expect(card).to_contain_text("无条件开放")

    # a second facet narrows further; a new query keeps both filters
    page.get_by_test_id("facet-frequency").locator('a[data-value="daily"]').click()
    expect(page).to_have_url(re.compile(r"frequency=daily"))
    narrowed = result_total(page)
    assert 0 < narrowed <= expected
    search(page, "道路")
    expect(page).to_have_url(re.compile(r"\?q=.*open_type=unconditional"))
    expect(page).to_have_url(re.compile(r"\?q=.*frequency=daily"))
    expect(page.get_by_test_id("facet-open_type").locator('a[aria-current="true"]')).to_have_count(1)

    page.get_by_test_id("clear-filters").click()
    expect(page.get_by_test_id("facet-open_type").locator('a[aria-current="true"]')).to_have_count(0)


def test_open_resource_preview_and_csv_download(page: Page, tmp_path: Path) -> None:
    page.goto("/catalog")
    search(page, "道路运输经营许可")
    page.get_by_test_id("result-list").get_by_role("link", name="道路运输经营许可信息", exact=True).click()
    expect(page.get_by_test_id("resource-name")).to_have_text("道路运输经营许可信息")
    expect(page.get_by_test_id("holder")).to_have_text("示范市交通运输局")
    expect(page.get_by_test_id("natural-attributes")).to_contain_text("每日")
    expect(page.get_by_test_id("grading")).to_contain_text("其他一般数据")
    expect(page.get_by_test_id("conditions")).to_contain_text("无条件开放")
    expect(page.get_by_test_id("fields-table")).to_contain_text("经营许可证号")
    expect(page.get_by_test_id("distributions-table")).to_contain_text("12,000")
    preview = page.get_by_test_id("preview-table")
    expect(preview.locator("tbody tr")).to_have_count(10)
    expect(preview.locator("thead")).to_contain_text("经营许可证号")
    expect(page.get_by_test_id("dcat-jsonld")).to_be_visible()

    # the first choice on a Chinese page: Chinese column headers; the second: the field names
    expect(page.get_by_test_id("download-csv")).to_have_text("下载 CSV（中文表头）")
    with page.expect_download() as info:
        page.get_by_test_id("download-csv").click()
    saved = tmp_path / "licences.csv"
    info.value.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == '"经营许可证号","业户名称","统一社会信用代码","经营范围","有效期至"'
    assert len(lines) == 12_001
    with page.expect_download() as other:
        page.get_by_test_id("download-csv-other").click()
    by_name = tmp_path / "licences-names.csv"
    other.value.save_as(by_name)
    named = by_name.read_text(encoding="utf-8-sig").splitlines()
    assert named[0] == '"licence_no","company","uscc","scope","valid_to"' and named[1:] == lines[1:]
    first_cell = preview.locator("tbody tr").first.locator("td").first.inner_text()
    assert first_cell in lines[1]


def test_a_holder_publishes_its_draft(new_context: NewContext, live_server: LiveServer) -> None:
    holder = new_context().new_page()
    log_in(holder, "carrier")
    holder.goto("/catalog")
    drafts = holder.get_by_test_id("drafts")
    drafts.get_by_role("link", name="司机排班与出勤数据").click()
    expect(holder.get_by_test_id("resource-name")).to_have_text("司机排班与出勤数据")
    expect(holder.get_by_test_id("status").first).to_have_text("草稿")
    code = holder.get_by_test_id("catalog-code").inner_text()

    stranger = new_context().new_page()
    assert stranger.goto(f"/catalog/resources/{code}").status == 404  # a draft is nobody else's

    holder.get_by_test_id("publish-form").get_by_role("button", name="发布").click()
    expect(holder.get_by_test_id("summary-name")).to_have_text("司机排班与出勤数据")  # checked first
    holder.get_by_test_id("confirm-publish").click()
    expect(holder.get_by_test_id("notice")).to_have_text("已发布。")
    expect(holder.get_by_test_id("status").first).to_have_text("已发布")
    expect(holder.get_by_test_id("withdraw-form")).to_be_visible()

    assert stranger.goto(f"/catalog/resources/{code}").status == 200
    stranger.goto("/catalog")
    search(stranger, "司机排班")
    expect(
        stranger.get_by_test_id("result-list").get_by_role("link", name="司机排班与出勤数据", exact=True)
    ).to_be_visible()


def test_list_versions_differences_and_report(new_context: NewContext, live_server: LiveServer) -> None:
    customs = new_context().new_page()
    log_in(customs, "customs")
    customs.goto("/catalog")
    customs.get_by_test_id("drafts").get_by_role("link", name="跨境电商进出口清单汇总").click()
    customs.get_by_test_id("publish-form").get_by_role("button", name="发布").click()
    customs.get_by_test_id("confirm-publish").click()
    expect(customs.get_by_test_id("notice")).to_be_visible()

    authority = new_context().new_page()
    log_in(authority, "admin")
    authority.get_by_test_id("nav-catalog").hover()  # the catalogue's pages drop down from its menu
    authority.get_by_test_id("nav-lists").click()
    expect(authority.get_by_test_id("versions-table")).to_contain_text("v1")
    form = authority.get_by_test_id("publish-list-form")
    form.get_by_label("版本说明").fill("浏览器测试发布")
    form.get_by_role("button", name="发布新版本").click()
    expect(authority).to_have_url(re.compile(r"/catalog/lists/\d+$"))
    expect(authority.get_by_test_id("version-title")).to_contain_text("v")
    added = authority.get_by_test_id("diff-added-list")
    expect(added).to_contain_text("跨境电商进出口清单汇总")
    report = authority.get_by_test_id("report-table")
    expect(report).to_contain_text("示范海关")

    with authority.expect_download() as info:
        authority.get_by_test_id("report-csv").click()
    text = Path(info.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith(
        "数据持有方,主体标识,清单资源数"
    )  # Chinese headers on a Chinese page
    customs_row = next(line for line in text.splitlines() if line.startswith("示范海关"))
    assert customs_row.split(",")[-3] == "1"  # added: its newly published resource

    visitor = new_context().new_page()
    visitor.goto(authority.url)
    expect(visitor.get_by_test_id("diff-added-list")).to_contain_text("跨境电商进出口清单汇总")
    expect(visitor.get_by_test_id("report")).to_contain_text("登录后查看共享情况通报")
