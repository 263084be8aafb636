"""The registration account pages (登记账户, 004:5444) and a co-subject's confirmation (共同申请, 004:771)
through a logged-in browser: the subject requests, the authority issues, the code shows; the new-
application form names co-subjects; a co-subject confirms from the application's page."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile
from logispace.domains.identity import Role
from tests.conftest import Actor, LogIn, World
from tests.factories.identity import make_party, make_token, make_user
from tests.factories.registration import API, file_application, initial_body, registrable_resource
from tests.registration.conftest import TravelClock

NM = pytest.mark.parametrize("profile", [RuleProfile.INNER_MONGOLIA], indirect=True, ids=str)
CODE = re.compile(r'data-testid="account-code">(DJZH-\d{4}-[0-9A-Z]{8}-[0-9A-Z])<')


@pytest.fixture
def nm_accounts() -> None:
    """No party starts with an account here."""


@NM
def test_account_page_request_issue_and_code(
    client: TestClient, world: World, log_in: LogIn, profile: RuleProfile
) -> None:
    b, authority = log_in(world.b_admin), log_in(world.reviewer)
    page = b.get("/registration/account")
    assert page.status_code == 200 and 'data-testid="request-account"' in page.text
    assert 'data-testid="account-required"' in page.text and 'data-testid="nav-account"' in page.text

    requested = b.post("/registration/account")
    assert (
        requested.status_code == 303
        and requested.headers["location"] == "/registration/account?done=requested"
    )
    page = b.get("/registration/account")
    assert "已申请，待核发" in page.text and "request-account" not in page.text
    again = b.post("/registration/account")
    assert again.status_code == 409 and "一个登记主体仅可开设一个登记账户" in again.text

    # the authority's list, with the issue button; a subject may not open it
    assert b.get("/registration/accounts").status_code == 403
    assert authority.get("/registration/account").headers["location"] == "/registration/accounts"
    queue = authority.get("/registration/accounts")
    assert (
        queue.status_code == 200
        and "乙港口公司" in queue.text
        and 'data-testid="issue-account"' in queue.text
    )
    (account_id,) = re.findall(r'action="/registration/accounts/([0-9a-f-]{36})/issue"', queue.text)
    assert b.post(f"/registration/accounts/{account_id}/issue").status_code == 403
    issued = authority.post(f"/registration/accounts/{account_id}/issue")
    assert issued.status_code == 303
    assert 'data-testid="issue-account"' not in authority.get("/registration/accounts").text

    match = CODE.search(b.get("/registration/account").text)
    assert match is not None
    code = match.group(1)
    # party A sees no account of its own and never B's code
    a_page = log_in(world.a_admin).get("/registration/account")
    assert a_page.status_code == 200 and code not in a_page.text and "request-account" in a_page.text
    assert client.get(f"{API}/account", headers=world.b_admin.headers).json()["account"]["code"] == code


def test_new_form_names_co_subjects_and_a_co_subject_confirms(
    client: TestClient, db: Session, world: World, clock: TravelClock, log_in: LogIn
) -> None:
    b, a = log_in(world.b_admin), log_in(world.a_admin)
    resource = registrable_resource(client, world.b_admin.headers)
    form = {
        "application_type": "initial",
        "catalog_code": resource.catalog_code,
        "evidence_ledger_index": str(resource.ledger_index),
        "co_subjects": "not-a-party",
        "joint_mode": "joint",
    }
    bad = b.post("/registration/new", form)
    assert bad.status_code == 422 and "其他登记主体：填写的内容不符合要求" in bad.text, bad.text[
        bad.text.find("form-errors") :
    ][:400]
    created = b.post("/registration/new", {**form, "co_subjects": str(world.a_admin.party_id)})
    assert created.status_code == 303, created.text
    app_id = created.headers["location"].split("/")[-1].split("?")[0]

    mine = b.get(f"/registration/applications/{app_id}")
    assert 'data-testid="co-subjects"' in mine.text and "甲物流公司" in mine.text and "待确认" in mine.text
    assert 'data-testid="confirm-co-subject"' not in mine.text  # the applicant does not confirm

    theirs = a.get(f"/registration/applications/{app_id}")
    assert theirs.status_code == 200 and 'data-testid="confirm-co-subject"' in theirs.text
    confirmed = a.post(f"/registration/applications/{app_id}/co-subjects/confirm")
    assert confirmed.status_code == 303 and confirmed.headers["location"].endswith("?done=confirmed")
    page = a.get(confirmed.headers["location"])
    assert 'data-testid="co-subject-confirmed"' in page.text and "confirm-co-subject" not in page.text
    twice = a.post(f"/registration/applications/{app_id}/co-subjects/confirm")
    assert twice.status_code == 409

    # a third party neither sees nor confirms it
    party = make_party(db, name="丙货运公司")
    user = make_user(db, party, Role.PARTY_ADMIN)
    c = Actor(user.id, user.party_id, user.username, make_token(db, user))
    db.commit()
    outsider = log_in(c)
    assert outsider.get(f"/registration/applications/{app_id}").status_code == 404
    assert outsider.post(f"/registration/applications/{app_id}/co-subjects/confirm").status_code == 404


def test_a_draft_filed_by_api_shows_the_mode(client: TestClient, world: World, log_in: LogIn) -> None:
    body = initial_body(
        registrable_resource(client, world.b_admin.headers),
        co_subject_party_ids=[str(world.a_admin.party_id)],
        joint_mode="sole_with_agreement",
    )
    application = file_application(client, world.b_admin.headers, body)
    page = log_in(world.a_admin).get(f"/registration/applications/{application['id']}")
    assert "协商一致后由单独主体提出" in page.text and "confirm-co-subject" not in page.text
