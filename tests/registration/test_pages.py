"""Registration pages (登记页面) through the same services as the API: an applicant files and submits,
the authority reviews, a third party objects from the publicity list, the public registry shows
issued registrations only, and the quarterly statistics count what the test made (page, CSV, API).
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import Actor, LogIn, World
from tests.factories.registration import (
    API,
    Registrable,
    attach_missing,
    file_application,
    initial_body,
    registrable_resource,
)
from tests.identity.support import Browser, assert_problem
from tests.registration.conftest import TravelClock

JSON = dict[str, Any]
APP_LINK = re.compile(r'href="/registration/applications/([0-9a-f-]{36})"')


def upload(browser: Browser, app_id: str, material: str) -> Any:
    return browser.client.post(
        f"/registration/applications/{app_id}/attachments",
        data={"material": material, "csrf_token": browser.csrf_token},
        files={"file": (f"{material}.pdf", f"%PDF-1.7 {material}".encode(), "application/pdf")},
        follow_redirects=False,
    )


def read(client: TestClient, actor: Actor, app_id: str) -> JSON:
    response = client.get(f"{API}/applications/{app_id}", headers=actor.headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def page_form(resource: Registrable, **overrides: str) -> dict[str, str]:
    form = {
        "application_type": "initial",
        "catalog_code": resource.catalog_code,
        "evidence_ledger_index": str(resource.ledger_index),
        "internal_business_review_done": "on",
        "interested_parties_consensus": "on",
        "industry": "交通运输",
        "application_scenarios": "资质核验、运力调度",
        "content_summary": "营运车辆道路运输证信息",
    }
    form.update(overrides)
    return form


def create_through_page(browser: Browser, form: dict[str, str]) -> str:
    created = browser.post("/registration/new", form)
    assert created.status_code == 303, created.text
    match = re.fullmatch(
        r"/registration/applications/([0-9a-f-]{36})\?done=created", created.headers["location"]
    )
    assert match, created.headers["location"]
    return match.group(1)


def act(browser: Browser, app_id: str, action: str, form: dict[str, str] | None = None) -> Any:
    return browser.post(f"/registration/applications/{app_id}/review/{action}", form or {})


def test_an_initial_registration_through_the_pages(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    resource = registrable_resource(client, world.b_admin.headers)
    holder, authority, other = log_in(world.b_admin), log_in(world.reviewer), log_in(world.a_admin)

    # the form offers the holder's own resources and the ledger receipts of their uploads
    new = holder.get("/registration/new")
    assert new.status_code == 200
    assert f'value="{resource.catalog_code}"' in new.text
    assert f'value="{resource.ledger_index}"' in new.text
    assert resource.catalog_code not in other.get("/registration/new").text

    app_id = create_through_page(holder, page_form(resource))
    page = holder.get(f"/registration/applications/{app_id}")
    assert page.status_code == 200
    assert 'data-state="draft"' in page.text and 'data-testid="missing-items"' in page.text
    for item in read(client, world.b_admin, app_id)["missing_items"]:
        assert upload(holder, app_id, item["key"].split(" | ")[0]).status_code == 303
    stored = read(client, world.b_admin, app_id)
    assert stored["missing_items"] == [] and stored["info"]["industry"] == "交通运输"
    assert stored["info"]["application_scenarios"] == ["资质核验", "运力调度"]
    assert stored["evidence_ledger_index"] == resource.ledger_index

    submitted = holder.post(f"/registration/applications/{app_id}/submit")
    assert submitted.status_code == 303
    page = holder.get(f"/registration/applications/{app_id}").text
    assert 'data-state="submitted"' in page and "2026-03-05" in page  # acceptance due 3 WD later

    # the authority's queue lists it with its due date; acting out of order is a 409 on the page
    queue = authority.get("/registration/review?state=submitted")
    assert queue.status_code == 200 and app_id in queue.text and "2026-03-05" in queue.text
    early = act(authority, app_id, "issue")
    assert early.status_code == 409
    assert 'data-testid="conflict"' in early.text and "可执行的操作：受理" in early.text  # said in Chinese
    assert "not allowed" not in early.text  # no English problem text on the Chinese page
    assert 'data-state="submitted"' in early.text  # the file shown again, unchanged
    assert act(authority, app_id, "accept").status_code == 303
    assert act(authority, app_id, "pass").status_code == 303
    in_publicity = read(client, world.reviewer, app_id)
    assert in_publicity["state"] == "in_publicity"
    end = in_publicity["publicity_end"]

    # during publicity 赋码发证 is not offered (the page names the last day); posted anyway it is a 409
    during = authority.get(f"/registration/applications/{app_id}").text
    assert 'data-testid="issue"' not in during and 'data-testid="publicity-running"' in during
    assert f"公示期至 {end}" in during
    refused = act(authority, app_id, "issue")
    assert refused.status_code == 409 and f"公示期至 {end}" in refused.text

    # the public list shows it with its period; not yet in the registry
    publicity = client.get("/registry/publicity")
    assert publicity.status_code == 200
    assert stored["data_name"] in publicity.text and f"2026-03-02 ~ {end}" in publicity.text
    assert 'data-testid="objection-form"' not in publicity.text  # a visitor must log in to object
    assert stored["data_name"] not in client.get("/registry").text

    # an objection without a real name or evidence is a 422 on the page, and nothing is filed
    url = f"/registry/publicity/{app_id}/objections"
    bad = other.post(url, {"objector_real_name": " ", "evidence": ""})
    assert bad.status_code == 422
    assert "objector_real_name" in bad.text and "evidence" in bad.text
    assert read(client, world.reviewer, app_id)["objections"] == []
    own = holder.post(url, {"objector_real_name": "李四", "evidence": "自己的材料"})
    assert own.status_code == 403  # the subject does not object to its own file
    filed = other.post(url, {"objector_real_name": "张三", "evidence": "权属证明 2025-118 号\n合同扫描件"})
    assert filed.status_code == 303
    objection = read(client, world.reviewer, app_id)["objections"][0]
    assert objection["evidence"] == ["权属证明 2025-118 号", "合同扫描件"]

    # while it is reviewed the publicity still runs: listed with the form, so others may object too
    assert stored["data_name"] in client.get("/registry/publicity").text
    review = authority.get(f"/registration/applications/{app_id}").text
    assert 'data-testid="objection-due"' in review and objection["review_due"] in review

    # the authority dismisses it on the page before the publicity ends: the publicity resumes
    handled = act(
        authority,
        app_id,
        "objection",
        {"objection_id": objection["id"], "outcome": "dismissed", "note": "证据不足"},
    )
    assert handled.status_code == 303
    assert read(client, world.reviewer, app_id)["state"] == "in_publicity"
    # after its last day the publicity closes: issued, and the record is public
    clock.to(end)
    clock.forward(1)
    holder, authority = log_in(world.b_admin), log_in(world.reviewer)  # the earlier sessions expired
    assert 'data-testid="issue"' in authority.get(f"/registration/applications/{app_id}").text
    assert act(authority, app_id, "issue").status_code == 303
    issued = read(client, world.b_admin, app_id)
    assert issued["state"] == "issued" and issued["registration_id"]
    page = holder.get(f"/registration/applications/{app_id}").text
    record = client.get(f"{API}/records/{issued['registration_id']}", headers=world.b_admin.headers).json()
    code = record["certificate_code"]  # the record is shown by its certificate's code (一证一码)
    assert 'data-testid="record"' in page and f'href="/registry/certificates/{code}"' in page
    for action in ("submit", "accept", "pass_review", "file_objection", "dismiss_objection"):
        assert f'data-action="{action}"' in page
    registry = client.get("/registry", params={"q": stored["data_name"][:4]})
    assert registry.status_code == 200 and issued["registration_id"] in registry.text
    assert stored["data_name"] not in client.get("/registry/publicity").text


def test_supplement_notice_and_resubmission_through_the_pages(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    resource = registrable_resource(client, world.b_admin.headers)
    holder, authority = log_in(world.b_admin), log_in(world.reviewer)
    app_id = create_through_page(holder, page_form(resource))
    # submitting with materials missing first asks for a confirmation naming them; nothing changes yet
    warned = holder.post(f"/registration/applications/{app_id}/submit")
    assert warned.status_code == 200 and 'data-testid="confirm-incomplete"' in warned.text
    missing_items = read(client, world.b_admin, app_id)["missing_items"]
    titles = [m["title"].split(" (")[0] for m in missing_items]
    confirm = warned.text.split('data-testid="confirm-missing"')[1].split("</ul>")[0]
    assert titles and all(t in confirm for t in titles)
    assert read(client, world.b_admin, app_id)["state"] == "draft"
    confirmed = holder.post(f"/registration/applications/{app_id}/submit", {"incomplete_confirmed": "yes"})
    assert confirmed.status_code == 303
    assert read(client, world.b_admin, app_id)["state"] == "submitted"
    assert len({m["key"] for m in missing_items}) == len(titles)

    # acceptance is not offered while materials are missing; posted anyway it is a 409 said in Chinese
    review = authority.get(f"/registration/applications/{app_id}").text
    assert 'data-testid="accept"' not in review and 'data-testid="request-supplement"' in review
    incomplete = act(authority, app_id, "accept")
    assert incomplete.status_code == 409 and "可执行的操作：不予受理、一次性告知补正" in incomplete.text
    assert act(authority, app_id, "supplement", {"noncompliant": "主体信息已过期"}).status_code == 303
    page = holder.get(f"/registration/applications/{app_id}").text
    notice = page.split('data-testid="supplement-notice"')[1].split("</article>")[0]
    assert all(title in notice for title in titles) and "主体信息已过期" in notice
    assert "004:" not in notice and "subject_info" not in notice  # no raw codes or citations
    assert 'data-testid="resubmit"' in page

    clock.to("2026-03-04")
    attach_missing(client, world.b_admin.headers, read(client, world.b_admin, app_id))
    holder = log_in(world.b_admin)  # a new day, a new login (sessions expire when idle)
    assert holder.post(f"/registration/applications/{app_id}/resubmit", {"note": "已补正"}).status_code == 303
    resubmitted = read(client, world.b_admin, app_id)
    assert resubmitted["state"] == "submitted" and resubmitted["deadline"]["due"] == "2026-03-09"


def test_applicants_see_only_their_own_applications(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    resource = registrable_resource(client, world.b_admin.headers)
    application = file_application(client, world.b_admin.headers, initial_body(resource))
    b, a, authority = log_in(world.b_admin), log_in(world.a_admin), log_in(world.reviewer)

    assert set(APP_LINK.findall(b.get("/registration").text)) == {application["id"]}
    assert APP_LINK.findall(a.get("/registration").text) == []
    assert application["id"] in APP_LINK.findall(authority.get("/registration").text)
    for url in (f"/registration/applications/{application['id']}",):
        assert a.get(url).status_code == 404
    for action in ("submit", "resubmit"):
        assert a.post(f"/registration/applications/{application['id']}/{action}").status_code == 404
    assert upload(a, application["id"], "subject_info").status_code == 404
    assert act(a, application["id"], "accept").status_code == 404
    assert a.get("/registration/review").status_code == 403
    assert read(client, world.b_admin, application["id"])["state"] == "draft"


def test_the_create_form_shows_refusals_on_the_page(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    resource = registrable_resource(client, world.b_admin.headers)
    holder = log_in(world.b_admin)
    wrong_receipt = holder.post("/registration/new", page_form(resource, evidence_ledger_index="0"))
    assert wrong_receipt.status_code == 409 and "所引用的存证与数据内容不一致" in wrong_receipt.text
    no_type = holder.post("/registration/new", page_form(resource, application_type="renewal"))
    assert no_type.status_code == 422 and "application_type" in no_type.text
    change_without_record = holder.post("/registration/new", page_form(resource, application_type="change"))
    assert change_without_record.status_code == 409 and "registration_id" in change_without_record.text
    listed = client.get(f"{API}/applications", headers=world.b_admin.headers).json()
    assert listed["total"] == 0


def _issue(client: TestClient, world: World, clock: TravelClock, resource: Registrable, start: str) -> JSON:
    b, auth = world.b_admin.headers, world.reviewer.headers
    clock.to(start)
    application = file_application(client, b, initial_body(resource))
    for step in ("submit",):
        assert client.post(f"{API}/applications/{application['id']}/{step}", headers=b).status_code == 200
    for step in ("accept", "review/pass"):
        assert client.post(f"{API}/applications/{application['id']}/{step}", headers=auth).status_code == 200
    passed = read(client, world.reviewer, application["id"])
    clock.to(passed["publicity_end"])
    clock.forward(1)
    issued = client.post(f"{API}/applications/{application['id']}/issue", headers=auth)
    assert issued.status_code == 200, issued.text
    return dict(issued.json())


def test_quarterly_statistics_count_what_was_filed(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    b = world.b_admin.headers
    port = registrable_resource(client, b)
    _issue(client, world, clock, port, "2026-03-02")  # filed in Q1, issued 2026-03-17 (Q1)
    second = registrable_resource(client, b)
    clock.to("2026-03-20")
    pending = file_application(client, b, initial_body(second, info={"industry": "水路运输"}))
    assert client.post(f"{API}/applications/{pending['id']}/submit", headers=b).status_code == 200
    third = registrable_resource(client, b)
    clock.to("2026-04-01")  # Q2: not counted in Q1
    later = file_application(client, b, initial_body(third))
    assert client.post(f"{API}/applications/{later['id']}/submit", headers=b).status_code == 200
    file_application(client, b, initial_body(registrable_resource(client, b)))  # a draft: never counted

    report = client.get("/api/v1/registration/statistics", params={"year": 2026, "quarter": 1})
    assert report.status_code == 200, report.text
    body = report.json()
    assert (body["period_start"], body["period_end"]) == ("2026-01-01", "2026-03-31")
    assert body["applications"] == 2 and body["records_issued"] == 1
    by = {dim: {r["key"]: r["count"] for r in body[dim]} for dim in ("by_type", "by_state", "by_industry")}
    assert by["by_type"] == {"initial": 2, "change": 0, "correction": 0, "cancellation": 0}
    assert by["by_state"]["issued"] == 1 and by["by_state"]["submitted"] == 1
    assert sum(by["by_state"].values()) == 2 and "draft" not in by["by_state"]
    assert by["by_industry"] == {"交通运输": 1, "水路运输": 1}
    q2 = client.get("/api/v1/registration/statistics", params={"year": 2026, "quarter": 2}).json()
    assert q2["applications"] == 1 and q2["records_issued"] == 0

    page = client.get("/registry/statistics", params={"year": 2026, "quarter": 1})
    assert page.status_code == 200
    assert re.search(r'data-testid="total-applications">2<', page.text)
    assert "echarts.min.js" in page.text and '"交通运输"' in page.text

    download = client.get("/registry/statistics.csv", params={"year": 2026, "quarter": 1})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert "2026Q1" in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[0] == ["dimension", "key", "label", "count"]
    counts = {(r[0], r[1]): int(r[3]) for r in rows[1:]}
    assert counts[("total", "applications")] == 2 and counts[("total", "records_issued")] == 1
    assert counts[("application_type", "initial")] == 2 and counts[("state", "issued")] == 1
    assert counts[("industry", "水路运输")] == 1 and counts[("subject_kind", "resource")] == 1
    labels = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert labels[("application_type", "initial")] == "首次登记" and labels[("state", "issued")] == "已登记"

    # the page offers Chinese column headers first; that file names no code a person cannot read
    offered = re.findall(r'href="([^"]+)" download[^>]*data-testid="(download-csv[-a-z]*)"', page.text)
    assert offered == [
        ("/registry/statistics.csv?year=2026&amp;quarter=1&amp;headers=zh", "download-csv"),
        ("/registry/statistics.csv?year=2026&amp;quarter=1&amp;headers=name", "download-csv-other"),
    ]
    chinese = client.get("/registry/statistics.csv", params={"year": 2026, "quarter": 1, "headers": "zh"})
    zh = list(csv.reader(io.StringIO(chinese.content.decode("utf-8-sig"))))
    assert zh[0] == ["统计维度", "名称", "数量"]
    assert zh[1:3] == [
        ["合计", "2026年第1季度 登记申请总数", "2"],
        ["合计", "2026年第1季度 发放登记证书数", "1"],
    ]
    assert ["登记类型", "首次登记", "2"] in zh and ["办理状态", "已登记", "1"] in zh
    assert len(zh) == len(rows)


@pytest.mark.parametrize("quarter", ["0", "5", "x"])
def test_a_bad_quarter_is_422(client: TestClient, quarter: str) -> None:
    assert_problem(
        client.get("/api/v1/registration/statistics", params={"year": 2026, "quarter": quarter}), 422
    )
    assert client.get("/registry/statistics", params={"year": 2026, "quarter": quarter}).status_code == 422
    assert client.get("/registry/statistics.csv", params={"quarter": quarter}).status_code == 422


def test_the_registry_shows_issued_registrations_only_and_filters_them(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    b = world.b_admin.headers
    issued = _issue(client, world, clock, registrable_resource(client, b), "2026-03-02")
    clock.to("2026-03-20")
    pending = file_application(
        client, b, initial_body(registrable_resource(client, b), info={"name": "待审港口作业数据"})
    )
    assert client.post(f"{API}/applications/{pending['id']}/submit", headers=b).status_code == 200

    everything = client.get("/registry").text
    assert issued["registration_id"] in everything and "待审港口作业数据" not in everything
    assert pending["id"] not in everything
    holder = client.get("/registry", params={"holder": str(world.b_admin.party_id)}).text
    assert issued["registration_id"] in holder
    assert (
        issued["registration_id"]
        not in client.get("/registry", params={"holder": str(world.a_admin.party_id)}).text
    )
    assert issued["registration_id"] in client.get("/registry", params={"industry": "交通运输"}).text
    assert issued["registration_id"] not in client.get("/registry", params={"industry": "航空"}).text
    assert issued["registration_id"] in client.get("/registry", params={"kind": "resource"}).text
    assert issued["registration_id"] not in client.get("/registry", params={"kind": "product"}).text
    assert issued["registration_id"] not in client.get("/registry", params={"q": "不存在的名称"}).text
    assert client.get("/registry", params={"kind": "nonsense"}).status_code == 422


def test_navigation_links_the_registration_pages(world: World, log_in: LogIn, client: TestClient) -> None:
    assert 'href="/registry"' in client.get("/registry/publicity").text
    holder = log_in(world.b_admin)
    dashboard = holder.get("/dashboard").text
    assert 'data-testid="registration-tile"' in dashboard and 'href="/registration"' in dashboard
    assert 'href="/registry/statistics"' in dashboard
    assert 'href="/registration/review"' in log_in(world.reviewer).get("/dashboard").text


def test_overdue_steps_are_highlighted_and_explained_on_the_pages(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    b = world.b_admin.headers
    late = file_application(client, b, initial_body(registrable_resource(client, b)))
    on_time = file_application(client, b, initial_body(registrable_resource(client, b)))
    assert client.post(f"{API}/applications/{late['id']}/submit", headers=b).status_code == 200
    clock.to("2026-03-09")  # acceptance of the first was due 2026-03-05
    assert client.post(f"{API}/applications/{on_time['id']}/submit", headers=b).status_code == 200
    authority = log_in(world.reviewer)

    queue = authority.get("/registration/review").text
    rows = {
        m.group(2): m.group(1)
        for m in re.finditer(
            r'<tr data-testid="queue-row" class="([^"]*)">\s*'
            r'<td><a href="/registration/applications/([0-9a-f-]{36})"',
            queue,
        )
    }
    assert rows == {late["id"]: "row-overdue", on_time["id"]: ""}
    overdue = queue.split('data-testid="overdue-list"')[1].split("</article>")[0]
    assert late["id"] in overdue and on_time["id"] not in overdue and "受理超期" in overdue

    page = authority.get(f"/registration/applications/{late['id']}").text
    assert 'data-testid="overrun-form"' in page
    assert (
        'data-testid="overrun-form"' not in authority.get(f"/registration/applications/{on_time['id']}").text
    )
    blank = act(authority, late["id"], "overrun", {"explanation": " "})
    assert blank.status_code == 422 and "explanation" in blank.text
    early = act(authority, on_time["id"], "overrun", {"explanation": "系统维护"})
    assert early.status_code == 409 and 'data-testid="conflict"' in early.text
    assert act(authority, late["id"], "overrun", {"explanation": "材料核验系统维护两日"}).status_code == 303
    explained = read(client, world.reviewer, late["id"])["overruns"]
    assert [(o["explanation"], o["working_days_overdue"]) for o in explained] == [("材料核验系统维护两日", 2)]
    assert "材料核验系统维护两日" in authority.get(f"/registration/applications/{late['id']}").text
    assert ">是<" in authority.get("/registration/review").text.split('data-testid="overdue-list"')[1]

    # refusing needs grounds and a reason: 422 on the page, nothing changes
    refused = act(authority, late["id"], "refuse", {"reason": ""})
    assert refused.status_code == 422
    assert read(client, world.reviewer, late["id"])["state"] == "submitted"
    done = authority.client.post(
        f"/registration/applications/{late['id']}/review/refuse",
        data={"grounds": ["not_compliant"], "reason": "材料不符合要求", "csrf_token": authority.csrf_token},
        follow_redirects=False,
    )
    assert done.status_code == 303
    final = read(client, world.b_admin, late["id"])
    assert final["state"] == "not_accepted" and final["refusal_grounds"] == ["not_compliant"]
    assert "材料不符合要求" in log_in(world.b_admin).get(f"/registration/applications/{late['id']}").text
