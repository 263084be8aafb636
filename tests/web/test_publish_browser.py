"""Journey 2, a data holder publishes data (数据持有方发布数据), in headless chromium on the live server.

The demo's 交通运输局 describes a new resource (category and grade chosen from the seeded trees, with
their help), uploads a 3.5 MB file in chunks with a progress bar, loses the network in the middle,
comes back later and resumes from where the upload stopped, names the fields taken from the data in
Chinese, adds a second version, checks the confirmation and publishes; a visitor then finds the card
saying the data can be previewed and downloaded, and previews it under the Chinese names.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import pytest
from playwright.sync_api import Request, Route, expect

from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import log_in

pytestmark = pytest.mark.browser

CHUNK = 1024 * 1024  # what the upload page asks the browser to send at a time (under the body limit)
ROWS = 95_000


def truck_file(folder: Path, rows: int = ROWS) -> Path:
    """A CSV of dangerous-goods truck positions, about 3.5 MB: four chunks."""
    lines = ["plate_no,city,lng,lat,speed_kmh"]
    lines += [
        f"桂A{i:05d},南宁,{108.3 + i % 100 / 1000:.4f},{22.8 + i % 70 / 1000:.4f},{i % 90}"
        for i in range(rows)
    ]
    path = folder / "trucks.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_holder_describes_uploads_resumes_names_and_publishes(
    new_context: NewContext, live_server: LiveServer, tmp_path: Path
) -> None:
    name = f"危险货物运输车辆动态{secrets.randbelow(10**6):06d}"
    data = truck_file(tmp_path)
    assert 3 * CHUNK < data.stat().st_size < 4 * CHUNK
    holder = new_context().new_page()

    # the holder opens the catalogue and starts a new resource
    log_in(holder, "transport")
    holder.goto("/catalog")
    holder.get_by_test_id("new-resource").click()
    form = holder.get_by_test_id("new-resource-form")
    form.get_by_test_id("field-name").fill(name)
    form.get_by_test_id("field-description").fill("危险货物道路运输车辆的实时位置和速度")
    # the category tree explains each main category; the grades show their definition and ceiling
    expect(form.get_by_test_id("category-group-TRACK").get_by_test_id("category-help")).to_contain_text(
        "扩大数据供给"
    )
    form.get_by_test_id("category-group-TRACK").get_by_label("车辆轨迹").check()
    other = form.get_by_test_id("grade-general_other")
    expect(other.get_by_test_id("grade-ceiling")).to_contain_text("最高开放：无条件开放")
    expect(form.get_by_test_id("grade-core").get_by_test_id("grade-ceiling")).to_contain_text("不予开放")
    other.click()
    form.get_by_test_id("field-update_frequency").select_option(label="每日")
    form.get_by_test_id("field-sharing_type").select_option(label="无条件共享")
    form.get_by_test_id("field-open_type").select_option(label="无条件开放")
    form.get_by_test_id("create-resource").click()
    expect(holder.get_by_test_id("notice")).to_have_text("草稿已保存。下一步：上传数据。")
    upload_url = holder.url.split("?")[0]
    code = re.search(r"/catalog/resources/([A-Z0-9]+)/upload", upload_url)
    assert code

    # the upload starts; the network fails while the third chunk is on its way
    offsets: list[int] = []

    def record(request: Request) -> None:
        if request.method == "PATCH":
            offsets.append(int(request.headers["upload-offset"]))

    holder.on("request", record)
    lost: list[int] = []

    def drop_third_chunk(route: Route) -> None:
        if route.request.method == "PATCH" and len(offsets) == 3 and not lost:
            lost.append(1)
            route.abort("internetdisconnected")
        else:
            route.continue_()

    holder.route(re.compile(r"/api/v1/catalog/resources/[A-Z0-9]+/uploads/[0-9a-f]{32}$"), drop_third_chunk)
    holder.get_by_test_id("data-file").set_input_files(data)
    holder.get_by_test_id("start-upload").click()
    progress = holder.get_by_test_id("progress-text")
    expect(progress).to_have_attribute("data-state", "interrupted")
    expect(progress).to_contain_text("上传中断")
    expect(holder.get_by_test_id("resume-upload")).to_be_visible()
    assert offsets == [0, CHUNK, 2 * CHUNK]
    bar_value = holder.get_by_test_id("progress-bar").get_attribute("value")
    assert bar_value is not None and 0 < float(bar_value) < 100

    # later the holder comes back to the page, chooses the same file, and the upload goes on
    holder.unroute(re.compile(r"/api/v1/catalog/resources/[A-Z0-9]+/uploads/[0-9a-f]{32}$"))
    holder.goto(upload_url)
    offsets.clear()
    holder.get_by_test_id("data-file").set_input_files(data)
    holder.get_by_test_id("start-upload").click()
    expect(holder.get_by_test_id("notice")).to_contain_text("数据已上传")
    assert offsets == [2 * CHUNK, 3 * CHUNK]  # nothing sent twice

    # the structure comes from the data; the holder names the fields in Chinese
    fields = holder.get_by_test_id("fields-table")
    expect(fields.get_by_test_id("field-row")).to_have_count(5)
    expect(fields).to_contain_text("待填写中文名")
    expect(holder.get_by_test_id("distributions-table")).to_contain_text("95,000")
    holder.get_by_test_id("schema-link").click()
    titles = {
        "plate_no": "车牌号码",
        "city": "所在城市",
        "lng": "经度",
        "lat": "纬度",
        "speed_kmh": "车速（千米/时）",
    }
    for field, title in titles.items():
        row = holder.get_by_test_id("schema-row").and_(holder.locator(f'[data-field="{field}"]'))
        row.get_by_test_id("field-title").fill(title)
    holder.get_by_test_id("schema-row").first.get_by_test_id("field-description").fill("含省份简称")
    holder.get_by_test_id("save-schema").click()
    expect(holder.get_by_test_id("notice")).to_have_text("已保存。")
    for title in titles.values():
        expect(fields).to_contain_text(title)
    expect(fields).not_to_contain_text("待填写中文名")

    # a second version, small enough for one chunk
    holder.get_by_test_id("upload-link").click()
    holder.get_by_test_id("data-file").set_input_files(truck_file(tmp_path, rows=500))
    holder.get_by_test_id("start-upload").click()
    expect(holder.get_by_test_id("notice")).to_contain_text("数据已上传")
    expect(holder.get_by_test_id("distributions-table").locator("tbody tr")).to_have_count(2)

    # the confirmation before publishing names what goes out
    holder.get_by_test_id("publish-link").click()
    summary = holder.get_by_test_id("publish-summary")
    expect(summary.get_by_test_id("summary-name")).to_have_text(name)
    expect(summary.get_by_test_id("summary-category")).to_have_text("车辆轨迹")
    expect(summary.get_by_test_id("summary-grade")).to_have_text("其他一般数据")
    expect(summary.get_by_test_id("summary-fields")).to_have_text("5 个字段")
    expect(summary.get_by_test_id("summary-versions")).to_have_text("共 2 个版本，最新为第 2 版，500 行")
    expect(holder.get_by_test_id("warn-untitled")).to_have_count(0)
    holder.get_by_test_id("confirm-publish").click()
    expect(holder.get_by_test_id("notice")).to_have_text("已发布。")
    expect(holder.get_by_test_id("status")).to_have_text("已发布")

    # a visitor finds it: the card says the data can be previewed and downloaded
    visitor = new_context().new_page()
    visitor.goto("/catalog")
    search = visitor.get_by_test_id("catalog-search")
    search.get_by_role("searchbox").fill(name)
    search.get_by_role("button", name="搜索").click()
    card = visitor.get_by_test_id("result-list").locator(f'[data-code="{code.group(1)}"]')
    expect(card.get_by_test_id("open-data")).to_have_text("可在线预览和下载")
    card.get_by_test_id("resource-link").click()
    preview = visitor.get_by_test_id("preview-table")
    expect(preview.locator("thead")).to_contain_text("车牌号码")
    expect(preview.locator("tbody tr")).to_have_count(10)
    expect(visitor.get_by_test_id("fields-table")).to_contain_text("含省份简称")
