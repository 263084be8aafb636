"""Document notarization and verification (单证存证与鉴真) in headless chromium, on the live server.

A carrier notarizes a file through its documents page; a stranger, logged out, opens the public
page, sees its QR code, and checks first the right file, then a changed one.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import LiveServer
from tests.web.conftest import NewContext
from tests.web.test_browser import UUID_PATH, log_in

pytestmark = pytest.mark.browser

MANIFEST = "箱号,重量\nTGHU8883590,21450\nMSKU7012468,18400\n".encode()


def choose_file(page: Page, form_test_id: str, name: str, data: bytes) -> None:
    page.get_by_test_id(form_test_id).locator('input[type="file"]').set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )


def test_notarize_then_verify_on_the_public_page(new_context: NewContext, live_server: LiveServer) -> None:
    issuer = new_context().new_page()
    log_in(issuer, "carrier")
    issuer.get_by_test_id("nav-trace").hover()  # the logistics menu
    issuer.get_by_role("link", name="单证存证").click()
    expect(issuer).to_have_url(f"{live_server.url}/documents")
    # the demo documents of the carrier are listed
    expect(issuer.get_by_test_id("documents-table")).to_contain_text("LHX-2026-000128")
    choose_file(issuer, "notarize-form", "manifest.csv", MANIFEST)
    issuer.get_by_test_id("notarize-form").get_by_label("标题").fill("装箱清单 浏览器测试")
    issuer.get_by_test_id("notarize-form").get_by_role("button", name="签名存证", exact=True).click()
    expect(issuer).to_have_url(re.compile(rf"{re.escape(live_server.url)}/documents/{UUID_PATH}$"))
    public_url = issuer.url

    stranger = new_context().new_page()
    stranger.goto(public_url)
    expect(stranger.get_by_test_id("document-title")).to_have_text("装箱清单 浏览器测试")
    expect(stranger.get_by_test_id("document-issuer")).to_have_text("陆海新通道示范物流有限公司")
    expect(stranger.get_by_test_id("qr").locator("svg")).to_be_visible()
    expect(stranger.get_by_test_id("qr")).to_contain_text(public_url)
    expect(stranger.get_by_test_id("signature-verdict")).to_contain_text("有效签名")
    expect(stranger.get_by_test_id("logout")).to_have_count(0)

    choose_file(stranger, "verify-form", "manifest.csv", MANIFEST)
    stranger.get_by_test_id("verify-form").get_by_role("button", name="核验", exact=True).click()
    expect(stranger.get_by_test_id("verdict")).to_have_text("与存证版本一致")
    expect(stranger.get_by_test_id("verdict-box")).to_have_class(re.compile(r"\bverdict-authentic\b"))
    expect(stranger.get_by_test_id("verdict-signer")).to_have_text("陆海新通道示范物流有限公司")
    expect(stranger).to_have_url(public_url)  # swapped in place by HTMX

    choose_file(stranger, "verify-form", "manifest.csv", MANIFEST.replace(b"21450", b"12450"))
    stranger.get_by_test_id("verify-form").get_by_role("button", name="核验", exact=True).click()
    expect(stranger.get_by_test_id("verdict")).to_have_text("与存证版本不一致")
    expect(stranger.get_by_test_id("verdict-box")).to_have_class(re.compile(r"\bverdict-tampered\b"))
    expect(stranger).to_have_url(public_url)
