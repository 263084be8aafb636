"""Chinese UI quality (every page): after ``demo load``, every page that a visitor and each demo role
reaches by following links shows no ASCII words outside the allow list of :mod:`tests.web.page_text`
(codes people need: waybill, container and resource numbers, USCC, URLs, e-mail, numbers and units),
no UUID and no raw source citation (``004:781``, in the text or a tooltip); and no page answers a
server error on the way.

The walk runs over plain HTTP (no browser), one session per role, against a demo server of its own:
the shared live server carries what other tests typed in (English user and token names, file names).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator

import httpx2 as httpx
import pytest

from logispace.demo.load import USERS
from tests.conftest import LiveServer
from tests.databases import throwaway_database
from tests.forking import check_cli_in_fork
from tests.live_server import serving
from tests.web.page_text import crawl, foreign_words, parse, raw_citations

DEMO_PASSWORD = "LogiSpace-demo-2026"
ROLES = ["", "admin", "reviewer", "registrar", "port", "carrier", "bank", "shipper01"]
"""A visitor, the data authority's administrator and reviewer, the registration authority's reviewer,
a data holder, a carrier, a bank's analyst and a shipper."""

LOGIN_NAMES = frozenset(u.username for u in USERS)
"""The demo's login names: people read and type them on the users pages."""

WAYBILL_TITLE = re.compile(r"多式联运运单 (\S+) ·")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """``db upgrade``, ``demo load`` and ``serve`` on a database of this module's own."""
    folder = tmp_path_factory.mktemp("chinese-pages")
    with throwaway_database(folder) as url:
        env = {
            **os.environ,
            "LOGISPACE_DATABASE_URL": url,
            "LOGISPACE_VAR_DIR": str(folder),
            "LOGISPACE_DEMO_WAYBILLS": "20",
        }
        check_cli_in_fork(["db", "upgrade"], env)  # the commands a user runs, without two fresh interpreters
        check_cli_in_fork(["demo", "load"], env)
        with serving(env, folder / "server.log") as base:
            yield LiveServer(url=base, env=env)


def session(server: LiveServer, username: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, follow_redirects=True, timeout=60)
    if username:
        token = CSRF.search(client.get("/login").text)
        assert token, "no login form"
        answer = client.post(
            "/login",
            data={
                "username": username,
                "password": DEMO_PASSWORD,
                "csrf_token": token.group(1),
                "next": "/dashboard",
            },
        )
        assert answer.status_code == 200 and "/dashboard" in str(answer.url), username
    return client


def fetcher(client: httpx.Client, errors: list[str]) -> Callable[[str], tuple[int, str, str]]:
    def get(path: str) -> tuple[int, str, str]:
        response = client.get(path)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {path}")
        return response.status_code, response.headers.get("content-type", ""), response.text

    return get


def test_the_check_finds_english_raw_codes_and_uuids() -> None:
    """The check itself: it must be able to fail (the issue's examples), and pass the codes people need."""
    bad = (
        "状态 in_progress 材料 subject_info 核验 valid 交通运输 transport and logistics 港口 CNQZH 编号 "
        + ("0b5c1a2e-1f3d-4c5b-9a8e-7d6c5b4a3f21")
    )
    assert foreign_words(bad) == [
        "UUID 0b5c1a2e-1f3d-4c5b-9a8e-7d6c5b4a3f21",
        "in_progress",
        "subject_info",
        "valid",
        "transport",
        "and",
        "logistics",
        "CNQZH",
    ]
    good = (
        "运单 LHX-2026-000128 集装箱 LSPU1234565 统一社会信用代码 91450700MA0000004X 目录编码 WL2U776DXN6H65 "
        "证书 DJR-2026-DNMQW4K5-4 12,000 kg 35 km 2 TEU 下载 CSV 联系 data@example.cn 访问 "
        "https://example.cn/documents/0b5c1a2e-1f3d-4c5b-9a8e-7d6c5b4a3f21 摘要 dfaad43143b7b5cc… v2 "
        "交接地点 钦州港（CNQZH）"
    )
    assert foreign_words(good) == []
    text, _ = parse('<p>字段 <code translate="no">berth_id</code> 泊位</p><script>var english;</script>')
    assert text == "字段 泊位"
    cited = (
        '<p>依据 [004:781] 12:30</p><span title="受理时限 · 004:794; 004:5623-5629">2026-12-08 00:00</span>'
    )
    assert raw_citations(cited) == ["004:781", "004:794", "004:5623-5629"]
    assert raw_citations("<p>（依据《公共数据资源登记管理暂行办法》第九条）2026-12-08 00:00</p>") == []


@pytest.mark.parametrize("username", ROLES, ids=[r or "visitor" for r in ROLES])
def test_every_chinese_page_of_the_demo_reads_in_chinese(demo_server: LiveServer, username: str) -> None:
    client = session(demo_server, username)
    errors: list[str] = []
    findings: dict[str, set[str]] = {}
    pages = 0
    start = ["/", "/dashboard", "/help", "/api/guide"]
    if username:  # the trace pages of two of the party's waybills (the trace page links no list)
        documents = parse(client.get("/documents").text)[0]
        start += [f"/trace/waybills/{n}" for n in sorted(set(WAYBILL_TITLE.findall(documents)))[:2]]
    for path, html in crawl(fetcher(client, errors), start):
        pages += 1
        words = foreign_words(parse(html)[0], LOGIN_NAMES)
        words += [f"citation {c}" for c in raw_citations(html)]
        if words:
            findings.setdefault(path, set()).update(words)
    client.close()
    assert pages >= 15, f"the walk reached only {pages} pages"
    assert errors == []
    assert findings == {}, "\n".join(f"{p}: {sorted(w)}" for p, w in sorted(findings.items()))


def test_a_certificate_ends_on_the_same_day_on_every_page(demo_server: LiveServer) -> None:
    """The registry, and the certificate's own verification page, state the same last valid day (one
    said 11-03 and the other 11-04: an exclusive end shown as is)."""
    client = session(demo_server, "")
    registry = client.get("/registry").text
    rows = re.findall(
        r'href="/registry/certificates/([A-Z0-9-]+)".*?data-testid="registry-validity">[^<]*<br>~ ([\d-]+)<',
        registry,
        re.S,
    )
    assert rows, "no issued certificate in the demo registry"
    for code, last_day in rows:
        page = client.get(f"/registry/certificates/{code}").text
        validity = re.search(r'data-testid="certificate-validity">[\d-]+ ~ ([\d-]+)<', page)
        assert validity and validity.group(1) == last_day, (code, last_day, validity and validity.group(1))
    client.close()


def test_a_province_publishes_its_list_under_its_own_name(demo_server: LiveServer) -> None:
    """The demo's sharing/open list is published by a province's data authority: it carries that
    authority's name, never 国家 (a "国家物流公共数据共享开放清单" was shown as published by 示范省数据局)."""
    client = session(demo_server, "")
    versions = client.get("/catalog/lists").text
    links = re.findall(r'href="/catalog/lists/(\d+)" data-testid="version-link"', versions)
    assert links, "no list version in the demo"
    for version in links:
        page = client.get(f"/catalog/lists/{version}").text
        title = re.search(r'data-testid="version-title">([^<]+)<', page)
        assert title and title.group(1).startswith("示范省数据局物流公共数据共享开放清单"), title
        assert "国家" not in title.group(1)
    client.close()


def test_the_pages_name_the_rule_by_document_and_article(demo_server: LiveServer) -> None:
    """Where a page names the rule behind a deadline or a grade, it names the document and the
    article people recognise (the raw citations were removed, and nothing had replaced them)."""
    client = session(demo_server, "registrar")
    queue = client.get("/registration/review").text
    opened = re.findall(r'href="(/registration/applications/[0-9a-f-]{36})"', queue)
    assert opened, "no application in the registration queue of the demo"
    application = client.get(opened[0]).text
    assert "依据《内蒙古自治区公共数据资源登记管理暂行办法》第" in application or (
        "依据《公共数据资源登记管理暂行办法》第" in application
    )
    assert raw_citations(application) == []
    catalog = client.get("/catalog").text
    code = re.search(r'data-testid="resource-card" data-code="([A-Z0-9]+)"', catalog)
    assert code
    resource = client.get(f"/catalog/resources/{code.group(1)}").text
    assert re.search(r'data-testid="citation">（依据《[^》]+》第', resource), "the grade's basis: no article"
    client.close()
