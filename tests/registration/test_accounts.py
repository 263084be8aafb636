"""Registration accounts (登记账户, 004:5444, V-REG-03): a subject requests one, the authority issues it
with a unique account code; one account per subject; under inner_mongolia applying needs an issued
account, under national none. Party isolation: nobody reaches another party's account."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from logispace.core.config import RuleProfile
from logispace.domains.registration.accounts import service as account_service
from logispace.domains.registration.accounts.service import make_account_code, parse_account_code
from logispace.domains.registration.certificates.policies import CodeInvalid
from logispace.domains.registration.enums import AccountState
from logispace.domains.registration.models import RegistrationAccount
from tests.conftest import World
from tests.factories.ledger import appended
from tests.factories.registration import API, file_application, initial_body, registrable_resource
from tests.identity.support import assert_problem
from tests.registration.conftest import TravelClock

NM = pytest.mark.parametrize("profile", [RuleProfile.INNER_MONGOLIA], indirect=True, ids=str)
BOTH = pytest.mark.parametrize("profile", list(RuleProfile), indirect=True, ids=str)
JSON = dict[str, Any]


@pytest.fixture
def nm_accounts() -> None:
    """The accounts are what these tests make: no party starts with one."""


def ledger_kind(client: TestClient, index: int) -> str:
    entry = client.get(f"/api/v1/ledger/entries/{index}")
    assert entry.status_code == 200, entry.text
    return str(entry.json()["kind"])


def open_account(client: TestClient, world: World, headers: dict[str, str]) -> JSON:
    """Request and issue an account for the party of ``headers``."""
    requested = client.post(f"{API}/account", headers=headers)
    assert requested.status_code == 201, requested.text
    issued = client.post(f"{API}/accounts/{requested.json()['id']}/issue", headers=world.reviewer.headers)
    assert issued.status_code == 200, issued.text
    return dict(issued.json())


# -- the account code (账户编码) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "serial"), [(2026, "7K3Q9XWA"), (2027, "00000000"), (2030, "ZZZZZZZZ"), (2026, "ABCDEFGH")]
)
def test_account_codes_round_trip_and_carry_a_check_character(year: int, serial: str) -> None:
    code = make_account_code(year, serial)
    assert code.startswith(f"DJZH-{year}-{serial}-") and len(code) == 20
    assert parse_account_code(code) == code
    assert parse_account_code(code.lower().replace("-", "")) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(CodeInvalid, match="check character"):
        parse_account_code(wrong)


@pytest.mark.parametrize(
    "text", ["", "DJZH-2026-7K3Q9XW-1", "DJR-2026-7K3Q9XWA-M", "DJZH-2026-7K3Q9XWI-1", "ZH-2026-7K3Q9XWA-1"]
)
def test_malformed_account_codes_are_refused(text: str) -> None:
    with pytest.raises(CodeInvalid):
        parse_account_code(text)


def test_a_serial_outside_the_alphabet_is_refused() -> None:
    with pytest.raises(CodeInvalid):
        make_account_code(2026, "IIIIIIII")


# -- request, issue, one per subject -----------------------------------------------------------------


@BOTH
def test_request_issue_and_a_second_request_is_409(
    client: TestClient, world: World, profile: RuleProfile
) -> None:
    b, auth = world.b_admin.headers, world.reviewer.headers
    requested = client.post(f"{API}/account", headers=b)
    assert requested.status_code == 201, requested.text
    account = requested.json()
    assert (account["state"], account["code"], account["party"]["name"]) == ("requested", None, "乙港口公司")
    assert ledger_kind(client, account["ledger_index"]) == "registration.account_requested"

    again = assert_problem(client.post(f"{API}/account", headers=b), 409, "registration-account-exists")
    assert again["account_state"] == "requested" and again["account_code"] is None
    assert "004:5444" in again["detail"]

    listed = client.get(f"{API}/accounts?state=requested", headers=auth)
    assert listed.status_code == 200 and [a["id"] for a in listed.json()] == [account["id"]]

    issued = client.post(f"{API}/accounts/{account['id']}/issue", headers=auth)
    assert issued.status_code == 200, issued.text
    code = issued.json()["code"]
    assert issued.json()["state"] == "issued" and parse_account_code(code) == code
    assert ledger_kind(client, issued.json()["issued_ledger_index"]) == "registration.account_issued"

    dup = assert_problem(client.post(f"{API}/account", headers=b), 409, "registration-account-exists")
    assert dup["account_code"] == code and dup["account_state"] == "issued" and code in dup["detail"]
    twice = client.post(f"{API}/accounts/{account['id']}/issue", headers=auth)
    assert assert_problem(twice, 409, "registration-account-already-issued")["account_code"] == code
    assert client.get(f"{API}/accounts?state=requested", headers=auth).json() == []

    # a second party gets its own, different code
    other = open_account(client, world, world.a_admin.headers)
    assert other["code"] != code


@pytest.mark.parametrize(
    ("who", "method", "path", "status"),
    [
        ("b_admin", "GET", "/accounts", 403),
        ("b_admin", "POST", "/accounts/{id}/issue", 403),
        ("a_admin", "POST", "/accounts/{id}/issue", 403),
        ("a_admin", "GET", "/account", 404),  # A has none: never B's
        ("a_analyst", "POST", "/account", 403),  # an analyst does not open the party's account
        ("reviewer", "POST", "/account", 403),  # the authority is not a registration subject
        ("reviewer", "POST", f"/accounts/{uuid.UUID(int=7)}/issue", 404),
    ],
)
def test_who_reaches_accounts(
    client: TestClient, world: World, who: str, method: str, path: str, status: int
) -> None:
    b = client.post(f"{API}/account", headers=world.b_admin.headers).json()
    headers = getattr(world, who).headers
    response = client.request(method, API + path.format(id=b["id"]), headers=headers)
    problem = assert_problem(response, status)
    assert b["id"] not in response.text or (status == 403 and b["id"] not in problem["detail"])
    after = client.get(f"{API}/accounts", headers=world.reviewer.headers).json()
    assert [(a["id"], a["state"]) for a in after] == [(b["id"], "requested")]  # nothing changed


def test_bad_account_id_is_a_problem_naming_the_field(client: TestClient, world: World) -> None:
    response = client.post(f"{API}/accounts/not-a-uuid/issue", headers=world.reviewer.headers)
    problem = assert_problem(response, 422)
    assert any(e["loc"][-1] == "account_id" for e in problem["errors"])
    bad_state = assert_problem(client.get(f"{API}/accounts?state=open", headers=world.reviewer.headers), 422)
    assert any(e["loc"][-1] == "state" for e in bad_state["errors"])


def test_one_account_per_party_and_per_code_in_the_database(db: Session, world: World) -> None:
    party = uuid.UUID(str(world.a_admin.party_id))
    entry = appended(db, kind="test.account", subject="account/x", payload={}, actor=None).entry_id
    first = RegistrationAccount(party_id=party, state=AccountState.REQUESTED, ledger_index=entry)
    db.add(first)
    db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(RegistrationAccount(party_id=party, state=AccountState.REQUESTED, ledger_index=entry))
    first.code = "DJZH-2026-00000000-X"
    db.flush()
    other = uuid.UUID(str(world.b_admin.party_id))
    same_code = RegistrationAccount(
        party_id=other, state=AccountState.ISSUED, code="DJZH-2026-00000000-X", ledger_index=entry
    )
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(same_code)


def test_a_concurrent_double_request_loses_with_409(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The winner of a race is already in the table when the loser checks nothing: the unique constraint
    refuses the second row and the loser gets the same 409 naming the winner."""
    first = client.post(f"{API}/account", headers=world.b_admin.headers).json()
    real = account_service.account_of
    calls = {"n": 0}

    def blind_first(session: Session, party_id: uuid.UUID | None) -> RegistrationAccount | None:
        calls["n"] += 1
        return None if calls["n"] == 1 else real(session, party_id)

    monkeypatch.setattr(account_service, "account_of", blind_first)
    lost = assert_problem(client.post(f"{API}/account", headers=world.b_admin.headers), 409)
    assert lost["code"] == "registration-account-exists" and lost["account_id"] == first["id"]
    monkeypatch.undo()
    listed = client.get(f"{API}/accounts", headers=world.reviewer.headers).json()
    assert [a["id"] for a in listed] == [first["id"]]


# -- applying needs an issued account under inner_mongolia -------------------------------------------


@NM
def test_inner_mongolia_refuses_an_application_without_an_issued_account(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    b = world.b_admin.headers
    clock.to("2026-03-02")
    resource = registrable_resource(client, b)
    refused = client.post(f"{API}/applications", json=initial_body(resource), headers=b)
    problem = assert_problem(refused, 409, "registration-account-required")
    assert problem["rule"] == "V-REG-03" and problem["source"] == "004:5444"
    assert "/api/v1/registration/account" in problem["detail"] and problem["account_state"] is None
    assert client.get(f"{API}/applications", headers=b).json()["total"] == 0  # nothing was saved

    requested = client.post(f"{API}/account", headers=b).json()
    still = client.post(f"{API}/applications", json=initial_body(resource), headers=b)
    assert assert_problem(still, 409, "registration-account-required")["account_state"] == "requested"

    client.post(f"{API}/accounts/{requested['id']}/issue", headers=world.reviewer.headers)
    application = file_application(client, b, initial_body(resource))
    submitted = client.post(f"{API}/applications/{application['id']}/submit", headers=b)
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"

    # the account page gathers the application, and its materials, in one place (统一管理)
    overview = client.get(f"{API}/account", headers=b).json()
    assert overview["required"] is True and overview["account"]["state"] == "issued"
    assert [a["id"] for a in overview["applications"]] == [application["id"]]
    assert {m["application_id"] for m in overview["materials"]} == {application["id"]}
    assert len(overview["materials"]) == len(application["attachments"])


@NM
def test_an_interested_party_correction_needs_no_account(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    """The account is the registration subject's (登记主体); an interested party correcting another's
    registration does not file as a subject."""
    body = {"application_type": "correction", "registration_id": str(uuid.UUID(int=3))}
    response = client.post(
        f"{API}/applications", json={**body, "as_interested_party": True}, headers=world.a_admin.headers
    )
    assert_problem(response, 404)  # checked past the account: the registration does not exist


@pytest.mark.parametrize("profile", [RuleProfile.NATIONAL], indirect=True, ids=str)
def test_national_needs_no_account(
    client: TestClient, world: World, clock: TravelClock, profile: RuleProfile
) -> None:
    b = world.b_admin.headers
    clock.to("2026-03-02")
    application = file_application(client, b, initial_body(registrable_resource(client, b)))
    submitted = client.post(f"{API}/applications/{application['id']}/submit", headers=b)
    assert submitted.status_code == 200, submitted.text
    assert_problem(client.get(f"{API}/account", headers=b), 404)
