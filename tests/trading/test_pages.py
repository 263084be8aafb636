"""Trading pages through the same services as the API: the market filtered, a negotiation stepped from
request to signature on its thread, delivery and release on the contract page, the voucher with its QR
code and download, the account statement, the exchange's reports; a price above the cap refused in
Chinese naming the document and article (no code, no source line, nothing changed but the refusal
record); an outsider sees none of a trade's pages."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.conftest import LogIn
from tests.identity.support import Browser
from tests.trading.conftest import TERMS, Market, balances_sum, counts, listing

pytestmark = pytest.mark.db

RAW = ("004:", "trading-", "REQUESTED", "OFFERED", "supply_chain_finance", "dataset", "negotiated")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def visible(html: str) -> str:
    body = html.split("<main", 1)[-1]
    body = re.sub(r"<(script|style|svg|code)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def plain(html: str) -> str:
    """The page's visible text holds no raw code, source line or UUID."""
    text = visible(html)
    assert not any(raw in text for raw in RAW), text
    assert not UUID.search(text), text
    return text


def step(browser: Browser, nid: str, action: str, **form: str) -> str:
    response = browser.post(f"/trading/negotiations/{nid}/steps", {"negotiation_action": action, **form})
    assert response.status_code == 303, visible(response.text)
    return str(response.headers["location"])


def test_market_negotiation_contract_voucher_pages(
    client: TestClient, db: Session, market: Market, log_in: LogIn
) -> None:
    m = market
    offer = listing(client, m, price="250000.00")
    demander, provider = log_in(m.demander), log_in(m.provider)

    page = demander.get(
        "/trading?q=多式联运&category=data_product_service&public=no&purpose=supply_chain_finance"
    )
    assert page.status_code == 200 and "钦州港多式联运运单统计（年度）" in plain(page.text)
    assert "250000" not in visible(page.text)  # no price board: the asking price is on the object's page
    assert "没有符合条件的挂牌标的" in demander.get("/trading?public=yes").text
    obj = demander.get(f"/trading/objects/{offer['object_id']}")
    assert "250000.00" in plain(obj.text) and 'data-testid="request-form"' in obj.text

    opened = demander.post(
        f"/trading/listings/{offer['id']}/negotiations",
        {"offer_price_yuan": "230000", "purpose": "supply_chain_finance", "note": "首次报价"},
    )
    assert opened.status_code == 303, visible(opened.text)
    thread = opened.headers["location"].split("?")[0]
    nid = thread.rsplit("/", 1)[1]
    assert "需求方已报价" in plain(demander.get(opened.headers["location"]).text)
    step(provider, nid, "offer", offer_price_yuan="245000", note="含一年更新")
    step(demander, nid, "accept")
    terms = {
        "data_content": TERMS["data_content"],
        "data_quality_terms": TERMS["quality"],
        "trade_method": TERMS["method"],
        "security_duties": TERMS["security_duties"],
        "confidentiality": TERMS["confidentiality"],
    }
    step(provider, nid, "agree", **terms)
    step(demander, nid, "verify")
    shown = plain(provider.get(step(provider, nid, "finalize")).text)
    assert "合同已生效" in shown and "245000.00" in shown and "提供方报价" in shown
    contract = re.search(r'href="/trading/contracts/([0-9a-f-]{36})"', provider.get(thread).text)
    assert contract
    cid = contract.group(1)
    assert balances_sum(db) == 0

    assert provider.post(f"/trading/contracts/{cid}/delivery").status_code == 303
    released = demander.post(f"/trading/contracts/{cid}/release", {"settle_amount_yuan": ""})
    assert released.status_code == 303, visible(released.text)
    settled = plain(demander.get(released.headers["location"]).text)
    assert "已结算" in settled and "验收放款" in settled and "交易凭证" in settled
    voucher = demander.get(f"/trading/contracts/{cid}/voucher")
    assert voucher.status_code == 200 and "<svg" in voucher.text and 'class="qr"' in voucher.text
    assert re.search(r'data-testid="voucher-code">JYPZ-', voucher.text)
    assert "245000.00" in plain(voucher.text)
    download = demander.get(f"/trading/contracts/{cid}/voucher.json")
    assert download.status_code == 200 and download.json()["statement"]["amount"] == "245000.00"
    account = plain(provider.get("/trading/account").text)
    assert "245000.00" in account and "验收放款" in account
    assert "-245000.00" in plain(demander.get("/trading/account").text)
    assert balances_sum(db) == 0

    outsider = log_in(m.outsider)
    for path in (thread, f"/trading/contracts/{cid}", f"/trading/contracts/{cid}/voucher"):
        assert outsider.get(path).status_code == 404, path
    assert (
        outsider.post(f"/trading/negotiations/{nid}/steps", {"negotiation_action": "terminate"}).status_code
        == 404
    )
    assert outsider.get(f"/trading/contracts/{cid}/voucher.json").status_code == 404

    exchange = log_in(m.exchange)
    report = exchange.get("/trading/reports?kind=year")
    assert report.status_code == 200 and "签订合同数" in plain(report.text)
    csv = exchange.get("/trading/reports.csv?kind=year")
    assert csv.status_code == 200 and csv.text.startswith("指标,数值")
    assert demander.get("/trading/reports").status_code == 403


def test_a_refused_step_is_shown_in_chinese_and_changes_nothing(
    client: TestClient, db: Session, market: Market, log_in: LogIn
) -> None:
    m = market
    offer = listing(client, m, price="250000.00")
    demander, provider = log_in(m.demander), log_in(m.provider)
    opened = demander.post(
        f"/trading/listings/{offer['id']}/negotiations",
        {"offer_price_yuan": "230000", "purpose": "supply_chain_finance"},
    )
    nid = opened.headers["location"].split("?")[0].rsplit("/", 1)[1]
    before = counts(db)
    refused = demander.post(f"/trading/negotiations/{nid}/steps", {"negotiation_action": "accept"})
    assert refused.status_code == 409
    text = plain(refused.text)
    assert "当前状态下不能进行该操作" in text and "终止磋商" in text
    assert "《内蒙古自治区数据流通交易管理暂行办法》第二十四条" in text
    after = counts(db)
    assert (after.negotiations, after.offers, after.refusals) == (
        before.negotiations,
        before.offers,
        before.refusals + 1,
    )
    bad = provider.post(
        f"/trading/negotiations/{nid}/steps", {"negotiation_action": "offer", "offer_price_yuan": "十万"}
    )
    assert bad.status_code == 422 and "请检查填写的内容后重新提交" in plain(bad.text)
