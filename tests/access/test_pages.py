"""Access pages through the same services as the API: the request form, the review queue, the grant page
with its policy in Chinese words and its meter, the sandbox with a result and a refusal in Chinese; an
outsider sees none of it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.errors import Conflict
from logispace.domains.access.pages import reasons_of
from tests.access.conftest import API, Space, approve, counts
from tests.conftest import LogIn

REQUEST_LINK = re.compile(r"/access/requests/([0-9a-f-]{36})")
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ODRL_WORDS = ("ls:", "odrl", "dateTime", "leftOperand", "supply_chain_finance", "004:")


def _visible_text(html: str) -> str:
    body = html.split("<main", 1)[-1]
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"<[^>]+>", " ", body)


def test_request_form_review_queue_and_decisions(client: TestClient, space: Space, log_in: LogIn) -> None:
    requester = log_in(space.requester)
    form = requester.get("/access/requests/new")
    assert form.status_code == 200 and "供应链金融贸易真实性核验" in form.text
    today = datetime.now(UTC).date()
    created = requester.post(
        "/access/requests",
        {
            "scenario": "supply_chain_finance",
            "title": "贸易真实性核验",
            "purpose": "核验运单",
            "expected_value": "降低融资风险",
            "period_start": today.isoformat(),
            "period_end": (today + timedelta(days=30)).isoformat(),
            "output_mode": "aggregate",
            "min_group_size": "5",
            "catalog_code": space.code,
            "fields": "waybill_no，city, legs",
            "table_name": "waybills",
        },
    )
    assert created.status_code == 303, created.text
    url = created.headers["location"].split("?")[0]
    rid = REQUEST_LINK.search(url).group(1)  # type: ignore[union-attr]
    page = requester.get(url)
    assert 'data-state="draft"' in page.text and 'data-testid="submit-request"' in page.text
    assert "多式联运单号、始发城市、运输段" in page.text
    assert requester.post(f"/access/requests/{rid}/submit").status_code == 303

    holder = log_in(space.holder)
    queue = holder.get("/access")
    assert queue.status_code == 200 and f"/access/requests/{rid}" in queue.text
    # a decision without reasons is refused on the page, in Chinese
    refused = holder.post(f"/access/requests/{rid}/decide", {"decision": "approve", "reasons": ""})
    assert refused.status_code == 422 and "请在下方修改后重新提交" in refused.text
    assert (
        holder.post(f"/access/requests/{rid}/decide", {"decision": "approve", "reasons": "同意"}).status_code
        == 303
    )
    authority = log_in(space.authority)
    assert f"/access/requests/{rid}" in authority.get("/access").text
    done = authority.post(f"/access/requests/{rid}/decide", {"decision": "approve", "reasons": "同意"})
    assert done.status_code == 303
    approved = requester.get(f"/access/requests/{rid}")
    assert 'data-state="approved"' in approved.text and 'data-testid="grant-link"' in approved.text

    outsider = log_in(space.outsider)
    assert outsider.get(f"/access/requests/{rid}").status_code == 404
    assert f"/access/requests/{rid}" not in outsider.get("/access").text


def test_a_request_above_the_scenario_is_refused_on_the_form(space: Space, log_in: LogIn) -> None:
    requester = log_in(space.requester)
    today = datetime.now(UTC).date()
    response = requester.post(
        "/access/requests",
        {
            "scenario": "supply_chain_finance",
            "title": "核验",
            "purpose": "核验",
            "expected_value": "价值",
            "period_start": today.isoformat(),
            "period_end": (today + timedelta(days=30)).isoformat(),
            "catalog_code": space.code,
            "fields": "waybill_no,route_secret",
        },
    )
    assert response.status_code == 409
    assert "申请字段超出应用场景允许的数据级别" in response.text and "route_secret" in response.text


def test_grant_page_and_sandbox(client: TestClient, db: Session, space: Space, log_in: LogIn) -> None:
    grant = approve(client, space, epsilon=2.0)
    gid = grant["id"]
    requester = log_in(space.requester)
    page = requester.get(f"/access/grants/{gid}")
    assert page.status_code == 200
    words = page.text.split('data-testid="policy-words"', 1)[1].split("</article>", 1)[0]
    assert "供应链金融贸易真实性核验" in words and "每组至少包含5条记录" in words
    assert "多式联运单号、始发城市、运输段" in words and "不得以任何形式向第三方提供" in words
    assert "重要数据仅限境内使用" in words  # the resource is graded important
    assert re.search(
        r"有效期自\d{4}-\d{2}-\d{2} \d{2}:\d{2}至\d{4}-\d{2}-\d{2} \d{2}:\d{2}（北京时间）", words
    )
    text = _visible_text(words)
    assert not UUID.search(text) and not any(w in text for w in ODRL_WORDS)
    assert 'data-testid="epsilon-left"' in page.text

    sandbox = requester.get(f"/access/grants/{gid}/sandbox")
    assert sandbox.status_code == 200 and 'data-testid="sandbox-form"' in sandbox.text
    ran = requester.post(
        f"/access/grants/{gid}/sandbox", {"sql": "SELECT city, COUNT(*) AS n FROM waybills GROUP BY city"}
    )
    assert ran.status_code == 200, ran.text
    assert ran.text.count('data-testid="result-row"') == 4
    before = counts(db)
    refused = requester.post(f"/access/grants/{gid}/sandbox", {"sql": "SELECT * FROM waybills"})
    assert refused.status_code in (403, 422)
    assert 'data-testid="sandbox-refusal"' in refused.text
    refusal = refused.text.split('data-testid="sandbox-refusal"', 1)[1].split("</article>", 1)[0]
    assert re.search(r"[\u4e00-\u9fff]", refusal) and "sandbox-" not in refusal
    after = counts(db)
    assert (after.refusals, after.deliveries) == (before.refusals + 1, before.deliveries)
    meter = requester.get(f"/access/grants/{gid}")
    assert 'data-testid="calls">1<' in meter.text and meter.text.count('data-testid="refusal-row"') == 1

    holder = log_in(space.holder)
    assert 'data-testid="open-sandbox"' not in holder.get(f"/access/grants/{gid}").text
    assert holder.post(f"/access/grants/{gid}/steps/suspend", {"reason": "核查"}).status_code == 303
    suspended = client.get(f"{API}/grants/{gid}", headers=space.requester.headers).json()
    assert suspended["state"] == "suspended"
    blocked = requester.post(f"/access/grants/{gid}/sandbox", {"sql": "SELECT COUNT(*) AS n FROM waybills"})
    assert blocked.status_code == 403 and "授权已暂停" in blocked.text

    outsider = log_in(space.outsider)
    for url in (f"/access/grants/{gid}", f"/access/grants/{gid}/sandbox"):
        assert outsider.get(url).status_code == 404
    assert outsider.post(f"/access/grants/{gid}/steps/suspend", {"reason": "x"}).status_code == 404


def test_the_english_switch(space: Space, log_in: LogIn) -> None:
    requester = log_in(space.requester)
    requester.client.cookies.set("logispace_lang", "en")
    page = requester.get("/access")
    assert page.status_code == 200
    assert "My requests" in page.text and "我的需求申请" not in page.text


def test_a_refusal_names_its_rule_by_document_and_article() -> None:
    """A refusal that carries its rule's source line says it as people cite it, never ``004:5669``."""
    cited = reasons_of(Conflict("refused", source="004:5669"))
    assert cited == ["请求未被接受（依据《内蒙古自治区公共数据授权运营管理暂行办法》第二十六条）"]
    assert reasons_of(Conflict("refused")) == ["请求未被接受"]
