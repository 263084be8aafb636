"""The applicant's form and materials on the pages (登记申请表单与材料): the new-application form shows the
chosen type's fields only, several materials go up in one form (all or none), the applicant and the
registration centre open each material (every opening a ledger entry; anyone else 404), and the public
registry is searched by its registration number (登记编号).
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from logispace.domains.ledger.models import LedgerEntry
from tests.conftest import LogIn, World
from tests.factories.registration import registrable_resource
from tests.registration.conftest import TravelClock
from tests.registration.test_pages import _issue, create_through_page, page_form, read

OPEN_LINK = re.compile(r'href="(/registration/applications/[0-9a-f-]{36}/attachments/[0-9a-f-]{36})"')

# (type, fields its form shows, fields it must not show)
FORM_BY_TYPE = [
    (
        "initial",
        ["catalog_code", "evidence_ledger_index", "co_subjects", "content_summary"],
        ["registration_id", "cancellation_ground"],
    ),
    (
        "change",
        ["registration_id", "evidence_ledger_index", "content_summary"],
        ["catalog_code", "co_subjects", "cancellation_ground"],
    ),
    (
        "correction",
        ["registration_id", "content_summary"],
        ["catalog_code", "evidence_ledger_index", "internal_business_review_done", "cancellation_ground"],
    ),
    (
        "cancellation",
        ["registration_id", "cancellation_ground", "internal_business_review_done"],
        ["catalog_code", "content_summary", "co_subjects"],
    ),
]


@pytest.mark.parametrize(("kind", "shown", "hidden"), FORM_BY_TYPE, ids=[row[0] for row in FORM_BY_TYPE])
def test_the_new_application_form_shows_only_the_chosen_types_fields(
    world: World, log_in: LogIn, kind: str, shown: list[str], hidden: list[str]
) -> None:
    page = log_in(world.b_admin).get(f"/registration/new?type={kind}")
    assert page.status_code == 200
    form = page.text.split('data-testid="new-application-form"')[1].split("</form>")[0]
    assert f'name="application_type" value="{kind}"' in form
    for name in shown:
        assert f'name="{name}"' in form, name
    for name in hidden:
        assert f'name="{name}"' not in form, name
    # every type is one link away (no script needed), the chosen one marked
    choice = page.text.split('data-testid="type-choice"')[1].split("</nav>")[0]
    assert choice.count('href="/registration/new?type=') == 4
    assert re.search(rf'type={kind}" data-testid="type-{kind}"[^>]*aria-current="page"', choice)


def materials_form(browser_token: str, files: dict[str, list[tuple[str, bytes]]]) -> dict[str, object]:
    return {
        "data": {"csrf_token": browser_token},
        "files": [
            (f"file:{material}", (name, body, "application/pdf"))
            for material, named in files.items()
            for name, body in named
        ],
    }


def test_several_materials_go_up_in_one_form_or_none_of_them(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    resource = registrable_resource(client, world.b_admin.headers)
    holder = log_in(world.b_admin)
    app_id = create_through_page(holder, page_form(resource))
    missing = [m["key"].split(" | ")[0] for m in read(client, world.b_admin, app_id)["missing_items"]]
    assert len(missing) == 6
    url = f"/registration/applications/{app_id}/materials"

    # one file is refused (empty): nothing of the batch is kept and the page says so
    bad = materials_form(
        holder.csrf_token, {missing[0]: [("a.pdf", b"%PDF a")], missing[1]: [("b.pdf", b"")]}
    )
    refused = holder.client.post(url, follow_redirects=False, **bad)  # type: ignore[arg-type]
    assert refused.status_code == 422 and 'data-testid="form-errors"' in refused.text
    assert read(client, world.b_admin, app_id)["attachments"] == []

    # all six at once, two files for the first material
    files = {m: [(f"{m}.pdf", f"%PDF {m}".encode())] for m in missing}
    files[missing[0]].append(("second.pdf", b"%PDF second"))
    sent = holder.client.post(url, follow_redirects=False, **materials_form(holder.csrf_token, files))  # type: ignore[arg-type]
    assert sent.status_code == 303, sent.text
    stored = read(client, world.b_admin, app_id)
    assert stored["missing_items"] == [] and len(stored["attachments"]) == 7
    page = holder.get(f"/registration/applications/{app_id}").text
    assert 'data-testid="confirm-incomplete"' not in page and "已上传 2 份" in page

    # complete: submitting asks nothing
    assert holder.post(f"/registration/applications/{app_id}/submit").status_code == 303
    assert read(client, world.b_admin, app_id)["state"] == "submitted"
    after = holder.get(f"/registration/applications/{app_id}").text
    assert 'data-testid="materials-form"' not in after


def test_no_file_chosen_is_422_on_the_page(
    client: TestClient, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    holder = log_in(world.b_admin)
    app_id = create_through_page(holder, page_form(registrable_resource(client, world.b_admin.headers)))
    empty = holder.post(f"/registration/applications/{app_id}/materials")
    assert empty.status_code == 422 and 'data-testid="form-errors"' in empty.text


def _opened(db: Session) -> int:
    return (
        db.scalar(
            select(func.count())
            .select_from(LedgerEntry)
            .where(LedgerEntry.kind == "registration.attachment_opened")
        )
        or 0
    )


def test_the_applicant_and_the_centre_open_materials_others_get_404(
    client: TestClient, db: Session, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    clock.to("2026-03-02")
    holder = log_in(world.b_admin)
    app_id = create_through_page(holder, page_form(registrable_resource(client, world.b_admin.headers)))
    material = read(client, world.b_admin, app_id)["missing_items"][0]["key"].split(" | ")[0]
    body = b"%PDF-1.7 subject information"
    form = materials_form(holder.csrf_token, {material: [("主体信息.pdf", body)]})
    assert (
        holder.client.post(
            f"/registration/applications/{app_id}/materials", follow_redirects=False, **form
        ).status_code
        == 303
    )  # type: ignore[arg-type]
    assert (
        holder.post(
            f"/registration/applications/{app_id}/submit", {"incomplete_confirmed": "yes"}
        ).status_code
        == 303
    )

    centre = log_in(world.reviewer)
    review_page = centre.get(f"/registration/applications/{app_id}").text
    links = OPEN_LINK.findall(review_page)
    assert len(links) == 1
    link = links[0]
    before = _opened(db)
    for reader in (centre, holder):
        opened = reader.get(link)
        assert opened.status_code == 200 and opened.content == body
        assert opened.headers["content-type"] == "application/pdf"
        assert opened.headers["content-disposition"].startswith("inline")
    assert _opened(db) == before + 2  # every opening is on the ledger

    # the data authority's supervisors, another party and a visitor: 404 like a missing material
    missing_link = (
        link[: -len("00000000-0000-0000-0000-000000000000")] + "00000000-0000-0000-0000-000000000000"
    )
    for other in (log_in(world.authority_admin), log_in(world.a_admin)):
        assert other.get(link).status_code == 404
        assert other.get(missing_link).status_code == 404
        assert link not in (other.get(f"/registration/applications/{app_id}").text)
    assert client.get(link, follow_redirects=False).status_code in (303, 401)
    assert _opened(db) == before + 2  # refusals leave nothing
    # a material of one application is not reached through another's address
    other_app = create_through_page(holder, page_form(registrable_resource(client, world.b_admin.headers)))
    assert holder.get(link.replace(app_id, other_app)).status_code == 404


def test_the_registry_is_searched_by_its_registration_number(
    client: TestClient, world: World, clock: TravelClock
) -> None:
    issued = _issue(client, world, clock, registrable_resource(client, world.b_admin.headers), "2026-03-02")
    record = client.get(
        f"/api/v1/registration/records/{issued['registration_id']}", headers=world.b_admin.headers
    ).json()
    number = record["certificate_code"]
    for query in (number, number.lower(), number[-6:]):
        found = client.get("/registry", params={"q": query})
        assert found.status_code == 200
        assert f'data-testid="record-code" data-id="{issued["registration_id"]}"' in found.text, query
    assert "共 0 条" in client.get("/registry", params={"q": number + "X"}).text
